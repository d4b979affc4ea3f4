/*
 * Memory: physical pages and the kernel's page tables.
 *
 * RAM is identity-mapped (virtual == physical).  One contiguous "core" range
 * serves two clients from opposite ends: the program break (heap) grows up
 * from its bottom, page allocations come down from its top.
 *
 * Virtual memory map:
 *   0 .. top of RAM and devices      identity map (page 0 unmapped)
 *   VM_STACK_BASE .. VM_STACK_END    thread stacks, backed on demand: each
 *                                    stack is a reservation of never-mapped
 *                                    guard pages plus the stack; pages are
 *                                    committed on first touch (kstack.c)
 * No RAM or device is identity-mapped at or above VM_STACK_BASE.
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

/*
 * The stack region: the last 512 GiB (one top-level table entry) of the
 * lower canonical half, far above any guest-physical address QEMU uses.
 */
#define VM_STACK_BASE 0x7f8000000000ULL
#define VM_STACK_END  0x800000000000ULL

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
/* 1 while pmem's state is being changed (a stack page fault came in between). */
int pmem_busy(void);

/* Page protections for vm_map() */
#define VM_READ	 0x1
#define VM_WRITE 0x2
#define VM_EXEC	 0x4
#define VM_NOCACHE 0x8

/* Builds and loads the final page tables; 0 or -ENOMEM. */
int vm_init(const struct boot_info *bi);
/* Maps [pa, pa+size) at the same virtual address; 0, -EINVAL (stack region) or -ENOMEM. */
int vm_map(uintptr_t pa, size_t size, int prot);
/* Unmaps [va, va+size) (4 KiB granular); 0, -EINVAL (stack region) or -ENOMEM. */
int vm_unmap(uintptr_t va, size_t size);
/* Maps device registers uncached, read-write, never executable. */
int vm_map_mmio(uintptr_t pa, size_t size);
/* Returns 1 if va is mapped, 0 if not. */
int vm_is_mapped(uintptr_t va);

/* 1 if [va, va+len) is identity-mapped memory: its address is its own. */
static inline int vm_is_identity(uintptr_t va, size_t len)
{
	return va < VM_STACK_BASE && len <= VM_STACK_BASE - va;
}

/*
 * For a device: sets *pa to the guest-physical address of va and returns how
 * many bytes from va (at most len, at least 1) are physically contiguous.
 * Stack pages not yet touched are committed first (the device may write
 * them).  -EFAULT if [va, va+len) is neither identity-mapped nor inside a
 * live stack, -ENOMEM if a page cannot be committed.
 */
long vm_virt_to_phys(uintptr_t va, size_t len, uint64_t *pa);

/*
 * A thread stack in the stack region: guard pages (never mapped) and the
 * stack above them.  Only the top `commit` bytes are backed when it is
 * created; the page-fault handler backs the rest on first touch.
 */
struct kstack {
	void *base;       /* lowest usable byte (just above the guard pages) */
	size_t size;      /* usable bytes */
	uintptr_t resv;   /* the reservation: guard pages from here up to base */
	size_t resv_size; /* bytes of the reservation (guard + stack) */
	const char *owner;
	struct kstack *next; /* in the list of live stacks, by address */
};

/*
 * Reserves a stack of size bytes (rounded up to pages) and backs its top
 * `commit` bytes; 0 or -ENOMEM (no memory, or no room in the stack region).
 */
int kstack_alloc(struct kstack *ks, size_t size, size_t commit, const char *owner);
/* Frees the stack's pages and page tables; its addresses can be reused. */
void kstack_free(struct kstack *ks);
/* Returns the live stack whose usable range holds addr, or NULL. */
const struct kstack *kstack_find(uintptr_t addr);
/* Returns the stack whose guard pages hold addr, or NULL. */
const struct kstack *kstack_find_guard(uintptr_t addr);
/*
 * The #PF handler's part: backs the untouched stack page holding addr.  0
 * when done (resume); negative (after printing why, for an empty page
 * reserve or a fault inside this handler) when the fault is to be reported.
 */
int kstack_fault(uintptr_t addr, uint64_t error);
/* Stack pages backed now, and the most ever at once. */
size_t kstack_committed_pages(void);
size_t kstack_committed_peak(void);

#endif
