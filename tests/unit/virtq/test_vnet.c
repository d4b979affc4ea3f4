/*
 * unit.virtio-net: the real drivers/virtio/net.c (with the real ring.c)
 * against a fake virtio core (this file: configuration space, queue setup)
 * and the fake device of fake_device.c, under ASan and UBSan.  The device
 * misbehaves on purpose: short, long and multi-buffer frames, a bogus
 * descriptor id; the driver must count and drop, or report -EIO, never
 * crash, and must leave interrupts as it found them.
 *
 * The driver keeps up to VNET_MAX_DEVICES devices for good, so the tests
 * share four: a 1.x device with CSUM and HOST_TSO4, a legacy one without
 * MRG_RXBUF or ANY_LAYOUT, one that gets broken, and a legacy one with
 * MRG_RXBUF and CSUM but no TSO.
 *
 * Transmit offload: the header vnet_tx_send_tcp() builds for TCP/IPv4 frames
 * (checksum fields always, GSO fields only past the MTU) and every odd frame
 * it must refuse rather than hand the device to cut.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/irq.h>
#include <drivers/virtio.h>
#include <drivers/virtio_net.h>
#include "check.h"
#include "fake_device.h"
#include "net_reg.h"

#define QMAX 16 /* the fake device's largest queue */

/* ---- the fake core ------------------------------------------------------------- */

struct fake_netdev {
	struct virtio_dev vdev;
	uint8_t config[8];       /* mac[6], status (le16) */
	struct fake_dev fdev[2]; /* receive, transmit */
	unsigned wakes;          /* wake() calls */
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
	unsigned opts = (virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC) ? VIRTQ_OPT_INDIRECT : 0) |
	                (virtio_has_feature(vdev, VIRTIO_F_EVENT_IDX) ? VIRTQ_OPT_EVENT_IDX : 0);
	if (index > 1)
		return -ENOENT;
	int err = virtq_create(&vq, index, size < QMAX ? size : QMAX, opts);
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
extern const struct virtio_driver *const __stop_toro_virtio_drivers[];

static const struct virtio_driver *driver(void)
{
	CHECK_EQ(__stop_toro_virtio_drivers - __start_toro_virtio_drivers, 1);
	return __start_toro_virtio_drivers[0];
}

static void wake(void *arg)
{
	((struct fake_netdev *)arg)->wakes++;
}

/* Binds d as the core would after negotiating features. */
static struct vnet *bind(struct fake_netdev *d, uint64_t features, int legacy, unsigned index)
{
	static const uint8_t mac[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
	d->vdev.id = VIRTIO_ID_NET;
	d->vdev.features = features;
	d->vdev.legacy = legacy;
	memcpy(d->config, mac, 6);
	d->config[6] = VIRTIO_NET_S_LINK_UP;
	CHECK_EQ(driver()->probe(&d->vdev), 0);
	struct vnet *v = vnet_get(index);
	CHECK(v != NULL);
	CHECK_EQ(vnet_start(v, wake, d), 0);
	CHECK_EQ(d->wakes, 1);
	CHECK_EQ(vnet_start(v, wake, d), -EBUSY);
	const uint64_t tso = VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4);
	CHECK_EQ(vnet_tx_tso(v), (features & tso) == tso); /* TSO4 needs CSUM */
	return v;
}

/* Resets the fake device: gives back what it holds and frees the rings. */
static void unbind(struct fake_netdev *d)
{
	for (int q = 0; q < 2; q++) {
		void *cookie;
		struct virtq *vq = d->vdev.vqs[q];
		while (virtq_detach_unused(vq, &cookie) == 0)
			;
		fake_detach(&d->fdev[q]);
		virtq_destroy(vq);
	}
}

/* ---- receive buffers ------------------------------------------------------------- */

struct buf {
	struct vnet_rxbuf vb;
	uint8_t data[2048];
};

static struct buf bufs[QMAX];

static int post_all(struct vnet *v, unsigned size)
{
	struct vnet_rxbuf *p[QMAX];
	for (unsigned i = 0; i < QMAX; i++) {
		bufs[i].vb.data = bufs[i].data;
		bufs[i].vb.size = size;
		p[i] = &bufs[i].vb;
	}
	return vnet_rx_post(v, p, QMAX);
}

/* The device fills the next available buffer: header (num_buffers nb), len bytes in all. */
static void deliver(struct fake_netdev *d, uint16_t nb, uint32_t len)
{
	struct fake_chain c;
	CHECK(fake_pop(&d->fdev[0], &c));
	struct virtio_net_hdr h = {.num_buffers = nb};
	memcpy((void *)(uintptr_t)c.buf[0].addr, &h,
	       c.buf[0].len < sizeof(h) ? c.buf[0].len : sizeof(h));
	fake_push(&d->fdev[0], c.head, len);
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_probe(struct fake_netdev *d, struct vnet *v)
{
	uint8_t mac[6];
	int up = 0;
	vnet_mac(v, mac);
	CHECK_EQ(mac[5], 0x56);
	CHECK_EQ(vnet_link_up(v), 1);
	CHECK_EQ(vnet_link_poll(v, &up), 0);
	d->config[6] = 0; /* link down, then the configuration interrupt */
	driver()->config_changed(&d->vdev);
	CHECK_EQ(d->wakes, 2);
	CHECK_EQ(vnet_rearm(v), 1); /* the change is work to do */
	CHECK_EQ(vnet_link_poll(v, &up), 1);
	CHECK_EQ(up, 0);
	CHECK_EQ(vnet_rearm(v), 0);
}

static void test_rx_good(struct fake_netdev *d, struct vnet *v)
{
	struct vnet_rxbuf *b;
	uint8_t *frame;
	uint32_t len;
	CHECK_EQ(vnet_rx_space(v), QMAX);
	CHECK_EQ(post_all(v, 1000), -EINVAL); /* smaller than a frame */
	CHECK_EQ(post_all(v, 2048), QMAX);
	CHECK_EQ(vnet_rx_space(v), 0);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), -EAGAIN);
	deliver(d, 1, 12 + 60);
	virtq_interrupt(d->vdev.vqs[0]); /* the device's interrupt */
	CHECK_EQ(d->wakes, 3);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), 0);
	CHECK(b == &bufs[0].vb); /* the device takes buffers in order */
	CHECK(frame == b->data + 12);
	CHECK_EQ(len, 60);
	CHECK_EQ(vnet_rearm(v), 0);
	CHECK_EQ(vnet_rx_post(v, &b, 1), 1);
}

/* Each bad frame is dropped, counted, and its buffer offered again. */
static void test_rx_bad(struct fake_netdev *d, struct vnet *v)
{
	struct vnet_rxbuf *b;
	struct vnet_stats st;
	uint8_t *frame;
	uint32_t len;
	deliver(d, 1, 5);         /* shorter than the header */
	deliver(d, 1, 12 + 10);   /* shorter than an Ethernet header */
	deliver(d, 1, 12 + 1600); /* longer than a frame */
	deliver(d, 0, 12 + 60);   /* num_buffers 0 */
	deliver(d, 3, 12 + 60);   /* three buffers: the next two follow */
	deliver(d, 1, 12 + 60);
	deliver(d, 1, 12 + 60);
	deliver(d, 40000, 12 + 60); /* more buffers than the ring has */
	for (int i = 0; i < 6; i++) /* the two followers go with their first */
		CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), -EBADMSG);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), -EAGAIN);
	vnet_stats(v, &st);
	CHECK_EQ(st.rx_bad_len, 3);
	CHECK_EQ(st.rx_bad_bufs, 3);
	CHECK_EQ(st.rx_frames, 1);
	CHECK_EQ(vnet_rx_space(v), 0); /* every buffer is back in the ring */
	CHECK_EQ(virtq_is_broken(d->vdev.vqs[0]), 0);
}

static void test_tx(struct fake_netdev *d, struct vnet *v, unsigned hdr_len)
{
	static uint8_t frame[1600];
	struct vnet_seg s[VNET_TX_SEGS_MAX + 1];
	struct fake_chain c;
	void *cookie;
	for (int i = 0; i <= VNET_TX_SEGS_MAX; i++)
		s[i] = (struct vnet_seg){frame, 20};
	CHECK_EQ(vnet_tx_send(v, s, 0, frame), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, s, VNET_TX_SEGS_MAX + 1, frame), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, s, 2, NULL), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, (struct vnet_seg[]){{frame, 10}}, 1, frame), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, (struct vnet_seg[]){{frame, 1519}}, 1, frame), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, (struct vnet_seg[]){{frame, 0}, {frame, 60}}, 2, frame), -EINVAL);
	CHECK_EQ(vnet_tx_send(v, s, 2, frame), 0);
	CHECK(fake_pop(&d->fdev[1], &c));
	CHECK_EQ(c.n, 3);
	CHECK_EQ(c.buf[0].len, hdr_len);
	CHECK_EQ(c.buf[0].flags, 0);
	CHECK_EQ(((uint8_t *)(uintptr_t)c.buf[0].addr)[0], 0); /* no offload asked */
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), -EAGAIN);
	fake_push(&d->fdev[1], c.head, 0);
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
	CHECK(cookie == frame);
}

static void test_tx_full(struct fake_netdev *d, struct vnet *v)
{
	static uint8_t frame[64];
	struct vnet_seg s = {frame, sizeof(frame)};
	struct vnet_stats st;
	void *cookie;
	int sent = 0;
	while (vnet_tx_send(v, &s, 1, frame + sent % 8) == 0)
		sent++;
	vnet_stats(v, &st);
	CHECK(sent >= QMAX / 2);
	CHECK_EQ(st.tx_ring_full, 1);
	for (struct fake_chain c; fake_pop(&d->fdev[1], &c);)
		fake_push(&d->fdev[1], c.head, 0);
	while (vnet_tx_reclaim(v, &cookie) == 0)
		sent--;
	CHECK_EQ(sent, 0);
}

/* The device completes the next frame sent: would it interrupt for it? */
static int tx_complete_wants_irq(struct fake_netdev *d)
{
	struct fake_chain c;
	uint16_t used = d->vdev.vqs[1]->used->idx;
	CHECK(fake_pop(&d->fdev[1], &c));
	fake_push(&d->fdev[1], c.head, 0);
	return fake_wants_interrupt(&d->fdev[1], used, (uint16_t)(used + 1));
}

/* Sent frames interrupt only while one waits for ring space. */
static void test_tx_interrupts(struct fake_netdev *d, struct vnet *v)
{
	static uint8_t frame[64];
	struct vnet_seg s = {frame, sizeof(frame)};
	void *cookie;
	int sent = 0;
	CHECK(vnet_rearm(v) >= 0);
	CHECK_EQ(vnet_tx_send(v, &s, 1, frame), 0);
	CHECK(!tx_complete_wants_irq(d));
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
	/* a full ring: the refused frame turns the interrupts on */
	unsigned wakes = d->wakes;
	while (vnet_tx_send(v, &s, 1, frame) == 0)
		sent++;
	CHECK_EQ(d->wakes, wakes); /* nothing done yet: the interrupt will say */
	CHECK(tx_complete_wants_irq(d));
	CHECK_EQ(vnet_rearm(v), 1); /* that completion is work for the stack */
	/* refused again with completions already in: no interrupt will come, so a wake now */
	CHECK_EQ(vnet_tx_send(v, &s, 1, frame), -ENOSPC);
	CHECK_EQ(d->wakes, wakes + 1);
	/* room again: off at the next rearm */
	for (struct fake_chain c; fake_pop(&d->fdev[1], &c);)
		fake_push(&d->fdev[1], c.head, 0);
	while (vnet_tx_reclaim(v, &cookie) == 0)
		sent--;
	CHECK_EQ(sent, 0);
	CHECK(vnet_rearm(v) >= 0);
	CHECK_EQ(vnet_tx_send(v, &s, 1, frame), 0);
	CHECK(!tx_complete_wants_irq(d));
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
}

/* ---- transmit offload ---------------------------------------------------------- */

static uint8_t tso_frame[VNET_GSO_FRAME_MAX + 64];

/* Ethernet + IPv4 (ihl words) + TCP (doff words) + payload bytes, flags ACK|PSH. */
static unsigned tcp_build(unsigned ihl, unsigned doff, unsigned payload)
{
	uint8_t *f = tso_frame;
	unsigned ip_len = ihl * 4 + doff * 4 + payload;
	memset(f, 0, 14 + ihl * 4 + doff * 4);
	f[12] = 0x08;
	f[14] = (uint8_t)(0x40 | ihl);
	f[16] = (uint8_t)(ip_len >> 8);
	f[17] = (uint8_t)ip_len;
	f[22] = 64;
	f[23] = 6;
	uint8_t *t = f + 14 + ihl * 4;
	t[12] = (uint8_t)(doff << 4);
	t[13] = 0x18;
	for (unsigned i = 0; i < payload; i++)
		t[doff * 4 + i] = (uint8_t)(i * 7);
	return 14 + ip_len;
}

/* Sends tso_frame (len bytes, split after cut) and returns the header the device got. */
static struct virtio_net_hdr tcp_sent(struct fake_netdev *d, struct vnet *v, unsigned len,
                                      unsigned cut, unsigned mtu, int *err)
{
	struct vnet_seg s[2] = {{tso_frame, cut}, {tso_frame + cut, len - cut}};
	struct virtio_net_hdr h;
	struct fake_chain c;
	void *cookie;
	memset(&h, 0xee, sizeof(h));
	*err = vnet_tx_send_tcp(v, s, cut < len ? 2 : 1, mtu, tso_frame);
	if (*err)
		return h;
	CHECK(fake_pop(&d->fdev[1], &c));
	CHECK_EQ(c.n, cut < len ? 3u : 2u);
	CHECK_EQ(c.buf[0].len, 12);
	memcpy(&h, (void *)(uintptr_t)c.buf[0].addr, sizeof(h));
	fake_push(&d->fdev[1], c.head, 0);
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
	CHECK(cookie == tso_frame);
	return h;
}

static void check_csum_only(const struct virtio_net_hdr *h, unsigned start)
{
	CHECK_EQ(h->flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(h->gso_type, VIRTIO_NET_HDR_GSO_NONE);
	CHECK_EQ(h->gso_size, 0);
	CHECK_EQ(h->hdr_len, 0);
	CHECK_EQ(h->csum_start, start);
	CHECK_EQ(h->csum_offset, 16);
	CHECK_EQ(h->num_buffers, 0);
}

static void test_tso_header(struct fake_netdev *d, struct vnet *v)
{
	struct virtio_net_hdr h;
	struct vnet_stats st0, st;
	int err;
	vnet_stats(v, &st0);
	CHECK_EQ(vnet_tx_tso(v), 1);
	/* 3000 bytes of data: cut into 1460-byte segments */
	h = tcp_sent(d, v, tcp_build(5, 5, 3000), 54, 1500, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(h.flags, VIRTIO_NET_HDR_F_NEEDS_CSUM);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.hdr_len, 54);
	CHECK_EQ(h.gso_size, 1460);
	CHECK_EQ(h.csum_start, 34);
	CHECK_EQ(h.csum_offset, 16);
	CHECK_EQ(h.num_buffers, 0);
	/* the largest: a 65535-byte IP packet; TCP options shrink the segments */
	h = tcp_sent(d, v, tcp_build(5, 8, 65535 - 20 - 32), 100, 1500, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(h.gso_type, VIRTIO_NET_HDR_GSO_TCPV4);
	CHECK_EQ(h.hdr_len, 14 + 20 + 32);
	CHECK_EQ(h.gso_size, 1500 - 20 - 32);
	/* another MTU */
	h = tcp_sent(d, v, tcp_build(5, 5, 2000), 54, 576, &err);
	CHECK_EQ(err, 0);
	CHECK_EQ(h.gso_size, 576 - 40);
	/* at the MTU, one byte below, a bare ACK: checksum offload only */
	h = tcp_sent(d, v, tcp_build(5, 5, 1460), 54, 1500, &err);
	CHECK_EQ(err, 0);
	check_csum_only(&h, 34);
	h = tcp_sent(d, v, tcp_build(5, 5, 1459), 1513, 1500, &err);
	CHECK_EQ(err, 0);
	check_csum_only(&h, 34);
	h = tcp_sent(d, v, tcp_build(5, 5, 0), 54, 1500, &err);
	CHECK_EQ(err, 0);
	check_csum_only(&h, 34);
	/* IP options: checksum offload at the right start, never GSO */
	h = tcp_sent(d, v, tcp_build(6, 5, 100), 58, 1500, &err);
	CHECK_EQ(err, 0);
	check_csum_only(&h, 38);
	vnet_stats(v, &st);
	CHECK_EQ(st.tx_gso - st0.tx_gso, 3);
	CHECK_EQ(st.tx_frames - st0.tx_frames, 7);
}

/* Frames that must not go: each is refused, nothing reaches the ring. */
static void test_tso_refused(struct fake_netdev *d, struct vnet *v)
{
	struct vnet_stats st0, st;
	struct fake_chain c;
	unsigned len;
	int err;
	vnet_stats(v, &st0);
#define REFUSED(len, cut, mtu)                                                                     \
	do {                                                                                       \
		tcp_sent(d, v, len, cut, mtu, &err);                                               \
		CHECK_EQ(err, -EINVAL);                                                            \
	} while (0)
	len = tcp_build(6, 5, 3000); /* IP options, longer than the MTU */
	REFUSED(len, 58, 1500);
	len = tcp_build(5, 5, 3000);
	tso_frame[23] = 17; /* UDP */
	REFUSED(len, 54, 1500);
	tso_frame[23] = 6;
	tso_frame[13] = 0xdd; /* not IPv4 */
	REFUSED(len, 54, 1500);
	tso_frame[13] = 0;
	tso_frame[14] = 0x65; /* IP version 6 */
	REFUSED(len, 54, 1500);
	tso_frame[14] = 0x44; /* IHL 4 */
	REFUSED(len, 54, 1500);
	tso_frame[14] = 0x45;
	tso_frame[20] = 0x20; /* more fragments */
	REFUSED(len, 54, 1500);
	tso_frame[20] = 0;
	tso_frame[21] = 1; /* a fragment's offset */
	REFUSED(len, 54, 1500);
	tso_frame[21] = 0;
	REFUSED(len, 40, 1500);     /* TCP header split from the IP header */
	REFUSED(len, 53, 1500);     /* TCP header cut short */
	REFUSED(len, 30, 1500);     /* IP header cut short */
	REFUSED(len - 1, 54, 1500); /* IP length longer than the frame */
	tso_frame[17]--;            /* ... and shorter */
	REFUSED(len, 54, 1500);
	tso_frame[17]++;
	tso_frame[46] = 0x40; /* TCP data offset 4 */
	REFUSED(len, 54, 1500);
	tso_frame[46] = 0xf0; /* 60 bytes of TCP header, not in segs[0] */
	REFUSED(len, 54, 1500);
	tso_frame[46] = 0x50;
	for (unsigned flag = 0x02; flag <= 0x80; flag <<= 1) {
		/* ACK, PSH and ECE are fine */
		if (flag == 0x10 || flag == 0x08 || flag == 0x40)
			continue;
		tso_frame[47] = (uint8_t)(0x10 | flag); /* SYN, RST, URG, CWR: never cut */
		REFUSED(len, 54, 1500);
	}
	tso_frame[47] = 0x11; /* FIN is fine: the device puts it on the last segment */
	tcp_sent(d, v, len, 54, 1500, &err);
	CHECK_EQ(err, 0);
	tso_frame[47] = 0x18;
	REFUSED(len, 54, 60);   /* an MTU below IPv4's 68 */
	REFUSED(len, 54, 1505); /* segments longer than a frame */
	len = tcp_build(5, 5, 10);
	REFUSED(len, len, 0);  /* no MTU */
	REFUSED(10, 10, 1500); /* shorter than an Ethernet header */
	CHECK_EQ(vnet_tx_send_tcp(v, (struct vnet_seg[]){{tso_frame, 54}}, 0, 1500, tso_frame),
	         -EINVAL);
	CHECK_EQ(vnet_tx_send_tcp(v, (struct vnet_seg[]){{tso_frame, 54}}, 1, 1500, NULL), -EINVAL);
	/* the plain and checksum calls keep their limit of one frame */
	CHECK_EQ(vnet_tx_send(v, (struct vnet_seg[]){{tso_frame, 3054}}, 1, tso_frame), -EINVAL);
	CHECK_EQ(vnet_tx_send_csum(v, (struct vnet_seg[]){{tso_frame, 3054}}, 1, 34, 16, tso_frame),
	         -EINVAL);
#undef REFUSED
	CHECK(!fake_pop(&d->fdev[1], &c));
	vnet_stats(v, &st);
	CHECK_EQ(st.tx_frames - st0.tx_frames, 1);
	CHECK_EQ(st.tx_gso - st0.tx_gso, 1);
}

/* Each frame in the ring keeps its own header until the device gives it back. */
static void test_tso_inflight(struct fake_netdev *d, struct vnet *v)
{
	static uint8_t a[54 + 3000], b[66 + 3000];
	struct fake_chain ca, cb;
	struct virtio_net_hdr ha, hb;
	void *cookie;
	memcpy(a, tso_frame, tcp_build(5, 5, 3000));
	memcpy(b, tso_frame, tcp_build(5, 8, 3000));
	CHECK_EQ(vnet_tx_send_tcp(v, (struct vnet_seg[]){{a, sizeof(a)}}, 1, 1500, a), 0);
	CHECK_EQ(vnet_tx_send_tcp(v, (struct vnet_seg[]){{b, sizeof(b)}}, 1, 1500, b), 0);
	CHECK(fake_pop(&d->fdev[1], &ca));
	CHECK(fake_pop(&d->fdev[1], &cb));
	memcpy(&ha, (void *)(uintptr_t)ca.buf[0].addr, sizeof(ha));
	memcpy(&hb, (void *)(uintptr_t)cb.buf[0].addr, sizeof(hb));
	CHECK_EQ(ha.hdr_len, 54);
	CHECK_EQ(hb.hdr_len, 66);
	CHECK_EQ(hb.gso_size, 1448);
	fake_push(&d->fdev[1], cb.head, 0); /* out of order */
	fake_push(&d->fdev[1], ca.head, 0);
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
	CHECK(cookie == b);
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), 0);
	CHECK(cookie == a);
}

