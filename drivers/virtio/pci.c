/*
 * The modern virtio-pci transport (virtio 1.2, 4.1), and the PCI scan that
 * finds virtio devices for it and for pci_legacy.c.
 * QEMU: -device virtio-net-pci[,disable-legacy=on] on q35 or pc (the default
 * transitional device has the 1.x capabilities too).  A transitional device
 * without them (disable-modern=on) goes to the legacy transport.
 *
 * Interrupts: MSI-X entry 0 signals configuration changes, entry 1 + q
 * signals queue q; when the device has fewer entries, the queues beyond
 * share its last one (and with a single entry, everything shares entry 0),
 * whose handler then polls each queue bound to it.  A device without MSI-X
 * (QEMU: vectors=0) interrupts through its INTx pin (pci_intx.c), a shared
 * level-triggered line that reading the ISR capability acknowledges.
 */
#include <errno.h>
#include <stddef.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <drivers/pci.h>
#include <drivers/virtio.h>
#include "ring.h"
#include "transport.h"

#define VPCI_MAX_DEVICES  16
#define VPCI_MAX_ENTRIES  (VIRTIO_MAX_QUEUES + 1)
#define VPCI_CONFIG_BIT   (1u << 31) /* in vpci_entry.sources */
#define VPCI_MAX_VND_CAPS 16         /* bound on the vendor capabilities we look at */

struct vpci;

/* One MSI-X entry in use, and what it signals. */
struct vpci_entry {
	struct vpci *dev;
	uint32_t sources; /* bit q: queue q; VPCI_CONFIG_BIT: configuration */
	int vector;       /* CPU vector, 0 until first used */
};

struct vpci {
	struct virtio_dev vdev;
	struct pci_dev pci;
	volatile uint8_t *common; /* 4.1.4.3 */
	volatile uint8_t *notify; /* 4.1.4.4 */
	volatile uint8_t *device; /* 4.1.4.6, or NULL */
	volatile uint8_t *isr;    /* 4.1.4.5, or NULL; needed for INTx only */
	uint32_t notify_len, notify_mult, device_len;
	struct pci_msix msix;
	unsigned nentries; /* MSI-X entries we may use; 0: INTx */
	int intx_gsi;      /* the INTx line, 0 until connected */
	struct vpci_entry entry[VPCI_MAX_ENTRIES];
};

/* Devices are never freed: interrupt handlers may hold pointers to them. */
static struct vpci vpci_devs[VPCI_MAX_DEVICES];
static int vpci_count;

static struct vpci *to_vpci(struct virtio_dev *vdev)
{
	return (struct vpci *)((char *)vdev - offsetof(struct vpci, vdev));
}

static uint8_t common_read8(struct vpci *p, unsigned off)
{
	return *(volatile uint8_t *)(p->common + off);
}

static uint16_t common_read16(struct vpci *p, unsigned off)
{
	return *(volatile uint16_t *)(p->common + off);
}

static uint32_t common_read32(struct vpci *p, unsigned off)
{
	return *(volatile uint32_t *)(p->common + off);
}

static void common_write8(struct vpci *p, unsigned off, uint8_t v)
{
	*(volatile uint8_t *)(p->common + off) = v;
}

static void common_write16(struct vpci *p, unsigned off, uint16_t v)
{
	*(volatile uint16_t *)(p->common + off) = v;
}

static void common_write32(struct vpci *p, unsigned off, uint32_t v)
{
	*(volatile uint32_t *)(p->common + off) = v;
}

/* 4.1.3.1: 64-bit fields are written as two 32-bit halves, low first. */
static void common_write64(struct vpci *p, unsigned off, uint64_t v)
{
	common_write32(p, off, (uint32_t)v);
	common_write32(p, off + 4, (uint32_t)(v >> 32));
}

static uint8_t vpci_get_status(struct virtio_dev *vdev)
{
	return common_read8(to_vpci(vdev), VIRTIO_PCI_COMMON_STATUS);
}

static void vpci_set_status(struct virtio_dev *vdev, uint8_t status)
{
	common_write8(to_vpci(vdev), VIRTIO_PCI_COMMON_STATUS, status);
}

static uint64_t vpci_get_features(struct virtio_dev *vdev)
{
	struct vpci *p = to_vpci(vdev);
	common_write32(p, VIRTIO_PCI_COMMON_DFSELECT, 0);
	uint64_t lo = common_read32(p, VIRTIO_PCI_COMMON_DF);
	common_write32(p, VIRTIO_PCI_COMMON_DFSELECT, 1);
	return (uint64_t)common_read32(p, VIRTIO_PCI_COMMON_DF) << 32 | lo;
}

static void vpci_set_features(struct virtio_dev *vdev, uint64_t f)
{
	struct vpci *p = to_vpci(vdev);
	common_write32(p, VIRTIO_PCI_COMMON_GFSELECT, 0);
	common_write32(p, VIRTIO_PCI_COMMON_GF, (uint32_t)f);
	common_write32(p, VIRTIO_PCI_COMMON_GFSELECT, 1);
	common_write32(p, VIRTIO_PCI_COMMON_GF, (uint32_t)(f >> 32));
}

static unsigned vpci_config_size(struct virtio_dev *vdev)
{
	return to_vpci(vdev)->device_len;
}

static uint32_t vpci_config_get(struct virtio_dev *vdev, unsigned off, unsigned width)
{
	volatile uint8_t *a = to_vpci(vdev)->device + off;
	if (width == 4)
		return *(volatile uint32_t *)a;
	return width == 2 ? *(volatile uint16_t *)a : *a;
}

static void vpci_config_set(struct virtio_dev *vdev, unsigned off, unsigned width, uint32_t v)
{
	volatile uint8_t *a = to_vpci(vdev)->device + off;
	if (width == 4)
		*(volatile uint32_t *)a = v;
	else if (width == 2)
		*(volatile uint16_t *)a = (uint16_t)v;
	else
		*a = (uint8_t)v;
}

static uint32_t vpci_config_generation(struct virtio_dev *vdev)
{
	return common_read8(to_vpci(vdev), VIRTIO_PCI_COMMON_CFGGEN);
}

static unsigned vpci_queue_max(struct virtio_dev *vdev, unsigned index)
{
	struct vpci *p = to_vpci(vdev);
	if (index >= common_read16(p, VIRTIO_PCI_COMMON_NUMQ))
		return 0;
	common_write16(p, VIRTIO_PCI_COMMON_Q_SELECT, (uint16_t)index);
	return common_read16(p, VIRTIO_PCI_COMMON_Q_SIZE);
}

/* Runs in interrupt context for one MSI-X entry. */
static void vpci_interrupt(void *arg)
{
	struct vpci_entry *e = arg;
	struct virtio_dev *vdev = &e->dev->vdev;
	for (unsigned q = 0; q < VIRTIO_MAX_QUEUES; q++)
		if ((e->sources & (1u << q)) && vdev->vqs[q])
			virtq_interrupt(vdev->vqs[q]);
	if (e->sources & VPCI_CONFIG_BIT)
		virtio_dev_config_interrupt(vdev);
}

/* Makes MSI-X entry n signal source too (first use: a CPU vector for it). */
static int entry_bind(struct vpci *p, unsigned n, uint32_t source)
{
	struct vpci_entry *e = &p->entry[n];
	if (!e->vector) {
		int v = irq_alloc_vector(vpci_interrupt, e);
		if (v < 0)
			return v;
		e->dev = p;
		e->vector = v;
		pci_msix_set(&p->msix, n, v);
	}
	e->sources |= source;
	return 0;
}

/* Writes entry n to the vector register at off; -EIO if the device refuses. */
static int vector_assign(struct vpci *p, unsigned off, unsigned n)
{
	common_write16(p, off, (uint16_t)n);
	if (common_read16(p, off) != n) {
		kprintf("virtio-pci: %s: no MSI-X vector for entry %u\n", p->vdev.name, n);
		return -EIO;
	}
	return 0;
}

static void vpci_notify(struct virtq *vq)
{
	*(volatile uint16_t *)vq->notify_addr = vq->index;
}

static int notify_setup(struct vpci *p, struct virtq *vq)
{
	uint64_t off = (uint64_t)common_read16(p, VIRTIO_PCI_COMMON_Q_NOFF) * p->notify_mult;
	if (p->notify_len < 2 || off > p->notify_len - 2) {
		kprintf("virtio-pci: %s: queue %u notifies outside its window\n", p->vdev.name,
		        vq->index);
		return -EIO;
	}
	vq->notify_addr = p->notify + off;
	vq->notify = vpci_notify;
	return 0;
}

/* Binds vq to its MSI-X entry: its own, or the last one, shared. */
static int queue_vector_setup(struct vpci *p, struct virtq *vq)
{
	unsigned n = 1u + vq->index < p->nentries ? 1u + vq->index : p->nentries - 1;
	int err = entry_bind(p, n, 1u << vq->index);
	if (err < 0)
		return err;
	return vector_assign(p, VIRTIO_PCI_COMMON_Q_MSIX, n);
}

