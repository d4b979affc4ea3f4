/*
 * lwIP network interfaces over the virtio-net driver (drivers/virtio_net.h):
 * Ethernet with ARP (ethernet_input, etharp_output), frames moved without
 * copies in either direction, addresses from the ip=/gw=/dns= options or
 * DHCP.
 *
 * Receive.  The device writes into buffers we lend it; each is a custom
 * pbuf (struct rxbuf) whose payload is the frame itself, so a frame reaches
 * lwIP where the device put it and goes back to the heap when lwIP frees
 * it.  The queue interrupt only posts a semaphore; a kernel thread per
 * device ("vnet-rx") takes the lwIP core lock and drains the ring, calling
 * ethernet_input() directly, then refills the ring and rearms the
 * interrupt.  Why a thread rather than tcpip_callback(): both hand the same
 * pbuf to lwIP with no copy, but tcpip_callback() allocates a message (not
 * allowed in interrupt context), a preallocated one can find the tcpip
 * mailbox full and lose the wake-up, and going through tcpip_input() would
 * cost a message per frame; a semaphore post cannot fail, and the thread
 * handles a whole batch per wake-up without any message.
 *
 * Transmit.  linkoutput() hands the pbuf chain's own memory to the device
 * and holds a reference (pbuf_ref) until the device is done; lwIP's TCP
 * sees that reference and does not rewrite a segment the device may still
 * be reading.  Finished frames are released at the next send and whenever
 * the transmit interrupt wakes the thread, so a segment TCP waits to
 * retransmit is never held back for long.  A chain of more pieces than the
 * driver takes is copied into one pbuf first.
 *
 * Segmentation offload.  When the device cuts TCP frames itself
 * (VIRTIO_NET_F_HOST_TSO4), the interface says so to lwIP with
 * NETIF_FLAG_TSO (net/patches/0002-tso.patch): TCP then builds segments of
 * up to TCP_TSO_SEG_MAX bytes for connections whose peer takes full-sized
 * ones, and IP leaves them whole; the driver asks the device to cut them to
 * the interface's MTU (not below TSO_RAM_MIN of RAM).  A segment is mostly one pbuf (lwIP copies
 * socket data into it), rarely more than a few, so the driver's chain limit costs no copy in
 * practice; indirect descriptors keep a frame to one ring slot.
 *
 * Locking: every call into the driver is made with the lwIP core lock held
 * (linkoutput runs under it; so does the thread's processing), which is the
 * serialization virtio_net.h asks for.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "lwip/dhcp.h"
#include "lwip/dns.h"
#include "lwip/etharp.h"
#include "lwip/netif.h"
#include "lwip/pbuf.h"
#include "lwip/prot/ip.h"
#include "lwip/priv/tcp_priv.h"
#include "lwip/tcpip.h"
#include "netif/ethernet.h"
#include <drivers/virtio_net.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/sync.h>
#include <kernel/thread.h>
#include <kernel/time.h>
#include "netif_virtio.h"

#define RXBUF_DATA      1536                      /* >= VNET_RXBUF_MIN */
#define RX_BUDGET       64                        /* frames per hold of the core lock */
#define RXBUF_SPARE     256                       /* received buffers kept for reuse, at most */
#define REFILL_BATCH    32                        /* buffers per vnet_rx_post() */
#define REFILL_RETRY_NS (100ULL * 1000 * 1000)    /* out of memory: try again after */
#define RX_THREAD_STACK (64 * 1024)               /* lwIP's whole input path runs on it */
#define RX_THREAD_PRIO  (THREAD_PRIO_DEFAULT + 1) /* frames first, then the application */
/*
 * TSO only with this much RAM: 64 KiB segments fragment the heap and keep
 * more queued per connection (nginx under 30 clients of a 1 MiB file needed
 * 12 MiB with TSO, 8 MiB without).
 */
#define TSO_RAM_MIN (16u << 20)

struct rxbuf;

struct vnetif {
	struct netif netif; /* first: lwIP hands us &netif, netif.state is this */
	struct vnet *dev;
	struct rxbuf *spare;     /* buffers lwIP let go of, for the next refill */
	unsigned nspare;         /* on that list; at most RXBUF_SPARE */
	struct ksem wake;        /* posted by the device's interrupt */
	uint32_t shown_addr;     /* the address last reported on the console */
	int rx_short;            /* the ring lacks buffers (no memory): retry on a timer */
	int broken;              /* the device broke the protocol: ignored from then on */
	unsigned long tx_copies; /* chains too long for the driver, sent from a copy */
	unsigned long tx_drops;  /* frames the driver refused */
	int tx_full;             /* one was refused for a full ring: see tx_reclaim() */
};

