/*
 * Host stand-in for kernel/include/kernel/irq.h: the same API, with the
 * interrupt flag kept in irq_shim.enabled instead of RFLAGS.IF (cli and sti
 * would fault in a user process).  A test checks that the code under test
 * left interrupts as it found them.
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#define IRQ_VECTOR_FIRST_DEVICE 0x30
#define IRQ_VECTOR_LAST_DEVICE	0xef
#define IRQ_VECTOR_TIMER	0xf0
#define IRQ_VECTOR_SPURIOUS	0xff

struct irq_shim {
	int enabled;	       /* the fake RFLAGS.IF; starts at 1 */
	unsigned long nr_save; /* irq_save() calls */
};
extern struct irq_shim irq_shim; /* in shim/cpu.c */

typedef void (*irq_handler_fn)(void *arg);

int irq_init(void);
int irq_alloc_vector(irq_handler_fn fn, void *arg);

static inline unsigned long irq_save(void)
{
	unsigned long was = irq_shim.enabled ? 0x200 : 0;
	irq_shim.enabled = 0;
	irq_shim.nr_save++;
	return was;
}

static inline void irq_restore(unsigned long was_enabled)
{
	if (was_enabled)
		irq_shim.enabled = 1;
}

static inline int irq_enabled(void)
{
	return irq_shim.enabled;
}

#define IRQ_EDGE       0
#define IRQ_LEVEL_LOW  1
#define IRQ_LEVEL_HIGH 2

int ioapic_route(unsigned gsi, int vector, int mode);
void msi_compose(int vector, uint64_t *addr, uint32_t *data);
void lapic_timer_arm(uint64_t tsc_deadline);
void lapic_eoi(void);

#endif
