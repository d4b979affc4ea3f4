/*
 * lwIP on the loopback interface (127.0.0.1), through lwIP's socket API:
 * net_init() from two threads at once, a blocking TCP transfer of 1 MiB each
 * way between two threads with a checksum, a UDP round trip with FIONREAD
 * and a receive timeout, and a non-blocking connect/accept driven by
 * lwip_select() and lwip_poll().
 *
 * "net_loopback config" only prints what the ip=/gw=/dns= options gave.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "lwip/sockets.h"
#include <kernel/thread.h>
#include <net/net.h>
#include "vmtest.h"

#define PORT_TCP   5001
#define PORT_NB    5002
#define PORT_UDP   5003
#define XFER_BYTES (1u << 20)
#define SEND_CHUNK 7919 /* odd sizes, so segments and reads never line up */
#define RECV_CHUNK 3001
#define SEED_UP    0x12345678u
#define SEED_DOWN  0x9abcdef0u
#define WAIT_MS    10000

static struct sockaddr_in loopback(uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_len = sizeof(a);
	a.sin_family = AF_INET;
	a.sin_port = lwip_htons(port);
	a.sin_addr.s_addr = PP_HTONL(0x7f000001); /* 127.0.0.1 */
	return a;
}

/* ---- a reproducible byte stream and its checksum --------------------------- */

struct stream {
	uint32_t x;   /* xorshift32 state */
	uint64_t sum; /* FNV-1a over the bytes so far */
	size_t bytes; /* bytes so far */
	size_t wrong; /* bytes that differed from the generator */
};

static void stream_init(struct stream *s, uint32_t seed)
{
	s->x = seed;
	s->sum = 0xcbf29ce484222325ull;
	s->bytes = s->wrong = 0;
}

static uint8_t stream_next(struct stream *s)
{
	s->x ^= s->x << 13;
	s->x ^= s->x >> 17;
	s->x ^= s->x << 5;
	return (uint8_t)s->x;
}

static void stream_account(struct stream *s, uint8_t b)
{
	s->sum = (s->sum ^ b) * 0x100000001b3ull;
	s->bytes++;
}

/* Sends XFER_BYTES of the stream; 0 or -1. */
static int stream_send(int fd, struct stream *s)
{
	static uint8_t buf[SEND_CHUNK];
	while (s->bytes < XFER_BYTES) {
		size_t n = XFER_BYTES - s->bytes < SEND_CHUNK ? XFER_BYTES - s->bytes : SEND_CHUNK;
		for (size_t i = 0; i < n; i++) {
			buf[i] = stream_next(s);
			stream_account(s, buf[i]);
		}
		for (size_t off = 0; off < n;) {
			ssize_t w = lwip_send(fd, buf + off, n - off, 0);
			if (w <= 0)
				return -1;
			off += (size_t)w;
		}
	}
	return 0;
}

/* Receives until end of stream, checking each byte; 0 or -1 on an error. */
static int stream_recv(int fd, struct stream *s, uint8_t *buf)
{
	for (;;) {
		ssize_t r = lwip_recv(fd, buf, RECV_CHUNK, 0);
		if (r < 0)
			return -1;
		if (r == 0)
			return 0;
		for (ssize_t i = 0; i < r; i++) {
			s->wrong += buf[i] != stream_next(s);
			stream_account(s, buf[i]);
		}
	}
}

/* ---- net_init() from two threads ---------------------------------------------- */

static void init_thread(void *arg)
{
	*(int *)arg = net_init();
}

static void check_init(void)
{
	struct thread *t;
	int other = -1;
	CHECK("thread for net_init", 10, thread_create(&t, init_thread, &other, NULL) == 0);
	int mine = net_init();
	thread_join(t);
	CHECK("net_init from two threads", 11, mine == 0 && other == 0);
	CHECK("net_init again", 12, net_init() == 0);
}

/* ---- TCP: 1 MiB each way, blocking ------------------------------------------- */

struct server {
	int listen_fd;
	struct stream up;   /* what it received */
	struct stream down; /* what it sent */
	int err;            /* 0, or the step that failed */
};