/* A receive buffer: what lwIP frees (pc) and what the device fills (vb, data). */
struct rxbuf {
	struct pbuf_custom pc; /* first: lwIP's struct pbuf * is this */
	struct vnetif *vi;     /* whose spare list it goes back to */
	struct rxbuf *next;    /* on that list */
	struct vnet_rxbuf vb;
	uint8_t data[RXBUF_DATA];
};

static const struct net_config *config;
static struct vnetif *first; /* the default interface */

/* Whether first has an address: set by its status callback, waited for by net_init(). */
static struct kmutex addr_lock = KMUTEX_INIT;
static struct kcond addr_cond = KCOND_INIT;
static int addr_ready;

/* ---- receive buffers ------------------------------------------------------------ */

/*
 * lwIP let go of a received frame: keep the buffer for the next refill
 * (a malloc() and free() per frame cost about 3 us under TCG), or free it
 * when enough are kept.  Any thread, with or without the core lock: the
 * list is taken with interrupts off (one CPU).
 */
static void rxbuf_free(struct pbuf *p)
{
	struct rxbuf *b = (struct rxbuf *)p; /* &b->pc.pbuf is b */
	struct vnetif *vi = b->vi;
	unsigned long f = irq_save();
	if (vi->nspare < RXBUF_SPARE) {
		b->next = vi->spare;
		vi->spare = b;
		vi->nspare++;
		b = NULL;
	}
	irq_restore(f);
	free(b);
}

static struct rxbuf *rxbuf_new(struct vnetif *vi)
{
	unsigned long f = irq_save();
	struct rxbuf *b = vi->spare;
	if (b) {
		vi->spare = b->next;
		vi->nspare--;
	}
	irq_restore(f);
	if (!b && !(b = malloc(sizeof(*b))))
		return NULL;
	b->pc.custom_free_function = rxbuf_free;
	b->vi = vi;
	b->vb.data = b->data;
	b->vb.size = sizeof(b->data);
	return b;
}

static struct rxbuf *rxbuf_of(struct vnet_rxbuf *vb)
{
	return (struct rxbuf *)((char *)vb - offsetof(struct rxbuf, vb));
}

/* Fills the ring's free slots; on no memory, sets rx_short to retry later. */
static void rx_refill(struct vnetif *vi)
{
	struct vnet_rxbuf *batch[REFILL_BATCH];
	unsigned want = vnet_rx_space(vi->dev);
	vi->rx_short = 0;
	while (want > 0 && !vi->rx_short) {
		unsigned n = 0;
		struct rxbuf *b;
		while (n < want && n < REFILL_BATCH && (b = rxbuf_new(vi)) != NULL)
			batch[n++] = &b->vb;
		vi->rx_short = n < want && n < REFILL_BATCH;
		int taken = n ? vnet_rx_post(vi->dev, batch, n) : 0;
		for (unsigned i = taken < 0 ? 0 : (unsigned)taken; i < n; i++)
			rxbuf_free(&rxbuf_of(batch[i])->pc.pbuf);
		if (taken < (int)n)
			return; /* ring full after all, or the device broke */
		want -= n;
	}
}

/* ---- receive and transmit processing (core lock held) ---------------------------- */

static void rx_deliver(struct vnetif *vi, struct vnet_rxbuf *vb, uint8_t *frame, uint32_t len)
{
	struct rxbuf *b = rxbuf_of(vb);
	/* len <= VNET_FRAME_MAX: the driver checked it. */
	struct pbuf *p =
	    pbuf_alloced_custom(PBUF_RAW, (u16_t)len, PBUF_REF, &b->pc, frame, (u16_t)len);
	if (vi->netif.input(p, &vi->netif) != ERR_OK)
		pbuf_free(p);
}

