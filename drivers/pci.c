/*
 * PCI configuration space (mechanism #1, I/O ports 0xcf8/0xcfc), bus
 * enumeration and capability lists (BARs: pci_bar.c).  QEMU: q35 and pc have it;
 * on microvm the ports float (read all ones) and enumeration finds nothing.
 */
#include <errno.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <drivers/pci.h>

#define PCI_MAX_SLOTS 32
#define PCI_MAX_FUNCS 8
#define PCI_MAX_BUSES 256
/* A capability list longer than this is looped (256 bytes / 4 per cap). */
#define PCI_MAX_CAPS 48

static uint32_t cfg_address(const struct pci_dev *d, unsigned off)
{
	return PCI_CONFIG_ENABLE | (uint32_t)d->bus << 16 | (uint32_t)(d->slot & 31) << 11 |
	       (uint32_t)(d->func & 7) << 8 | (off & 0xfc);
}

/*
 * Each access is an address write then a data access: interrupts stay off
 * in between so that a handler's own access cannot change the address.
 */
uint32_t pci_cfg_read32(const struct pci_dev *d, unsigned off)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	uint32_t v = inl(PCI_CONFIG_DATA);
	irq_restore(f);
	return v;
}

uint16_t pci_cfg_read16(const struct pci_dev *d, unsigned off)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	uint16_t v = inw((uint16_t)(PCI_CONFIG_DATA + (off & 2)));
	irq_restore(f);
	return v;
}

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	uint8_t v = inb((uint16_t)(PCI_CONFIG_DATA + (off & 3)));
	irq_restore(f);
	return v;
}

void pci_cfg_write32(const struct pci_dev *d, unsigned off, uint32_t v)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	outl(PCI_CONFIG_DATA, v);
	irq_restore(f);
}

void pci_cfg_write16(const struct pci_dev *d, unsigned off, uint16_t v)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	outw((uint16_t)(PCI_CONFIG_DATA + (off & 2)), v);
	irq_restore(f);
}

void pci_cfg_write8(const struct pci_dev *d, unsigned off, uint8_t v)
{
	unsigned long f = irq_save();
	outl(PCI_CONFIG_ADDRESS, cfg_address(d, off));
	outb((uint16_t)(PCI_CONFIG_DATA + (off & 3)), v);
	irq_restore(f);
}

/* Fills d from its header; 0, or -ENODEV if no function answers. */
static int dev_read(struct pci_dev *d)
{
	d->vendor_id = pci_cfg_read16(d, PCI_VENDOR_ID);
	if (d->vendor_id == PCI_VENDOR_NONE)
		return -ENODEV;
	d->device_id = pci_cfg_read16(d, PCI_DEVICE_ID);
	d->header_type = pci_cfg_read8(d, PCI_HEADER_TYPE) & PCI_HEADER_TYPE_MASK;
	d->class_code = pci_cfg_read8(d, PCI_CLASS);
	d->subclass = pci_cfg_read8(d, PCI_SUBCLASS);
	d->prog_if = pci_cfg_read8(d, PCI_PROG_IF);
	d->revision = pci_cfg_read8(d, PCI_REVISION_ID);
	d->subsys_vendor_id = d->subsys_id = 0;
	if (d->header_type == PCI_HEADER_TYPE_NORMAL) {
		d->subsys_vendor_id = pci_cfg_read16(d, PCI_SUBSYS_VENDOR);
		d->subsys_id = pci_cfg_read16(d, PCI_SUBSYS_ID);
	}
	return 0;
}

/*
 * Buses still to scan, breadth first: each is queued at most once.  On the
 * stack (~300 bytes), so that a callback may enumerate again.
 */
struct bus_queue {
	uint8_t seen[PCI_MAX_BUSES / 8];
	uint8_t bus[PCI_MAX_BUSES];
	unsigned head, tail;
};

static int bus_seen(struct bus_queue *q, unsigned bus)
{
	int seen = (q->seen[bus / 8] >> (bus % 8)) & 1;
	q->seen[bus / 8] |= (uint8_t)(1u << (bus % 8));
	return seen;
}

/* Queues the bus behind bridge d, unless it is unnumbered or queued already. */
static void bridge_queue(const struct pci_dev *d, struct bus_queue *q)
{
	if (d->header_type != PCI_HEADER_TYPE_BRIDGE)
		return;
	unsigned sec = pci_cfg_read8(d, PCI_SECONDARY_BUS);
	if (sec <= d->bus || bus_seen(q, sec)) /* firmware numbers buses upwards */
		return;
	q->bus[q->tail++] = (uint8_t)sec;
}

static int scan_function(struct pci_dev *d, struct bus_queue *q, pci_enum_fn fn, void *arg)
{
	if (dev_read(d) < 0)
		return 0;
	bridge_queue(d, q);
	return fn(d, arg);
}

static int scan_bus(unsigned bus, struct bus_queue *q, pci_enum_fn fn, void *arg)
{
	for (unsigned slot = 0; slot < PCI_MAX_SLOTS; slot++) {
		struct pci_dev d = {.bus = (uint8_t)bus, .slot = (uint8_t)slot};
		if (pci_cfg_read16(&d, PCI_VENDOR_ID) == PCI_VENDOR_NONE)
			continue;
		unsigned nfunc =
		    pci_cfg_read8(&d, PCI_HEADER_TYPE) & PCI_HEADER_MULTIFUNC ? PCI_MAX_FUNCS : 1;
		for (unsigned fn_no = 0; fn_no < nfunc; fn_no++) {
			d.func = (uint8_t)fn_no;
			int r = scan_function(&d, q, fn, arg);
			if (r)
				return r;
		}
	}
	return 0;
}

int pci_enumerate(pci_enum_fn fn, void *arg)
{
	struct bus_queue q = {.tail = 1}; /* bus[0] = 0 */
	bus_seen(&q, 0);
	while (q.head < q.tail) {
		int r = scan_bus(q.bus[q.head++], &q, fn, arg);
		if (r)
			return r;
	}
	return 0;
}

unsigned pci_cap_find(const struct pci_dev *d, uint8_t id, unsigned after)
{
	if (!(pci_cfg_read16(d, PCI_STATUS) & PCI_STATUS_CAP_LIST))
		return 0;
	unsigned off = after ? pci_cfg_read8(d, after + 1) : pci_cfg_read8(d, PCI_CAP_PTR);
	for (int i = 0; i < PCI_MAX_CAPS; i++) {
		off &= 0xfc;
		if (off < PCI_CAP_FIRST)
			return 0; /* 0 ends the list; below 0x40 is the header */
		if (pci_cfg_read8(d, off) == id)
			return off;
		off = pci_cfg_read8(d, off + 1);
	}
	return 0;
}

void pci_set_bus_master(const struct pci_dev *d)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);
	cmd |= PCI_COMMAND_MEMORY | PCI_COMMAND_MASTER | PCI_COMMAND_INTX_DISABLE;
	pci_cfg_write16(d, PCI_COMMAND, cmd);
}