static int vpci_queue_enable(struct virtio_dev *vdev, struct virtq *vq)
{
	struct vpci *p = to_vpci(vdev);
	common_write16(p, VIRTIO_PCI_COMMON_Q_SELECT, vq->index);
	common_write16(p, VIRTIO_PCI_COMMON_Q_SIZE, vq->size);
	int err = p->nentries ? queue_vector_setup(p, vq) : 0;
	if (err < 0)
		return err;
	if ((err = notify_setup(p, vq)) < 0)
		return err;
	common_write64(p, VIRTIO_PCI_COMMON_Q_DESCLO, virtq_desc_addr(vq));
	common_write64(p, VIRTIO_PCI_COMMON_Q_AVAILLO, virtq_avail_addr(vq));
	common_write64(p, VIRTIO_PCI_COMMON_Q_USEDLO, virtq_used_addr(vq));
	common_write16(p, VIRTIO_PCI_COMMON_Q_ENABLE, 1);
	return 0;
}

/* INTx handler, in interrupt context: the line may be another device's. */
static void vpci_intx(void *arg)
{
	struct vpci *p = arg;
	uint8_t isr = *p->isr; /* reading acknowledges and lowers the line (4.1.4.5.1) */
	if (isr)
		virtio_dev_interrupt(&p->vdev, isr);
}

static int intx_setup(struct vpci *p, int msix_err)
{
	p->nentries = 0;
	if (p->intx_gsi)
		return 0;
	if (msix_err != -ENODEV)
		kprintf("virtio-pci: %s: MSI-X unusable (%d); trying INTx\n", p->vdev.name,
		        msix_err);
	if (!p->isr) {
		kprintf("virtio-pci: %s: no MSI-X and no ISR capability\n", p->vdev.name);
		return -ENODEV;
	}
	int gsi = pci_intx_connect(&p->pci, vpci_intx, p);
	if (gsi < 0) {
		kprintf("virtio-pci: %s: no MSI-X and no INTx route (%d)\n", p->vdev.name, gsi);
		return gsi;
	}
	p->intx_gsi = gsi;
	kprintf("virtio-pci: %s: no MSI-X; INTx pin %c on GSI %d\n", p->vdev.name,
	        'A' + pci_cfg_read8(&p->pci, PCI_INTERRUPT_PIN) - 1, gsi);
	return 0;
}

static int vpci_irq_setup(struct virtio_dev *vdev)
{
	struct vpci *p = to_vpci(vdev);
	pci_set_bus_master(&p->pci);
	int err = pci_msix_enable(&p->pci, &p->msix);
	if (err < 0)
		return intx_setup(p, err);
	p->nentries = p->msix.size < VPCI_MAX_ENTRIES ? p->msix.size : VPCI_MAX_ENTRIES;
	if ((err = entry_bind(p, 0, VPCI_CONFIG_BIT)) < 0)
		return err;
	return vector_assign(p, VIRTIO_PCI_COMMON_MSIX, 0);
}

/* Maps the structure one capability describes, checking it fits its BAR. */
static volatile uint8_t *cap_map(struct vpci *p, unsigned off, uint32_t min_len, uint32_t *len)
{
	const struct pci_dev *d = &p->pci;
	uint8_t bar = pci_cfg_read8(d, off + offsetof(struct virtio_pci_cap, bar));
	uint32_t start = pci_cfg_read32(d, off + offsetof(struct virtio_pci_cap, offset));
	*len = pci_cfg_read32(d, off + offsetof(struct virtio_pci_cap, length));
	volatile void *va;
	if (*len < min_len || pci_bar_map(d, bar, start, *len, &va) < 0) {
		kprintf("virtio-pci: %s: capability at 0x%x is unusable\n", p->vdev.name, off);
		return NULL;
	}
	return (volatile uint8_t *)va;
}

