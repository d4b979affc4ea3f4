/*
 * Page tables: RAM identity-mapped with W^X.  Text is read-only and
 * executable, rodata read-only, everything else read-write and never
 * executable; page 0 and every stack guard page are left unmapped.
 * 2 MiB pages where a whole aligned 2 MiB has the same rights, 4 KiB pages
 * elsewhere; a large page is split when part of it changes.
 */
#include <errno.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/panic.h>

#define PTE_P	 0x001ULL
#define PTE_W	 0x002ULL
#define PTE_PWT	 0x008ULL
#define PTE_PCD	 0x010ULL
#define PTE_PS	 0x080ULL
#define PTE_NX	 (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define LARGE	 (2UL << 20)

static uint64_t *pml4;
static int vm_live; /* the final tables are loaded: changes need invlpg */

static uint64_t prot_to_pte(int prot)
{
	uint64_t pte = PTE_P;
	if (prot & VM_WRITE)
		pte |= PTE_W;
	if (!(prot & VM_EXEC))
		pte |= PTE_NX;
	if (prot & VM_NOCACHE)
		pte |= PTE_PCD | PTE_PWT;
	return pte;
}

static unsigned idx(uintptr_t va, int level)
{
	return (va >> (12 + 9 * level)) & 511;
}

/* Replaces a 2 MiB mapping in *pde by a table of 512 equal 4 KiB entries. */
static int split_large(uint64_t *pde)
{
	uint64_t *pt = pmem_alloc_pages(1);
	if (!pt)
		return -ENOMEM;
	uint64_t base = *pde & PTE_ADDR & ~(LARGE - 1), flags = *pde & ~PTE_ADDR & ~PTE_PS;
	for (int i = 0; i < 512; i++)
		pt[i] = (base + (uint64_t)i * PAGE_SIZE) | flags;
	*pde = (uintptr_t)pt | PTE_P | PTE_W;
	return 0;
}

/*
 * Returns the table at `level` (2 = PDPT .. 0 = PT) covering va, creating
 * missing ones, splitting a large page on the way; NULL when out of memory.
 */
static uint64_t *walk(uintptr_t va, int level, int create)
{
	uint64_t *table = pml4;
	for (int l = 3; l > level; l--) {
		uint64_t *e = &table[idx(va, l)];
		if (!(*e & PTE_P)) {
			if (!create)
				return NULL;
			uint64_t *next = pmem_alloc_pages(1);
			if (!next)
				return NULL;
			*e = (uintptr_t)next | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			if (!create || l != 1 || split_large(e) < 0)
				return NULL;
		}
		table = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	}
	return table;
}

static void flush(uintptr_t va)
{
	if (vm_live)
		invlpg(va);
}

static int map_one(uintptr_t va, uint64_t pte, size_t left)
{
	if ((va & (LARGE - 1)) == 0 && left >= LARGE) {
		uint64_t *pd = walk(va, 1, 1);
		if (!pd)
			return -ENOMEM;
		uint64_t *e = &pd[idx(va, 1)];
		if (!(*e & PTE_P) || (*e & PTE_PS)) {
			*e = va | pte | PTE_PS;
			flush(va);
			return (int)(LARGE / PAGE_SIZE);
		}
	}
	uint64_t *pt = walk(va, 0, 1);
	if (!pt)
		return -ENOMEM;
	pt[idx(va, 0)] = va | pte;
	flush(va);
	return 1;
}

int vm_map(uintptr_t pa, size_t size, int prot)
{
	uint64_t pte = prot_to_pte(prot);
	uintptr_t va = PAGE_ALIGN_DOWN(pa), end = PAGE_ALIGN_UP(pa + size);
	int err = 0;
	unsigned long f = irq_save(); /* one CPU: interrupts off is the lock */
	while (va < end && err == 0) {
		int pages = map_one(va, pte, end - va);
		if (pages < 0)
			err = pages;
		else
			va += (uintptr_t)pages * PAGE_SIZE;
	}
	irq_restore(f);
	return err;
}

