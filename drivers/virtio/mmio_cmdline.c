/*
 * The "virtio_mmio.device=" kernel option (see mmio.h): parsing and checks.
 * The command line is untrusted input; every field is bounded here, before
 * anything is mapped.
 */
#include <errno.h>
#include <stdint.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include "mmio.h"

struct virtio_mmio_spec virtio_mmio_specs[VIRTIO_MMIO_MAX_DEVICES];
unsigned virtio_mmio_nr_specs;

static int bad(const char *value, const char *why)
{
	kprintf("virtio_mmio.device=%s: %s\n", value, why);
	return -EINVAL;
}

/* Field by field: SIZE@BASE:IRQ[:ID] and nothing after. */
static int parse_fields(const char *p, uint64_t *size, uint64_t *base, uint64_t *irq)
{
	uint64_t id;
	if (cmdline_scan_size(&p, size) < 0 || *p != '@')
		return -EINVAL;
	p++;
	if (cmdline_scan_number(&p, base) < 0 || *p != ':')
		return -EINVAL;
	p++;
	if (cmdline_scan_number(&p, irq) < 0)
		return -EINVAL;
	if (*p == ':') {
		p++;
		if (cmdline_scan_number(&p, &id) < 0)
			return -EINVAL;
	}
	return *p ? -EINVAL : 0;
}

int virtio_mmio_parse(const char *value, struct virtio_mmio_spec *spec)
{
	uint64_t size, base, irq;
	if (!value || parse_fields(value, &size, &base, &irq) < 0)
		return bad(value ? value : "", "expected SIZE@BASE:IRQ, e.g. 512@0xfeb00e00:12");
	if (size < 0x100 || size > VIRTIO_MMIO_SIZE_MAX)
		return bad(value, "size must be 256 bytes (the registers) to 1 MiB");
	if (!base || base % VIRTIO_MMIO_ALIGN)
		return bad(value, "base must be a non-zero multiple of 0x100");
	if (base >= VIRTIO_MMIO_ADDR_LIMIT || size > VIRTIO_MMIO_ADDR_LIMIT - base)
		return bad(value, "the registers lie beyond the physical address space");
	if (!irq || irq > VIRTIO_MMIO_IRQ_MAX)
		return bad(value, "irq must be an interrupt line from 1 to 255");
	spec->base = base;
	spec->size = size;
	spec->irq = (unsigned)irq;
	return 0;
}

static int overlaps(const struct virtio_mmio_spec *a, const struct virtio_mmio_spec *b)
{
	return a->base < b->base + b->size && b->base < a->base + a->size;
}

static int opt_virtio_mmio_device(const char *value)
{
	struct virtio_mmio_spec s;
	int err = virtio_mmio_parse(value, &s);
	if (err < 0)
		return err;
	for (unsigned i = 0; i < virtio_mmio_nr_specs; i++)
		if (overlaps(&s, &virtio_mmio_specs[i]))
			return bad(value, "overlaps a device named before");
	if (virtio_mmio_nr_specs == VIRTIO_MMIO_MAX_DEVICES)
		return bad(value, "too many virtio-mmio devices");
	virtio_mmio_specs[virtio_mmio_nr_specs++] = s;
	return 0;
}
CMDLINE_OPTION("virtio_mmio.device", opt_virtio_mmio_device);
