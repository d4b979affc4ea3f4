/*
 * PCI INTx: a function's interrupt pin, for devices without MSI-X.
 *
 * Without ACPI there is no _PRT to say where a pin ends up, so the routing
 * is derived from the one chipset we run on, QEMU's q35 (host bridge
 * 8086:29c0), as hw/isa/lpc_ich9.c wires it:
 *
 *   - a bus-0 slot's pin drives one of eight PIRQ lines A-H:
 *       slots 0-24:  PIRQ E + (slot + pin) % 4   (QEMU's own choice)
 *       slots 25-31: PIRQ A + pin, from the D25IR-D31IR chipset registers
 *                    (reset value 0x3210; no firmware we boot changes them)
 *       slot 30:     PIRQ E + pin (the DMI-to-PCI bridge's fixed routing)
 *     where pin is 0 for INTA# ... 3 for INTD#;
 *   - in APIC mode PIRQ n is IOAPIC input 16 + n, never shared with
 *     another PIRQ (ich9_pirq_to_gsi).
 *
 * PCI_INTERRUPT_LINE does not help: qboot writes the PIC-mode IRQ there (10
 * or 11, by a formula of its own), which is the 8259 input the PIRQ may also
 * be steered to, not an IOAPIC input of its own.  Functions behind a bridge
 * would need the bridges' swizzle on top; they are refused.
 *
 * The line is level-triggered and shared: every handler on it runs on each
 * interrupt, reads its device's interrupt status (which acknowledges it and
 * lowers the line) and does nothing if its device did not interrupt.
 * QEMU's ACPI tables describe these inputs as active high, and its IOAPICs
 * (TCG and KVM alike) ignore the polarity bit; we follow the tables.
 */
#include <errno.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <drivers/pci.h>

#define Q35_VENDOR    0x8086
#define Q35_MCH       0x29c0
#define Q35_GSI_FIRST 16 /* PIRQ A in APIC mode */
#define Q35_PIRQS     8
#define INTX_SHARERS  8 /* handlers one line can hold */

struct intx_handler {
	irq_handler_fn fn;
	void *arg;
};

/* One IOAPIC input and the handlers of the functions sharing it. */
struct intx_line {
	int vector; /* CPU vector, 0 until first used */
	unsigned count;
	struct intx_handler h[INTX_SHARERS];
};

static struct intx_line lines[Q35_PIRQS];

static int is_q35(void)
{
	struct pci_dev host = {0};
	return pci_cfg_read16(&host, PCI_VENDOR_ID) == Q35_VENDOR &&
	       pci_cfg_read16(&host, PCI_DEVICE_ID) == Q35_MCH;
}

/* The PIRQ (0-7: A-H) that bus-0 slot's pin (0-3: INTA#-INTD#) drives on q35. */
static unsigned q35_pirq(unsigned slot, unsigned pin)
{
	if (slot == 30)
		return 4 + pin;
	if (slot >= 25)
		return pin;
	return 4 + (slot + pin) % 4;
}

int pci_intx_gsi(const struct pci_dev *d)
{
	if (d->header_type != PCI_HEADER_TYPE_NORMAL)
		return -ENODEV;
	unsigned pin = pci_cfg_read8(d, PCI_INTERRUPT_PIN);
	if (pin < 1 || pin > 4)
		return -ENODEV;
	if (d->bus != 0 || !is_q35())
		return -ENOTSUP;
	return Q35_GSI_FIRST + (int)q35_pirq(d->slot, pin - 1);
}

/* Runs in interrupt context: every function on the line looks at its device. */
static void intx_dispatch(void *arg)
{
	struct intx_line *l = arg;
	for (unsigned i = 0; i < l->count; i++)
		l->h[i].fn(l->h[i].arg);
}

/* Adds fn(arg) to line; the first handler routes the line. */
static int line_add(struct intx_line *l, int gsi, irq_handler_fn fn, void *arg)
{
	if (l->count == INTX_SHARERS)
		return -ENOSPC;
	if (!l->vector) {
		int v = irq_alloc_vector(intx_dispatch, l);
		if (v < 0)
			return v;
		l->vector = v;
	}
	unsigned long flags = irq_save(); /* the line may be live already */
	l->h[l->count++] = (struct intx_handler){fn, arg};
	irq_restore(flags);
	if (l->count > 1)
		return 0;
	int err = ioapic_route((unsigned)gsi, l->vector, IRQ_LEVEL_HIGH);
	if (err < 0)
		l->count = 0;
	return err;
}

int pci_intx_connect(const struct pci_dev *d, irq_handler_fn fn, void *arg)
{
	int gsi = pci_intx_gsi(d);
	if (gsi < 0)
		return gsi;
	int err = line_add(&lines[gsi - Q35_GSI_FIRST], gsi, fn, arg);
	if (err < 0)
		return err;
	pci_cfg_write16(d, PCI_COMMAND, pci_cfg_read16(d, PCI_COMMAND) & ~PCI_COMMAND_INTX_DISABLE);
	return gsi;
}
