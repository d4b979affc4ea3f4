/*
 * PVH boot entry (Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY), used by QEMU's
 * `-kernel` on microvm and q35, by Firecracker and Cloud Hypervisor.
 *
 * The loader enters pvh_start32 in 32-bit protected mode, paging off, flat
 * segments, with %ebx = physical address of struct hvm_start_info.  We switch
 * to long mode on boot page tables that identity-map the first 4 GiB with
 * 2 MiB pages, then continue in start64.S, which is shared with any other boot
 * protocol (a Multiboot2 entry would be a sibling of this file).
 */
#include "boot_defs.h"

PVH_ENTRY_NOTE(pvh_start32)

	.section .text.boot, "ax"
	.code32
	.globl pvh_start32
pvh_start32:
	cli
	cld
	/* The earliest timestamp we can take: the boot-time figure starts here. */
	rdtsc
	movl %eax, boot_tsc_entry
	movl %edx, boot_tsc_entry + 4
	movl %ebx, boot_info_paddr
	movl $BOOT_PROTO_PVH, boot_proto
	jmp boot32_to_long_mode

/*
 * Common 32-bit path to long mode; also usable by a Multiboot2 entry.
 * Clobbers everything but the boot_* variables.
 */
	.globl boot32_to_long_mode
boot32_to_long_mode:
	lgdt boot_gdt_desc
	movw $BOOT_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	movl $boot_stack_top, %esp

	/* PML4[0] -> PDPT, PDPT[0..3] -> four page directories of 2 MiB pages. */
	movl $boot_pdpt, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pml4
	xorl %ecx, %ecx
1:	movl %ecx, %eax
	shll $12, %eax
	addl $boot_pd, %eax
	orl $(PTE_P | PTE_W), %eax
	movl %eax, boot_pdpt(, %ecx, 8)
	incl %ecx
	cmpl $4, %ecx
	jne 1b
	xorl %ecx, %ecx
2:	movl %ecx, %eax
	shll $21, %eax
	orl $(PTE_P | PTE_W | PTE_PS), %eax
	movl %eax, boot_pd(, %ecx, 8)
	incl %ecx
	cmpl $2048, %ecx
	jne 2b

	movl %cr4, %eax
	orl $(CR4_PAE | CR4_OSFXSR | CR4_OSXMMEXCPT), %eax
	movl %eax, %cr4
	movl $boot_pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $(EFER_LME | EFER_NXE), %eax
	wrmsr
	movl %cr0, %eax
	andl $~CR0_EM, %eax
	orl $(CR0_PG | CR0_WP | CR0_MP | CR0_NE | CR0_PE), %eax
	movl %eax, %cr0
	ljmp $BOOT_CS64, $start64

	.section .rodata.boot, "a"
	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* BOOT_CS64: 64-bit code */
	.quad 0x00cf92000000ffff	/* BOOT_DS: flat data */
boot_gdt_end:
	.globl boot_gdt_desc
boot_gdt_desc:
	.word boot_gdt_end - boot_gdt - 1
	.quad boot_gdt

	.section .data.boot, "aw"
	.balign 8
	.globl boot_tsc_entry, boot_info_paddr, boot_proto
boot_tsc_entry:	.quad 0
boot_info_paddr:	.quad 0
boot_proto:	.quad 0

	.section .bss.boot, "aw", @nobits
	.balign 4096
boot_pml4:	.skip 4096
boot_pdpt:	.skip 4096
boot_pd:	.skip 4 * 4096
	.globl boot_stack_bottom, boot_stack_top
boot_stack_bottom:
	.skip BOOT_STACK_SIZE
boot_stack_top:
