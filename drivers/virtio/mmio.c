/*
 * The virtio-mmio transport (virtio 1.2, 4.2): version 2, and version 1
 * (legacy, 4.2.4) which QEMU's virtio-mmio still speaks by default.
 * QEMU: -M microvm,acpi=off -device virtio-net-device; microvm then appends
 * "virtio_mmio.device=512@0xfeb00e00:12" to the command line (mmio.h), and
 * only when ACPI is off, which is why tools/toro-run turns it off.
 *
 * One interrupt line per device, an IOAPIC input.  microvm describes it as
 * level-triggered, active high (its ACPI tables say so, and the device holds
 * the line up until InterruptACK), so the handler acknowledges the device
 * before the EOI.
 */
#include <errno.h>
#include <stddef.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <drivers/virtio.h>
#include "mmio.h"
#include "ring.h"
#include "transport.h"

struct vmmio {
	struct virtio_dev vdev;
	volatile uint8_t *regs;
	struct virtio_mmio_spec spec;
	int vector; /* CPU vector, 0 until bound */
};

/* Devices are never freed: interrupt handlers hold pointers to them. */
static struct vmmio vmmio_devs[VIRTIO_MMIO_MAX_DEVICES];

static struct vmmio *to_vmmio(struct virtio_dev *vdev)
{
	return (struct vmmio *)((char *)vdev - offsetof(struct vmmio, vdev));
}

static uint32_t reg_read(struct vmmio *m, unsigned reg)
{
	return *(volatile uint32_t *)(m->regs + reg);
}

static void reg_write(struct vmmio *m, unsigned reg, uint32_t v)
{
	*(volatile uint32_t *)(m->regs + reg) = v;
}

static uint8_t vmmio_get_status(struct virtio_dev *vdev)
{
	return (uint8_t)reg_read(to_vmmio(vdev), VIRTIO_MMIO_STATUS);
}

static void vmmio_set_status(struct virtio_dev *vdev, uint8_t status)
{
	reg_write(to_vmmio(vdev), VIRTIO_MMIO_STATUS, status);
}

static uint64_t vmmio_get_features(struct virtio_dev *vdev)
{
	struct vmmio *m = to_vmmio(vdev);
	reg_write(m, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 1);
	uint64_t hi = reg_read(m, VIRTIO_MMIO_DEVICE_FEATURES);
	reg_write(m, VIRTIO_MMIO_DEVICE_FEATURES_SEL, 0);
	return hi << 32 | reg_read(m, VIRTIO_MMIO_DEVICE_FEATURES);
}

static void vmmio_set_features(struct virtio_dev *vdev, uint64_t f)
{
	struct vmmio *m = to_vmmio(vdev);
	reg_write(m, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 1);
	reg_write(m, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)(f >> 32));
	reg_write(m, VIRTIO_MMIO_DRIVER_FEATURES_SEL, 0);
	reg_write(m, VIRTIO_MMIO_DRIVER_FEATURES, (uint32_t)f);
}

static unsigned vmmio_config_size(struct virtio_dev *vdev)
{
	return (unsigned)(to_vmmio(vdev)->spec.size - VIRTIO_MMIO_CONFIG);
}

static uint32_t vmmio_config_get(struct virtio_dev *vdev, unsigned off, unsigned width)
{
	volatile uint8_t *a = to_vmmio(vdev)->regs + VIRTIO_MMIO_CONFIG + off;
	if (width == 4)
		return *(volatile uint32_t *)a;
	return width == 2 ? *(volatile uint16_t *)a : *a;
}

static void vmmio_config_set(struct virtio_dev *vdev, unsigned off, unsigned width, uint32_t v)
{
	volatile uint8_t *a = to_vmmio(vdev)->regs + VIRTIO_MMIO_CONFIG + off;
	if (width == 4)
		*(volatile uint32_t *)a = v;
	else if (width == 2)
		*(volatile uint16_t *)a = (uint16_t)v;
	else
		*a = (uint8_t)v;
}

static uint32_t vmmio_config_generation(struct virtio_dev *vdev)
{
	if (vdev->legacy)
		return 0; /* version 1 has no generation counter */
	return reg_read(to_vmmio(vdev), VIRTIO_MMIO_CONFIG_GENERATION);
}

static unsigned vmmio_queue_max(struct virtio_dev *vdev, unsigned index)
{
	struct vmmio *m = to_vmmio(vdev);
	reg_write(m, VIRTIO_MMIO_QUEUE_SEL, index);
	unsigned in_use =
	    reg_read(m, vdev->legacy ? VIRTIO_MMIO_QUEUE_PFN : VIRTIO_MMIO_QUEUE_READY);
	return in_use ? 0 : reg_read(m, VIRTIO_MMIO_QUEUE_NUM_MAX);
}

static void vmmio_notify(struct virtq *vq)
{
	*(volatile uint32_t *)vq->notify_addr = vq->index;
}

