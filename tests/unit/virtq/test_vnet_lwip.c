/*
 * unit.vnet-lwip-fuzz: random and truncated frames through the real
 * virtio-net receive path (drivers/virtio/net.c and ring.c, on the fake
 * device of fake_device.c) into the real lwIP core (ethernet_input, ARP,
 * IPv4/IPv6 with reassembly, ICMP, UDP, TCP with a listening socket), under
 * ASan and UBSan.  lwIP runs without an OS (NO_SYS, lwip_host/lwipopts.h)
 * and takes every pool from malloc, so ASan sees each buffer's bounds.
 *
 * Receive buffers are custom pbufs lent to lwIP, as net/netif_virtio.c does
 * (that file itself needs kernel threads, so its rx_deliver() is mirrored
 * here in a few lines).  Passes when nothing crashed, lwIP asserted nothing,
 * and at the end (timers run for half an hour of fake time) every receive
 * buffer came back and lwIP's pools hold nothing: no leak.
 *
 *   unit_vnet-lwip-fuzz [FRAMES] [SEED]     (defaults 100000, 1)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/irq.h>
#include <drivers/virtio.h>
#include <drivers/virtio_net.h>
#include "lwip/etharp.h"
#include "lwip/ethip6.h"
#include "lwip/init.h"
#include "lwip/ip4_frag.h"
#include "lwip/memp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/stats.h"
#include "lwip/tcp.h"
#include "lwip/timeouts.h"
#include "lwip/udp.h"
#include "netif/ethernet.h"
#include "check.h"
#include "fake_device.h"
#include "net_reg.h"

#define QMAX    16 /* the fake device's largest queue */
#define HDR_LEN 12 /* virtio-net header with VERSION_1 / MRG_RXBUF */
#define RXDATA  2048

/* ---- the fake core (as in test_vnet.c) ------------------------------------------- */

struct fake_netdev {
	struct virtio_dev vdev;
	uint8_t config[8];       /* mac[6], status (le16) */
	struct fake_dev fdev[2]; /* receive, transmit */
};

int virtio_config_read(struct virtio_dev *vdev, unsigned offset, void *buf, unsigned len)
{
	struct fake_netdev *d = (struct fake_netdev *)vdev;
	if (offset + len > sizeof(d->config))
		return -EINVAL;
	memcpy(buf, d->config + offset, len);
	return 0;
}

int virtio_queue_setup(struct virtio_dev *vdev, unsigned index, unsigned size, virtq_callback_fn cb,
                       void *arg, struct virtq **out)
{
	struct fake_netdev *d = (struct fake_netdev *)vdev;
	struct virtq *vq;
	if (index > 1)
		return -ENOENT;
	int err = virtq_create(&vq, index, size < QMAX ? size : QMAX, 0);
	if (err < 0)
		return err;
	vq->callback = cb;
	vq->callback_arg = arg;
	vq->owner = vdev;
	vdev->vqs[index] = vq;
	fake_attach(&d->fdev[index], vq);
	*out = vq;
	return 0;
}

void random_bytes(void *buf, size_t len)
{
	memset(buf, 0x42, len);
}

extern const struct virtio_driver *const __start_toro_virtio_drivers[];

static void wake(void *arg)
{
	(void)arg;
}

/* ---- lwIP without an OS: a clock we move ourselves ------------------------------- */

static u32_t fake_ms;

u32_t sys_now(void)
{
	return fake_ms;
}

/* ---- receive buffers lent to lwIP (net/netif_virtio.c's struct rxbuf) -------------- */

struct rxbuf {
	struct pbuf_custom pc; /* first: lwIP's struct pbuf * is this */
	struct vnet_rxbuf vb;
	uint8_t data[RXDATA];
};

static long rxbufs_out; /* allocated and not yet freed */

static void rxbuf_free(struct pbuf *p)
{
	free(p);
	rxbufs_out--;
}

