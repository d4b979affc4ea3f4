/* Interrupt vectors: the handler table and dispatch from trap.c. */
#include <errno.h>
#include <stddef.h>
#include <kernel/irq.h>
#include <kernel/trap.h>
#include "sched_priv.h"

struct irq_slot {
	irq_handler_fn fn;
	void *arg;
};

static struct irq_slot slots[256];
extern char irq_stubs[];
void idt_set(int vector, uint64_t handler, int ist);
void sched_timer_interrupt(void);

void irq_install_stubs(void)
{
	for (int v = 32; v < 256; v++)
		idt_set(v, (uintptr_t)irq_stubs + (uint64_t)(v - 32) * 16, TRAP_IST_IRQ);
}

int irq_alloc_vector(irq_handler_fn fn, void *arg)
{
	unsigned long flags = irq_save();
	int found = -ENOSPC;
	for (int v = IRQ_VECTOR_FIRST_DEVICE; v <= IRQ_VECTOR_LAST_DEVICE; v++) {
		if (!slots[v].fn) {
			slots[v].fn = fn;
			slots[v].arg = arg;
			found = v;
			break;
		}
	}
	irq_restore(flags);
	return found;
}

/* Runs with interrupts off on the interrupted thread's stack. */
void irq_dispatch(struct trap_frame *f)
{
	int v = (int)f->vector;
	if (v == IRQ_VECTOR_SPURIOUS)
		return; /* no EOI for a spurious interrupt */
	if (v == IRQ_VECTOR_TIMER)
		sched_timer_interrupt();
	else if (slots[v].fn)
		slots[v].fn(slots[v].arg);
	lapic_eoi();
	if (cpu_this()->need_resched)
		schedule();
}
