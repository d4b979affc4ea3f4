/*
 * Exception entry stubs.  Each pushes a dummy error code where the CPU does
 * not, then the vector, then all general registers, building a struct
 * trap_frame (kernel/include/kernel/trap.h) for trap_dispatch().
 */
#include "boot_defs.h"

	.section .text
	.code64

.macro ISR_NOERR n
	.globl isr\n
isr\n:
	pushq $0
	pushq $\n
	jmp isr_common
.endm

.macro ISR_ERR n
	.globl isr\n
isr\n:
	pushq $\n
	jmp isr_common
.endm

ISR_NOERR 0
ISR_NOERR 1
ISR_NOERR 2
ISR_NOERR 3
ISR_NOERR 4
ISR_NOERR 5
ISR_NOERR 6
ISR_NOERR 7
ISR_ERR 8
ISR_NOERR 9
ISR_ERR 10
ISR_ERR 11
ISR_ERR 12
ISR_ERR 13
ISR_ERR 14
ISR_NOERR 15
ISR_NOERR 16
ISR_ERR 17
ISR_NOERR 18
ISR_NOERR 19
ISR_NOERR 20
ISR_ERR 21
ISR_NOERR 22
ISR_NOERR 23
ISR_NOERR 24
ISR_NOERR 25
ISR_NOERR 26
ISR_NOERR 27
ISR_NOERR 28
ISR_ERR 29
ISR_ERR 30
ISR_NOERR 31

/*
 * Vectors 32..255 (device interrupts, the LAPIC timer, spurious): 16-byte
 * stubs, so vector v's stub is at irq_stubs + (v - 32) * 16.
 */
	.balign 16
	.globl irq_stubs
irq_stubs:
	.set vec, 32
	.rept 224
	.balign 16
	pushq $0
	pushq $vec
	jmp irq_common
	.set vec, vec + 1
	.endr

/*
 * Device interrupts arrive on the IST_IRQ stack (gdt_idt.c): the thread's
 * stack may end at an untouched page, and a page fault while the CPU pushes
 * the frame would lose the interrupt, which it has already acknowledged.
 * With the interrupt in hand, rebuild the frame where the CPU would have put
 * it (below the interrupted rsp, 16-byte aligned) and carry on there: a
 * fault on these pushes is an ordinary stack fault (#PF has its own IST).
 * Interrupts stay off, so nothing else uses the IST_IRQ stack meanwhile.
 */
irq_common:
	pushq %rcx
	movl $BOOT_DS, %ecx	/* the IST switch loaded a null SS; keep threads on ours */
	movl %ecx, %ss
	movq %rsp, %rcx		/* 0 rcx, 8 vector, 16 error, 24 rip, 32 cs, 40 rflags, 48 rsp, 56 ss */
	movq 48(%rcx), %rsp
	andq $-16, %rsp
	pushq 56(%rcx)
	pushq 48(%rcx)
	pushq 40(%rcx)
	pushq 32(%rcx)
	pushq 24(%rcx)
	pushq 16(%rcx)
	pushq 8(%rcx)
	movq (%rcx), %rcx
	jmp isr_common

isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	cld
	movq %rsp, %rdi
	/*
	 * Align the stack for C; %rbx keeps the frame across trap_dispatch(),
	 * which may switch threads and come back here much later.
	 */
	movq %rsp, %rbx
	andq $-16, %rsp
	call trap_dispatch
	movq %rbx, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp
	iretq

	.section .rodata
	.balign 8
	.globl isr_table
isr_table:
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad isr\n
	.endr
