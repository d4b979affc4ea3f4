/*
 * void arch_context_switch(uint64_t *save_rsp, uint64_t load_rsp)
 * Saves the callee-saved registers on the current stack, stores the stack
 * pointer in *save_rsp, switches to load_rsp and pops the next thread's.
 * The FPU/SSE state and FS base are switched in C (sched.c).
 */
	.section .text
	.code64
	.globl arch_context_switch
arch_context_switch:
	pushq %rbp
	pushq %rbx
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, (%rdi)
	movq %rsi, %rsp
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbx
	popq %rbp
	ret

/*
 * A new thread's first instruction: its initial stack (thread.c) holds six
 * zeroed registers and this address.  Ends the frame-pointer chain and calls
 * thread_start(), which never returns.
 */
	.globl arch_thread_entry
arch_thread_entry:
	xorl %ebp, %ebp
	andq $-16, %rsp
	call thread_start
	ud2
