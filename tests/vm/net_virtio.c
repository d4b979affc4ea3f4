/*
 * virtio-net (drivers/virtio/net.c) and its lwIP interface (net/
 * netif_virtio.c) end to end over QEMU's user network, against a host-side
 * peer (net_peer.py, started by run-net-test.sh) on the host's 127.0.0.1,
 * which the guest reaches as 10.0.2.2.  Uses lwIP's socket API directly.
 *
 *   net_virtio test dhcp|static PEERPORT LISTENPORT BYTES
 *       the interface's address (10.0.2.15/24, gateway 10.0.2.2, DNS 10.0.2.3) came
 *       from DHCP or from ip=/gw=/dns=; then, at the same time:
 *       out-echo: connect to 10.0.2.2:PEERPORT, send BYTES of a generated
 *                 stream, read them back from the peer's echo, check them;
 *       in-echo:  accept on LISTENPORT (the host's --fwd port), echo back
 *                 the BYTES of random data the peer sends, until the peer
 *                 closes (so it has the whole echo before the VM ends).
 *   net_virtio bench PEERPORT LISTENPORT BYTES
 *       BYTES guest->host, then host->guest, timed; figures only.
 *   net_virtio send ADDR PORT BYTES tso|notso
 *       BYTES (a multiple of 8) of the splitmix64 stream to a sink at
 *       ADDR:PORT (tso_sink.py, on a tap: run-tso-test.sh), which checks
 *       them and answers "ok BYTES"; then the driver's counters: with tso
 *       the device must have cut frames (VIRTIO_NET_F_HOST_TSO4), far fewer
 *       than one per MSS going out; with notso none.
 *
 * Protocol with the peer: the guest opens every session with a line
 * "TORO <label> <mode> <bytes>" (mode: what the peer does: echo, recv, send,
 * ping = send and expect the echo).  Both sides print "xfer <label> <g2h|h2g>
 * <bytes> <crc32>" per direction; run-net-test.sh checks that each line the
 * guest prints, the peer printed too.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "lwip/dhcp.h"
#include "lwip/ip4_addr.h"
#include "lwip/netif.h"
#include "lwip/sockets.h"
#include "lwip/tcpip.h"
#include <drivers/virtio_net.h>
#include <net/net.h>
#include "vmtest.h"

#define GATEWAY      PP_HTONL(0x0a000202) /* 10.0.2.2: the host's 127.0.0.1 */
#define SEND_CHUNK   7919                 /* odd sizes, so segments and reads never line up */
#define RECV_CHUNK   3001
#define BENCH_BUF    (64 * 1024)
#define SEED_OUT     0x2545f491u
#define ACCEPT_TRIES 10 /* connections that end before any data, at most */

static uint8_t ip_byte(uint32_t a, int i)
{
	return ((const uint8_t *)&a)[i];
}

static uint64_t now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000 + (uint64_t)t.tv_nsec / 1000000;
}

/* ---- CRC-32 (IEEE, as zlib.crc32) and a reproducible stream -------------------- */

static uint32_t crc_table[256];

static void crc_init(void)
{
	for (uint32_t i = 0; i < 256; i++) {
		uint32_t c = i;
		for (int k = 0; k < 8; k++)
			c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
		crc_table[i] = c;
	}
}

