/*
 * virtio-mmio devices named on the kernel command line, the way Linux and
 * QEMU microvm spell them: virtio_mmio.device=SIZE@BASE:IRQ[:ID], e.g.
 * "virtio_mmio.device=512@0xfeb00e00:12".  SIZE takes a K, M or G suffix;
 * numbers are decimal or 0x-hex; ID (a Linux platform-device number) is
 * accepted and ignored.  Private to drivers/virtio.
 */
#ifndef DRIVERS_VIRTIO_MMIO_H
#define DRIVERS_VIRTIO_MMIO_H

#include <stdint.h>

#define VIRTIO_MMIO_MAX_DEVICES 32
#define VIRTIO_MMIO_SIZE_MAX    (1ULL << 20)
#define VIRTIO_MMIO_ALIGN       0x100        /* QEMU: 512-byte stride; Firecracker: 4 KiB */
#define VIRTIO_MMIO_ADDR_LIMIT  (1ULL << 47) /* the identity map's reach */
#define VIRTIO_MMIO_IRQ_MAX     255

struct virtio_mmio_spec {
	uint64_t base; /* physical address of the register block */
	uint64_t size; /* bytes: registers (0x100) plus device configuration */
	unsigned irq;  /* IOAPIC input (GSI) */
};

/*
 * Parses one option value into *spec, checking every field; logs the reason
 * and returns -EINVAL if something is wrong.
 */
int virtio_mmio_parse(const char *value, struct virtio_mmio_spec *spec);

/* The devices the command line named, in order (filled before initcalls). */
extern struct virtio_mmio_spec virtio_mmio_specs[VIRTIO_MMIO_MAX_DEVICES];
extern unsigned virtio_mmio_nr_specs;

#endif
