/*
 * What a virtio transport (pci.c, mmio.c) provides to the core (virtio.c),
 * and what the core provides back.  Private to drivers/virtio.
 *
 * A transport finds its devices in its probe function, fills a struct
 * virtio_dev it owns for good (id, name, transport, legacy) and calls
 * virtio_dev_add(), which binds the device to its driver through the ops
 * below; a device no driver wants is only reported, never touched.  Its interrupt handlers call
 * virtio_dev_interrupt() (one line for everything, with the ISR bits) or virtq_interrupt() (a
 * vector per queue).
 */
#ifndef DRIVERS_VIRTIO_TRANSPORT_H
#define DRIVERS_VIRTIO_TRANSPORT_H

#include <stdint.h>
#include <drivers/virtio.h>

struct virtio_transport {
	/* Optional: map what the device needs, once a driver wants it. */
	int (*setup)(struct virtio_dev *vdev);
	uint8_t (*get_status)(struct virtio_dev *vdev);
	/* Writing 0 resets the device; the core then waits for a 0 read. */
	void (*set_status)(struct virtio_dev *vdev, uint8_t status);
	uint64_t (*get_features)(struct virtio_dev *vdev);
	void (*set_features)(struct virtio_dev *vdev, uint64_t features);
	/* Bytes of device-specific configuration. */
	unsigned (*config_size)(struct virtio_dev *vdev);
	/* One access of width 1, 2 or 4 bytes at off (checked by the core). */
	uint32_t (*config_get)(struct virtio_dev *vdev, unsigned off, unsigned width);
	void (*config_set)(struct virtio_dev *vdev, unsigned off, unsigned width, uint32_t v);
	/* Configuration generation; legacy devices return a constant. */
	uint32_t (*config_generation)(struct virtio_dev *vdev);
	/* Largest size of queue index, or 0 if the device has no such queue. */
	unsigned (*queue_max)(struct virtio_dev *vdev, unsigned index);
	/* Tells the device about vq, sets vq->notify, enables it; 0 or -EIO. */
	int (*queue_enable)(struct virtio_dev *vdev, struct virtq *vq);
	/* Before the driver's probe: connect the device's interrupts. */
	int (*irq_setup)(struct virtio_dev *vdev);
	/* 1 if a queue must have exactly queue_max() entries (legacy PCI). */
	int fixed_queue_size;
};

/* Binds vdev to the driver for its ID, or reports that there is none. */
void virtio_dev_add(struct virtio_dev *vdev);
/* A line interrupt: isr holds VIRTIO_ISR_QUEUE and/or VIRTIO_ISR_CONFIG. */
void virtio_dev_interrupt(struct virtio_dev *vdev, uint32_t isr);
/* The device's configuration changed. */
void virtio_dev_config_interrupt(struct virtio_dev *vdev);

/* The transports' boot-time scans, called once by the core. */
void virtio_mmio_probe_all(void);
void virtio_pci_probe_all(void);
/* pci.c found a device without virtio 1.x capabilities: pci_legacy.c takes it. */
struct pci_dev;
void virtio_pci_legacy_add(const struct pci_dev *d, uint32_t id);

#endif