/* CSUM without TSO: the same header up to the MTU, nothing longer. */
static void test_csum_no_tso(struct fake_netdev *d, struct vnet *v)
{
	struct virtio_net_hdr h;
	int err;
	CHECK_EQ(vnet_tx_tso(v), 0);
	h = tcp_sent(d, v, tcp_build(5, 5, 1460), 54, 1500, &err);
	CHECK_EQ(err, 0);
	check_csum_only(&h, 34);
	tcp_sent(d, v, tcp_build(5, 5, 1461), 54, 1500, &err);
	CHECK_EQ(err, -EINVAL);
}

/* Legacy without MRG_RXBUF: a 10-byte header, in its own descriptor. */
static void test_legacy_split(struct fake_netdev *d, struct vnet *v)
{
	struct vnet_rxbuf *b;
	struct fake_chain c;
	uint8_t *frame;
	uint32_t len;
	CHECK_EQ(vnet_rx_space(v), QMAX / 2); /* two descriptors a buffer, no indirect */
	CHECK_EQ(post_all(v, 1600), QMAX / 2);
	CHECK(fake_pop(&d->fdev[0], &c));
	CHECK_EQ(c.n, 2);
	CHECK_EQ(c.buf[0].len, 10);
	CHECK_EQ(c.buf[1].addr, c.buf[0].addr + 10);
	fake_push(&d->fdev[0], c.head, 10 + 42);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), 0);
	CHECK(frame == b->data + 10);
	CHECK_EQ(len, 42);
	test_tx(d, v, 10);
}

