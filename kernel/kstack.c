/*
 * Thread stacks backed on demand.
 *
 * Every stack is a reservation in the stack region (mm.h), 2 MiB-aligned so
 * that the page tables mapping it serve it alone and are freed with it:
 * never-mapped guard pages at the bottom, the stack above them.  The top
 * `commit` bytes (the start frame, TLS block and TCB) are backed when the
 * stack is made; any other page is backed, zeroed, by the page-fault
 * handler on first touch (kstack_fault()).  kstack_free() gives every page
 * back, and the addresses go to the next stack that fits (first fit over
 * the live stacks, which are kept sorted by address).
 *
 * #PF runs on its own stack (IST, gdt_idt.c): the CPU could not push the
 * fault's frame onto the untouched page that caused it.  Device interrupts
 * also arrive on an IST stack and move to the thread's stack in isr.S, so a
 * fault on that move is an ordinary one and no interrupt is lost.
 */
#include <errno.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include "vm_priv.h"

#define GUARD_MIN     (64UL << 10) /* -fstack-clash-protection probes every page */
#define RESV_ALIGN    LARGE
#define RESERVE_PAGES 8
#define PF_PRESENT    0x1
#define PF_FETCH      0x10
#define STACK_PTE     (PTE_P | PTE_W | PTE_NX)

/*
 * Live stacks, sorted by address.  The fault handler reads the list at any
 * instruction boundary of the code that changes it, so a stack is filled in
 * before it is linked, and linking and unlinking are each one store.
 */
static struct kstack *kstacks;
static const struct kstack *last_hit; /* the handler's cache; cleared on free */
static size_t committed, committed_peak;
static int in_fault;

/*
 * The page reserve.  The fault handler must not call pmem while pmem is in
 * the middle of a change: a stack page fault can hit inside
 * pmem_alloc_pages() itself (a callee's prologue pushing onto an untouched
 * page), with interrupts off, and interrupts off, pmem's only lock, does not
 * hold off a fault.  So:
 *  - the handler takes its pages (the stack page, and up to two page
 *    tables) from reserve[], and only ever empties slots (an exchange);
 *  - reserve_fill() fills empty slots from pmem with one compare-and-swap
 *    per slot, so a fault between its check and its store can neither lose
 *    nor double a page;
 *  - reserve_fill() runs at safe points: kstack_alloc(), vm_virt_to_phys(),
 *    and the end of the handler itself when pmem_busy() says pmem is
 *    between changes.  That last one is the usual case (a fault outside
 *    pmem) and it matters: deep recursion or a big frame commits page after
 *    page with no other safe point in between;
 *  - a fault inside pmem's critical section finds pmem busy and lives off
 *    the reserve alone.  Those sections are a few frames deep, far less
 *    than RESERVE_PAGES pages of stack.
 * Both empty means memory is exhausted: the handler says "out of memory for
 * stack page" and the fault ends the VM as a panic.
 */
static uintptr_t reserve[RESERVE_PAGES];

static void *reserve_take(void)
{
	for (int i = 0; i < RESERVE_PAGES; i++) {
		uintptr_t p = __atomic_exchange_n(&reserve[i], 0, __ATOMIC_SEQ_CST);
		if (p)
			return (void *)p;
	}
	return NULL;
}