static void rx_refill(struct vnet *v)
{
	while (vnet_rx_space(v) > 0) {
		struct rxbuf *b = malloc(sizeof(*b));
		CHECK(b != NULL);
		rxbufs_out++;
		b->pc.custom_free_function = rxbuf_free;
		b->vb.data = b->data;
		b->vb.size = sizeof(b->data);
		struct vnet_rxbuf *vb = &b->vb;
		CHECK_EQ(vnet_rx_post(v, &vb, 1), 1);
	}
}

static struct rxbuf *rxbuf_of(struct vnet_rxbuf *vb)
{
	return (struct rxbuf *)((char *)vb - offsetof(struct rxbuf, vb));
}

/* ---- the interface ---------------------------------------------------------------- */

static const uint8_t our_mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
static unsigned long frames_out, frames_in, frames_dropped;

static err_t linkoutput(struct netif *n, struct pbuf *p)
{
	(void)n;
	CHECK(p->tot_len >= 14);
	frames_out++;
	return ERR_OK;
}

static err_t fuzz_netif_init(struct netif *n)
{
	n->name[0] = 'f';
	n->name[1] = 'z';
	n->mtu = 1500;
	n->hwaddr_len = 6;
	memcpy(n->hwaddr, our_mac, 6);
	n->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET |
	           NETIF_FLAG_LINK_UP | NETIF_FLAG_IGMP | NETIF_FLAG_MLD6;
	n->output = etharp_output;
	n->output_ip6 = ethip6_output;
	n->linkoutput = linkoutput;
	return ERR_OK;
}

/* New connections are dropped at once: no established state piles up. */
static err_t on_accept(void *arg, struct tcp_pcb *pcb, err_t err)
{
	(void)arg;
	if (err != ERR_OK || pcb == NULL)
		return ERR_VAL;
	tcp_abort(pcb);
	return ERR_ABRT;
}

static void on_udp(void *arg, struct udp_pcb *pcb, struct pbuf *p, const ip_addr_t *addr,
                   u16_t port)
{
	(void)arg;
	udp_sendto(pcb, p, addr, port); /* echo: the transmit path sees fuzzed input too */
	pbuf_free(p);
}

/* ---- frames: random, or plausible headers with random fields, then cut ------------- */

static uint32_t rng;

static uint32_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

