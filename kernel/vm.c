/*
 * Page tables: RAM identity-mapped with W^X.  Text is read-only and
 * executable, rodata read-only, everything else read-write and never
 * executable; page 0 is left unmapped.
 * 2 MiB pages where a whole aligned 2 MiB has the same rights, 4 KiB pages
 * elsewhere; a large page is split when part of it changes.
 *
 * The stack region (mm.h) has its own top-level entry, made here, and
 * 4 KiB pages only; kstack.c fills it through vm_stack_pte().
 */
#include <errno.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include "vm_priv.h"

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
	if (end < va || end > VM_STACK_BASE)
		return -EINVAL;       /* would alias stack pages (or wraps) */
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
	if (va + size < va || va + size > VM_STACK_BASE)
		return -EINVAL; /* stack pages go through kstack.c */
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
	uint64_t *stack_pdpt = pmem_alloc_pages(1);
	if (!pml4 || !stack_pdpt)
		return -ENOMEM;
	/* made once, so that stack-region walks never race on this entry */
	pml4[idx(VM_STACK_BASE, 3)] = (uintptr_t)stack_pdpt | PTE_P | PTE_W;
	for (int i = 0; i < bi->nr_ram; i++) {
		uint64_t b = bi->ram[i].base, e = b + bi->ram[i].size;
		if (e > VM_STACK_BASE) /* pmem does not use it either */
			e = VM_STACK_BASE;
		if (e > b && (err = vm_map(b, e - b, VM_READ | VM_WRITE)) < 0)
			return err;
	}
	uintptr_t text = (uintptr_t)__text_start, rodata = (uintptr_t)__rodata_start;
	if ((err = vm_map(text, (uintptr_t)__text_end - text, VM_READ | VM_EXEC)) < 0 ||
	    (err = vm_map(rodata, (uintptr_t)__rodata_end - rodata, VM_READ)) < 0 ||
	    (err = vm_unmap(0, PAGE_SIZE)) < 0)
		return err;
	write_cr3((uintptr_t)pml4);
	vm_live = 1;
	return 0;
}

/*
 * Stack-region walks.  They can be interrupted by the page-fault handler,
 * which walks (and fills) the same tables: a missing table is therefore
 * installed with one compare-and-exchange, and the loser of a race gives
 * its page back.  Tables are never freed while a stack they serve is live.
 */
uint64_t *vm_stack_pte(uintptr_t va, const struct vm_table_src *src)
{
	uint64_t *table = pml4;
	for (int l = 3; l > 0; l--) {
		uint64_t *e = &table[idx(va, l)];
		uint64_t v = __atomic_load_n(e, __ATOMIC_RELAXED);
		if (!(v & PTE_P)) {
			uint64_t *next = src ? src->alloc() : NULL;
			if (!next)
				return NULL;
			uint64_t old = 0;
			v = (uintptr_t)next | PTE_P | PTE_W;
			if (!__atomic_compare_exchange_n(e, &old, v, 0, __ATOMIC_SEQ_CST,
			                                 __ATOMIC_SEQ_CST)) {
				src->release(next);
				v = old;
			}
		}
		table = (uint64_t *)(uintptr_t)(v & PTE_ADDR);
	}
	return &table[idx(va, 0)];
}

size_t vm_stack_release(uintptr_t va)
{
	uint64_t *pdpt = (uint64_t *)(uintptr_t)(pml4[idx(va, 3)] & PTE_ADDR);
	uint64_t pde = pdpt[idx(va, 2)];
	if (!(pde & PTE_P))
		return 0;
	uint64_t *pd = (uint64_t *)(uintptr_t)(pde & PTE_ADDR), *e = &pd[idx(va, 1)];
	if (!(*e & PTE_P))
		return 0;
	uint64_t *pt = (uint64_t *)(uintptr_t)(*e & PTE_ADDR);
	size_t n = 0;
	for (int i = 0; i < 512; i++) {
		uint64_t pte = pt[i];
		if (!(pte & PTE_P))
			continue;
		pt[i] = 0;
		flush(va + (uintptr_t)i * PAGE_SIZE); /* before the page can be reused */
		pmem_free_pages((void *)(uintptr_t)(pte & PTE_ADDR), 1);
		n++;
	}
	*e = 0;
	flush(va); /* invlpg also drops cached upper-level entries */
	pmem_free_pages(pt, 1);
	return n;
}
