/*
 * Entry of a self-unpacking image (tools/toro-pack): the PVH note points
 * here.  The loader enters in 32-bit protected mode, paging off, %ebx =
 * struct hvm_start_info; unpack() decodes the real image and returns its
 * own PVH entry, which gets the same state: %ebx is callee-saved in the
 * i386 ABI, and nothing else is promised to it.
 */
#include "../boot_defs.h"

PVH_ENTRY_NOTE(pack_start32)

	.section .text.start, "ax"
	.code32
	.globl pack_start32
pack_start32:
	cli
	cld
	movl $pack_stack_top, %esp
	call unpack
	jmp *%eax

	.section .bss
	.balign 16
	.space 4096
pack_stack_top:
