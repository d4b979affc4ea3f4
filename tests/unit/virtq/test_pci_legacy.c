/*
 * unit.virtio-pci-legacy: the real legacy virtio-pci transport
 * (drivers/virtio/pci_legacy.c) with the real core (virtio.c) and rings
 * (ring.c), against a fake legacy device behind port I/O (legacy_shim/
 * kernel/cpu.h) and stubbed PCI functions, under ASan and UBSan.
 *
 * A good device must come up with 32 feature bits and no FEATURES_OK, its
 * queues at the device's own size, one page frame number each and the used
 * ring 4096-aligned, notifications on QUEUE_NOTIFY and INTx through ISR.  A
 * broken one (QUEUE_NUM 0, a size that is not a power of 2, no I/O BAR) must
 * be reported and left FAILED with nothing leaked, never crash.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <kernel/irq.h>
#include <drivers/pci.h>
#include <drivers/virtio.h>
#include <kernel/mm.h>
#include "check.h"
#include "ring.h"
#include "transport.h"

#define IO_BASE 0xc040
#define IO_SIZE 32 /* registers (20 bytes) and 12 bytes of configuration */
#define QUEUES  2

/* ---- the fake legacy device, on ports IO_BASE.. ------------------------------------ */

static struct {
	uint32_t host_features, guest_features;
	uint8_t status, isr;
	uint16_t sel;
	uint16_t num[QUEUES];
	uint32_t pfn[QUEUES];
	unsigned notified[QUEUES];
	uint8_t config[IO_SIZE - VIRTIO_PCI_LEGACY_CONFIG];
	int no_io_bar;
} fdev;

static void fake_reset(void)
{
	fdev.guest_features = 0;
	fdev.isr = 0;
	memset(fdev.pfn, 0, sizeof(fdev.pfn));
}

static unsigned reg(uint16_t port, unsigned width)
{
	unsigned off = (unsigned)(port - IO_BASE);
	CHECK(port >= IO_BASE && off + width <= IO_SIZE);
	return off;
}

uint32_t fake_port_in(uint16_t port, unsigned width)
{
	unsigned off = reg(port, width);
	uint32_t v = 0;
	switch (off) {
	case VIRTIO_PCI_LEGACY_HOST_FEATURES:
		return fdev.host_features;
	case VIRTIO_PCI_LEGACY_GUEST_FEATURES:
		return fdev.guest_features;
	case VIRTIO_PCI_LEGACY_QUEUE_PFN:
		return fdev.sel < QUEUES ? fdev.pfn[fdev.sel] : 0;
	case VIRTIO_PCI_LEGACY_QUEUE_NUM:
		return fdev.sel < QUEUES ? fdev.num[fdev.sel] : 0;
	case VIRTIO_PCI_LEGACY_QUEUE_SEL:
		return fdev.sel;
	case VIRTIO_PCI_LEGACY_STATUS:
		return fdev.status;
	case VIRTIO_PCI_LEGACY_ISR:
		v = fdev.isr;
		fdev.isr = 0; /* reading acknowledges */
		return v;
	}
	if (off >= VIRTIO_PCI_LEGACY_CONFIG)
		memcpy(&v, fdev.config + off - VIRTIO_PCI_LEGACY_CONFIG, width);
	return v;
}

void fake_port_out(uint16_t port, unsigned width, uint32_t v)
{
	unsigned off = reg(port, width);
	switch (off) {
	case VIRTIO_PCI_LEGACY_GUEST_FEATURES:
		fdev.guest_features = v;
		return;
	case VIRTIO_PCI_LEGACY_QUEUE_PFN:
		if (fdev.sel < QUEUES)
			fdev.pfn[fdev.sel] = v;
		return;
	case VIRTIO_PCI_LEGACY_QUEUE_SEL:
		fdev.sel = (uint16_t)v;
		return;
	case VIRTIO_PCI_LEGACY_QUEUE_NOTIFY:
		if (v < QUEUES)
			fdev.notified[v]++;
		return;
	case VIRTIO_PCI_LEGACY_STATUS:
		fdev.status = (uint8_t)v;
		if (!v)
			fake_reset();
		return;
	}
	CHECK(off >= VIRTIO_PCI_LEGACY_CONFIG); /* nothing else is writable */
}

/*
 * ---- pmem and kprintf shims -------------------------------------------------------------
 * Queue memory must have a 32-bit page frame number, as in the guest: the
 * pages come from this image's .bss (linked without PIE, so below 4 GiB),
 * not from the host heap far above.
 */

#define POOL_PAGES 64

static char pool[POOL_PAGES * PAGE_SIZE] __attribute__((aligned(PAGE_SIZE)));
static size_t pool_len[POOL_PAGES]; /* pages of the allocation starting here, or 0 */
static long outstanding;
static char log_text[4096];

void *pmem_alloc_pages(size_t n)
{
	for (size_t i = 0; i + n <= POOL_PAGES; i++) {
		size_t k = 0;
		while (k < n && !pool_len[i + k])
			k++;
		if (k == n) {
			pool_len[i] = n;
			for (k = 1; k < n; k++)
				pool_len[i + k] = (size_t)-1; /* taken, not a start */
			memset(pool + i * PAGE_SIZE, 0, n * PAGE_SIZE);
			outstanding += (long)n;
			return pool + i * PAGE_SIZE;
		}
	}
	return NULL;
}

void pmem_free_pages(void *p, size_t n)
{
	size_t i = (size_t)((char *)p - pool) / PAGE_SIZE;
	CHECK(i < POOL_PAGES && pool_len[i] == n);
	for (size_t k = 0; k < n && i + k < POOL_PAGES; k++)
		pool_len[i + k] = 0;
	outstanding -= (long)n;
}

static long fake_pages_outstanding(void)
{
	return outstanding;
}

void kprintf(const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(log_text);
	va_start(ap, fmt);
	vsnprintf(log_text + len, sizeof(log_text) - len, fmt, ap);
	va_end(ap);
	fputs(log_text + len, stderr);
}

static const char *fake_log(void)
{
	return log_text;
}

static void fake_log_reset(void)
{
	log_text[0] = '\0';
}

/* ---- stubs: PCI, interrupts, time, the other transports ----------------------------- */

struct irq_shim irq_shim = {.enabled = 1};
static irq_handler_fn intx_fn;
static void *intx_arg;

int pci_bar_io(const struct pci_dev *d, int n, uint16_t *port, uint32_t *size)
{
	if (fdev.no_io_bar || n != 0)
		return -ENODEV;
	*port = IO_BASE;
	*size = IO_SIZE;
	return 0;
}

int pci_msix_enable(const struct pci_dev *d, struct pci_msix *m)
{
	return -ENODEV;
}

int pci_msix_set(struct pci_msix *m, unsigned entry, int vector)
{
	return -EINVAL;
}

void pci_set_bus_master(const struct pci_dev *d)
{
}

int pci_intx_connect(const struct pci_dev *d, irq_handler_fn fn, void *arg)
{
	intx_fn = fn;
	intx_arg = arg;
	return 21;
}

uint8_t pci_cfg_read8(const struct pci_dev *d, unsigned off)
{
	return off == PCI_INTERRUPT_PIN ? 1 : 0;
}

int irq_alloc_vector(irq_handler_fn fn, void *arg)
{
	return IRQ_VECTOR_FIRST_DEVICE;
}

uint64_t time_monotonic_ns(void)
{
	static uint64_t t;
	return t += 1000;
}

void virtio_mmio_probe_all(void)
{
}

void virtio_pci_probe_all(void)
{
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/* ---- a driver for device ID 1 with two queues ------------------------------------------ */

static struct {
	struct virtio_dev *vdev;
	struct virtq *q[QUEUES];
	int err;
	unsigned callbacks;
} drv;

static void queue_done(struct virtq *vq, void *arg)
{
	drv.callbacks++;
}

static int tdrv_probe(struct virtio_dev *vdev)
{
	drv.vdev = vdev;
	for (unsigned i = 0; i < QUEUES; i++) {
		drv.err = virtio_queue_setup(vdev, i, 8, queue_done, NULL, &drv.q[i]);
		if (drv.err < 0)
			return drv.err;
	}
	return 0;
}

static const struct virtio_driver tdrv = {
    .name = "tdrv",
    .device_id = VIRTIO_ID_NET,
    .features = VIRTIO_BIT(5),
    .probe = tdrv_probe,
};
VIRTIO_DRIVER(tdrv);

/* A fresh device with queues of these sizes, added as 00:slot.0. */
static void add_device(unsigned slot, uint16_t num0, uint16_t num1)
{
	memset(&fdev, 0, sizeof(fdev));
	memset(&drv, 0, sizeof(drv));
	fdev.host_features = VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) | VIRTIO_BIT(24);
	fdev.num[0] = num0;
	fdev.num[1] = num1;
	fake_log_reset();
	struct pci_dev d = {.slot = (uint8_t)slot,
	                    .vendor_id = VIRTIO_PCI_VENDOR,
	                    .device_id = VIRTIO_PCI_DEVICE_TRANS_FIRST,
	                    .subsys_id = VIRTIO_ID_NET};
	virtio_pci_legacy_add(&d, VIRTIO_ID_NET);
}

