/*
 * The virtio device model: drivers registered by device ID, device
 * initialization and feature negotiation (virtio 1.2, 3.1.1), configuration
 * access and queue setup over whichever transport found the device.
 *
 * This file is linked only when a driver calls into it; its initcall then
 * scans both transports at boot.
 */
#include <errno.h>
#include <stddef.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/init.h>
#include <kernel/time.h>
#include <drivers/virtio.h>
#include "ring.h"
#include "transport.h"

#define RESET_TIMEOUT_NS   (1000ULL * 1000 * 1000)
#define CONFIG_RETRIES     16
#define DEFAULT_QUEUE_SIZE 256

/* Feature bits the core itself handles for every driver. */
#define CORE_FEATURES                                                                              \
	(VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX) |                         \
	 VIRTIO_BIT(VIRTIO_F_ACCESS_PLATFORM)) /* no IOMMU: bus addresses are physical */

extern const struct virtio_driver *const __start_toro_virtio_drivers[];
extern const struct virtio_driver *const __stop_toro_virtio_drivers[];

static const struct virtio_driver *driver_find(uint32_t id)
{
	const struct virtio_driver *const *d;
	for (d = __start_toro_virtio_drivers; d < __stop_toro_virtio_drivers; d++)
		if ((*d)->device_id == id)
			return *d;
	return NULL;
}

static void status_add(struct virtio_dev *vdev, uint8_t bits)
{
	vdev->status |= bits;
	vdev->transport->set_status(vdev, vdev->status);
}

/* 2.4: write 0, then wait until the device reads back 0. */
static int dev_reset(struct virtio_dev *vdev)
{
	vdev->status = 0;
	vdev->transport->set_status(vdev, 0);
	uint64_t deadline = time_monotonic_ns() + RESET_TIMEOUT_NS;
	while (vdev->transport->get_status(vdev) != 0) {
		if (time_monotonic_ns() > deadline)
			return -EIO;
		cpu_relax();
	}
	return 0;
}

static int features_negotiate(struct virtio_dev *vdev, const struct virtio_driver *drv)
{
	uint64_t offered = vdev->transport->get_features(vdev);
	uint64_t f = offered & (drv->features | CORE_FEATURES);
	if (!vdev->legacy && !(f & VIRTIO_BIT(VIRTIO_F_VERSION_1))) {
		kprintf("virtio: %s does not offer VIRTIO_F_VERSION_1\n", vdev->name);
		return -ENODEV;
	}
	vdev->transport->set_features(vdev, f);
	vdev->features = f;
	if (vdev->legacy)
		return 0; /* legacy devices have no FEATURES_OK step */
	status_add(vdev, VIRTIO_STATUS_FEATURES_OK);
	if (!(vdev->transport->get_status(vdev) & VIRTIO_STATUS_FEATURES_OK)) {
		kprintf("virtio: %s refused features 0x%llx\n", vdev->name, (unsigned long long)f);
		return -ENODEV;
	}
	return 0;
}

/* Gives the device up: stop it, free its queues, tell it FAILED. */
static void dev_fail(struct virtio_dev *vdev)
{
	if (dev_reset(vdev) < 0) {
		/* It may still use the rings: keep their memory (leak it). */
		kprintf("virtio: %s does not reset; its queues stay allocated\n", vdev->name);
	} else {
		for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++) {
			if (vdev->vqs[i])
				virtq_destroy(vdev->vqs[i]);
			vdev->vqs[i] = NULL;
		}
	}
	status_add(vdev, VIRTIO_STATUS_FAILED);
	vdev->driver = NULL;
	vdev->features = 0;
}

static int dev_bind(struct virtio_dev *vdev, const struct virtio_driver *drv)
{
	int err = vdev->transport->setup ? vdev->transport->setup(vdev) : 0;
	if (err < 0)
		return err;
	if ((err = dev_reset(vdev)) < 0)
		return err;
	status_add(vdev, VIRTIO_STATUS_ACKNOWLEDGE);
	status_add(vdev, VIRTIO_STATUS_DRIVER);
	vdev->driver = drv;
	if ((err = features_negotiate(vdev, drv)) < 0)
		goto err_fail;
	if ((err = vdev->transport->irq_setup(vdev)) < 0)
		goto err_fail;
	if ((err = drv->probe(vdev)) < 0)
		goto err_fail;
	virtio_device_ready(vdev);
	return 0;

err_fail:
	dev_fail(vdev);
	return err;
}

void virtio_dev_add(struct virtio_dev *vdev)
{
	const struct virtio_driver *drv = driver_find(vdev->id);
	if (!drv) {
		kprintf("virtio: device id %u at %s has no driver\n", vdev->id, vdev->name);
		return;
	}
	int err = dev_bind(vdev, drv);
	if (err < 0)
		kprintf("virtio: %s: driver %s failed (%d)\n", vdev->name, drv->name, err);
	else
		kprintf("virtio: %s: driver %s, features 0x%llx\n", vdev->name, drv->name,
		        (unsigned long long)vdev->features);
}

void virtio_device_ready(struct virtio_dev *vdev)
{
	if (!(vdev->status & VIRTIO_STATUS_DRIVER_OK))
		status_add(vdev, VIRTIO_STATUS_DRIVER_OK);
}