/* A used id the ring never gave out: every call says -EIO from then on. */
static void test_broken(struct fake_netdev *d, struct vnet *v)
{
	struct vnet_rxbuf *b;
	uint8_t *frame;
	uint32_t len;
	void *cookie;
	CHECK_EQ(post_all(v, 2048), QMAX);
	fake_push(&d->fdev[0], 9999, 100);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), -EIO);
	CHECK_EQ(vnet_rx_take(v, &b, &frame, &len), -EIO);
	CHECK_EQ(vnet_rx_post(v, (struct vnet_rxbuf *[]){&bufs[0].vb}, 1), -EIO);
	CHECK_EQ(vnet_rearm(v), -EIO);
	fake_push(&d->fdev[1], 12345, 0);
	CHECK_EQ(vnet_tx_reclaim(v, &cookie), -EIO);
}

int main(void)
{
	static struct fake_netdev d[VNET_MAX_DEVICES + 1];
	const uint64_t modern = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_NET_F_MAC) |
	                        VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) |
	                        VIRTIO_BIT(VIRTIO_NET_F_STATUS);
	const uint64_t tso = VIRTIO_BIT(VIRTIO_NET_F_CSUM) | VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4);
	struct vnet *v = bind(
	    &d[0], modern | tso | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC) | VIRTIO_BIT(VIRTIO_F_EVENT_IDX),
	    0, 0);
	test_probe(&d[0], v);
	test_rx_good(&d[0], v);
	test_rx_bad(&d[0], v);
	test_tx(&d[0], v, 12);
	test_tx_full(&d[0], v);
	test_tx_interrupts(&d[0], v);
	test_tso_header(&d[0], v);
	test_tso_refused(&d[0], v);
	test_tso_inflight(&d[0], v);
	/* TSO4 without CSUM: not used */
	struct vnet *lg = bind(&d[1], VIRTIO_BIT(VIRTIO_NET_F_HOST_TSO4), 1, 1);
	CHECK_EQ(vnet_tx_send_tcp(lg, (struct vnet_seg[]){{tso_frame, tcp_build(5, 5, 10)}}, 1,
	                          1500, tso_frame),
	         -EINVAL); /* no CSUM */
	test_legacy_split(&d[1], lg);
	test_broken(&d[2], bind(&d[2], modern, 0, 2));
	struct vnet *l =
	    bind(&d[3], VIRTIO_BIT(VIRTIO_NET_F_MRG_RXBUF) | VIRTIO_BIT(VIRTIO_NET_F_CSUM), 1, 3);
	CHECK_EQ(vnet_rx_space(l), QMAX); /* header inline: one descriptor a buffer */
	test_tx(&d[3], l, 12);
	test_tx_interrupts(&d[3], l);
	test_csum_no_tso(&d[3], l);
	CHECK_EQ(driver()->probe(&d[4].vdev), -ENOSPC);
	CHECK_EQ(irq_shim.enabled, 1); /* every call restored interrupts */
	for (int i = 0; i < VNET_MAX_DEVICES; i++)
		unbind(&d[i]);
	CHECK_EQ(fake_pages_outstanding(), 0);
	return check_summary("virtio-net");
}