/* ---- tests ------------------------------------------------------------------------------ */

static void test_good_device(void)
{
	add_device(1, 16, 32);
	struct virtio_dev *vdev = drv.vdev;
	CHECK(vdev != NULL);
	if (!vdev)
		return;
	CHECK(vdev->legacy);
	CHECK(vdev->driver == &tdrv);
	CHECK_EQ(vdev->features, VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX));
	CHECK_EQ(fdev.guest_features, VIRTIO_BIT(5) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX));
	CHECK_EQ(fdev.status, VIRTIO_STATUS_ACKNOWLEDGE | VIRTIO_STATUS_DRIVER |
	                          VIRTIO_STATUS_DRIVER_OK); /* no FEATURES_OK */
	CHECK(strstr(fake_log(), "(legacy): no MSI-X; INTx pin A on GSI 21") != NULL);
	/* The device's sizes, not the 8 asked for; one PFN; used ring 4096-aligned. */
	CHECK_EQ(virtq_size(drv.q[0]), 16);
	CHECK_EQ(virtq_size(drv.q[1]), 32);
	for (unsigned i = 0; i < QUEUES; i++) {
		CHECK_EQ(fdev.pfn[i], virtq_desc_addr(drv.q[i]) >> 12);
		CHECK_EQ(virtq_desc_addr(drv.q[i]) % 4096, 0);
		CHECK_EQ(virtq_used_addr(drv.q[i]) % 4096, 0);
		CHECK_EQ(virtq_used_addr(drv.q[i]) - virtq_desc_addr(drv.q[i]), 4096);
	}
	/* A kick reaches QUEUE_NOTIFY with the queue's index. */
	static char buf[64];
	struct virtq_buf b = {(uintptr_t)buf, sizeof(buf), VIRTQ_BUF_WRITE};
	CHECK_EQ(virtq_add_chain(drv.q[1], &b, 1, buf), 0);
	CHECK_EQ(virtq_kick(drv.q[1]), 0);
	CHECK_EQ(fdev.notified[1], 1);
	CHECK_EQ(fdev.notified[0], 0);
	/* INTx: ISR set runs the queues' callbacks and is cleared; ISR 0 is not ours. */
	CHECK(intx_fn != NULL);
	if (!intx_fn)
		return;
	fdev.isr = VIRTIO_ISR_QUEUE;
	intx_fn(intx_arg);
	CHECK_EQ(drv.callbacks, QUEUES);
	CHECK_EQ(fdev.isr, 0);
	intx_fn(intx_arg);
	CHECK_EQ(drv.callbacks, QUEUES);
}

/* The device is given up (FAILED, reported), and whatever it had is freed. */
static void check_given_up(const char *why, int err)
{
	CHECK(strstr(fake_log(), why) != NULL);
	CHECK(strstr(fake_log(), "driver tdrv failed") != NULL);
	CHECK_EQ(drv.err, err);
	CHECK_EQ(fdev.status, VIRTIO_STATUS_FAILED);
	CHECK_EQ(fdev.pfn[0], 0);
	CHECK_EQ(fdev.pfn[1], 0);
}

static void test_broken_devices(long pages)
{
	add_device(2, 0, 16); /* QUEUE_NUM 0: no such queue */
	check_given_up("virtio-pci 00:02.0 (legacy): driver tdrv failed (-2)", -ENOENT);
	CHECK_EQ(fake_pages_outstanding(), pages);

	add_device(3, 16, 100); /* not a power of 2: a ring we cannot build */
	check_given_up("queue size 100 is not a power of 2", -EIO);
	CHECK_EQ(fake_pages_outstanding(), pages);

	add_device(4, 16, 65535); /* larger than any split ring */
	check_given_up("queue size 65535 is not a power of 2", -EIO);
	CHECK_EQ(fake_pages_outstanding(), pages);

	memset(&fdev, 0, sizeof(fdev));
	fdev.no_io_bar = 1;
	fake_log_reset();
	struct pci_dev d = {.slot = 5};
	drv.vdev = NULL;
	virtio_pci_legacy_add(&d, VIRTIO_ID_NET);
	CHECK(strstr(fake_log(), "no usable I/O BAR0") != NULL);
	CHECK(drv.vdev == NULL); /* never got as far as the driver */
	CHECK_EQ(fake_pages_outstanding(), pages);
}

int main(void)
{
	test_good_device();
	test_broken_devices(fake_pages_outstanding());
	CHECK(irq_shim.enabled);
	return check_summary("virtio-pci-legacy");
}