static void server_main(void *arg)
{
	static uint8_t buf[RECV_CHUNK];
	struct server *sv = arg;
	int c = lwip_accept(sv->listen_fd, NULL, NULL);
	if (c < 0) {
		sv->err = 1;
		return;
	}
	stream_init(&sv->up, SEED_UP);
	stream_init(&sv->down, SEED_DOWN);
	if (stream_recv(c, &sv->up, buf) < 0)
		sv->err = 2;
	else if (stream_send(c, &sv->down) < 0)
		sv->err = 3;
	lwip_close(c);
}

static int tcp_listen(uint16_t port)
{
	struct sockaddr_in a = loopback(port);
	int one = 1;
	int fd = lwip_socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0)
		return -1;
	lwip_setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (lwip_bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 || lwip_listen(fd, 8) < 0) {
		lwip_close(fd);
		return -1;
	}
	return fd;
}

static void check_tcp(void)
{
	static uint8_t buf[RECV_CHUNK];
	static struct server sv;
	struct stream up, down;
	struct thread *t;
	struct thread_attr attr = THREAD_ATTR_DEFAULT;
	attr.name = "tcp-server";
	sv.listen_fd = tcp_listen(PORT_TCP);
	CHECK("tcp listen", 20, sv.listen_fd >= 0);
	CHECK("tcp server thread", 21, thread_create(&t, server_main, &sv, &attr) == 0);

	struct sockaddr_in a = loopback(PORT_TCP);
	int c = lwip_socket(AF_INET, SOCK_STREAM, 0);
	CHECK("tcp socket", 22, c >= 0);
	CHECK("tcp connect", 23, lwip_connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	stream_init(&up, SEED_UP);
	stream_init(&down, SEED_DOWN);
	CHECK("tcp send 1 MiB", 24, stream_send(c, &up) == 0);
	CHECK("tcp shutdown", 25, lwip_shutdown(c, SHUT_WR) == 0);
	CHECK("tcp recv 1 MiB", 26, stream_recv(c, &down, buf) == 0);
	lwip_close(c);
	thread_join(t);
	lwip_close(sv.listen_fd);

	printf("tcp: up %zu bytes sum %016llx, down %zu bytes sum %016llx\n", sv.up.bytes,
	       (unsigned long long)sv.up.sum, down.bytes, (unsigned long long)down.sum);
	CHECK("tcp server steps", 27, sv.err == 0);
	CHECK("tcp upload checksum", 28,
	      sv.up.bytes == XFER_BYTES && sv.up.sum == up.sum && sv.up.wrong == 0);
	CHECK("tcp download checksum", 29,
	      down.bytes == XFER_BYTES && down.sum == sv.down.sum && down.wrong == 0);
}

/* ---- UDP: a round trip, FIONREAD, SO_RCVTIMEO --------------------------------- */

static int udp_bound(uint16_t port)
{
	struct sockaddr_in a = loopback(port);
	int fd = lwip_socket(AF_INET, SOCK_DGRAM, 0);
	if (fd >= 0 && lwip_bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0) {
		lwip_close(fd);
		return -1;
	}
	return fd;
}

static int wait_readable(int fd)
{
	struct pollfd p = {fd, POLLIN, 0};
	return lwip_poll(&p, 1, WAIT_MS) == 1 && (p.revents & POLLIN);
}

static void check_udp_timeout(int fd)
{
	struct timeval tv = {0, 100 * 1000};
	char b;
	CHECK("udp SO_RCVTIMEO", 38,
	      lwip_setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) == 0);
	ssize_t r = lwip_recv(fd, &b, 1, 0);
	int e = errno;
	CHECK("udp recv times out", 39, r == -1 && (e == EAGAIN || e == EWOULDBLOCK));
}

