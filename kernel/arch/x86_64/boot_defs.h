/* Constants shared by the boot assembly files (no C here). */
#ifndef TORO_BOOT_DEFS_H
#define TORO_BOOT_DEFS_H

#define BOOT_PROTO_PVH 1

/*
 * The ELF note a PVH loader (QEMU -kernel, Firecracker, Cloud Hypervisor)
 * takes the 32-bit entry point from: XEN_ELFNOTE_PHYS32_ENTRY (18).
 */
#define PVH_ENTRY_NOTE(entry)                                                                      \
	.pushsection .note.pvh, "a", @note;                                                        \
	.balign 4;                                                                                 \
	.long 4; /* namesz: "Xen\0" */                                                             \
	.long 4; /* descsz */                                                                      \
	.long 18;                                                                                  \
	.asciz "Xen";                                                                              \
	.long entry;                                                                               \
	.popsection

#define BOOT_CS64 0x08
#define BOOT_DS	  0x10

#define BOOT_STACK_SIZE 16384

#define PTE_P  0x001
#define PTE_W  0x002
#define PTE_PS 0x080

#define CR0_PE 0x00000001
#define CR0_MP 0x00000002
#define CR0_EM 0x00000004
#define CR0_NE 0x00000020
#define CR0_WP 0x00010000
#define CR0_PG 0x80000000

#define CR4_PAE	       0x0020
#define CR4_OSFXSR     0x0200
#define CR4_OSXMMEXCPT 0x0400

#define MSR_EFER 0xc0000080
#define EFER_LME 0x0100
#define EFER_NXE 0x0800

#endif
