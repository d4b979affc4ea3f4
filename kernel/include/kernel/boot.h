/*
 * What the boot protocol hands the kernel, in a protocol-neutral form.
 * boot_pvh.c fills it from hvm_start_info; another protocol would add a
 * sibling file that fills the same struct.
 */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include <stddef.h>
#include <stdint.h>

#define BOOT_MAX_RANGES	 64
#define BOOT_CMDLINE_MAX 4096
#define BOOT_MAX_MODULES 4

struct mem_range {
	uint64_t base;
	uint64_t size;
};

struct boot_module {
	uint64_t base;
	uint64_t size;
};

struct boot_info {
	struct mem_range ram[BOOT_MAX_RANGES]; /* usable RAM, sorted, disjoint */
	int nr_ram;
	char cmdline[BOOT_CMDLINE_MAX]; /* copied out of guest memory */
	struct boot_module modules[BOOT_MAX_MODULES]; /* e.g. the initrd */
	int nr_modules;
	uint64_t rsdp;
};

extern struct boot_info boot_info;

/* Set by the 32-bit entry code. */
extern uint64_t boot_tsc_entry;
extern uint64_t boot_info_paddr;
extern uint64_t boot_proto;

/* Fills boot_info from the PVH start info at paddr; 0 or -EINVAL. */
int boot_pvh_parse(uint64_t paddr, struct boot_info *bi);

/*
 * Adds [base, base+size) to a sorted, disjoint range list, merging overlaps.
 * Returns 0, or -ENOSPC when the list is full.
 */
int mem_ranges_add(struct mem_range *r, int *n, int max, uint64_t base, uint64_t size);
/* Removes [base, base+size) from the list, splitting ranges; 0 or -ENOSPC. */
int mem_ranges_remove(struct mem_range *r, int *n, int max, uint64_t base, uint64_t size);

/* Image layout from the linker script. */
extern char __image_start[], __text_start[], __text_end[], __rodata_start[], __rodata_end[];
extern char __data_start[], __data_end[], __bss_start[], __image_end[];

/*
 * Provided by the libc layer: runs the application's main() with the argument
 * vector and environment the command line gave, and never returns.
 */
void toro_app_start(int argc, char **argv, char **envp) __attribute__((noreturn));

#endif
