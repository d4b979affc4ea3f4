/*
 * Physical memory.  The largest usable RAM range becomes the core: the
 * program break grows up from its bottom, pages are handed out from its top,
 * and freed page runs go on a first-fit list for reuse.  Other RAM ranges are
 * page-allocated after the core's top meets the break.
 */
#include <errno.h>
#include <string.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/mm.h>

/* A freed run of pages, stored in its own first page. */
struct free_run {
	size_t pages;
	struct free_run *next;
};

static struct {
	uintptr_t brk_base; /* bottom of the core: first heap byte */
	uintptr_t brk;	    /* current program break */
	uintptr_t top;	    /* lowest page handed out from the core */
	struct mem_range extra[BOOT_MAX_RANGES]; /* RAM outside the core */
	int nr_extra;
	struct free_run *free_runs;
	size_t total;
	volatile int busy; /* inside a critical section: see pmem_busy() */
} pm;

/*
 * Interrupts off is the lock (one CPU), but a stack page fault can still
 * come in the middle (kernel/kstack.c): busy tells its handler not to call
 * in.  The compiler barriers keep every update of pm between the two stores.
 */
static unsigned long pm_lock(void)
{
	unsigned long f = irq_save();
	pm.busy = 1;
	__asm__ volatile("" ::: "memory");
	return f;
}

static void pm_unlock(unsigned long f)
{
	__asm__ volatile("" ::: "memory");
	pm.busy = 0;
	irq_restore(f);
}

int pmem_busy(void)
{
	return pm.busy;
}

/* Boot page tables map the low 4 GiB; allocations must stay below until vm_init. */
#define EARLY_LIMIT (1ULL << 32)

int pmem_init(const struct boot_info *bi)
{
	struct mem_range r[BOOT_MAX_RANGES];
	int n = bi->nr_ram;
	memcpy(r, bi->ram, sizeof(r));
	/* Low memory holds the loader's tables and the BIOS; the image is ours. */
	mem_ranges_remove(r, &n, BOOT_MAX_RANGES, 0, 0x100000);
	/* the stack region's addresses are not identity-mapped (mm.h) */
	mem_ranges_remove(r, &n, BOOT_MAX_RANGES, VM_STACK_BASE, UINT64_MAX - VM_STACK_BASE);
	mem_ranges_remove(r, &n, BOOT_MAX_RANGES, (uintptr_t)__image_start,
			  PAGE_ALIGN_UP(__image_end) - (uintptr_t)__image_start);
	for (int i = 0; i < bi->nr_modules; i++)
		mem_ranges_remove(r, &n, BOOT_MAX_RANGES, PAGE_ALIGN_DOWN(bi->modules[i].base),
				  PAGE_ALIGN_UP(bi->modules[i].base + bi->modules[i].size) -
					  PAGE_ALIGN_DOWN(bi->modules[i].base));
	int core = -1;
	pm.total = 0;
	for (int i = 0; i < n; i++) {
		uintptr_t b = PAGE_ALIGN_UP(r[i].base), e = PAGE_ALIGN_DOWN(r[i].base + r[i].size);
		r[i].base = b;
		r[i].size = e > b ? e - b : 0;
		pm.total += r[i].size;
		uint64_t low = e > EARLY_LIMIT ? (b < EARLY_LIMIT ? EARLY_LIMIT - b : 0) : r[i].size;
		if (low && (core < 0 || low > pm.top - pm.brk_base)) {
			core = i;
			pm.brk_base = b;
			pm.top = b + low;
		}
	}
	if (core < 0)
		return -ENOMEM;
	pm.brk = pm.brk_base;
	pm.nr_extra = 0;
	pm.free_runs = NULL;
	for (int i = 0; i < n; i++) {
		uint64_t b = r[i].base, e = r[i].base + r[i].size;
		if (i == core)
			b = pm.top; /* the core's part above 4 GiB, if any */
		if (e > b)
			mem_ranges_add(pm.extra, &pm.nr_extra, BOOT_MAX_RANGES, b, e - b);
	}
	return 0;
}

static void *take_free_run(size_t n)
{
	for (struct free_run **pp = &pm.free_runs; *pp; pp = &(*pp)->next) {
		struct free_run *run = *pp;
		if (run->pages < n)
			continue;
		if (run->pages == n) {
			*pp = run->next;
			return run;
		}
		run->pages -= n; /* hand out the tail, keep the head on the list */
		return (char *)run + run->pages * PAGE_SIZE;
	}
	return NULL;
}

static void *take_extra(size_t n)
{
	size_t bytes = n * PAGE_SIZE;
	for (int i = 0; i < pm.nr_extra; i++) {
		if (pm.extra[i].size < bytes)
			continue;
		pm.extra[i].size -= bytes;
		return (void *)(uintptr_t)(pm.extra[i].base + pm.extra[i].size);
	}
	return NULL;
}

void *pmem_alloc_pages(size_t n)
{
	if (n == 0 || n > (SIZE_MAX / PAGE_SIZE))
		return NULL;
	unsigned long f = pm_lock();
	void *p = take_free_run(n);
	if (!p && pm.top - pm.brk >= n * PAGE_SIZE) {
		pm.top -= n * PAGE_SIZE;
		p = (void *)pm.top;
	}
	if (!p)
		p = take_extra(n);
	pm_unlock(f);
	if (p)
		memset(p, 0, n * PAGE_SIZE);
	return p;
}

void pmem_free_pages(void *p, size_t n)
{
	if (!p || !n)
		return;
	unsigned long f = pm_lock();
	if ((uintptr_t)p == pm.top) { /* the most recent allocation: give it back to the core */
		pm.top += n * PAGE_SIZE;
	} else {
		struct free_run *run = p;
		run->pages = n;
		run->next = pm.free_runs;
		pm.free_runs = run;
	}
	pm_unlock(f);
}

void *pmem_sbrk(intptr_t incr)
{
	unsigned long f = pm_lock();
	uintptr_t old = pm.brk;
	if ((incr > 0 && (uintptr_t)incr > pm.top - pm.brk) ||
	    (incr < 0 && -(uintptr_t)incr > pm.brk - pm.brk_base)) /* no -INTPTR_MIN overflow */
		old = 0;
	else
		pm.brk += incr;
	pm_unlock(f);
	return (void *)old;
}

size_t pmem_free_bytes(void)
{
	unsigned long f = pm_lock(); /* a stack fault may allocate: not while we walk */
	size_t n = pm.top - pm.brk;
	for (struct free_run *r = pm.free_runs; r; r = r->next)
		n += r->pages * PAGE_SIZE;
	for (int i = 0; i < pm.nr_extra; i++)
		n += pm.extra[i].size;
	pm_unlock(f);
	return n;
}

size_t pmem_total_bytes(void)
{
	return pm.total;
}