/* Running CRC: start from 0, as zlib does. */
static uint32_t crc_update(uint32_t crc, const uint8_t *p, size_t n)
{
	crc = ~crc;
	while (n--)
		crc = crc_table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

struct stream {
	uint32_t x;   /* xorshift32 state */
	uint32_t crc; /* of the bytes so far */
	size_t bytes; /* so far */
	size_t wrong; /* bytes that differed from the generator */
};

static void stream_init(struct stream *s, uint32_t seed)
{
	memset(s, 0, sizeof(*s));
	s->x = seed;
}

static uint8_t stream_next(struct stream *s)
{
	s->x ^= s->x << 13;
	s->x ^= s->x >> 17;
	s->x ^= s->x << 5;
	return (uint8_t)s->x;
}

/* ---- socket helpers ------------------------------------------------------------- */

static struct sockaddr_in inet_addr_port(uint32_t addr, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_len = sizeof(a);
	a.sin_family = AF_INET;
	a.sin_port = lwip_htons(port);
	a.sin_addr.s_addr = addr;
	return a;
}

static int send_all(int fd, const void *buf, size_t n)
{
	for (size_t off = 0; off < n;) {
		ssize_t w = lwip_send(fd, (const char *)buf + off, n - off, 0);
		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

/* Opens a session with the peer: the line it reads first. */
static int hello(int fd, const char *label, const char *mode, size_t bytes)
{
	char line[96];
	int n = snprintf(line, sizeof(line), "TORO %s %s %zu\n", label, mode, bytes);
	return send_all(fd, line, (size_t)n);
}

static int connect_peer(uint16_t port)
{
	struct sockaddr_in a = inet_addr_port(GATEWAY, port);
	int fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	if (fd >= 0 && lwip_connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		printf("connect to 10.0.2.2:%u: errno %d\n", port, errno);
		lwip_close(fd);
		return -1;
	}
	return fd;
}

static int listen_on(uint16_t port)
{
	struct sockaddr_in a = inet_addr_port(PP_HTONL(INADDR_ANY), port);
	int fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	if (lwip_bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || lwip_listen(fd, 4) < 0) {
		lwip_close(fd);
		return -1;
	}
	return fd;
}

static void xfer_print(const char *label, const char *dir, size_t bytes, uint32_t crc)
{
	printf("xfer %s %s %zu %08x\n", label, dir, bytes, (unsigned)crc);
}

/* ---- the address ---------------------------------------------------------------------- */

static int dhcp_bound(void)
{
	LOCK_TCPIP_CORE();
	int bound = netif_default && dhcp_supplied_address(netif_default);
	UNLOCK_TCPIP_CORE();
	return bound;
}

static void check_address(const char *how)
{
	struct net_config c;
	uint64_t t0 = now_ms();
	CHECK("net_init", 10, net_init() == 0);
	uint64_t t1 = now_ms();
	CHECK("default interface has an address", 11, net_ipv4_current(&c) == 0);
	printf("net: default %u.%u.%u.%u/%d gw %u.%u.%u.%u dns %u.%u.%u.%u (%s) after %llu ms\n",
	       ip_byte(c.addr, 0), ip_byte(c.addr, 1), ip_byte(c.addr, 2), ip_byte(c.addr, 3),
	       c.prefix, ip_byte(c.gateway, 0), ip_byte(c.gateway, 1), ip_byte(c.gateway, 2),
	       ip_byte(c.gateway, 3), ip_byte(c.dns, 0), ip_byte(c.dns, 1), ip_byte(c.dns, 2),
	       ip_byte(c.dns, 3), how, (unsigned long long)(t1 - t0));
	CHECK("address 10.0.2.15/24", 12, c.addr == PP_HTONL(0x0a00020f) && c.prefix == 24);
	CHECK("gateway 10.0.2.2", 13, c.gateway == GATEWAY);
	CHECK("dns 10.0.2.3", 14, c.dns == PP_HTONL(0x0a000203));
	if (strcmp(how, "dhcp") == 0)
		CHECK("address from DHCP", 15, net_config()->addr == 0 && dhcp_bound());
	else
		CHECK("address from ip=", 16, net_config()->addr != 0 && !dhcp_bound());
}

/* ---- out-echo: we send a stream to the peer's echo and check what comes back --------- */

struct sender {
	int fd;
	size_t bytes;
	struct stream s; /* what was sent */
	int err;
};

static void *sender_main(void *arg)
{
	static uint8_t buf[SEND_CHUNK];
	struct sender *sd = arg;
	while (sd->s.bytes < sd->bytes) {
		size_t n =
		    sd->bytes - sd->s.bytes < SEND_CHUNK ? sd->bytes - sd->s.bytes : SEND_CHUNK;
		for (size_t i = 0; i < n; i++)
			buf[i] = stream_next(&sd->s);
		sd->s.crc = crc_update(sd->s.crc, buf, n);
		sd->s.bytes += n;
		if (send_all(sd->fd, buf, n) < 0) {
			sd->err = errno;
			break;
		}
	}
	lwip_shutdown(sd->fd, SHUT_WR);
	return NULL;
}

/* Reads to the end, checking each byte against the generator. */
static int recv_check(int fd, struct stream *s)
{
	static uint8_t buf[RECV_CHUNK];
	for (;;) {
		ssize_t r = lwip_recv(fd, buf, sizeof(buf), 0);
		if (r <= 0)
			return r == 0 ? 0 : -1;
		for (ssize_t i = 0; i < r; i++)
			s->wrong += buf[i] != stream_next(s);
		s->crc = crc_update(s->crc, buf, (size_t)r);
		s->bytes += (size_t)r;
	}
}

static void check_out_echo(uint16_t port, size_t bytes)
{
	static struct sender sd;
	struct stream back;
	pthread_t t;
	sd.fd = connect_peer(port);
	CHECK("out-echo connect to 10.0.2.2", 20, sd.fd >= 0);
	CHECK("out-echo hello", 21, hello(sd.fd, "out-echo", "echo", bytes) == 0);
	sd.bytes = bytes;
	stream_init(&sd.s, SEED_OUT);
	stream_init(&back, SEED_OUT);
	CHECK("out-echo sender thread", 22, pthread_create(&t, NULL, sender_main, &sd) == 0);
	int rerr = recv_check(sd.fd, &back);
	pthread_join(t, NULL);
	lwip_close(sd.fd);
	xfer_print("out-echo", "g2h", sd.s.bytes, sd.s.crc);
	xfer_print("out-echo", "h2g", back.bytes, back.crc);
	CHECK("out-echo sent all", 23, sd.err == 0 && sd.s.bytes == bytes);
	CHECK("out-echo echo complete", 24, rerr == 0 && back.bytes == bytes);
	CHECK("out-echo echo intact", 25, back.wrong == 0 && back.crc == sd.s.crc);
}

/* ---- in-echo: the peer connects through the host forward; we echo ------------------- */

struct echo_server {
	int listen_fd;
	size_t bytes; /* announced to the peer */
	size_t got;   /* received (and sent back) */
	uint32_t crc; /* of those */
	int err;      /* 0, or the step that failed */
};

static void echo_loop(int c, struct echo_server *es)
{
	static uint8_t buf[RECV_CHUNK];
	for (;;) {
		ssize_t r = lwip_recv(c, buf, sizeof(buf), 0);
		if (r <= 0) {
			es->err = r < 0 ? 3 : 0;
			return;
		}
		es->crc = crc_update(es->crc, buf, (size_t)r);
		es->got += (size_t)r;
		if (send_all(c, buf, (size_t)r) < 0) {
			es->err = 4;
			return;
		}
	}
}

/*
 * QEMU accepts on the forward port even before we listen, and then connects
 * to us late, when the peer may have given up on that connection: a session
 * that ends before any data is such a leftover, and we accept the next one.
 */
static void *echo_server_main(void *arg)
{
	struct echo_server *es = arg;
	for (int tries = 0; tries < ACCEPT_TRIES && es->got == 0; tries++) {
		int c = lwip_accept(es->listen_fd, NULL, NULL);
		if (c < 0) {
			es->err = 1;
			return NULL;
		}
		es->err = 0;
		if (hello(c, "in-echo", "ping", es->bytes) < 0)
			es->err = 2;
		else
			echo_loop(c, es);
		lwip_close(c);
	}
	return NULL;
}

static void check_in_echo_done(pthread_t t, struct echo_server *es)
{
	pthread_join(t, NULL);
	lwip_close(es->listen_fd);
	xfer_print("in-echo", "h2g", es->got, es->crc);
	xfer_print("in-echo", "g2h", es->got, es->crc);
	CHECK("in-echo steps", 31, es->err == 0);
	CHECK("in-echo all bytes", 32, es->got == es->bytes);
}

/* ---- driver counters ----------------------------------------------------------------- */

static void check_driver(void)
{
	struct vnet_stats st;
	struct vnet *v = vnet_get(0);
	CHECK("virtio-net device", 40, v != NULL);
	vnet_stats(v, &st);
	printf("vnet: rx %llu frames %llu bytes, tx %llu frames %llu bytes, %llu interrupts, "
	       "bad len %llu, bad bufs %llu, ring full %llu\n",
	       (unsigned long long)st.rx_frames, (unsigned long long)st.rx_bytes,
	       (unsigned long long)st.tx_frames, (unsigned long long)st.tx_bytes,
	       (unsigned long long)st.interrupts, (unsigned long long)st.rx_bad_len,
	       (unsigned long long)st.rx_bad_bufs, (unsigned long long)st.tx_ring_full);
	CHECK("no bad frames", 41, st.rx_bad_len == 0 && st.rx_bad_bufs == 0);
}

static int run_test(const char *how, uint16_t peer_port, uint16_t listen_port, size_t bytes)
{
	static struct echo_server es;
	pthread_t t;
	check_address(how);
	es.listen_fd = listen_on(listen_port);
	es.bytes = bytes;
	CHECK("in-echo listen", 30, es.listen_fd >= 0);
	CHECK("in-echo thread", 33, pthread_create(&t, NULL, echo_server_main, &es) == 0);
	uint64_t t0 = now_ms();
	check_out_echo(peer_port, bytes);
	check_in_echo_done(t, &es);
	printf("both echoes of %zu bytes took %llu ms\n", bytes,
	       (unsigned long long)(now_ms() - t0));
	check_driver();
	return vmtest_success();
}

/* ---- bench: one way each, timed --------------------------------------------------- */

static void bench_print(const char *dir, size_t bytes, uint64_t ms)
{
	unsigned long long kib_s = ms ? (unsigned long long)bytes * 1000 / 1024 / ms : 0;
	printf("bench %s %zu bytes %llu ms %llu.%02llu MiB/s\n", dir, bytes, (unsigned long long)ms,
	       kib_s / 1024, kib_s % 1024 * 100 / 1024);
}

static void bench_g2h(uint16_t port, size_t bytes)
{
	static uint8_t buf[BENCH_BUF];
	char end;
	memset(buf, 0x5a, sizeof(buf));
	uint64_t t0 = now_ms();
	int fd = connect_peer(port);
	CHECK("bench g2h connect", 50, fd >= 0 && hello(fd, "bench-g2h", "recv", bytes) == 0);
	int err = 0;
	for (size_t off = 0; off < bytes && !err; off += BENCH_BUF)
		err = send_all(fd, buf, BENCH_BUF);
	CHECK("bench g2h send", 51, err == 0);
	lwip_shutdown(fd, SHUT_WR);
	CHECK("bench g2h peer done", 52, lwip_recv(fd, &end, 1, 0) == 0); /* it read all */
	bench_print("guest->host", bytes, now_ms() - t0);
	lwip_close(fd);
}

/* Reads to the end of stream; the bytes read. */
static size_t recv_count(int c, int *err)
{
	static uint8_t buf[BENCH_BUF];
	size_t got = 0;
	ssize_t r;
	while ((r = lwip_recv(c, buf, sizeof(buf), 0)) > 0)
		got += (size_t)r;
	*err = r < 0;
	return got;
}

static void bench_h2g(uint16_t port, size_t bytes)
{
	size_t got = 0;
	int l = listen_on(port), err = 0;
	uint64_t ms = 0;
	CHECK("bench h2g listen", 53, l >= 0);
	/* As in echo_server_main(): skip leftover connections with no data. */
	for (int tries = 0; tries < ACCEPT_TRIES && got == 0; tries++) {
		int c = lwip_accept(l, NULL, NULL);
		CHECK("bench h2g accept", 54, c >= 0 && hello(c, "bench-h2g", "send", bytes) == 0);
		uint64_t t0 = now_ms();
		got = recv_count(c, &err);
		ms = now_ms() - t0;
		lwip_close(c);
	}
	bench_print("host->guest", got, ms);
	CHECK("bench h2g all bytes", 55, err == 0 && got == bytes);
	lwip_close(l);
}

/* ---- send: one stream to a sink, with or without segmentation offload ------------- */

/* Word i of the stream is splitmix64(i), little-endian, as tso_sink.py makes it. */
static uint64_t mix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ull;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
	return x ^ (x >> 31);
}

static int send_stream(int fd, size_t bytes)
{
	static uint8_t buf[BENCH_BUF + 8 * 991]; /* whole words, no multiple of the MSS */
	uint64_t w = 0;
	for (size_t off = 0; off < bytes;) {
		size_t n = bytes - off < sizeof(buf) ? bytes - off : sizeof(buf);
		for (size_t i = 0; i < n; i += 8) {
			uint64_t x = mix64(w++);
			memcpy(buf + i, &x, 8);
		}
		if (send_all(fd, buf, n) < 0)
			return -1;
		off += n;
	}
	return 0;
}

/* The sink's answer after our end of stream; 0 if it says "ok BYTES". */
static int sink_answer(int fd, size_t bytes)
{
	char line[64], want[64];
	size_t got = 0;
	ssize_t r;
	while (got < sizeof(line) - 1 &&
	       (r = lwip_recv(fd, line + got, sizeof(line) - 1 - got, 0)) > 0)
		got += (size_t)r;
	line[got] = 0;
	snprintf(want, sizeof(want), "ok %zu\n", bytes);
	printf("send: the sink says %s", got ? line : "nothing\n");
	return strcmp(line, want) == 0 ? 0 : -1;
}

static int run_send(const char *addr, uint16_t port, size_t bytes, const char *mode)
{
	struct vnet_stats st;
	ip4_addr_t ip;
	CHECK("send: BYTES a multiple of 8, tso or notso", 50,
	      bytes % 8 == 0 && (!strcmp(mode, "tso") || !strcmp(mode, "notso")));
	CHECK("send: ADDR", 51, ip4addr_aton(addr, &ip));
	CHECK("net_init", 10, net_init() == 0);
	struct sockaddr_in a = inet_addr_port(ip4_addr_get_u32(&ip), port);
	int fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	CHECK("connect to the sink", 52,
	      fd >= 0 && lwip_connect(fd, (struct sockaddr *)&a, sizeof(a)) == 0);
	uint64_t t0 = now_ms();
	CHECK("send the stream", 53, send_stream(fd, bytes) == 0);
	CHECK("end of stream", 54, lwip_shutdown(fd, SHUT_WR) == 0);
	CHECK("the sink got every byte right", 55, sink_answer(fd, bytes) == 0);
	uint64_t ms = now_ms() - t0;
	lwip_close(fd);
	vnet_stats(vnet_get(0), &st);
	printf("send: %zu bytes in %llu ms; tx %llu frames, %llu of them cut by the device (TSO)\n",
	       bytes, (unsigned long long)ms, (unsigned long long)st.tx_frames,
	       (unsigned long long)st.tx_gso);
	if (strcmp(mode, "tso") == 0)
		CHECK("frames cut by the device, far fewer than one per MSS", 56,
		      st.tx_gso > 0 && st.tx_frames < bytes / 1460 / 4);
	else
		CHECK("no frame cut by the device", 57, st.tx_gso == 0);
	check_driver();
	return vmtest_success();
}

static int run_bench(uint16_t peer_port, uint16_t listen_port, size_t bytes)
{
	CHECK("net_init", 10, net_init() == 0);
	bench_g2h(peer_port, bytes);
	bench_h2g(listen_port, bytes);
	check_driver();
	return vmtest_success();
}

int main(int argc, char **argv)
{
	crc_init();
	if (argc == 6 && strcmp(argv[1], "test") == 0)
		return run_test(argv[2], (uint16_t)atoi(argv[3]), (uint16_t)atoi(argv[4]),
		                (size_t)atol(argv[5]));
	if (argc == 5 && strcmp(argv[1], "bench") == 0)
		return run_bench((uint16_t)atoi(argv[2]), (uint16_t)atoi(argv[3]),
		                 (size_t)atol(argv[4]) / BENCH_BUF * BENCH_BUF);
	if (argc == 6 && strcmp(argv[1], "send") == 0)
		return run_send(argv[2], (uint16_t)atoi(argv[3]), (size_t)atol(argv[4]), argv[5]);
	printf("usage: net_virtio test dhcp|static PEERPORT LISTENPORT BYTES\n"
	       "       net_virtio bench PEERPORT LISTENPORT BYTES\n"
	       "       net_virtio send ADDR PORT BYTES tso|notso\n");
	return 2;
}
