/*
 * First 64-bit code, shared by every boot protocol.  Sets the data segments,
 * the boot stack and the stack-protector canary, then calls kernel_main().
 * Nothing here may use the canary before it is set: this file is assembly
 * and kernel_main() is compiled without the protector.
 */
#include "boot_defs.h"

	.section .text.boot, "ax"
	.code64
	.globl start64
start64:
	movw $BOOT_DS, %ax
	movw %ax, %ds
	movw %ax, %es
	movw %ax, %ss
	xorw %ax, %ax
	movw %ax, %fs
	movw %ax, %gs
	movabsq $boot_stack_top, %rsp
	xorl %ebp, %ebp
	fninit

	/* Canary: RDRAND if CPUID.1:ECX[30] says it exists, else the TSC. */
	movl $1, %eax
	cpuid
	btl $30, %ecx
	jnc 2f
	movl $16, %ecx
1:	rdrand %rax
	jc 3f
	loop 1b
2:	rdtsc
	shlq $32, %rdx
	orq %rdx, %rax
	movabsq $0x9e3779b97f4a7c15, %rdx
	imulq %rdx, %rax
3:	xorb %al, %al		/* a zero byte stops string overruns */
	movq %rax, __stack_chk_guard(%rip)

	call kernel_main
4:	cli
	hlt
	jmp 4b
