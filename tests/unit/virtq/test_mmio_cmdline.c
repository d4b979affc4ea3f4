/*
 * unit.virtio-mmio-cmdline: "virtio_mmio.device=SIZE@BASE:IRQ[:ID]" as QEMU
 * microvm writes it, and everything malformed or out of range rejected with
 * a reason (drivers/virtio/mmio_cmdline.c, the real file).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <kernel/cmdline.h>
#include "check.h"
#include "fake_device.h"
#include "mmio.h"

/* The registered option, found the way kernel/main.c finds it. */
extern const struct cmdline_option __start_toro_cmdline_opts[], __stop_toro_cmdline_opts[];

static int (*option_handler(void))(const char *)
{
	for (const struct cmdline_option *o = __start_toro_cmdline_opts;
	     o < __stop_toro_cmdline_opts; o++)
		if (strcmp(o->name, "virtio_mmio.device") == 0)
			return o->handler;
	return NULL;
}

static void check_good(const char *v, uint64_t size, uint64_t base, unsigned irq)
{
	struct virtio_mmio_spec s;
	CHECK_EQ(virtio_mmio_parse(v, &s), 0);
	CHECK_EQ(s.size, size);
	CHECK_EQ(s.base, base);
	CHECK_EQ(s.irq, irq);
}

static void check_bad(const char *v, const char *why)
{
	struct virtio_mmio_spec s;
	fake_log_reset();
	CHECK_EQ(virtio_mmio_parse(v, &s), -EINVAL);
	CHECK(strstr(fake_log(), why) != NULL);
}

static void test_parse(void)
{
	check_good("512@0xfeb00e00:12", 512, 0xfeb00e00, 12);
	check_good("0x200@0xFEB00C00:11", 512, 0xfeb00c00, 11);
	check_good("4K@0xd0000000:5:3", 4096, 0xd0000000, 5);
	check_good("4k@3489665024:6", 4096, 0xd0001000, 6);
	check_good("1M@0x100000000:255", 1 << 20, 0x100000000ULL, 255);
	check_bad(NULL, "expected SIZE@BASE:IRQ");
	check_bad("", "expected");
	check_bad("512", "expected");
	check_bad("512@", "expected");
	check_bad("512@0xfeb00e00", "expected");
	check_bad("512@0xfeb00e00:", "expected");
	check_bad("512@0xfeb00e00:12x", "expected");
	check_bad("512@0xfeb00e00:12:", "expected");
	check_bad("512@0xfeb00e00:12 ", "expected");
	check_bad("0x@0xfeb00e00:12", "expected");
	check_bad("-512@0xfeb00e00:12", "expected");
	check_bad("99999999999999999999@0xfeb00e00:12", "expected");
	check_bad("0xffffffffffffffffK@0xfeb00e00:12", "expected");
	check_bad("255@0xfeb00e00:12", "size must be");
	check_bad("2M@0xfeb00e00:12", "size must be");
	check_bad("512@0xfeb00e04:12", "multiple of 0x100");
	check_bad("512@0:12", "multiple of 0x100");
	check_bad("512@0x800000000000:12", "beyond");
	check_good("1M@0x7ffffff00000:12", 1 << 20, 0x7ffffff00000ULL, 12); /* ends at the limit */
	check_bad("1M@0x7ffffff80000:12", "beyond");
	check_bad("512@0xfeb00e00:0", "irq");
	check_bad("512@0xfeb00e00:256", "irq");
}

static void test_option(void)
{
	int (*handler)(const char *) = option_handler();
	CHECK(handler != NULL);
	if (!handler)
		return;
	virtio_mmio_nr_specs = 0;
	CHECK_EQ(handler("512@0xfeb00e00:12"), 0);
	CHECK_EQ(handler("512@0xfeb00c00:11"), 0);
	CHECK_EQ(virtio_mmio_nr_specs, 2);
	CHECK_EQ(virtio_mmio_specs[1].base, 0xfeb00c00);
	fake_log_reset();
	CHECK_EQ(handler("512@0xfeb00e00:12"), -EINVAL); /* named twice */
	CHECK(strstr(fake_log(), "overlaps") != NULL);
	CHECK_EQ(handler("4K@0xfeb00000:5"), -EINVAL); /* covers both */
	CHECK_EQ(handler("junk"), -EINVAL);
	virtio_mmio_nr_specs = 0;
	char v[64];
	for (unsigned i = 0; i < VIRTIO_MMIO_MAX_DEVICES; i++) {
		snprintf(v, sizeof(v), "512@0x%x:5", 0xd0000000u + 0x200 * i);
		CHECK_EQ(handler(v), 0);
	}
	fake_log_reset();
	CHECK_EQ(handler("512@0xe0000000:5"), -EINVAL);
	CHECK(strstr(fake_log(), "too many") != NULL);
	CHECK_EQ(virtio_mmio_nr_specs, VIRTIO_MMIO_MAX_DEVICES);
}

int main(void)
{
	test_parse();
	test_option();
	return check_summary("virtio-mmio-cmdline");
}
