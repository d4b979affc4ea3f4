/*
 * Memory: physical pages and the kernel's page tables.
 *
 * RAM is identity-mapped (virtual == physical).  One contiguous "core" range
 * serves two clients from opposite ends: the program break (heap) grows up
 * from its bottom, page allocations come down from its top.
 *
 * Usage at boot:
 *   pmem_init(&boot_info);     // after boot_info is filled
 *   vm_init(&boot_info);       // switch to W^X tables, unmap page 0
 *   kstack_alloc(...);         // stacks with a guard page
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <stddef.h>
#include <stdint.h>
#include <kernel/boot.h>

#define PAGE_SIZE  4096UL
#define PAGE_SHIFT 12
#define PAGE_ALIGN_UP(x)   (((uintptr_t)(x) + PAGE_SIZE - 1) & ~(PAGE_SIZE - 1))
#define PAGE_ALIGN_DOWN(x) ((uintptr_t)(x) & ~(PAGE_SIZE - 1))

/* Takes the usable RAM, less the image and low memory; 0 or -ENOMEM. */
int pmem_init(const struct boot_info *bi);
/* n contiguous zeroed pages, or NULL. */
void *pmem_alloc_pages(size_t n);
void pmem_free_pages(void *p, size_t n);
/* Moves the program break by incr bytes; returns the old break or NULL. */
void *pmem_sbrk(intptr_t incr);
/* Bytes still free for the heap and page allocations together. */
size_t pmem_free_bytes(void);
size_t pmem_total_bytes(void);

/* Page protections for vm_map() */
#define VM_READ	 0x1
#define VM_WRITE 0x2
#define VM_EXEC	 0x4
#define VM_NOCACHE 0x8

/* Builds and loads the final page tables; 0 or -ENOMEM. */
int vm_init(const struct boot_info *bi);
/* Maps [pa, pa+size) at the same virtual address; 0 or -ENOMEM. */
int vm_map(uintptr_t pa, size_t size, int prot);
/* Removes the mapping of [va, va+size) (4 KiB granular); 0 or -ENOMEM. */
int vm_unmap(uintptr_t va, size_t size);
/* Maps device registers uncached, read-write, never executable. */
int vm_map_mmio(uintptr_t pa, size_t size);
/* Returns 1 if va is mapped, 0 if not. */
int vm_is_mapped(uintptr_t va);

/* A stack with an unmapped guard page below it. */
struct kstack {
	void *base;  /* lowest usable byte (just above the guard page) */
	size_t size; /* usable bytes */
	const char *owner;
	struct kstack *next; /* in the list of live stacks */
};

/* Allocates a stack of size bytes (rounded up to pages); 0 or -ENOMEM. */
int kstack_alloc(struct kstack *ks, size_t size, const char *owner);
void kstack_free(struct kstack *ks);
/* Returns the stack whose guard page holds addr, or NULL. */
const struct kstack *kstack_find_guard(uintptr_t addr);

#endif
