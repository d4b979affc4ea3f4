/*
 * PCI: configuration space through I/O ports 0xcf8/0xcfc (QEMU pc and q35;
 * microvm has no PCI, so enumeration finds nothing there), enumeration,
 * BARs, capabilities and MSI-X.
 *
 * Usage for a driver:
 *   pci_enumerate(match, arg);                   // match(dev, arg) per function
 *   pci_bar_map(dev, bar, off, len, &regs);      // registers, uncached
 *   pci_set_bus_master(dev);                     // before it may DMA
 *   pci_msix_enable(dev, &msix);                 // all entries masked
 *   pci_msix_set(&msix, entry, irq_alloc_vector(handler, arg));
 *   // or, with no MSI-X: pci_intx_connect(dev, handler, arg);
 *
 * Config space is untrusted input like any device register: capability
 * walks are bounded and BAR ranges are checked before anything is mapped.
 */
#ifndef DRIVERS_PCI_H
#define DRIVERS_PCI_H

#include <stdint.h>
#include <kernel/irq.h>
#include <drivers/pci_reg.h>

/* One function, as enumeration found it. */
struct pci_dev {
	uint8_t bus, slot, func;
	uint8_t header_type; /* without PCI_HEADER_MULTIFUNC */
	uint16_t vendor_id, device_id;
	uint16_t subsys_vendor_id, subsys_id; /* 0 unless header type 0 */
	uint8_t class_code, subclass, prog_if, revision;
};

struct pci_bar {
	uint64_t base; /* physical address, or I/O port */
	uint64_t size; /* bytes */
	int is_io;
	int is_64;
	int prefetchable;
};

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off);
uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off);
uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off);
void pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v);
void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v);
void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v);

typedef int (*pci_enum_fn)(const struct pci_dev *d, void *arg);

/*
 * Calls fn(d, arg) for every function on bus 0 and on the buses behind its
 * bridges.  Stops at the first non-zero return and passes it on; returns 0
 * when every function was visited (also when there is no PCI at all).
 */
int pci_enumerate(pci_enum_fn fn, void *arg);

/*
 * Decodes base address register n (0-5; 0-1 on a bridge).  0, -EINVAL (no
 * such BAR, or n is the upper half of a 64-bit BAR) or -ENODEV (not
 * implemented, or left unassigned by the firmware).
 */
int pci_bar_decode(const struct pci_dev *d, int n, struct pci_bar *bar);

/*
 * Maps [offset, offset+len) of memory BAR n uncached, turns on the
 * function's memory decoding and sets *out to the registers.  A BAR the
 * firmware left at 0 gets an address first (bus 0 only; see pci_bar.c).  0, -EINVAL (an I/O BAR, or
 * the range leaves the BAR), -ENODEV (not implemented, or no room for it), -ENOMEM.
 */
int pci_bar_map(const struct pci_dev *d, int n, uint64_t offset, uint64_t len, volatile void **out);

/*
 * Decodes I/O BAR n, giving it ports first if the firmware left it at 0
 * (bus 0 only), and turns on the function's I/O decoding.  Sets *port and
 * *size; 0, -EINVAL (a memory BAR, or no such BAR) or -ENODEV (not
 * implemented, or no room for it).
 */
int pci_bar_io(const struct pci_dev *d, int n, uint16_t *port, uint32_t *size);

/*
 * Offset of the first capability with this id after the one at offset after
 * (0: from the start of the list), or 0 if there is none.
 */
unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after);

/* Turns on bus mastering and memory decoding (and turns INTx off). */
void pci_set_bus_master(const struct pci_dev *d);

/*
 * The IOAPIC input d's INTx pin reaches (pci_intx.c: QEMU q35 only, bus 0),
 * or -ENODEV (no pin) or -ENOTSUP (a chipset or bus we cannot route).
 */
int pci_intx_gsi(const struct pci_dev *d);
/*
 * Connects d's INTx pin to fn(arg) and turns INTx on: level-triggered and
 * shared, so fn runs on every interrupt of the line and must read (and so
 * acknowledge) its device's status.  After pci_set_bus_master(), which
 * turns INTx off.  Returns the GSI, or -ENODEV, -ENOTSUP (as pci_intx_gsi),
 * -ENOSPC or -EINVAL (no IOAPIC).
 */
int pci_intx_connect(const struct pci_dev *d, irq_handler_fn fn, void *arg);

/* MSI-X state of one function. */
struct pci_msix {
	struct pci_dev dev;
	volatile uint32_t *table; /* mapped table, size entries */
	unsigned size;            /* entries */
	unsigned cap;             /* capability offset */
};

/*
 * Maps the MSI-X table, masks every entry and enables MSI-X.  0, -ENODEV (no
 * MSI-X capability), -EINVAL (table outside its BAR) or -ENOMEM.
 */
int pci_msix_enable(const struct pci_dev *d, struct pci_msix *m);
/* Points entry at CPU vector (msi_compose) and unmasks it; 0 or -EINVAL. */
int pci_msix_set(struct pci_msix *m, unsigned entry, int vector);
void pci_msix_mask(struct pci_msix *m, unsigned entry);

#endif
