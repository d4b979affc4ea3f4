/*
 * The virtio core and transports end to end, through a test-only virtio-net
 * driver registered by this program.  Boot with `toro-run --net user`:
 * microvm gives a virtio-net-device on virtio-mmio, q35 a virtio-net-pci.
 *
 * Checks: the device was found and bound once; VERSION_1 (or a legacy
 * virtio-mmio device) and MAC were negotiated; the MAC in config space is
 * the one toro-run gives QEMU; both queues were set up; and a frame makes
 * the round trip: an ARP request for the gateway 10.0.2.2 goes out on the
 * transmit queue and QEMU's reply comes back on the receive queue, signalled
 * by an interrupt.
 *
 * Built with -mgeneral-regs-only: the driver's callback runs in interrupt
 * context, like kernel code.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <drivers/virtio.h>
#include <kernel/irq.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "vmtest.h"

#define NET_F_MAC          5  /* virtio 1.2, 5.1.3 */
#define NET_HDR_LEN        12 /* 5.1.6: struct virtio_net_hdr with num_buffers */
#define NET_HDR_LEN_LEGACY 10 /* 5.1.6.1: without num_buffers */
#define FRAME_MAX          1514
#define ARP_LEN            42
#define WAIT_NS            (20ULL * 1000 * 1000 * 1000) /* TCG is slow */
#define MAX_FRAMES         16 /* frames we look at before giving up on the reply */

static const uint8_t expected_mac[6] = {0x52, 0x54, 0x00, 0x12, 0x34, 0x56};

static struct {
	int probed;
	uint64_t features;
	int legacy;
	uint8_t mac[6];
	int mac_err, rxq_err, txq_err;
	struct virtq *rxq, *txq;
	volatile int rx_interrupts;
	struct ksem rx_sem; /* zeroed: a semaphore at 0 */
} net;

static uint8_t rxbuf[NET_HDR_LEN + FRAME_MAX] __attribute__((aligned(64)));
static uint8_t txhdr[NET_HDR_LEN];
static uint8_t txframe[ARP_LEN];

static void rx_done(struct virtq *vq, void *arg)
{
	(void)vq;
	(void)arg;
	net.rx_interrupts++;
	ksem_post(&net.rx_sem);
}

static int test_probe(struct virtio_dev *vdev)
{
	net.probed++;
	net.features = vdev->features;
	net.legacy = vdev->legacy;
	net.mac_err = virtio_config_read(vdev, 0, net.mac, sizeof(net.mac));
	net.rxq_err = virtio_queue_setup(vdev, 0, 64, rx_done, NULL, &net.rxq);
	net.txq_err = virtio_queue_setup(vdev, 1, 64, NULL, NULL, &net.txq);
	return 0;
}

static const struct virtio_driver test_net = {
    .name = "test-net",
    .device_id = VIRTIO_ID_NET,
    .features = VIRTIO_BIT(NET_F_MAC) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC),
    .probe = test_probe,
};
VIRTIO_DRIVER(test_net);

static unsigned hdr_len(void)
{
	return net.legacy ? NET_HDR_LEN_LEGACY : NET_HDR_LEN;
}

/* Who has 10.0.2.2?  Tell 10.0.2.15. */
static void arp_request_build(uint8_t *f)
{
	static const uint8_t head[] = {0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 6, 4, 0x00, 0x01};
	static const uint8_t spa[] = {10, 0, 2, 15}, tpa[] = {10, 0, 2, 2};
	memset(f, 0xff, 6);
	memcpy(f + 6, net.mac, 6);
	memcpy(f + 12, head, sizeof(head));
	memcpy(f + 22, net.mac, 6);
	memcpy(f + 28, spa, 4);
	memset(f + 32, 0, 6);
	memcpy(f + 38, tpa, 4);
}

static int is_arp_reply_from_gateway(const uint8_t *f, uint32_t len)
{
	static const uint8_t gw[] = {10, 0, 2, 2};
	return len >= ARP_LEN && f[12] == 0x08 && f[13] == 0x06 && f[20] == 0 && f[21] == 2 &&
	       memcmp(f + 28, gw, 4) == 0 && memcmp(f + 32, net.mac, 6) == 0;
}

static int rx_post(void)
{
	struct virtq_buf b = {(uintptr_t)rxbuf, hdr_len() + FRAME_MAX, VIRTQ_BUF_WRITE};
	unsigned long f = irq_save();
	int err = virtq_add_chain(net.rxq, &b, 1, rxbuf);
	if (!err)
		err = virtq_kick(net.rxq);
	irq_restore(f);
	return err;
}

/* Header and frame as two buffers: a chain (indirect if negotiated). */
static int tx_send(void)
{
	arp_request_build(txframe);
	struct virtq_buf b[2] = {{(uintptr_t)txhdr, hdr_len(), 0},
	                         {(uintptr_t)txframe, sizeof(txframe), 0}};
	unsigned long f = irq_save();
	int err = virtq_add_chain(net.txq, b, 2, txframe);
	if (!err)
		err = virtq_kick(net.txq);
	irq_restore(f);
	return err;
}

static int rx_take(void **cookie, uint32_t *len)
{
	unsigned long f = irq_save();
	int err = virtq_get_used(net.rxq, cookie, len);
	irq_restore(f);
	return err;
}

/* Waits for frames until the ARP reply; 0, or the first error. */
static int rx_wait_reply(void)
{
	uint64_t deadline = time_monotonic_ns() + WAIT_NS;
	for (int n = 0; n < MAX_FRAMES; n++) {
		void *cookie;
		uint32_t len;
		int err = ksem_wait(&net.rx_sem, deadline);
		if (err)
			return err;
		while ((err = rx_take(&cookie, &len)) == 0) {
			if (cookie != rxbuf || len < hdr_len())
				return -1;
			if (is_arp_reply_from_gateway(rxbuf + hdr_len(), len - hdr_len()))
				return 0;
			printf("ignoring a %u-byte frame\n", (unsigned)(len - hdr_len()));
			if ((err = rx_post()) != 0)
				return err;
		}
		if (err != -EAGAIN)
			return err;
	}
	return -1;
}

static int tx_completed(void)
{
	uint64_t deadline = time_monotonic_ns() + WAIT_NS;
	void *cookie;
	uint32_t len;
	int err;
	do {
		unsigned long f = irq_save();
		err = virtq_get_used(net.txq, &cookie, &len);
		irq_restore(f);
		if (err != -EAGAIN)
			return err == 0 && cookie == txframe && len == 0;
		thread_sleep_ns(1000 * 1000);
	} while (time_monotonic_ns() < deadline);
	return 0;
}

int main(void)
{
	printf("virtio-net: probed %d, features 0x%llx, %s, mac %02x:%02x:%02x:%02x:%02x:%02x\n",
	       net.probed, (unsigned long long)net.features, net.legacy ? "legacy" : "1.x",
	       net.mac[0], net.mac[1], net.mac[2], net.mac[3], net.mac[4], net.mac[5]);
	CHECK("device-bound-once", 1, net.probed == 1);
	CHECK("feature-version-1", 2,
	      net.legacy || (net.features & VIRTIO_BIT(VIRTIO_F_VERSION_1)));
	CHECK("feature-mac", 3, (net.features & VIRTIO_BIT(NET_F_MAC)) != 0);
	CHECK("config-mac", 4, net.mac_err == 0 && memcmp(net.mac, expected_mac, 6) == 0);
	CHECK("queues-set-up", 5,
	      net.rxq_err == 0 && net.txq_err == 0 && virtq_size(net.rxq) == 64 &&
	          virtq_size(net.txq) == 64);
	CHECK("rx-post", 6, rx_post() == 0);
	CHECK("tx-send", 7, tx_send() == 0);
	CHECK("rx-arp-reply", 8, rx_wait_reply() == 0);
	CHECK("rx-interrupt", 9, net.rx_interrupts >= 1);
	CHECK("tx-completed", 10, tx_completed());
	CHECK("queues-not-broken", 11, !virtq_is_broken(net.rxq) && !virtq_is_broken(net.txq));
	CHECK("free-descriptors-back", 12, virtq_num_free(net.txq) == 64);
	return vmtest_success();
}
