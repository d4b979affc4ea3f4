/*
 * A TCP echo server written against POSIX sockets only (sys/socket.h, no
 * lwip_*), so the same file builds for Linux (gcc -static -pthread) and the
 * benchmark compares like with like (bench/net.sh).  Driven from the host by
 * echo_clients.py through toro-run --fwd.
 *
 *   echo_server MODE TOTAL [WARM]
 *     MODE   threads (blocking, one thread per connection), epoll, poll or
 *            select (non-blocking, one event loop), or epollet (edge-triggered,
 *            each connection registered once for in and out, as nginx does)
 *     TOTAL  exit after this many TCP connections have been served and closed
 *     WARM   after this many, with none open and IDLE_MS without events,
 *            note the heap in use; at the end it must be back within
 *            LEAK_SLACK bytes (the leak check: connections WARM .. TOTAL
 *            must not grow it)
 *
 * Ports: 7777 TCP echo, 7778 TCP discard (reads to the end of stream, then
 * answers the byte count as 8 bytes, big-endian: host->guest throughput),
 * 7777 UDP echo (a thread in every mode).  At the end: every descriptor is
 * closed (a new socket gets the number a probe socket got at the start), the
 * heap is back (mallinfo's bytes in use), then "SUCCESS".
 *
 * What the leak check sees: newlib's (or glibc's) malloc heap only, which on
 * Toro includes lwIP's pools and pcbs (MEMP_MEM_MALLOC) and the receive
 * buffers; not the kernel's page allocator.  Its resolution is LEAK_SLACK:
 * about 480 bytes a connection over 1000.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <malloc.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include "vmtest.h"

#define ECHO_PORT    7777
#define DISCARD_PORT 7778
#define BUF_SIZE     16384
#define MAX_FD       1024 /* descriptors the event loops track (FD_SETSIZE) */
#define ROUNDS       8    /* read/write rounds per event, for fairness */
/*
 * Allowed growth: 64 bytes a connection over 1000, plus what Toro's virtio-net
 * glue may keep for reuse (net/netif_virtio.c: up to RXBUF_SPARE = 256 receive
 * buffers of ~1.6 KB, a bounded cache that fills with traffic peaks, not
 * with connections).  On Linux the heap does not move at all.
 */
#define LEAK_SLACK (64 * 1024 + 256 * 1700)
#ifndef IDLE_MS
#define IDLE_MS 300 /* -DIDLE_MS=-1: no timeout, so no heap check either */
#endif

enum want { WANT_CLOSED, WANT_IN, WANT_OUT };

struct conn {
	int fd;
	int discard;     /* on the discard port: count, answer at the end */
	uint64_t count;  /* bytes discarded so far */
	size_t off, len; /* buf[off..len) still to be written */
	char buf[BUF_SIZE];
};

static int echo_fd, discard_fd;
static int total, warm = -1;
static int served;        /* connections closed */
static long heap_at_warm; /* mallinfo bytes in use, after WARM connections */

/* The UDP question echo_clients.py asks until the WARM snapshot is taken. */
#define HEAP_QUESTION "echo-server: heap noted?"

/* mallinfo's bytes in use (libc-glue/newlib/patches/0001: a real figure). */
static long heap_in_use(void)
{
	struct mallinfo m = mallinfo();
	return (long)m.uordblks;
}

static int listen_tcp(int port)
{
	int s = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0), one = 1;
	struct sockaddr_in a = {0};
	a.sin_family = AF_INET;
	a.sin_port = htons((uint16_t)port);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	CHECK("socket", 10, s >= 0);
	CHECK("reuseaddr", 11, setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	CHECK("bind", 12, bind(s, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK("listen", 13, listen(s, 128) == 0);
	return s;
}

static void conn_served(void)
{
	served++;
}

/*
 * Called when nothing happened for IDLE_MS: the first time that is after
 * WARM connections with none open, notes the heap in use.  Both snapshots
 * (this one and the one at the end) are taken with the network quiet: the
 * receive path keeps frames in malloc'd buffers while traffic flows, so a
 * snapshot in the middle of it measures traffic, not leaks.  The client
 * pauses after the WARM connections for this.
 */
static void idle_snapshot(int open_now)
{
	if (warm > 0 && served >= warm && open_now == 0 && heap_at_warm == 0)
		__atomic_store_n(&heap_at_warm, heap_in_use(), __ATOMIC_RELEASE);
}

/* ---- UDP echo: one thread in every mode ------------------------------------ */

/* Asked by echo_clients.py: BURST_COUNT datagrams back, as fast as possible. */
#define BURST_QUESTION "echo-server: burst"
#define BURST_COUNT    200

/*
 * Every datagram from one buffer, rewritten right after each sendto(): each
 * must leave as it was at its call (no device reading the caller's memory
 * later).  Datagram i is "%04d" i, then 'A' + i % 26 to 1000 bytes.
 */
static void udp_burst(int u, const struct sockaddr_in *to, socklen_t len)
{
	char buf[1000];
	for (int i = 0; i < BURST_COUNT; i++) {
		memset(buf, 'A' + i % 26, sizeof(buf));
		char head[8];
		snprintf(head, sizeof(head), "%04d", i);
		memcpy(buf, head, 4);
		sendto(u, buf, sizeof(buf), 0, (const struct sockaddr *)to, len);
	}
}

static void *udp_echo(void *arg)
{
	int u = *(int *)arg;
	char buf[2048];
	for (;;) {
		struct sockaddr_in from;
		socklen_t len = sizeof(from);
		ssize_t n = recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len);
		if (n == sizeof(BURST_QUESTION) - 1 && !memcmp(buf, BURST_QUESTION, (size_t)n)) {
			udp_burst(u, &from, len);
			continue;
		}
		if (n == sizeof(HEAP_QUESTION) - 1 && !memcmp(buf, HEAP_QUESTION, (size_t)n))
			n = sprintf(buf, "%s", __atomic_load_n(&heap_at_warm, __ATOMIC_ACQUIRE) ? "yes" : "no");
		if (n >= 0)
			sendto(u, buf, (size_t)n, 0, (struct sockaddr *)&from, len);
	}
	return NULL;
}

static void udp_start(void)
{
	static int u;
	struct sockaddr_in a = {0};
	pthread_t t;
	a.sin_family = AF_INET;
	a.sin_port = htons(ECHO_PORT);
	a.sin_addr.s_addr = htonl(INADDR_ANY);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	CHECK("udp-bind", 14, u >= 0 && bind(u, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK("udp-thread", 15, pthread_create(&t, NULL, udp_echo, &u) == 0);
	pthread_detach(t);
}

/* ---- one connection, non-blocking ------------------------------------------ */

static int conn_answer_count(struct conn *c)
{
	for (int i = 0; i < 8; i++)
		c->buf[i] = (char)(c->count >> (56 - 8 * i));
	c->off = 0;
	c->len = 8;
	c->discard = 2; /* answered: close once written */
	return 0;
}

/* A connection that ends in an error rather than the peer's end of stream. */
static enum want conn_failed(struct conn *c, const char *what)
{
	printf("fd %d: %s: errno %d (%s)\n", c->fd, what, errno, strerror(errno));
	return WANT_CLOSED;
}

/* Reads and writes until the socket would block; says what to wait for. */
static int edge; /* epollet: every step must go on until the socket would block */

static enum want conn_step(struct conn *c)
{
	for (int round = 0; edge || round < ROUNDS; round++) {
		while (c->off < c->len) {
			ssize_t w = write(c->fd, c->buf + c->off, c->len - c->off);
			if (w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
				return WANT_OUT;
			if (w <= 0)
				return conn_failed(c, "write");
			c->off += (size_t)w;
		}
		c->off = c->len = 0;
		if (c->discard == 2)
			return WANT_CLOSED;
		ssize_t r = read(c->fd, c->buf, sizeof(c->buf));
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return WANT_IN;
		if (r == 0 && c->discard == 1) {
			conn_answer_count(c);
			continue;
		}
		if (r < 0)
			return conn_failed(c, "read");
		if (r == 0)
			return WANT_CLOSED;
		if (c->discard)
			c->count += (uint64_t)r;
		else
			c->len = (size_t)r;
	}
	return c->off < c->len ? WANT_OUT : WANT_IN;
}

/* ---- event loops: epoll, poll, select over the same conn_step() ----------------- */

static struct conn *conns[MAX_FD];
static int nopen;

static struct conn *conn_accept(int lfd)
{
	int fd = accept(lfd, NULL, NULL);
	if (fd < 0) {
		CHECK_QUIET("accept", 20, errno == EAGAIN || errno == EWOULDBLOCK);
		return NULL;
	}
	CHECK_QUIET("fd-range", 21, fd < MAX_FD);
	int flags = fcntl(fd, F_GETFL), one = 1;
	CHECK_QUIET("nonblock", 22, flags >= 0 && fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	struct conn *c = malloc(sizeof(*c));
	CHECK_QUIET("conn-alloc", 23, c != NULL);
	memset(c, 0, offsetof(struct conn, buf));
	c->fd = fd;
	c->discard = lfd == discard_fd;
	conns[fd] = c;
	nopen++;
	return c;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000;
}

/* An event loop must never block: a slow close() stalls every connection. */
static void close_timed(int fd)
{
	long t0 = now_ms();
	close(fd);
	if (now_ms() - t0 > 100)
		printf("close(%d) blocked the event loop for %ld ms\n", fd, now_ms() - t0);
}

static void conn_close(struct conn *c)
{
	conns[c->fd] = NULL;
	close_timed(c->fd);
	free(c);
	nopen--;
	conn_served();
}

static void loop_epoll(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event e = {.events = EPOLLIN};
	CHECK("epoll_create1", 30, ep >= 0);
	e.data.fd = echo_fd;
	CHECK("epoll-add", 31, epoll_ctl(ep, EPOLL_CTL_ADD, echo_fd, &e) == 0);
	e.data.fd = discard_fd;
	CHECK("epoll-add", 31, epoll_ctl(ep, EPOLL_CTL_ADD, discard_fd, &e) == 0);
	while (served < total) {
		struct epoll_event ev[64];
		int n = epoll_wait(ep, ev, 64, IDLE_MS);
		CHECK_QUIET("epoll_wait", 32, n >= 0 || errno == EINTR);
		if (n == 0)
			idle_snapshot(nopen);
		for (int i = 0; i < n; i++) {
			int fd = ev[i].data.fd;
			struct conn *c;
			if (fd == echo_fd || fd == discard_fd) {
				while ((c = conn_accept(fd)) != NULL) {
					/* epollet registers once for both directions, as nginx does */
					struct epoll_event ce = {
					    .events = edge ? EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET : EPOLLIN,
					    .data.fd = c->fd};
					CHECK_QUIET("epoll-add-conn", 33,
					            epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &ce) == 0);
				}
				continue;
			}
			if ((c = conns[fd]) == NULL)
				continue;
			enum want w = conn_step(c);
			if (w == WANT_CLOSED) {
				epoll_ctl(ep, EPOLL_CTL_DEL, fd, NULL);
				conn_close(c);
				continue;
			}
			if (edge)
				continue; /* the next edge comes by itself */
			struct epoll_event ce = {.events = w == WANT_OUT ? EPOLLOUT : EPOLLIN,
			                         .data.fd = fd};
			CHECK_QUIET("epoll-mod", 34, epoll_ctl(ep, EPOLL_CTL_MOD, fd, &ce) == 0);
		}
	}
	close(ep);
}

static short want_out[MAX_FD]; /* poll and select: a connection waiting to write */

static void serve_ready(int fd, int readable, int writable)
{
	struct conn *c;
	if (fd == echo_fd || fd == discard_fd) {
		if (readable)
			while (conn_accept(fd) != NULL)
				;
		return;
	}
	if ((c = conns[fd]) == NULL || !(readable || writable))
		return;
	enum want w = conn_step(c);
	want_out[fd] = w == WANT_OUT;
	if (w == WANT_CLOSED)
		conn_close(c);
}

static void loop_poll(void)
{
	static struct pollfd p[MAX_FD];
	while (served < total) {
		int n = 0;
		p[n++] = (struct pollfd){echo_fd, POLLIN, 0};
		p[n++] = (struct pollfd){discard_fd, POLLIN, 0};
		for (int fd = 0; fd < MAX_FD; fd++)
			if (conns[fd])
				p[n++] = (struct pollfd){fd, want_out[fd] ? POLLOUT : POLLIN, 0};
		int r = poll(p, (nfds_t)n, IDLE_MS);
		CHECK_QUIET("poll", 40, r >= 0 || errno == EINTR);
		if (r == 0)
			idle_snapshot(nopen);
		for (int i = 0; r > 0 && i < n; i++)
			serve_ready(p[i].fd, (p[i].revents & (POLLIN | POLLHUP | POLLERR)) != 0,
			            (p[i].revents & POLLOUT) != 0);
	}
}

static void loop_select(void)
{
	while (served < total) {
		fd_set rd, wr;
		int maxfd = echo_fd > discard_fd ? echo_fd : discard_fd;
		FD_ZERO(&rd);
		FD_ZERO(&wr);
		FD_SET(echo_fd, &rd);
		FD_SET(discard_fd, &rd);
		for (int fd = 0; fd < MAX_FD; fd++) {
			if (!conns[fd])
				continue;
			FD_SET(fd, want_out[fd] ? &wr : &rd);
			maxfd = fd > maxfd ? fd : maxfd;
		}
		struct timeval tv = {0, IDLE_MS * 1000};
		int r = select(maxfd + 1, &rd, &wr, NULL, &tv);
		CHECK_QUIET("select", 50, r >= 0 || errno == EINTR);
		if (r == 0)
			idle_snapshot(nopen);
		for (int fd = 0; r > 0 && fd <= maxfd; fd++)
			serve_ready(fd, FD_ISSET(fd, &rd), FD_ISSET(fd, &wr));
	}
}

/* ---- threads: blocking sockets, one thread per connection ------------------------- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t changed = PTHREAD_COND_INITIALIZER;
static pthread_t done[MAX_FD]; /* finished threads, not joined yet */
static int ndone, nrunning;

static int write_all(int fd, const char *p, size_t n)
{
	while (n > 0) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void *conn_thread(void *arg)
{
	int fd = (int)(long)arg & 0xffff, discard = (int)((long)arg >> 16);
	char *buf = malloc(BUF_SIZE);
	uint64_t count = 0;
	ssize_t r;
	while (buf && (r = read(fd, buf, BUF_SIZE)) > 0) {
		count += (uint64_t)r;
		if (!discard && write_all(fd, buf, (size_t)r) < 0)
			break;
	}
	if (buf && discard) {
		for (int i = 0; i < 8; i++)
			buf[i] = (char)(count >> (56 - 8 * i));
		write_all(fd, buf, 8);
	}
	free(buf);
	close(fd);
	pthread_mutex_lock(&lock);
	done[ndone++] = pthread_self();
	nrunning--;
	conn_served();
	pthread_cond_broadcast(&changed);
	pthread_mutex_unlock(&lock);
	return NULL;
}

/* Joins finished threads; with all=1 waits for every thread to finish. */
static void reap(int all)
{
	pthread_mutex_lock(&lock);
	while (all && nrunning > 0)
		pthread_cond_wait(&changed, &lock);
	while (ndone > 0)
		pthread_join(done[--ndone], NULL);
	pthread_mutex_unlock(&lock);
}

static void loop_threads(void)
{
	int flags = fcntl(echo_fd, F_GETFL);
	CHECK("blocking", 60,
	      fcntl(echo_fd, F_SETFL, flags & ~O_NONBLOCK) == 0 &&
	          fcntl(discard_fd, F_SETFL, flags & ~O_NONBLOCK) == 0);
	for (int accepted = 0; accepted < total; accepted++) {
		struct pollfd p[2] = {{echo_fd, POLLIN, 0}, {discard_fd, POLLIN, 0}};
		int r;
		while ((r = poll(p, 2, IDLE_MS)) == 0) {
			reap(0);
			pthread_mutex_lock(&lock);
			int quiet = ndone == 0 && nrunning == 0; /* all joined */
			pthread_mutex_unlock(&lock);
			if (quiet)
				idle_snapshot(0);
		}
		CHECK_QUIET("poll-listen", 61, r > 0);
		int lfd = (p[0].revents & POLLIN) ? echo_fd : discard_fd;
		int fd = accept(lfd, NULL, NULL);
		CHECK_QUIET("accept", 62, fd >= 0 && fd < 0x10000);
		int one = 1;
		setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
		pthread_t t;
		pthread_mutex_lock(&lock);
		nrunning++;
		pthread_mutex_unlock(&lock);
		long arg = fd | (long)(lfd == discard_fd) << 16;
		CHECK_QUIET("thread", 63, pthread_create(&t, NULL, conn_thread, (void *)arg) == 0);
		reap(0);
	}
	reap(1);
}

/* ---- main ------------------------------------------------------------------------- */

static int probe_fd(void)
{
	int s = socket(AF_INET, SOCK_STREAM, 0);
	close(s);
	return s;
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		printf("usage: echo_server threads|epoll|epollet|poll|select TOTAL [WARM]\n");
		return 2;
	}
	const char *mode = argv[1];
	total = atoi(argv[2]);
	warm = argc > 3 ? atoi(argv[3]) : -1;
	char name[IF_NAMESIZE];
	CHECK("if_nametoindex", 1,
	      if_nametoindex("toro-no-such-if") == 0 &&
	          (errno == ENXIO || errno == ENODEV /* Linux */));
	CHECK("if_indextoname", 2, if_indextoname(99, name) == NULL && errno == ENXIO);
	echo_fd = listen_tcp(ECHO_PORT);
	discard_fd = listen_tcp(DISCARD_PORT);
	udp_start();
	int probe = probe_fd();
	printf("echo_server: %s, tcp %d (echo) %d (discard), udp %d; %d connections\n", mode,
	       ECHO_PORT, DISCARD_PORT, ECHO_PORT, total);
	fflush(stdout);
	if (!strcmp(mode, "epoll"))
		loop_epoll();
	else if (!strcmp(mode, "epollet") && (edge = 1))
		loop_epoll();
	else if (!strcmp(mode, "poll"))
		loop_poll();
	else if (!strcmp(mode, "select"))
		loop_select();
	else if (!strcmp(mode, "threads"))
		loop_threads();
	else
		CHECK("mode", 3, 0);
	int probe_end = probe_fd();
	long heap_end = heap_in_use();
	printf("served %d connections; probe fd %d at start, %d at the end\n", served, probe,
	       probe_end);
	CHECK("fds-back", 4, probe_end == probe);
	if (warm > 0) {
		printf(
		    "heap in use, quiet, after %d connections: %ld bytes, after %d: %ld (%+ld)\n",
		    warm, heap_at_warm, total, heap_end, heap_end - heap_at_warm);
		CHECK("heap-back", 5, heap_at_warm > 0 && heap_end - heap_at_warm < LEAK_SLACK);
	}
	close(echo_fd);
	close(discard_fd);
	sleep(1); /* the last answer is still in QEMU's slirp: the VM's end would drop it */
	return vmtest_success();
}
