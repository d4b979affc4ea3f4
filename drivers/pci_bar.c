/*
 * PCI base address registers: decoding, mapping, and assigning the memory
 * BARs the firmware left at 0.  QEMU's qboot (q35 with -kernel) assigns
 * none, so the kernel places them itself in the 32-bit PCI hole: above RAM,
 * at or above 0xc0000000 (clear of q35's MMCONFIG at 0xb0000000), below the
 * IOAPIC at 0xfec00000, and above any BAR the firmware did assign.  Only
 * devices on bus 0 get BARs this way (a bridge's windows would have to be
 * programmed too).  I/O BARs (legacy virtio's registers) get ports the same
 * way, from 0xc000 up: below that are the ISA and chipset ports (q35's LPC,
 * ACPI PM block at 0x600, PCI configuration at 0xcf8).
 */
#include <errno.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include <drivers/pci.h>

#define PCI_HOLE_FLOOR 0xc0000000ULL
#define PCI_HOLE_END   0xfec00000ULL
#define PCI_HOLE_ALIGN (1ULL << 20)
#define PCI_ADDR_LIMIT (1ULL << 47) /* the identity map's reach */
#define PCI_IO_FLOOR   0xc000
#define PCI_IO_END     0x10000

/* Where the next assigned BAR may go; 0 until the hole is measured. */
static uint64_t hole_next;
/* The same for I/O BARs: 0 until the assigned ones are skipped. */
static uint64_t io_next;

static int bar_count(const struct pci_dev *d)
{
	if (d->header_type == PCI_HEADER_TYPE_NORMAL)
		return 6;
	return d->header_type == PCI_HEADER_TYPE_BRIDGE ? 2 : 0;
}

/* Writes all ones and reads the size mask back. */
static uint32_t bar_probe(const struct pci_dev *d, unsigned off, uint32_t orig)
{
	pci_cfg_write32(d, off, 0xffffffff);
	uint32_t mask = pci_cfg_read32(d, off);
	pci_cfg_write32(d, off, orig);
	return mask;
}

/* Sizes the BAR with decoding off, so that the all-ones address never decodes. */
static void bar_size(const struct pci_dev *d, unsigned off, uint32_t lo, uint32_t hi,
                     struct pci_bar *bar)
{
	uint16_t cmd = pci_cfg_read16(d, PCI_COMMAND);
	pci_cfg_write16(d, PCI_COMMAND, cmd & ~(PCI_COMMAND_IO | PCI_COMMAND_MEMORY));
	uint32_t m_lo = bar_probe(d, off, lo) & (bar->is_io ? PCI_BAR_IO_MASK : PCI_BAR_MEM_MASK32);
	uint32_t m_hi = bar->is_64 ? bar_probe(d, off + 4, hi) : 0xffffffff;
	pci_cfg_write16(d, PCI_COMMAND, cmd);
	if (!m_lo && (!bar->is_64 || !m_hi)) {
		bar->size = 0; /* not implemented: no address bit sticks */
		return;
	}
	if (bar->is_io)
		m_lo |= 0xffff0000; /* 16-bit ports: the top half may read 0 */
	bar->size = ~((uint64_t)m_hi << 32 | m_lo) + 1;
}

