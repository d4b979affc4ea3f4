/*
 * The legacy virtio-pci transport (virtio 0.9.5; virtio 1.2, 4.1.4 "Legacy
 * Interfaces: A Note on PCI Device Layout"): every register in I/O BAR0.
 * QEMU: -device virtio-net-pci,disable-modern=on,disable-legacy=off on q35.
 * pci.c hands over a transitional device (ID 0x1000-0x103f) that has no
 * virtio 1.x capabilities.
 *
 * Only 32 feature bits, no VIRTIO_F_VERSION_1 and no FEATURES_OK step
 * (vdev->legacy tells the core and the drivers).  QUEUE_NUM is read-only:
 * a queue has the device's size (fixed_queue_size), and one page frame
 * number tells the device where it is, so desc, avail and used sit in one
 * contiguous region with the used ring 4096-aligned, which is how ring.c
 * lays out every queue.
 *
 * Interrupts: with MSI-X, entry 0 signals configuration changes and entry 1
 * every queue (entry 0 everything if it is the only one); the device
 * configuration then moves from offset 20 to 24, which is why MSI-X is
 * enabled in setup, before anything reads it.  Without MSI-X, INTx
 * (pci_intx.c): a shared level-triggered line that reading ISR acknowledges.
 */
#include <errno.h>
#include <stddef.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <drivers/pci.h>
#include <drivers/virtio.h>
#include "ring.h"
#include "transport.h"

#define VLPCI_MAX_DEVICES 16

struct vlpci {
	struct virtio_dev vdev;
	struct pci_dev pci;
	uint16_t io;         /* BAR0's first port */
	uint16_t config_off; /* VIRTIO_PCI_LEGACY_CONFIG or _CONFIG_MSIX */
	uint32_t io_size;    /* BAR0's ports */
	struct pci_msix msix;
	int has_msix;
	uint16_t queue_entry; /* MSI-X entry the queues signal */
	int vector[2];        /* CPU vectors of entries 0 and 1, 0 until bound */
	int intx_gsi;         /* the INTx line, 0 until connected */
};

/* Devices are never freed: interrupt handlers may hold pointers to them. */
static struct vlpci vlpci_devs[VLPCI_MAX_DEVICES];
static int vlpci_count;

static struct vlpci *to_vlpci(struct virtio_dev *vdev)
{
	return (struct vlpci *)((char *)vdev - offsetof(struct vlpci, vdev));
}

static uint16_t port(struct vlpci *l, unsigned reg)
{
	return (uint16_t)(l->io + reg);
}

static uint8_t vlpci_get_status(struct virtio_dev *vdev)
{
	struct vlpci *l = to_vlpci(vdev);
	return inb(port(l, VIRTIO_PCI_LEGACY_STATUS));
}

static void vlpci_set_status(struct virtio_dev *vdev, uint8_t status)
{
	struct vlpci *l = to_vlpci(vdev);
	outb(port(l, VIRTIO_PCI_LEGACY_STATUS), status);
}

static uint64_t vlpci_get_features(struct virtio_dev *vdev)
{
	struct vlpci *l = to_vlpci(vdev);
	return inl(port(l, VIRTIO_PCI_LEGACY_HOST_FEATURES));
}

static void vlpci_set_features(struct virtio_dev *vdev, uint64_t f)
{
	struct vlpci *l = to_vlpci(vdev);
	outl(port(l, VIRTIO_PCI_LEGACY_GUEST_FEATURES), (uint32_t)f);
}

static unsigned vlpci_config_size(struct virtio_dev *vdev)
{
	struct vlpci *l = to_vlpci(vdev);
	return l->io_size > l->config_off ? l->io_size - l->config_off : 0;
}

static uint32_t vlpci_config_get(struct virtio_dev *vdev, unsigned off, unsigned width)
{
	struct vlpci *l = to_vlpci(vdev);
	uint16_t p = port(l, l->config_off + off);
	if (width == 4)
		return inl(p);
	return width == 2 ? inw(p) : inb(p);
}

static void vlpci_config_set(struct virtio_dev *vdev, unsigned off, unsigned width, uint32_t v)
{
	struct vlpci *l = to_vlpci(vdev);
	uint16_t p = port(l, l->config_off + off);
	if (width == 4)
		outl(p, v);
	else if (width == 2)
		outw(p, (uint16_t)v);
	else
		outb(p, (uint8_t)v);
}

static uint32_t vlpci_config_generation(struct virtio_dev *vdev)
{
	(void)vdev;
	return 0; /* legacy devices have no generation counter */
}

static unsigned vlpci_queue_max(struct virtio_dev *vdev, unsigned index)
{
	struct vlpci *l = to_vlpci(vdev);
	outw(port(l, VIRTIO_PCI_LEGACY_QUEUE_SEL), (uint16_t)index);
	if (inl(port(l, VIRTIO_PCI_LEGACY_QUEUE_PFN)))
		return 0; /* in use already: not a queue we may take */
	return inw(port(l, VIRTIO_PCI_LEGACY_QUEUE_NUM));
}

static void vlpci_notify(struct virtq *vq)
{
	struct vlpci *l = to_vlpci(vq->owner);
	outw(port(l, VIRTIO_PCI_LEGACY_QUEUE_NOTIFY), vq->index);
}

/* Writes MSI-X entry n to the vector register reg; -EIO if the device refuses. */
static int vector_assign(struct vlpci *l, unsigned reg, uint16_t n)
{
	outw(port(l, reg), n);
	if (inw(port(l, reg)) != n) {
		kprintf("virtio-pci: %s: no MSI-X vector for entry %u\n", l->vdev.name, n);
		return -EIO;
	}
	return 0;
}

static int vlpci_queue_enable(struct virtio_dev *vdev, struct virtq *vq)
{
	struct vlpci *l = to_vlpci(vdev);
	uint64_t pfn = virtq_desc_addr(vq) >> VIRTIO_PCI_LEGACY_PFN_SHIFT;
	outw(port(l, VIRTIO_PCI_LEGACY_QUEUE_SEL), vq->index);
	if (inw(port(l, VIRTIO_PCI_LEGACY_QUEUE_NUM)) != vq->size || !pfn || pfn > UINT32_MAX) {
		kprintf("virtio-pci: %s: queue %u changed size or is out of reach\n", vdev->name,
		        vq->index);
		return -EIO;
	}
	if (l->has_msix) {
		int err = vector_assign(l, VIRTIO_PCI_LEGACY_MSI_QUEUE, l->queue_entry);
		if (err < 0)
			return err;
	}
	vq->notify = vlpci_notify;
	outl(port(l, VIRTIO_PCI_LEGACY_QUEUE_PFN), (uint32_t)pfn); /* the queue is live */
	return 0;
}

/* MSI-X handlers, in interrupt context. */
static void vlpci_msix_config(void *arg)
{
	struct vlpci *l = arg;
	virtio_dev_config_interrupt(&l->vdev);
}

static void vlpci_msix_queues(void *arg)
{
	struct vlpci *l = arg;
	virtio_dev_interrupt(&l->vdev, VIRTIO_ISR_QUEUE);
}

static void vlpci_msix_all(void *arg)
{
	struct vlpci *l = arg;
	virtio_dev_interrupt(&l->vdev, VIRTIO_ISR_QUEUE | VIRTIO_ISR_CONFIG);
}

/* Points MSI-X entry n at a CPU vector running fn, the first time. */
static int entry_bind(struct vlpci *l, unsigned n, irq_handler_fn fn)
{
	if (l->vector[n])
		return 0;
	int v = irq_alloc_vector(fn, l);
	if (v < 0)
		return v;
	l->vector[n] = v;
	return pci_msix_set(&l->msix, n, v);
}