/* Puts back a page the handler took; there is room, since it took one. */
static void reserve_put(void *page)
{
	for (int i = 0; i < RESERVE_PAGES; i++) {
		uintptr_t empty = 0;
		if (__atomic_compare_exchange_n(&reserve[i], &empty, (uintptr_t)page, 0,
		                                __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			return;
	}
}

static void reserve_fill(void)
{
	for (int i = 0; i < RESERVE_PAGES; i++) {
		if (__atomic_load_n(&reserve[i], __ATOMIC_RELAXED))
			continue;
		void *p = pmem_alloc_pages(1); /* zeroed: a data page or a table */
		if (!p)
			return;
		uintptr_t empty = 0;
		if (!__atomic_compare_exchange_n(&reserve[i], &empty, (uintptr_t)p, 0,
		                                 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			pmem_free_pages(p, 1); /* the handler refilled it meanwhile */
	}
}

static void *pmem_page(void)
{
	return pmem_alloc_pages(1);
}

static void pmem_page_free(void *p)
{
	pmem_free_pages(p, 1);
}

static const struct vm_table_src from_pmem = {pmem_page, pmem_page_free};
static const struct vm_table_src from_reserve = {reserve_take, reserve_put};

static void count_committed(long delta)
{
	size_t now = __atomic_add_fetch(&committed, (size_t)delta, __ATOMIC_RELAXED);
	if (now > committed_peak)
		committed_peak = now;
}

/* The live stack whose usable range holds addr, or NULL. */
static const struct kstack *stack_holding(uintptr_t addr)
{
	const struct kstack *ks = __atomic_load_n(&last_hit, __ATOMIC_RELAXED);
	if (ks && addr >= (uintptr_t)ks->base && addr - (uintptr_t)ks->base < ks->size)
		return ks;
	for (ks = __atomic_load_n(&kstacks, __ATOMIC_ACQUIRE); ks; ks = ks->next)
		if (addr >= (uintptr_t)ks->base && addr - (uintptr_t)ks->base < ks->size)
			return ks;
	return NULL;
}

/*
 * Backs the page at va with a page from src; 0 (also when it was backed
 * meanwhile) or -ENOMEM.
 */
static int commit_page(uintptr_t va, const struct vm_table_src *src)
{
	uint64_t *pte = vm_stack_pte(va, src);
	if (!pte)
		return -ENOMEM;
	if (__atomic_load_n(pte, __ATOMIC_RELAXED) & PTE_P)
		return 0;
	void *page = src->alloc();
	if (!page)
		return -ENOMEM;
	uint64_t empty = 0;
	if (!__atomic_compare_exchange_n(pte, &empty, (uintptr_t)page | STACK_PTE, 0,
	                                 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		src->release(page); /* a fault backed it between our check and here */
		return 0;
	}
	count_committed(1);
	return 0;
}

int kstack_fault(uintptr_t addr, uint64_t error)
{
	if (addr < VM_STACK_BASE || addr >= VM_STACK_END || (error & (PF_PRESENT | PF_FETCH)))
		return -EFAULT;
	if (in_fault) {
		/* this fault reused the handler's stack: the outer one cannot go on */
		kprintf("\ntoro: panic: page fault inside the stack page-fault handler\n");
		return -EFAULT;
	}
	in_fault = 1;
	const struct kstack *ks = stack_holding(addr);
	int err = ks ? commit_page(PAGE_ALIGN_DOWN(addr), &from_reserve) : -EFAULT;
	if (err == -ENOMEM)
		kprintf("\ntoro: panic: out of memory for stack page in thread '%s' "
		        "(0x%lx, %lu KiB stack, %lu pages backed)\n",
		        ks->owner, addr, ks->size >> 10, committed);
	if (ks)
		__atomic_store_n(&last_hit, ks, __ATOMIC_RELAXED);
	if (err == 0 && !pmem_busy())
		reserve_fill();
	in_fault = 0;
	return err;
}

/* First fit: the address for `need` bytes, and where to link it. */
static uintptr_t region_find(size_t need, struct kstack ***link)
{
	uintptr_t at = VM_STACK_BASE;
	struct kstack **pp = &kstacks;
	for (; *pp; pp = &(*pp)->next) {
		if ((*pp)->resv - at >= need)
			break;
		at = (*pp)->resv + (*pp)->resv_size;
	}
	*link = pp;
	return VM_STACK_END - at >= need ? at : 0;
}

/*
 * Frees every page and page table of ks, then its addresses.  In that
 * order: while the pages go, the stack stays linked so that no new stack
 * can take its addresses, but with size 0 the fault handler no longer backs
 * pages in it.
 */
static void stack_destroy(struct kstack *ks)
{
	unsigned long f = irq_save();
	struct kstack **pp = &kstacks;
	while (*pp && *pp != ks)
		pp = &(*pp)->next;
	KASSERT(*pp == ks);
	__atomic_store_n(&ks->size, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&last_hit, NULL, __ATOMIC_RELAXED);
	irq_restore(f);
	size_t pages = 0;
	for (uintptr_t va = ks->resv; va < ks->resv + ks->resv_size; va += LARGE)
		pages += vm_stack_release(va);
	count_committed(-(long)pages);
	f = irq_save();
	for (pp = &kstacks; *pp != ks; pp = &(*pp)->next)
		;
	__atomic_store_n(pp, ks->next, __ATOMIC_RELEASE);
	irq_restore(f);
}

int kstack_alloc(struct kstack *ks, size_t size, size_t commit, const char *owner)
{
	size = PAGE_ALIGN_UP(size);
	commit = PAGE_ALIGN_UP(commit);
	if (!size || size > (1UL << 36) || commit > size)
		return -ENOMEM;
	size_t need = (size + GUARD_MIN + RESV_ALIGN - 1) & ~(RESV_ALIGN - 1);
	reserve_fill();
	struct kstack **link;
	unsigned long f = irq_save();
	uintptr_t at = region_find(need, &link);
	if (at) {
		ks->resv = at;
		ks->resv_size = need;
		ks->base = (void *)(at + need - size);
		ks->size = size;
		ks->owner = owner;
		ks->next = *link;
		__atomic_store_n(link, ks, __ATOMIC_RELEASE); /* complete before visible */
	}
	irq_restore(f);
	if (!at)
		return -ENOMEM;
	uintptr_t top = (uintptr_t)ks->base + size;
	for (uintptr_t va = top - PAGE_SIZE; va >= top - commit && va < top; va -= PAGE_SIZE) {
		if (commit_page(va, &from_pmem) < 0) {
			stack_destroy(ks);
			return -ENOMEM;
		}
	}
	return 0;
}

void kstack_free(struct kstack *ks)
{
	stack_destroy(ks);
}

const struct kstack *kstack_find(uintptr_t addr)
{
	return stack_holding(addr);
}

const struct kstack *kstack_find_guard(uintptr_t addr)
{
	for (const struct kstack *ks = kstacks; ks; ks = ks->next)
		if (addr >= ks->resv && addr < (uintptr_t)ks->base)
			return ks;
	return NULL;
}

/* Backs the untouched pages of [va, end), in a live stack, from the top down. */
static int commit_range(uintptr_t va, uintptr_t end)
{
	reserve_fill();
	for (uintptr_t p = PAGE_ALIGN_UP(end) - PAGE_SIZE; p + PAGE_SIZE > va; p -= PAGE_SIZE) {
		int err = commit_page(p, &from_pmem);
		if (err < 0)
			return err;
	}
	return 0;
}

static uint64_t stack_pte(uintptr_t va)
{
	uint64_t *pte = vm_stack_pte(va, NULL);
	return pte ? __atomic_load_n(pte, __ATOMIC_RELAXED) : 0;
}

long vm_virt_to_phys(uintptr_t va, size_t len, uint64_t *pa)
{
	if (vm_is_identity(va, len)) {
		*pa = va;
		return (long)len;
	}
	if (!len || va < VM_STACK_BASE || len > VM_STACK_END - va)
		return -EFAULT;
	uintptr_t end = va + len;
	const struct kstack *ks = stack_holding(va);
	if (!ks || end - (uintptr_t)ks->base > ks->size)
		return -EFAULT;
	uint64_t pte = stack_pte(va);
	if (!(pte & PTE_P)) {
		/*
		 * Back the whole run of untouched pages at once, top page first:
		 * pmem hands out pages downwards, so the run then usually comes
		 * out physically contiguous, one descriptor for the device.
		 */
		uintptr_t run = PAGE_ALIGN_DOWN(va) + PAGE_SIZE;
		while (run < end && !(stack_pte(run) & PTE_P))
			run += PAGE_SIZE;
		int err = commit_range(va, run < end ? run : end);
		if (err < 0)
			return err;
		pte = stack_pte(va);
	}
	uint64_t first = pte & PTE_ADDR;
	*pa = first + (va & (PAGE_SIZE - 1));
	uintptr_t next = PAGE_ALIGN_DOWN(va) + PAGE_SIZE;
	while (next < end) {
		uint64_t e = stack_pte(next);
		if (!(e & PTE_P) || (e & PTE_ADDR) != first + (next - PAGE_ALIGN_DOWN(va)))
			break;
		next += PAGE_SIZE;
	}
	return (long)((next < end ? next : end) - va);
}

size_t kstack_committed_pages(void)
{
	return committed;
}

size_t kstack_committed_peak(void)
{
	return committed_peak;
}