/* 1 if BAR n is the upper half of a 64-bit BAR (not a BAR of its own). */
static int bar_is_upper_half(const struct pci_dev *d, int n)
{
	int i = 0;
	while (i < n) {
		uint32_t v = pci_cfg_read32(d, PCI_BAR0 + 4 * (unsigned)i);
		int is_64 = !(v & PCI_BAR_IO) && (v & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_TYPE_64;
		if (is_64 && i + 1 == n)
			return 1;
		i += is_64 ? 2 : 1;
	}
	return 0;
}

/* Decodes BAR n whether or not it has an address; 0 or -EINVAL. */
static int bar_read(const struct pci_dev *d, int n, struct pci_bar *bar)
{
	if (n < 0 || n >= bar_count(d) || bar_is_upper_half(d, n))
		return -EINVAL;
	unsigned off = PCI_BAR0 + 4 * (unsigned)n;
	uint32_t lo = pci_cfg_read32(d, off), hi = 0;
	bar->is_io = lo & PCI_BAR_IO;
	bar->is_64 = !bar->is_io && (lo & PCI_BAR_MEM_TYPE) == PCI_BAR_MEM_TYPE_64;
	bar->prefetchable = !bar->is_io && (lo & PCI_BAR_PREFETCH);
	if (bar->is_64) {
		if (n + 1 >= bar_count(d))
			return -EINVAL;
		hi = pci_cfg_read32(d, off + 4);
	}
	bar_size(d, off, lo, hi, bar);
	if (bar->is_io)
		bar->base = lo & PCI_BAR_IO_MASK;
	else
		bar->base = (uint64_t)hi << 32 | (lo & PCI_BAR_MEM_MASK32);
	return 0;
}

int pci_bar_decode(const struct pci_dev *d, int n, struct pci_bar *bar)
{
	int err = bar_read(d, n, bar);
	if (err < 0)
		return err;
	return bar->size && bar->base ? 0 : -ENODEV;
}

static uint64_t ram_top_below_4g(void)
{
	uint64_t top = 0;
	for (int i = 0; i < boot_info.nr_ram; i++) {
		uint64_t end = boot_info.ram[i].base + boot_info.ram[i].size;
		if (boot_info.ram[i].base < (1ULL << 32) && end > top)
			top = end < (1ULL << 32) ? end : (1ULL << 32);
	}
	return top;
}

/* Moves *next above every assigned memory BAR of d inside the hole. */
static int hole_skip_assigned(const struct pci_dev *d, void *arg)
{
	uint64_t *next = arg;
	struct pci_bar bar;
	for (int n = 0; n < bar_count(d); n += bar.is_64 ? 2 : 1) {
		if (bar_read(d, n, &bar) < 0)
			break;
		uint64_t end = bar.base + bar.size;
		if (!bar.is_io && bar.base && bar.base < PCI_HOLE_END && end > *next)
			*next = end;
	}
	return 0;
}

/* Moves *next above every I/O BAR of d that has ports at or above the floor. */
static int io_skip_assigned(const struct pci_dev *d, void *arg)
{
	uint64_t *next = arg;
	struct pci_bar bar;
	for (int n = 0; n < bar_count(d); n += bar.is_64 ? 2 : 1) {
		if (bar_read(d, n, &bar) < 0)
			break;
		uint64_t end = bar.base + bar.size;
		if (bar.is_io && bar.base >= PCI_IO_FLOOR && end > *next)
			*next = end;
	}
	return 0;
}

static void hole_measure(void)
{
	uint64_t next = (ram_top_below_4g() + PCI_HOLE_ALIGN - 1) & ~(PCI_HOLE_ALIGN - 1);
	if (next < PCI_HOLE_FLOOR)
		next = PCI_HOLE_FLOOR;
	pci_enumerate(hole_skip_assigned, &next);
	hole_next = next;
}

/* Gives unassigned memory BAR n an address in the hole; 0 or -ENODEV. */
static int bar_assign(const struct pci_dev *d, int n, struct pci_bar *bar)
{
	if (bar->is_io || !bar->size || d->bus != 0)
		return -ENODEV;
	if (!hole_next)
		hole_measure();
	uint64_t align = bar->size > PAGE_SIZE ? bar->size : PAGE_SIZE; /* sizes are powers of 2 */
	uint64_t base = (hole_next + align - 1) & ~(align - 1);
	if (base >= PCI_HOLE_END || bar->size > PCI_HOLE_END - base) {
		kprintf("pci: %02x:%02x.%x: no room for BAR%d (%llu bytes)\n", d->bus, d->slot,
		        d->func, n, (unsigned long long)bar->size);
		return -ENODEV;
	}
	unsigned off = PCI_BAR0 + 4 * (unsigned)n;
	uint32_t flags = pci_cfg_read32(d, off) & ~PCI_BAR_MEM_MASK32;
	pci_cfg_write32(d, off, (uint32_t)base | flags);
	if (bar->is_64)
		pci_cfg_write32(d, off + 4, (uint32_t)(base >> 32));
	hole_next = base + bar->size;
	bar->base = base;
	return 0;
}

/* Gives unassigned I/O BAR n ports from PCI_IO_FLOOR up; 0 or -ENODEV. */
static int bar_assign_io(const struct pci_dev *d, int n, struct pci_bar *bar)
{
	if (!bar->size || d->bus != 0)
		return -ENODEV;
	if (!io_next) {
		io_next = PCI_IO_FLOOR;
		pci_enumerate(io_skip_assigned, &io_next);
	}
	uint64_t align = bar->size; /* a power of 2, at least 4 */
	uint64_t base = (io_next + align - 1) & ~(align - 1);
	if (base >= PCI_IO_END || bar->size > PCI_IO_END - base) {
		kprintf("pci: %02x:%02x.%x: no ports left for BAR%d (%llu bytes)\n", d->bus,
		        d->slot, d->func, n, (unsigned long long)bar->size);
		return -ENODEV;
	}
	unsigned off = PCI_BAR0 + 4 * (unsigned)n;
	uint32_t flags = pci_cfg_read32(d, off) & ~PCI_BAR_IO_MASK;
	pci_cfg_write32(d, off, (uint32_t)base | flags);
	io_next = base + bar->size;
	bar->base = base;
	return 0;
}

int pci_bar_io(const struct pci_dev *d, int n, uint16_t *port, uint32_t *size)
{
	struct pci_bar bar;
	int err = bar_read(d, n, &bar);
	if (err < 0)
		return err;
	if (!bar.is_io)
		return -EINVAL;
	if (!bar.base && (err = bar_assign_io(d, n, &bar)) < 0)
		return err;
	if (!bar.size || bar.base >= PCI_IO_END || bar.size > PCI_IO_END - bar.base)
		return -ENODEV;
	pci_cfg_write16(d, PCI_COMMAND, pci_cfg_read16(d, PCI_COMMAND) | PCI_COMMAND_IO);
	*port = (uint16_t)bar.base;
	*size = (uint32_t)bar.size;
	return 0;
}

int pci_bar_map(const struct pci_dev *d, int n, uint64_t offset, uint64_t len, volatile void **out)
{
	struct pci_bar bar;
	int err = bar_read(d, n, &bar);
	if (err < 0)
		return err;
	if (!bar.base && (err = bar_assign(d, n, &bar)) < 0)
		return err;
	if (bar.is_io || len > bar.size || offset > bar.size - len)
		return -EINVAL;
	uint64_t pa = bar.base + offset;
	if (pa >= PCI_ADDR_LIMIT || len > PCI_ADDR_LIMIT - pa)
		return -EINVAL;
	if (len && vm_map_mmio((uintptr_t)pa, (size_t)len) < 0)
		return -ENOMEM;
	pci_cfg_write16(d, PCI_COMMAND, pci_cfg_read16(d, PCI_COMMAND) | PCI_COMMAND_MEMORY);
	*out = (volatile void *)(uintptr_t)pa;
	return 0;
}