/* Takes the first usable capability of each type (4.1.4). */
static void cap_use(struct vpci *p, unsigned off)
{
	const struct pci_dev *d = &p->pci;
	uint8_t type = pci_cfg_read8(d, off + offsetof(struct virtio_pci_cap, cfg_type));
	uint8_t cap_len = pci_cfg_read8(d, off + offsetof(struct virtio_pci_cap, cap_len));
	uint32_t len;
	if (cap_len < sizeof(struct virtio_pci_cap))
		return;
	if (type == VIRTIO_PCI_CAP_COMMON_CFG && !p->common) {
		p->common = cap_map(p, off, VIRTIO_PCI_COMMON_LEN, &len);
	} else if (type == VIRTIO_PCI_CAP_NOTIFY_CFG && !p->notify &&
	           cap_len >= VIRTIO_PCI_CAP_NOTIFY_MULT_OFF + 4) {
		p->notify_mult = pci_cfg_read32(d, off + VIRTIO_PCI_CAP_NOTIFY_MULT_OFF);
		p->notify = cap_map(p, off, 2, &p->notify_len);
	} else if (type == VIRTIO_PCI_CAP_DEVICE_CFG && !p->device) {
		p->device = cap_map(p, off, 0, &p->device_len);
	} else if (type == VIRTIO_PCI_CAP_ISR_CFG && !p->isr) {
		p->isr = cap_map(p, off, 1, &len);
	}
}

static int caps_find(struct vpci *p)
{
	unsigned off = 0;
	for (int i = 0; i < VPCI_MAX_VND_CAPS; i++) {
		off = pci_cap_find(&p->pci, PCI_CAP_ID_VNDR, off);
		if (!off)
			break;
		cap_use(p, off);
	}
	if (!p->device)
		p->device_len = 0;
	return p->common && p->notify ? 0 : -ENODEV;
}

static int vpci_setup(struct virtio_dev *vdev)
{
	if (caps_find(to_vpci(vdev)) < 0) {
		kprintf("virtio-pci: %s: no usable virtio 1.x capabilities\n", vdev->name);
		return -ENODEV;
	}
	return 0;
}

static const struct virtio_transport vpci_transport = {
    .setup = vpci_setup,
    .get_status = vpci_get_status,
    .set_status = vpci_set_status,
    .get_features = vpci_get_features,
    .set_features = vpci_set_features,
    .config_size = vpci_config_size,
    .config_get = vpci_config_get,
    .config_set = vpci_config_set,
    .config_generation = vpci_config_generation,
    .queue_max = vpci_queue_max,
    .queue_enable = vpci_queue_enable,
    .irq_setup = vpci_irq_setup,
};

/* The virtio device ID of a PCI function, or 0 if it is not virtio. */
static uint32_t vpci_device_id(const struct pci_dev *d)
{
	if (d->vendor_id != VIRTIO_PCI_VENDOR)
		return 0;
	if (d->device_id >= VIRTIO_PCI_DEVICE_MODERN_FIRST &&
	    d->device_id <= VIRTIO_PCI_DEVICE_MODERN_LAST)
		return d->device_id - VIRTIO_PCI_DEVICE_MODERN_FIRST;
	if (d->device_id >= VIRTIO_PCI_DEVICE_TRANS_FIRST &&
	    d->device_id <= VIRTIO_PCI_DEVICE_TRANS_LAST)
		return d->subsys_id;
	return 0;
}

/* 1 if d has a virtio 1.x common configuration capability (4.1.4.3). */
static int has_modern_caps(const struct pci_dev *d)
{
	unsigned off = 0;
	for (int i = 0; i < VPCI_MAX_VND_CAPS; i++) {
		off = pci_cap_find(d, PCI_CAP_ID_VNDR, off);
		if (!off)
			return 0;
		if (pci_cfg_read8(d, off + offsetof(struct virtio_pci_cap, cfg_type)) ==
		    VIRTIO_PCI_CAP_COMMON_CFG)
			return 1;
	}
	return 0;
}

static int vpci_found(const struct pci_dev *d, void *arg)
{
	uint32_t id = vpci_device_id(d);
	if (!id)
		return 0;
	if (d->device_id < VIRTIO_PCI_DEVICE_MODERN_FIRST && !has_modern_caps(d)) {
		virtio_pci_legacy_add(d, id); /* transitional, with the legacy interface only */
		return 0;
	}
	if (vpci_count == VPCI_MAX_DEVICES) {
		kprintf("virtio-pci: more than %d devices; %02x:%02x.%x ignored\n",
		        VPCI_MAX_DEVICES, d->bus, d->slot, d->func);
		return 0;
	}
	struct vpci *p = &vpci_devs[vpci_count];
	p->pci = *d;
	p->vdev.id = id;
	p->vdev.transport = &vpci_transport;
	ksnprintf(p->vdev.name, sizeof(p->vdev.name), "virtio-pci %02x:%02x.%x", d->bus, d->slot,
	          d->func);
	vpci_count++;
	virtio_dev_add(&p->vdev);
	return 0;
}

void virtio_pci_probe_all(void)
{
	pci_enumerate(vpci_found, NULL);
}
