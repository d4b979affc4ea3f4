/* CPU exceptions and interrupt vectors. */
#ifndef KERNEL_TRAP_H
#define KERNEL_TRAP_H

#include <stdint.h>

/* Built by isr.S on the stack; field order is push order reversed. */
struct trap_frame {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error;
	uint64_t rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};

/* The IST slot of device-interrupt vectors (see isr.S irq_common). */
#define TRAP_IST_IRQ 3

/* Loads the GDT, TSS (with the fault stack) and the IDT. */
void trap_init(void);
/* Called from isr.S. */
void trap_dispatch(struct trap_frame *f);

#endif
