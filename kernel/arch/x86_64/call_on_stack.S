/*
 * void arch_call_on_stack(void *stack_top, void (*fn)(int, char **, char **),
 *                         int argc, char **argv, char **envp)
 * Switches to stack_top and calls fn(argc, argv, envp), which must not return.
 */
	.section .text
	.code64
	.globl arch_call_on_stack
arch_call_on_stack:
	movq %rdi, %rsp
	xorl %ebp, %ebp		/* ends the frame-pointer chain */
	movq %rsi, %rax
	movl %edx, %edi
	movq %rcx, %rsi
	movq %r8, %rdx
	pushq $0		/* fake return address: keeps the ABI's 16-byte alignment */
	jmp *%rax
