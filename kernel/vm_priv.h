/* Page-table details shared by vm.c and kstack.c. */
#ifndef KERNEL_VM_PRIV_H
#define KERNEL_VM_PRIV_H

#include <stddef.h>
#include <stdint.h>

#define PTE_P    0x001ULL
#define PTE_W    0x002ULL
#define PTE_PWT  0x008ULL
#define PTE_PCD  0x010ULL
#define PTE_PS   0x080ULL
#define PTE_NX   (1ULL << 63)
#define PTE_ADDR 0x000ffffffffff000ULL
#define LARGE    (2UL << 20)

/* Where a stack-region walk gets missing table pages (zeroed) and returns unused ones. */
struct vm_table_src {
	void *(*alloc)(void);
	void (*release)(void *page);
};

/*
 * The 4 KiB entry that maps va (in the stack region), creating missing
 * tables from src; NULL if a table is missing and src is NULL or empty.
 */
uint64_t *vm_stack_pte(uintptr_t va, const struct vm_table_src *src);
/*
 * Unmaps and frees every page of the 2 MiB at va (aligned) and the table
 * that mapped them; returns the pages freed, not counting the table.  Only
 * for a stack nobody can fault on any more.
 */
size_t vm_stack_release(uintptr_t va);

#endif