/* Up to RX_BUDGET frames into lwIP; returns 1 if the budget ran out. */
static int rx_batch(struct vnetif *vi)
{
	for (int n = 0; n < RX_BUDGET; n++) {
		struct vnet_rxbuf *vb;
		uint8_t *frame;
		uint32_t len;
		int err = vnet_rx_take(vi->dev, &vb, &frame, &len);
		if (err == 0)
			rx_deliver(vi, vb, frame, len);
		else if (err != -EBADMSG)
			return 0; /* -EAGAIN: drained; -EIO: vnet_rearm() reports it */
	}
	return 1;
}

/* Frees what the device has sent. */
static void tx_reclaim(struct vnetif *vi)
{
	void *cookie;
	while (vnet_tx_reclaim(vi->dev, &cookie) == 0)
		pbuf_free(cookie);
}

static void link_poll(struct vnetif *vi)
{
	int up;
	if (!vnet_link_poll(vi->dev, &up))
		return;
	if (up)
		netif_set_link_up(&vi->netif);
	else
		netif_set_link_down(&vi->netif);
}

/* One round; returns 1 if frames are left for another. */
static int rx_round(struct vnetif *vi)
{
	/*
	 * TCP keeps a segment the full ring refused (TF_NAGLEMEMERR) and sends
	 * it on that connection's next output, which never comes if nothing is
	 * in flight: each round after a refusal retries them all with
	 * tcp_txnow() (not from linkoutput, which runs inside TCP's output).
	 * Whether this round freed anything does not matter: linkoutput reclaims
	 * too, so the room may have been made since.  A refusal again sets
	 * tx_full again, and the completion interrupt brings the next round.
	 */
	tx_reclaim(vi);
	if (vi->tx_full) {
		vi->tx_full = 0;
		tcp_txnow();
	}
	int more = rx_batch(vi);
	rx_refill(vi);
	link_poll(vi);
	return more;
}

/* Rounds until the device is idle and its interrupts are back on. */
static void rx_run(struct vnetif *vi)
{
	int more;
	do {
		LOCK_TCPIP_CORE();
		more = rx_round(vi);
		if (!more)
			more = vnet_rearm(vi->dev);
		UNLOCK_TCPIP_CORE();
	} while (more == 1);
	if (more < 0) {
		kprintf("net: %c%c%u: %s is broken; interface stopped\n", vi->netif.name[0],
		        vi->netif.name[1], vi->netif.num, vnet_name(vi->dev));
		vi->broken = 1;
	}
}

static void rx_thread(void *arg)
{
	struct vnetif *vi = arg;
	while (!vi->broken) {
		uint64_t deadline = vi->rx_short ? time_monotonic_ns() + REFILL_RETRY_NS : 0;
		ksem_wait(&vi->wake, deadline); /* a timeout is the refill retry */
		rx_run(vi);
	}
}

/* The device's interrupt (interrupt context). */
static void vnetif_wake(void *arg)
{
	struct vnetif *vi = arg;
	ksem_post(&vi->wake);
}

/* ---- transmit --------------------------------------------------------------------- */

/* The chain's non-empty pieces as segments; their number, or -1 if they must be copied. */
static int tx_segs(struct pbuf *p, struct vnet_seg *segs)
{
	int n = 0;
	for (struct pbuf *q = p; q; q = q->next) {
		if (!q->len)
			continue;
		/*
		 * PBUF_REF memory is only lent for the call: a UDP sendto()
		 * refers to the caller's buffer, which may change as soon as
		 * it returns, before the device has read it.  Copy those.
		 */
		if (n == VNET_TX_SEGS_MAX || PBUF_NEEDS_COPY(q))
			return -1;
		segs[n].data = q->payload;
		segs[n++].len = q->len;
	}
	return n;
}

/*
 * Checksum offload (VIRTIO_NET_F_CSUM, which QEMU offers on a tap): lwIP
 * leaves TCP checksums to the device (vnetif_init), which sums the segment
 * under TCG-free host code; the guest only puts the pseudo-header's sum in
 * the checksum field, with the TCP length of the whole frame even for one
 * the device cuts (Linux's tcp_gso_segment() takes that length out again).
 * UDP keeps lwIP's checksums (a sum of 0 means "none" there, a case not
 * worth the risk).
 */
static const uint8_t *ipv4_of(const struct pbuf *p, unsigned *ihl)
{
	const uint8_t *f = p->payload;
	if (p->len < 14 + 20 || f[12] != 0x08 || f[13] != 0x00 || (f[14] >> 4) != 4)
		return NULL;
	*ihl = (f[14] & 15) * 4u;
	return *ihl >= 20 ? f + 14 : NULL;
}