int vm_map_mmio(uintptr_t pa, size_t size)
{
	return vm_map(pa, size, VM_READ | VM_WRITE | VM_NOCACHE);
}

int vm_unmap(uintptr_t va, size_t size)
{
	int err = 0;
	unsigned long f = irq_save();
	for (uintptr_t p = PAGE_ALIGN_DOWN(va); p < PAGE_ALIGN_UP(va + size); p += PAGE_SIZE) {
		uint64_t *pt = walk(p, 0, 1);
		if (!pt) {
			err = -ENOMEM;
			break;
		}
		pt[idx(p, 0)] = 0;
		flush(p);
	}
	irq_restore(f);
	return err;
}

int vm_is_mapped(uintptr_t va)
{
	uint64_t *table = pml4;
	if (!table) /* before vm_init (a panic's backtrace): the boot tables map the low 4 GiB */
		return va < (1ULL << 32);
	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[idx(va, l)];
		if (!(e & PTE_P))
			return 0;
		if (l == 0 || (e & PTE_PS))
			return 1;
		table = (uint64_t *)(uintptr_t)(e & PTE_ADDR);
	}
	return 0;
}

int vm_init(const struct boot_info *bi)
{
	int err = -ENOMEM;
	pml4 = pmem_alloc_pages(1);
	if (!pml4)
		return -ENOMEM;
	for (int i = 0; i < bi->nr_ram; i++)
		if ((err = vm_map(bi->ram[i].base, bi->ram[i].size, VM_READ | VM_WRITE)) < 0)
			return err;
	uintptr_t text = (uintptr_t)__text_start, rodata = (uintptr_t)__rodata_start;
	if ((err = vm_map(text, (uintptr_t)__text_end - text, VM_READ | VM_EXEC)) < 0 ||
	    (err = vm_map(rodata, (uintptr_t)__rodata_end - rodata, VM_READ)) < 0 ||
	    (err = vm_unmap(0, PAGE_SIZE)) < 0)
		return err;
	write_cr3((uintptr_t)pml4);
	vm_live = 1;
	return 0;
}

static struct kstack *kstacks;

int kstack_alloc(struct kstack *ks, size_t size, const char *owner)
{
	size_t pages = PAGE_ALIGN_UP(size) / PAGE_SIZE + 1;
	char *p = pmem_alloc_pages(pages);
	if (!p)
		return -ENOMEM;
	if (vm_unmap((uintptr_t)p, PAGE_SIZE) < 0) {
		pmem_free_pages(p, pages);
		return -ENOMEM;
	}
	ks->base = p + PAGE_SIZE;
	ks->size = (pages - 1) * PAGE_SIZE;
	ks->owner = owner;
	unsigned long f = irq_save();
	ks->next = kstacks;
	kstacks = ks;
	irq_restore(f);
	return 0;
}

void kstack_free(struct kstack *ks)
{
	unsigned long f = irq_save();
	struct kstack **pp = &kstacks;
	while (*pp && *pp != ks)
		pp = &(*pp)->next;
	KASSERT(*pp == ks);
	*pp = ks->next;
	irq_restore(f);
	char *guard = (char *)ks->base - PAGE_SIZE;
	/* The guard page's table entry exists already, so remapping cannot fail. */
	int err = vm_map((uintptr_t)guard, PAGE_SIZE, VM_READ | VM_WRITE);
	KASSERT(err == 0);
	pmem_free_pages(guard, ks->size / PAGE_SIZE + 1);
}

const struct kstack *kstack_find_guard(uintptr_t addr)
{
	for (const struct kstack *ks = kstacks; ks; ks = ks->next) {
		uintptr_t guard = (uintptr_t)ks->base - PAGE_SIZE;
		if (addr >= guard && addr < (uintptr_t)ks->base)
			return ks;
	}
	return NULL;
}