static int msix_setup(struct vlpci *l)
{
	int shared = l->msix.size < 2;
	int err = entry_bind(l, 0, shared ? vlpci_msix_all : vlpci_msix_config);
	if (err < 0)
		return err;
	if (!shared && (err = entry_bind(l, 1, vlpci_msix_queues)) < 0)
		return err;
	l->queue_entry = shared ? 0 : 1;
	return vector_assign(l, VIRTIO_PCI_LEGACY_MSI_CONFIG, 0);
}

/* INTx handler, in interrupt context: the line may be another device's. */
static void vlpci_intx(void *arg)
{
	struct vlpci *l = arg;
	uint8_t isr = inb(port(l, VIRTIO_PCI_LEGACY_ISR)); /* reading lowers the line */
	if (isr)
		virtio_dev_interrupt(&l->vdev, isr);
}

static int intx_setup(struct vlpci *l)
{
	if (l->intx_gsi)
		return 0;
	int gsi = pci_intx_connect(&l->pci, vlpci_intx, l);
	if (gsi < 0) {
		kprintf("virtio-pci: %s: no MSI-X and no INTx route (%d)\n", l->vdev.name, gsi);
		return gsi;
	}
	l->intx_gsi = gsi;
	kprintf("virtio-pci: %s: no MSI-X; INTx pin %c on GSI %d\n", l->vdev.name,
	        'A' + pci_cfg_read8(&l->pci, PCI_INTERRUPT_PIN) - 1, gsi);
	return 0;
}

static int vlpci_irq_setup(struct virtio_dev *vdev)
{
	struct vlpci *l = to_vlpci(vdev);
	pci_set_bus_master(&l->pci);
	return l->has_msix ? msix_setup(l) : intx_setup(l);
}

static int vlpci_setup(struct virtio_dev *vdev)
{
	struct vlpci *l = to_vlpci(vdev);
	int err = pci_bar_io(&l->pci, 0, &l->io, &l->io_size);
	if (err < 0 || l->io_size < VIRTIO_PCI_LEGACY_CONFIG) {
		kprintf("virtio-pci: %s: no usable I/O BAR0 (%d)\n", vdev->name, err);
		return err < 0 ? err : -ENODEV;
	}
	if (!l->has_msix)
		l->has_msix = pci_msix_enable(&l->pci, &l->msix) == 0;
	l->config_off = l->has_msix ? VIRTIO_PCI_LEGACY_CONFIG_MSIX : VIRTIO_PCI_LEGACY_CONFIG;
	return 0;
}

static const struct virtio_transport vlpci_transport = {
    .setup = vlpci_setup,
    .get_status = vlpci_get_status,
    .set_status = vlpci_set_status,
    .get_features = vlpci_get_features,
    .set_features = vlpci_set_features,
    .config_size = vlpci_config_size,
    .config_get = vlpci_config_get,
    .config_set = vlpci_config_set,
    .config_generation = vlpci_config_generation,
    .queue_max = vlpci_queue_max,
    .queue_enable = vlpci_queue_enable,
    .irq_setup = vlpci_irq_setup,
    .fixed_queue_size = 1,
};

void virtio_pci_legacy_add(const struct pci_dev *d, uint32_t id)
{
	if (vlpci_count == VLPCI_MAX_DEVICES) {
		kprintf("virtio-pci: more than %d legacy devices; %02x:%02x.%x ignored\n",
		        VLPCI_MAX_DEVICES, d->bus, d->slot, d->func);
		return;
	}
	struct vlpci *l = &vlpci_devs[vlpci_count++];
	l->pci = *d;
	l->vdev.id = id;
	l->vdev.legacy = 1;
	l->vdev.transport = &vlpci_transport;
	ksnprintf(l->vdev.name, sizeof(l->vdev.name), "virtio-pci %02x:%02x.%x (legacy)", d->bus,
	          d->slot, d->func);
	virtio_dev_add(&l->vdev);
}