static int tcp_frame(const struct pbuf *p)
{
	unsigned ihl;
	const uint8_t *ip = ipv4_of(p, &ihl);
	return ip && ip[9] == IP_PROTO_TCP;
}

/* A whole TCP segment in the first pbuf's headers: put the pseudo-header's sum in. */
static int tcp_partial_csum(struct pbuf *p)
{
	unsigned ihl;
	const uint8_t *ip = ipv4_of(p, &ihl);
	if (!ip || ip[9] != IP_PROTO_TCP || p->len < 14 + ihl + 20 || (ip[6] & 0x3f) || ip[7])
		return 0; /* not TCP, headers split, or a fragment */
	unsigned tcp_len = (unsigned)(ip[2] << 8 | ip[3]) - ihl;
	uint32_t sum = (uint32_t)(ip[12] << 8 | ip[13]) + (uint32_t)(ip[14] << 8 | ip[15]) +
	               (uint32_t)(ip[16] << 8 | ip[17]) + (uint32_t)(ip[18] << 8 | ip[19]) +
	               IP_PROTO_TCP + tcp_len;
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	uint8_t *field = (uint8_t *)p->payload + 14 + ihl + 16;
	field[0] = (uint8_t)(sum >> 8);
	field[1] = (uint8_t)sum;
	return 1;
}

static err_t vnetif_linkoutput(struct netif *netif, struct pbuf *p)
{
	struct vnetif *vi = netif->state;
	struct vnet_seg segs[VNET_TX_SEGS_MAX];
	struct pbuf *held = p;
	if (vi->broken)
		return ERR_IF;
	tx_reclaim(vi);
	int n = tx_segs(p, segs);
	if (n < 0) {
		held = pbuf_clone(PBUF_RAW, PBUF_RAM, p);
		if (!held)
			return ERR_MEM;
		vi->tx_copies++;
		n = tx_segs(held, segs);
	} else {
		pbuf_ref(p); /* until the device is done: see tx_reclaim() */
	}
	int err;
	if (!vnet_tx_csum(vi->dev))
		err = vnet_tx_send(vi->dev, segs, (unsigned)n, held);
	else if (tcp_partial_csum(held))
		err = vnet_tx_send_tcp(vi->dev, segs, (unsigned)n, netif->mtu, held);
	else
		err = tcp_frame(held) ? -EINVAL : vnet_tx_send(vi->dev, segs, (unsigned)n, held);
	if (err < 0) {
		pbuf_free(held);
		vi->tx_drops++;
		vi->tx_full |= err == -ENOSPC;
		return err == -ENOSPC ? ERR_MEM : ERR_IF;
	}
	return ERR_OK;
}

/* ---- interface setup -------------------------------------------------------------- */

static err_t vnetif_init(struct netif *netif)
{
	struct vnetif *vi = netif->state;
	netif->name[0] = 'e';
	netif->name[1] = 'n';
	netif->hostname = "toro";
	netif->mtu = 1500;
	netif->hwaddr_len = ETH_HWADDR_LEN;
	vnet_mac(vi->dev, netif->hwaddr);
	netif->flags = NETIF_FLAG_BROADCAST | NETIF_FLAG_ETHARP | NETIF_FLAG_ETHERNET;
	netif->output = etharp_output;
	netif->linkoutput = vnetif_linkoutput;
	if (vnet_tx_csum(vi->dev))
		NETIF_SET_CHECKSUM_CTRL(netif, NETIF_CHECKSUM_ENABLE_ALL & ~NETIF_CHECKSUM_GEN_TCP);
	if (vnet_tx_tso(vi->dev) && pmem_total_bytes() >= TSO_RAM_MIN) /* TSO implies CSUM */
		netif->flags |= NETIF_FLAG_TSO;
	else if (vnet_tx_tso(vi->dev))
		kprintf("net: %s: no TSO with less than %u MiB of RAM\n", vnet_name(vi->dev),
		        TSO_RAM_MIN >> 20);
	return ERR_OK;
}

