/*
 * Interrupts: vectors, handlers, the local APIC timer, the IOAPIC and MSI.
 *
 * Vectors 0x30..0xef are handed out by irq_alloc_vector(); the LAPIC timer
 * uses IRQ_VECTOR_TIMER.  Handlers run with interrupts disabled on the
 * interrupted thread's stack; they may wake threads (ksem_post, waitq_wake_*),
 * and the scheduler runs, if needed, when the handler returns.
 *
 * Usage for a device:
 *   int v = irq_alloc_vector(my_handler, dev);
 *   ioapic_route(gsi, v, IRQ_EDGE);           // legacy/microvm line, or
 *   msi_compose(v, &addr, &data);             // program an MSI-X entry
 */
#ifndef KERNEL_IRQ_H
#define KERNEL_IRQ_H

#include <stdint.h>

#define IRQ_VECTOR_FIRST_DEVICE 0x30
#define IRQ_VECTOR_LAST_DEVICE	0xef
#define IRQ_VECTOR_TIMER	0xf0
#define IRQ_VECTOR_SPURIOUS	0xff

typedef void (*irq_handler_fn)(void *arg);

/* Sets up the PIC (masked), the LAPIC and the IOAPIC; 0 or -ENODEV. */
int irq_init(void);
/* A free vector bound to fn(arg); returns it, or -ENOSPC. */
int irq_alloc_vector(irq_handler_fn fn, void *arg);

/* Disables interrupts and returns whether they were enabled. */
static inline unsigned long irq_save(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq; popq %0; cli" : "=r"(flags) : : "memory");
	return flags & 0x200;
}

static inline void irq_restore(unsigned long was_enabled)
{
	if (was_enabled)
		__asm__ volatile("sti" : : : "memory");
}

static inline int irq_enabled(void)
{
	unsigned long flags;
	__asm__ volatile("pushfq; popq %0" : "=r"(flags));
	return (flags & 0x200) != 0;
}

#define IRQ_EDGE	 0
#define IRQ_LEVEL_LOW	 1 /* level-triggered, active low (PCI INTx) */
#define IRQ_LEVEL_HIGH	 2 /* level-triggered, active high (microvm virtio-mmio) */

/* Routes IOAPIC input gsi to vector on CPU 0; 0 or -EINVAL. */
int ioapic_route(unsigned gsi, int vector, int mode);
/* The MSI address/data pair that delivers vector to CPU 0. */
void msi_compose(int vector, uint64_t *addr, uint32_t *data);

/* The LAPIC timer: fire IRQ_VECTOR_TIMER at deadline (TSC ticks); 0 stops it. */
void lapic_timer_arm(uint64_t tsc_deadline);
void lapic_eoi(void);

#endif
