/*
 * Virtio devices for device drivers (virtio-net, virtio-fs, vsock, ...).
 *
 * At boot the virtio core finds devices on every transport (virtio-pci on
 * q35/pc, virtio-mmio from the "virtio_mmio.device=" words QEMU microvm puts
 * on the command line) and binds each to the driver registered for its
 * device ID.  A driver registers with VIRTIO_DRIVER():
 *
 *   static int mydev_probe(struct virtio_dev *vdev)
 *   {
 *           // features are negotiated: vdev->features
 *           virtio_config_read(vdev, 0, &cfg, sizeof(cfg));
 *           virtio_queue_setup(vdev, 0, 0, rx_done, st, &st->rxq);
 *           return 0;                    // the core then sets DRIVER_OK
 *   }
 *   static const struct virtio_driver mydev = {
 *           .name = "mydev", .device_id = VIRTIO_ID_NET,
 *           .features = VIRTIO_BIT(VIRTIO_NET_F_MAC), .probe = mydev_probe,
 *   };
 *   VIRTIO_DRIVER(mydev);
 *
 * The core does the status dance (virtio 1.2, 3.1.1): reset, ACKNOWLEDGE,
 * DRIVER, features, FEATURES_OK (checked), probe(), DRIVER_OK; FAILED if
 * anything fails.  A device with no driver is reported once and left alone.
 *
 * Drivers live in static libraries: a driver object is linked, and with it
 * this core, only when something references it (e.g. the network stack
 * calls into its driver), so images that do not use virtio carry none of it.
 *
 * probe() runs at boot with interrupts off and must not sleep; queue
 * callbacks and config_changed() run in interrupt context (see virtq.h).
 */
#ifndef DRIVERS_VIRTIO_H
#define DRIVERS_VIRTIO_H

#include <stdint.h>
#include <drivers/virtio_reg.h>
#include <drivers/virtq.h>

#define VIRTIO_BIT(bit) (1ULL << (bit))

/* Queues a device may have set up at once (queue indexes 0..15). */
#define VIRTIO_MAX_QUEUES 16

struct virtio_dev;
struct virtio_transport;

struct virtio_driver {
	const char *name;
	uint32_t device_id; /* VIRTIO_ID_* */
	/*
	 * Device-specific feature bits the driver understands, plus
	 * VIRTIO_F_INDIRECT_DESC if it wants indirect descriptor tables.  The
	 * core adds VIRTIO_F_VERSION_1, VIRTIO_F_EVENT_IDX and
	 * VIRTIO_F_ACCESS_PLATFORM itself.
	 */
	uint64_t features;
	/* Features are negotiated; set up queues.  0, or -ERRNO to fail. */
	int (*probe)(struct virtio_dev *vdev);
	/* Optional: the device changed its configuration (interrupt context). */
	void (*config_changed)(struct virtio_dev *vdev);
};

/* Registers drv (a struct virtio_driver) for devices of its ID. */
#define VIRTIO_DRIVER(drv)                                                                         \
	static const struct virtio_driver *const __virtio_driver_##drv                             \
	    __attribute__((used, section("toro_virtio_drivers"), aligned(8))) = &(drv)

struct virtio_dev {
	uint32_t id;                        /* device type, VIRTIO_ID_* */
	uint64_t features;                  /* negotiated feature bits */
	int legacy;                         /* pre-1.0: virtio-mmio version 1, legacy PCI */
	char name[40];                      /* where it is: "virtio-mmio@0xfeb00e00 irq 12" */
	const struct virtio_driver *driver; /* bound driver, or NULL */
	void *priv;                         /* the driver's own state */

	/* Private to the core and the transport */
	const struct virtio_transport *transport;
	struct virtq *vqs[VIRTIO_MAX_QUEUES];
	uint8_t status; /* last status written */
};

/* 1 if feature bit was negotiated. */
static inline int virtio_has_feature(const struct virtio_dev *vdev, unsigned bit)
{
	return bit < 64 && (vdev->features >> bit) & 1;
}

/*
 * Reads len bytes of device-specific configuration at offset, with accesses
 * of the field's width (len 1, 2, 4 or 8; other lengths go byte by byte), and
 * retries until the device's configuration generation is stable.  0, -EINVAL
 * (outside the configuration space) or -EIO (it never settled).
 */
int virtio_config_read(struct virtio_dev *vdev, unsigned offset, void *buf, unsigned len);
/* Writes device-specific configuration the same way; 0 or -EINVAL. */
int virtio_config_write(struct virtio_dev *vdev, unsigned offset, const void *buf, unsigned len);

/*
 * Sets up queue index with up to size descriptors (0: a default of 256),
 * fewer if the device allows fewer (legacy virtio-pci: always the device's
 * own size, which may be more); cb(vq, arg) runs in interrupt context
 * when the device used buffers (NULL: poll).  Sets *out and returns 0, or
 * -EINVAL (bad index), -EBUSY (already set up), -ENOENT (the device has no
 * such queue), -ENOMEM, or -EIO (the device refused it).
 */
int virtio_queue_setup(struct virtio_dev *vdev, unsigned index, unsigned size, virtq_callback_fn cb,
                       void *arg, struct virtq **out);

/*
 * Sets DRIVER_OK now rather than after probe() returns, for a driver that
 * must notify the device during probe (3.1.1: not before DRIVER_OK).
 */
void virtio_device_ready(struct virtio_dev *vdev);

#endif