static void check_udp(void)
{
	static char msg[1000], got[1100];
	struct sockaddr_in from;
	socklen_t fromlen = sizeof(from);
	int srv = udp_bound(PORT_UDP), cli = udp_bound(0), avail = 0;
	CHECK("udp sockets", 30, srv >= 0 && cli >= 0);
	for (size_t i = 0; i < sizeof(msg); i++)
		msg[i] = (char)('a' + i % 26);

	struct sockaddr_in to = loopback(PORT_UDP);
	CHECK("udp sendto", 31,
	      lwip_sendto(cli, msg, sizeof(msg), 0, (struct sockaddr *)&to, sizeof(to)) ==
	          (ssize_t)sizeof(msg));
	CHECK("udp poll", 32, wait_readable(srv));
	CHECK("udp FIONREAD", 33,
	      lwip_ioctl(srv, FIONREAD, &avail) == 0 && avail == (int)sizeof(msg));
	ssize_t r = lwip_recvfrom(srv, got, sizeof(got), 0, (struct sockaddr *)&from, &fromlen);
	CHECK("udp recvfrom", 34, r == (ssize_t)sizeof(msg) && memcmp(got, msg, sizeof(msg)) == 0);
	CHECK("udp echo", 35,
	      lwip_sendto(srv, got, (size_t)r, 0, (struct sockaddr *)&from, fromlen) == r);
	CHECK("udp poll reply", 36, wait_readable(cli));
	memset(got, 0, sizeof(got));
	r = lwip_recv(cli, got, sizeof(got), 0);
	CHECK("udp round trip", 37,
	      r == (ssize_t)sizeof(msg) && memcmp(got, msg, sizeof(msg)) == 0);
	check_udp_timeout(cli);
	lwip_close(srv);
	lwip_close(cli);
}

/* ---- non-blocking connect and accept -------------------------------------------- */

static int nb_connect(void)
{
	struct sockaddr_in a = loopback(PORT_NB);
	int one = 1;
	int c = lwip_socket(AF_INET, SOCK_STREAM, 0);
	CHECK("nb client socket", 42, c >= 0 && lwip_ioctl(c, FIONBIO, &one) == 0);
	int r = lwip_connect(c, (struct sockaddr *)&a, sizeof(a));
	int e = errno;
	CHECK("nb connect in progress", 43, r == -1 && e == EINPROGRESS);
	return c;
}

static int nb_accept(int l)
{
	fd_set rd;
	struct timeval tv = {WAIT_MS / 1000, 0};
	FD_ZERO(&rd);
	FD_SET(l, &rd);
	CHECK("nb select on listener", 44,
	      lwip_select(l + 1, &rd, NULL, NULL, &tv) == 1 && FD_ISSET(l, &rd));
	int a = lwip_accept(l, NULL, NULL);
	CHECK("nb accept", 45, a >= 0);
	return a;
}

static void check_nonblocking(void)
{
	int l = tcp_listen(PORT_NB), err = -1;
	socklen_t len = sizeof(err);
	char buf[8] = {0};
	CHECK("nb listen", 40, l >= 0 && lwip_fcntl(l, F_SETFL, O_NONBLOCK) == 0);
	int r = lwip_accept(l, NULL, NULL);
	int e = errno;
	CHECK("nb accept would block", 41, r == -1 && (e == EWOULDBLOCK || e == EAGAIN));

	int c = nb_connect();
	int a = nb_accept(l);
	struct pollfd p = {c, POLLOUT, 0};
	CHECK("nb poll connected", 46, lwip_poll(&p, 1, WAIT_MS) == 1 && (p.revents & POLLOUT));
	CHECK("nb SO_ERROR", 47,
	      lwip_getsockopt(c, SOL_SOCKET, SO_ERROR, &err, &len) == 0 && err == 0);
	CHECK("nb send", 48, lwip_send(c, "hello", 5, 0) == 5);
	CHECK("nb recv", 49,
	      wait_readable(a) && lwip_recv(a, buf, sizeof(buf), 0) == 5 &&
	          memcmp(buf, "hello", 5) == 0);
	lwip_close(a);
	lwip_close(c);
	lwip_close(l);
}

/* ---- "config": the kernel options ------------------------------------------------ */

static void print_addr(const char *name, uint32_t a)
{
	const uint8_t *b = (const uint8_t *)&a;
	printf(" %s %u.%u.%u.%u", name, b[0], b[1], b[2], b[3]);
}

static int show_config(void)
{
	const struct net_config *c = net_config();
	printf("net config:");
	print_addr("ip", c->addr);
	printf(" prefix %d", c->prefix);
	print_addr("mask", c->netmask);
	print_addr("gw", c->gateway);
	print_addr("dns", c->dns);
	printf("\n");
	return vmtest_success();
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "config") == 0)
		return show_config();
	check_init();
	check_tcp();
	check_udp();
	check_nonblocking();
	return vmtest_success();
}