/* 4.2.4: one page frame number for the whole (legacy-laid-out) queue. */
static int queue_enable_legacy(struct vmmio *m, struct virtq *vq)
{
	uint64_t pfn = virtq_desc_addr(vq) / VIRTQ_LEGACY_ALIGN;
	if (pfn > UINT32_MAX)
		return -EIO;
	reg_write(m, VIRTIO_MMIO_GUEST_PAGE_SIZE, VIRTQ_LEGACY_ALIGN);
	reg_write(m, VIRTIO_MMIO_QUEUE_ALIGN, VIRTQ_LEGACY_ALIGN);
	reg_write(m, VIRTIO_MMIO_QUEUE_PFN, (uint32_t)pfn);
	return 0;
}

static void write64(struct vmmio *m, unsigned lo_reg, uint64_t v)
{
	reg_write(m, lo_reg, (uint32_t)v);
	reg_write(m, lo_reg + 4, (uint32_t)(v >> 32));
}

static int queue_enable_modern(struct vmmio *m, struct virtq *vq)
{
	write64(m, VIRTIO_MMIO_QUEUE_DESC_LOW, virtq_desc_addr(vq));
	write64(m, VIRTIO_MMIO_QUEUE_AVAIL_LOW, virtq_avail_addr(vq));
	write64(m, VIRTIO_MMIO_QUEUE_USED_LOW, virtq_used_addr(vq));
	reg_write(m, VIRTIO_MMIO_QUEUE_READY, 1);
	return reg_read(m, VIRTIO_MMIO_QUEUE_READY) == 1 ? 0 : -EIO;
}

static int vmmio_queue_enable(struct virtio_dev *vdev, struct virtq *vq)
{
	struct vmmio *m = to_vmmio(vdev);
	reg_write(m, VIRTIO_MMIO_QUEUE_SEL, vq->index);
	reg_write(m, VIRTIO_MMIO_QUEUE_NUM, vq->size);
	vq->notify_addr = m->regs + VIRTIO_MMIO_QUEUE_NOTIFY;
	vq->notify = vmmio_notify;
	if (vdev->legacy)
		return queue_enable_legacy(m, vq);
	return queue_enable_modern(m, vq);
}

/* Runs in interrupt context. */
static void vmmio_interrupt(void *arg)
{
	struct vmmio *m = arg;
	uint32_t isr = reg_read(m, VIRTIO_MMIO_INTERRUPT_STATUS);
	/* Drops the level-triggered line before the EOI, or it fires again. */
	reg_write(m, VIRTIO_MMIO_INTERRUPT_ACK, isr);
	virtio_dev_interrupt(&m->vdev, isr);
}

static int vmmio_irq_setup(struct virtio_dev *vdev)
{
	struct vmmio *m = to_vmmio(vdev);
	if (!m->vector) {
		int v = irq_alloc_vector(vmmio_interrupt, m);
		if (v < 0)
			return v;
		m->vector = v;
	}
	int err = ioapic_route(m->spec.irq, m->vector, IRQ_LEVEL_HIGH);
	if (err < 0)
		kprintf("virtio-mmio: %s: irq %u is not an IOAPIC input here\n", vdev->name,
		        m->spec.irq);
	return err;
}

static const struct virtio_transport vmmio_transport = {
    .get_status = vmmio_get_status,
    .set_status = vmmio_set_status,
    .get_features = vmmio_get_features,
    .set_features = vmmio_set_features,
    .config_size = vmmio_config_size,
    .config_get = vmmio_config_get,
    .config_set = vmmio_config_set,
    .config_generation = vmmio_config_generation,
    .queue_max = vmmio_queue_max,
    .queue_enable = vmmio_queue_enable,
    .irq_setup = vmmio_irq_setup,
};

/* Maps and identifies one device; 0, or -ENODEV for an empty slot or junk. */
static int vmmio_identify(struct vmmio *m)
{
	if (vm_map_mmio((uintptr_t)m->spec.base, (size_t)m->spec.size) < 0)
		return -ENOMEM;
	m->regs = (volatile uint8_t *)(uintptr_t)m->spec.base;
	uint32_t magic = reg_read(m, VIRTIO_MMIO_MAGIC_VALUE);
	uint32_t version = reg_read(m, VIRTIO_MMIO_VERSION);
	if (magic != VIRTIO_MMIO_MAGIC || (version != 1 && version != 2)) {
		kprintf("virtio-mmio: no virtio device at 0x%llx (magic 0x%x, version %u)\n",
		        (unsigned long long)m->spec.base, magic, version);
		return -ENODEV;
	}
	m->vdev.id = reg_read(m, VIRTIO_MMIO_DEVICE_ID);
	m->vdev.legacy = version == 1;
	return m->vdev.id ? 0 : -ENODEV; /* ID 0: a transport with nothing behind it */
}

void virtio_mmio_probe_all(void)
{
	for (unsigned i = 0; i < virtio_mmio_nr_specs; i++) {
		struct vmmio *m = &vmmio_devs[i];
		m->spec = virtio_mmio_specs[i];
		m->vdev.transport = &vmmio_transport;
		ksnprintf(m->vdev.name, sizeof(m->vdev.name), "virtio-mmio@0x%llx irq %u",
		          (unsigned long long)m->spec.base, m->spec.irq);
		if (vmmio_identify(m) == 0)
			virtio_dev_add(&m->vdev);
	}
}