/* One console line per new address: "net: en1 10.0.2.15/24 gw 10.0.2.2 (dhcp)". */
static void vnetif_report(struct vnetif *vi)
{
	const uint8_t *a = (const uint8_t *)netif_ip4_addr(&vi->netif);
	const uint8_t *g = (const uint8_t *)netif_ip4_gw(&vi->netif);
	uint32_t mask = ip4_addr_get_u32(netif_ip4_netmask(&vi->netif));
	if (ip4_addr_get_u32(netif_ip4_addr(&vi->netif)) == vi->shown_addr)
		return;
	vi->shown_addr = ip4_addr_get_u32(netif_ip4_addr(&vi->netif));
	kprintf("net: en%u %u.%u.%u.%u/%d gw %u.%u.%u.%u (%s)\n", vi->netif.num, a[0], a[1], a[2],
	        a[3], __builtin_popcount(mask), g[0], g[1], g[2], g[3],
	        dhcp_supplied_address(&vi->netif) ? "dhcp" : "static");
}

/* Status callback (core lock held): addresses changed, or up/down. */
static void vnetif_status(struct netif *netif)
{
	int has = !ip4_addr_isany_val(*netif_ip4_addr(netif)) && netif_is_up(netif);
	if (has)
		vnetif_report(netif->state);
	if (has && config->dns) {
		ip_addr_t dns = IPADDR4_INIT(config->dns);
		dns_setserver(0, &dns); /* dns= wins over what DHCP said */
	}
	if (netif->state != first)
		return;
	kmutex_lock(&addr_lock);
	addr_ready = has;
	kcond_broadcast(&addr_cond);
	kmutex_unlock(&addr_lock);
}

/* netif_add() with the static address, or none for DHCP; core lock held. */
static void vnetif_add(struct vnetif *vi, int is_static)
{
	ip4_addr_t addr, mask, gw;
	ip4_addr_set_u32(&addr, is_static ? config->addr : 0);
	ip4_addr_set_u32(&mask, is_static ? config->netmask : 0);
	ip4_addr_set_u32(&gw, is_static ? config->gateway : 0);
	netif_add(&vi->netif, &addr, &mask, &gw, vi, vnetif_init, ethernet_input);
	netif_set_status_callback(&vi->netif, vnetif_status);
	if (vi == first)
		netif_set_default(&vi->netif);
	if (vnet_link_up(vi->dev))
		netif_set_link_up(&vi->netif);
	netif_set_up(&vi->netif);
	if (!is_static && dhcp_start(&vi->netif) != ERR_OK)
		kprintf("net: en%u: cannot start DHCP\n", vi->netif.num);
}

static int rx_thread_start(struct vnetif *vi)
{
	struct thread *t;
	struct thread_attr attr = THREAD_ATTR_DEFAULT;
	attr.name = "vnet-rx";
	attr.detached = 1;
	attr.priority = RX_THREAD_PRIO;
	attr.stack_size = RX_THREAD_STACK;
	return thread_create(&t, rx_thread, vi, &attr);
}

static int vnetif_attach(struct vnet *dev, int is_first)
{
	struct vnetif *vi = calloc(1, sizeof(*vi));
	if (!vi)
		return -ENOMEM;
	vi->dev = dev;
	ksem_init(&vi->wake, 0);
	rx_refill(vi); /* nobody else uses the device yet */
	int err = rx_thread_start(vi);
	if (err < 0) {
		kprintf("net: %s: no receive thread (%d)\n", vnet_name(dev), err);
		return err; /* buffers stay lent to a device that never interrupts: leaked */
	}
	if (is_first)
		first = vi;
	LOCK_TCPIP_CORE();
	vnetif_add(vi, is_first && config->addr != 0);
	UNLOCK_TCPIP_CORE();
	return vnet_start(dev, vnetif_wake, vi);
}

int netif_virtio_attach_all(const struct net_config *cfg)
{
	struct vnet *dev;
	int n = 0;
	config = cfg;
	for (unsigned i = 0; (dev = vnet_get(i)) != NULL; i++)
		if (vnetif_attach(dev, n == 0) == 0)
			n++;
	return n;
}

int netif_virtio_wait_addr(uint64_t deadline_ns)
{
	kmutex_lock(&addr_lock);
	while (!addr_ready && deadline_ns && time_monotonic_ns() < deadline_ns)
		if (kcond_wait(&addr_cond, &addr_lock, deadline_ns) < 0)
			break;
	int ready = addr_ready;
	kmutex_unlock(&addr_lock);
	return ready;
}