static void fill_random(uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)rnd();
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Fills f (up to 1514 bytes) and returns the frame's full length. */
static uint32_t make_frame(uint8_t *f)
{
	uint32_t len = 14 + rnd() % 1501;
	fill_random(f, len);
	unsigned kind = rnd() % 8;
	if (kind == 0)
		return len; /* all random */
	memcpy(f, rnd() % 4 ? our_mac : (const uint8_t[]){0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, 6);
	uint8_t *l3 = f + 14;
	switch (kind) {
	case 1: /* ARP */
		put16(f + 12, 0x0806);
		put16(l3, 1);
		put16(l3 + 2, 0x0800);
		l3[4] = 6;
		l3[5] = 4;
		put16(l3 + 6, 1 + rnd() % 2);
		memcpy(l3 + 24, (const uint8_t[]){10, 0, 2, 15}, 4);
		break;
	case 6: /* IPv6 */
	case 7:
		put16(f + 12, 0x86dd);
		l3[0] = 0x60;
		put16(l3 + 4, (uint16_t)(rnd() % 2 ? len - 54 : rnd() % 1600));
		l3[6] = (const uint8_t[]){6, 17, 58, 44, 0, 43, 60}[rnd() % 7];
		if (rnd() % 2) { /* to our link-local address */
			memset(l3 + 24, 0, 16);
			memcpy(l3 + 24, (const uint8_t[]){0xfe, 0x80}, 2);
			memcpy(l3 + 32,
			       (const uint8_t[]){0x50, 0x54, 0, 0xff, 0xfe, 0x12, 0x34, 0x56}, 8);
		}
		break;
	default: /* IPv4: TCP, UDP, ICMP, or fragments */
		put16(f + 12, 0x0800);
		l3[0] = (uint8_t)(0x45 + (rnd() % 8 ? 0 : rnd() % 11));
		put16(l3 + 2, (uint16_t)(rnd() % 4 ? len - 14 : rnd() % 1600));
		if (rnd() % 3) /* not a fragment; or a random offset and more-fragments */
			put16(l3 + 6, 0);
		else
			put16(l3 + 6, (uint16_t)(rnd() % 0x4000 & (rnd() % 2 ? 0x20ff : 0x3fff)));
		l3[8] = 64;
		l3[9] = (const uint8_t[]){6, 6, 17, 1, 2}[rnd() % 5];
		memcpy(l3 + 16, (const uint8_t[]){10, 0, 2, 15}, 4);
		if (rnd() % 4 == 0)
			memcpy(l3 + 16, (const uint8_t[]){255, 255, 255, 255}, 4);
		uint8_t *l4 = l3 + 4 * (l3[0] & 15);
		if (l4 + 20 < f + len && l3[9] != 1) {
			put16(l4 + 2, rnd() % 2 ? 7777 : 7778); /* the listener, the UDP echo */
			if (l3[9] == 6)
				l4[13] =
				    (uint8_t)(rnd() % 2 ? 0x02 : rnd()); /* SYN, or any flags */
		}
		break;
	}
	return len;
}

/* The device writes one frame into the next buffer, maybe lying about it. */
static void deliver(struct fake_netdev *d, struct vnet *v)
{
	struct fake_chain c;
	CHECK(fake_pop(&d->fdev[0], &c));
	uint8_t *buf = (uint8_t *)(uintptr_t)c.buf[0].addr;
	uint32_t room = c.buf[0].len, len = make_frame(buf + HDR_LEN);
	struct virtio_net_hdr h = {.num_buffers = 1};
	if (rnd() % 64 == 0)
		h.num_buffers = (uint16_t)rnd();
	memcpy(buf, &h, sizeof(h));
	uint32_t used = HDR_LEN + len;
	switch (rnd() % 8) {
	case 0:
		used = rnd() % used;
		break; /* truncated anywhere */
	case 1:
		used = rnd() % 80;
		break; /* truncated in the headers */
	case 2:
		used = rnd() % (room + 1);
		break; /* any length the buffer holds */
	}
	fake_push(&d->fdev[0], c.head, used);
	virtq_interrupt(d->vdev.vqs[0]);
	(void)v;
}

static void rx_drain(struct vnet *v, struct netif *n)
{
	struct vnet_rxbuf *vb;
	uint8_t *frame;
	uint32_t len;
	int err;
	while ((err = vnet_rx_take(v, &vb, &frame, &len)) != -EAGAIN) {
		if (err == -EBADMSG) {
			frames_dropped++;
			continue;
		}
		if (err != 0) { /* -EIO: the ring is broken, a bug here */
			CHECK_EQ(err, 0);
			exit(1);
		}
		CHECK(len <= RXDATA - HDR_LEN);
		struct rxbuf *b = rxbuf_of(vb);
		struct pbuf *p =
		    pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &b->pc, frame, (u16_t)len);
		frames_in++;
		if (n->input(p, n) != ERR_OK)
			pbuf_free(p);
	}
	rx_refill(v);
}

/* Pools lwIP keeps for good: the listener, the UDP socket, timers, the
 * all-hosts groups joined when the interface came up. */
static int pool_kept(const char *name)
{
	static const char *const kept[] = {"TCP_PCB_LISTEN", "UDP_PCB", "SYS_TIMEOUT", "IGMP_GROUP",
	                                   "MLD6_GROUP"};
	for (size_t i = 0; i < sizeof(kept) / sizeof(kept[0]); i++)
		if (!strcmp(name, kept[i]))
			return 1;
	return 0;
}

/* Every other pool empty. */
static void check_pools(void)
{
	for (int i = 0; i < MEMP_MAX; i++) {
		const struct stats_mem *s = lwip_stats.memp[i];
		long expect = pool_kept(s->name) ? -1 : 0;
		if (expect == 0 && s->used != 0)
			printf("pool %s: %u still in use\n", s->name, (unsigned)s->used);
		if (expect == 0)
			CHECK_EQ(s->used, 0);
		CHECK_EQ(s->err >= 0, 1);
	}
}