static int config_in_range(struct virtio_dev *vdev, unsigned offset, unsigned len)
{
	unsigned size = vdev->transport->config_size(vdev);
	return len <= size && offset <= size - len;
}

/* Accesses of the field's own width (4.1.3.1, 4.2.2.2). */
static void config_copy_in(struct virtio_dev *vdev, unsigned off, uint8_t *buf, unsigned len)
{
	const struct virtio_transport *t = vdev->transport;
	uint32_t v;
	if (len == 1 || len == 2 || len == 4) {
		v = t->config_get(vdev, off, len);
		for (unsigned i = 0; i < len; i++)
			buf[i] = (uint8_t)(v >> (8 * i));
	} else if (len == 8) {
		config_copy_in(vdev, off, buf, 4);
		config_copy_in(vdev, off + 4, buf + 4, 4);
	} else {
		for (unsigned i = 0; i < len; i++)
			buf[i] = (uint8_t)t->config_get(vdev, off + i, 1);
	}
}

int virtio_config_read(struct virtio_dev *vdev, unsigned offset, void *buf, unsigned len)
{
	if (!config_in_range(vdev, offset, len))
		return -EINVAL;
	for (int i = 0; i < CONFIG_RETRIES; i++) {
		uint32_t gen = vdev->transport->config_generation(vdev);
		config_copy_in(vdev, offset, buf, len);
		if (vdev->transport->config_generation(vdev) == gen)
			return 0;
	}
	kprintf("virtio: %s: configuration keeps changing\n", vdev->name);
	return -EIO;
}

int virtio_config_write(struct virtio_dev *vdev, unsigned offset, const void *buf, unsigned len)
{
	const uint8_t *p = buf;
	if (!config_in_range(vdev, offset, len))
		return -EINVAL;
	if (len == 1 || len == 2 || len == 4) {
		uint32_t v = 0;
		for (unsigned i = 0; i < len; i++)
			v |= (uint32_t)p[i] << (8 * i);
		vdev->transport->config_set(vdev, offset, len, v);
		return 0;
	}
	for (unsigned i = 0; i < len; i++)
		vdev->transport->config_set(vdev, offset + i, 1, p[i]);
	return 0;
}

/*
 * The wanted size capped by the device's and rounded down to a power of 2,
 * or, when the transport cannot change it, the device's own (0 if unusable).
 */
static unsigned queue_size_pick(struct virtio_dev *vdev, unsigned want, unsigned max)
{
	if (vdev->transport->fixed_queue_size) {
		if (max > VIRTQ_SIZE_MAX || (max & (max - 1))) {
			kprintf("virtio: %s: queue size %u is not a power of 2 up to %u\n",
			        vdev->name, max, VIRTQ_SIZE_MAX);
			return 0;
		}
		return max;
	}
	unsigned size = want ? want : DEFAULT_QUEUE_SIZE;
	if (size > max)
		size = max;
	if (size > VIRTQ_SIZE_MAX)
		size = VIRTQ_SIZE_MAX;
	while (size & (size - 1))
		size &= size - 1;
	return size;
}

int virtio_queue_setup(struct virtio_dev *vdev, unsigned index, unsigned size, virtq_callback_fn cb,
                       void *arg, struct virtq **out)
{
	if (index >= VIRTIO_MAX_QUEUES)
		return -EINVAL;
	if (vdev->vqs[index])
		return -EBUSY;
	unsigned max = vdev->transport->queue_max(vdev, index);
	if (!max)
		return -ENOENT;
	unsigned opts = (virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX) ? VIRTQ_OPT_EVENT_IDX : 0) |
	                (virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC) ? VIRTQ_OPT_INDIRECT : 0);
	unsigned qsize = queue_size_pick(vdev, size, max);
	if (!qsize)
		return -EIO;
	struct virtq *vq;
	int err = virtq_create(&vq, index, qsize, opts);
	if (err < 0)
		return err;
	vq->callback = cb;
	vq->callback_arg = arg;
	vq->owner = vdev;
	vdev->vqs[index] = vq; /* before enabling: its interrupt may come at once */
	err = vdev->transport->queue_enable(vdev, vq);
	if (err < 0) {
		vdev->vqs[index] = NULL;
		virtq_destroy(vq);
		return err;
	}
	*out = vq;
	return 0;
}

void virtio_dev_config_interrupt(struct virtio_dev *vdev)
{
	if (vdev->driver && vdev->driver->config_changed)
		vdev->driver->config_changed(vdev);
}

void virtio_dev_interrupt(struct virtio_dev *vdev, uint32_t isr)
{
	if (isr & VIRTIO_ISR_QUEUE)
		for (unsigned i = 0; i < VIRTIO_MAX_QUEUES; i++)
			if (vdev->vqs[i])
				virtq_interrupt(vdev->vqs[i]);
	if (isr & VIRTIO_ISR_CONFIG)
		virtio_dev_config_interrupt(vdev);
}

static int virtio_init(void)
{
	virtio_mmio_probe_all();
	virtio_pci_probe_all();
	return 0;
}
TORO_INITCALL(virtio_init);