int main(int argc, char **argv)
{
	long frames = argc > 1 ? atol(argv[1]) : 100000;
	rng = argc > 2 ? (uint32_t)atol(argv[2]) : 1;
	static struct fake_netdev d;
	d.vdev.id = VIRTIO_ID_NET;
	d.vdev.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
	                  VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_STATUS);
	memcpy(d.config, our_mac, 6);
	d.config[6] = VIRTIO_NET_S_LINK_UP;
	CHECK_EQ(__start_toro_virtio_drivers[0]->probe(&d.vdev), 0);
	struct vnet *v = vnet_get(0);
	CHECK(v != NULL);
	CHECK_EQ(vnet_start(v, wake, &d), 0);

	lwip_init();
	static struct netif n;
	ip4_addr_t ip, mask, gw;
	IP4_ADDR(&ip, 10, 0, 2, 15);
	IP4_ADDR(&mask, 255, 255, 255, 0);
	IP4_ADDR(&gw, 10, 0, 2, 2);
	CHECK(netif_add(&n, &ip, &mask, &gw, NULL, fuzz_netif_init, ethernet_input) != NULL);
	netif_create_ip6_linklocal_address(&n, 1);
	netif_ip6_addr_set_state(&n, 0, IP6_ADDR_PREFERRED);
	netif_set_default(&n);
	netif_set_up(&n);
	struct tcp_pcb *l = tcp_listen(tcp_new_ip_type(IPADDR_TYPE_ANY));
	CHECK(l != NULL);
	tcp_accept(l, on_accept);
	struct tcp_pcb *l2 = tcp_new_ip_type(IPADDR_TYPE_ANY);
	CHECK_EQ(tcp_bind(l2, IP_ANY_TYPE, 7777), ERR_OK);
	tcp_close(l);
	l = tcp_listen(l2);
	tcp_accept(l, on_accept);
	struct udp_pcb *u = udp_new_ip_type(IPADDR_TYPE_ANY);
	CHECK_EQ(udp_bind(u, IP_ANY_TYPE, 7778), ERR_OK);
	udp_recv(u, on_udp, NULL);

	rx_refill(v);
	for (long i = 0, pending = 0; i < frames; i++) {
		deliver(&d, v);
		if (++pending == QMAX || rnd() % 4 == 0) { /* the ring is full again after */
			rx_drain(v, &n);
			pending = 0;
		}
		if (i % 64 == 0) {
			fake_ms += 50;
			sys_check_timeouts();
		}
	}
	rx_drain(v, &n);
	for (int s = 0; s < 1800 * 4; s++) { /* half an hour: reassembly, SYN_RCVD, ARP age out */
		fake_ms += 250;
		sys_check_timeouts();
	}
	struct vnet_stats st;
	vnet_stats(v, &st);
	printf("%ld frames offered: %lu to lwIP, %lu dropped by the driver (bad length %lu, "
	       "bad buffers %lu), %lu frames sent by lwIP\n",
	       frames, frames_in, frames_dropped, (unsigned long)st.rx_bad_len,
	       (unsigned long)st.rx_bad_bufs, frames_out);
	CHECK_EQ(rxbufs_out, QMAX); /* only those in the ring: lwIP gave every frame back */
	CHECK(frames_in > (unsigned long)frames / 2);
	check_pools();
	udp_remove(u);
	tcp_close(l);
	netif_remove(&n);
	etharp_cleanup_netif(&n);
	/* the ring's buffers: the device gives them back, and ASan checks the rest */
	void *cookie;
	while (virtq_detach_unused(d.vdev.vqs[0], &cookie) == 0)
		rxbuf_free(&rxbuf_of(cookie)->pc.pbuf);
	CHECK_EQ(rxbufs_out, 0);
	return check_summary("vnet-lwip-fuzz");
}
