/*
 * POSIX sockets over the loopback interface: an epoll server (non-blocking
 * accept, edge-triggered reads) echoing to blocking clients in threads;
 * address conversions, getaddrinfo, options, names, poll and select on
 * sockets, UDP, and the errors POSIX promises.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <unistd.h>
#include "vmtest.h"

#define PORT	 7070
#define CLIENTS	 4
#define PER_CLIENT (256 * 1024)

static int listen_fd;

static void test_inet(void)
{
	struct in_addr a;
	char buf[INET6_ADDRSTRLEN];
	CHECK("inet_pton", 1, inet_pton(AF_INET, "10.0.2.15", &a) == 1 && a.s_addr == htonl(0x0a00020f));
	CHECK("inet_pton-bad", 2, inet_pton(AF_INET, "10.0.2.256", &a) == 0);
	CHECK("inet_ntop", 3, strcmp(inet_ntop(AF_INET, &a, buf, sizeof(buf)), "10.0.2.15") == 0);
	CHECK("inet_addr", 4, inet_addr("127.0.0.1") == htonl(INADDR_LOOPBACK));
	uint8_t v6[16];
	CHECK("inet_pton6", 5, inet_pton(AF_INET6, "::1", v6) == 1 && v6[15] == 1 && v6[0] == 0);
	CHECK("htons", 6, htons(0x1234) == 0x3412 && ntohl(htonl(0xdeadbeef)) == 0xdeadbeef);
	struct addrinfo hints = {0}, *res;
	hints.ai_family = AF_INET;
	hints.ai_socktype = SOCK_STREAM;
	CHECK("getaddrinfo", 7, getaddrinfo("localhost", "7070", &hints, &res) == 0);
	struct sockaddr_in *sin = (struct sockaddr_in *)res->ai_addr;
	CHECK("getaddrinfo-addr", 8, sin->sin_family == AF_INET && sin->sin_port == htons(PORT) &&
				      sin->sin_addr.s_addr == htonl(INADDR_LOOPBACK) && !res->ai_next);
	freeaddrinfo(res);
	CHECK("getaddrinfo-bad", 9, getaddrinfo("no.such.name.invalid", NULL, &hints, &res) != 0);
	CHECK("gai_strerror", 10, strlen(gai_strerror(EAI_NONAME)) > 0);
	char host[64];
	CHECK("gethostname", 11, gethostname(host, sizeof(host)) == 0 && host[0]);
}

static int listen_on(int port, int flags)
{
	int s = socket(AF_INET, SOCK_STREAM | flags, 0);
	int one = 1;
	CHECK("socket", 12, s >= 0);
	CHECK("reuseaddr", 13, setsockopt(s, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) == 0);
	struct sockaddr_in a = {AF_INET, htons((uint16_t)port), {htonl(INADDR_ANY)}, {0}};
	CHECK("bind", 14, bind(s, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK("listen", 15, listen(s, 64) == 0);
	return s;
}

static void *client(void *arg)
{
	long id = (long)arg;
	int s = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {AF_INET, htons(PORT), {htonl(INADDR_LOOPBACK)}, {0}};
	if (s < 0 || connect(s, (struct sockaddr *)&a, sizeof(a)) != 0)
		return (void *)1;
	int one = 1;
	setsockopt(s, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	static __thread char out[4096], in[4096];
	/* lock-step: each block comes back before the next goes, so neither side's buffers fill */
	for (size_t sent = 0; sent < PER_CLIENT; sent += sizeof(out)) {
		for (size_t i = 0; i < sizeof(out); i++)
			out[i] = (char)((sent + i) * 7 + id);
		if (send(s, out, sizeof(out), 0) != (ssize_t)sizeof(out))
			return (void *)2;
		for (size_t got = 0; got < sizeof(out);) {
			ssize_t n = recv(s, in + got, sizeof(in) - got, 0);
			if (n <= 0)
				return (void *)3;
			got += (size_t)n;
		}
		if (memcmp(in, out, sizeof(out)) != 0)
			return (void *)4;
	}
	close(s);
	return NULL;
}

/* Echo server on epoll, edge-triggered: drain each socket until EAGAIN. */
static void serve(int ep, int *closed)
{
	struct epoll_event ev[16];
	int n = epoll_wait(ep, ev, 16, 10000);
	if (n <= 0)
		printf("epoll_wait returned %d errno %d\n", n, errno);
	CHECK_QUIET("epoll_wait", 20, n > 0);
	for (int i = 0; i < n; i++) {
		int fd = ev[i].data.fd;
		if (fd == listen_fd) {
			int c;
			while ((c = accept4(listen_fd, NULL, NULL, SOCK_NONBLOCK)) >= 0) {
				struct epoll_event e = {EPOLLIN | EPOLLET, {.fd = c}};
				CHECK_QUIET("epoll-add-conn", 21, epoll_ctl(ep, EPOLL_CTL_ADD, c, &e) == 0);
			}
			CHECK_QUIET("accept-eagain", 22, errno == EAGAIN || errno == EWOULDBLOCK);
			continue;
		}
		char buf[8192];
		ssize_t r;
		while ((r = read(fd, buf, sizeof(buf))) > 0) {
			for (ssize_t off = 0; off < r;) {
				ssize_t w = write(fd, buf + off, (size_t)(r - off));
				if (w < 0 && errno == EAGAIN) {
					struct pollfd p = {fd, POLLOUT, 0};
					poll(&p, 1, 1000);
					continue;
				}
				CHECK_QUIET("echo-write", 23, w > 0);
				off += w;
			}
		}
		if (r == 0) {
			close(fd);
			(*closed)++;
		} else {
			CHECK_QUIET("read-eagain", 24, errno == EAGAIN);
		}
	}
}

static void test_tcp(void)
{
	listen_fd = listen_on(PORT, SOCK_NONBLOCK);
	int ep = epoll_create1(0);
	struct epoll_event e = {EPOLLIN, {.fd = listen_fd}};
	CHECK("epoll-add-listen", 16, epoll_ctl(ep, EPOLL_CTL_ADD, listen_fd, &e) == 0);
	pthread_t t[CLIENTS];
	for (long i = 0; i < CLIENTS; i++)
		CHECK("client-thread", 17, pthread_create(&t[i], NULL, client, (void *)i) == 0);
	int closed = 0;
	while (closed < CLIENTS)
		serve(ep, &closed);
	for (int i = 0; i < CLIENTS; i++) {
		void *r;
		pthread_join(t[i], &r);
		if (r)
			printf("client %d failed at step %ld\n", i, (long)r);
		CHECK("client-ok", 25, r == NULL);
	}
	printf("tcp: %d clients echoed %d KiB each through epoll\n", CLIENTS, PER_CLIENT / 1024);
	close(ep);
	close(listen_fd);
}

static void test_names_and_errors(void)
{
	int l = listen_on(PORT + 1, 0);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {AF_INET, htons(PORT + 1), {htonl(INADDR_LOOPBACK)}, {0}}, b;
	CHECK("connect", 30, connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	socklen_t len = sizeof(b);
	int s = accept(l, (struct sockaddr *)&b, &len);
	CHECK("accept", 31, s >= 0 && len == sizeof(b) && b.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	len = sizeof(b);
	CHECK("getpeername", 32, getpeername(c, (struct sockaddr *)&b, &len) == 0 && b.sin_port == htons(PORT + 1));
	len = sizeof(b);
	CHECK("getsockname", 33, getsockname(s, (struct sockaddr *)&b, &len) == 0 && b.sin_port == htons(PORT + 1));
	int v = 0;
	len = sizeof(v);
	CHECK("so_type", 34, getsockopt(c, SOL_SOCKET, SO_TYPE, &v, &len) == 0 && v == SOCK_STREAM);
	CHECK("so_error", 35, getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	v = 1 << 20;
	CHECK("so_sndbuf-ignored", 36, setsockopt(c, SOL_SOCKET, SO_SNDBUF, &v, sizeof(v)) == 0);
	CHECK("bad-option", 37, setsockopt(c, SOL_SOCKET, 999, &v, sizeof(v)) == -1 && errno == ENOPROTOOPT);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(s, &r);
	struct timeval tv = {0, 0};
	CHECK("select-not-ready", 38, select(s + 1, &r, NULL, NULL, &tv) == 0);
	CHECK("send", 39, send(c, "ping", 4, 0) == 4);
	struct pollfd p = {s, POLLIN, 0};
	CHECK("poll-socket", 40, poll(&p, 1, 5000) == 1 && (p.revents & POLLIN));
	char buf[8];
	CHECK("recv-peek", 41, recv(s, buf, 4, MSG_PEEK) == 4 && recv(s, buf, 4, 0) == 4 && !memcmp(buf, "ping", 4));
	CHECK("shutdown", 42, shutdown(c, SHUT_WR) == 0);
	p = (struct pollfd){s, POLLIN | POLLRDHUP, 0};
	CHECK("rdhup-poll", 72, poll(&p, 1, 5000) == 1 && (p.revents & POLLRDHUP) && (p.revents & POLLIN));
	int ep = epoll_create1(0);
	struct epoll_event ee = {.events = EPOLLIN | EPOLLRDHUP | EPOLLET};
	CHECK("rdhup-epoll", 73, ep >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, s, &ee) == 0 &&
	                            epoll_wait(ep, &ee, 1, 5000) == 1 && (ee.events & EPOLLRDHUP));
	close(ep);
	p = (struct pollfd){c, POLLIN | POLLRDHUP, 0};
	CHECK("no-rdhup", 74, poll(&p, 1, 0) == 0);
	CHECK("eof", 43, recv(s, buf, sizeof(buf), 0) == 0);
	CHECK("notsock", 44, send(1, "x", 1, 0) == -1 && errno == ENOTSOCK);
	CHECK("ebadf", 45, listen(999, 1) == -1 && errno == EBADF);
	CHECK("af-unix", 46, socket(AF_UNIX, SOCK_STREAM, 0) == -1 && errno == EAFNOSUPPORT);
	struct sockaddr_in bad = {AF_INET, htons(9), {htonl(INADDR_LOOPBACK)}, {0}};
	int c2 = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("refused", 47, connect(c2, (struct sockaddr *)&bad, sizeof(bad)) == -1 && errno == ECONNREFUSED);
	close(c2);
	close(c);
	close(s);
	close(l);
}

static void test_udp(void)
{
	int u = socket(AF_INET, SOCK_DGRAM, 0), v = socket(AF_INET, SOCK_DGRAM, 0);
	struct sockaddr_in a = {AF_INET, htons(PORT + 2), {htonl(INADDR_LOOPBACK)}, {0}}, from;
	CHECK("udp-bind", 50, bind(u, (struct sockaddr *)&a, sizeof(a)) == 0);
	CHECK("udp-sendto", 51, sendto(v, "dgram", 5, 0, (struct sockaddr *)&a, sizeof(a)) == 5);
	char buf[16];
	socklen_t len = sizeof(from);
	CHECK("udp-recvfrom", 52, recvfrom(u, buf, sizeof(buf), 0, (struct sockaddr *)&from, &len) == 5 &&
					  !memcmp(buf, "dgram", 5) && from.sin_addr.s_addr == htonl(INADDR_LOOPBACK));
	close(u);
	close(v);
}

/*
 * Non-blocking connect through the descriptor table: EINPROGRESS, then
 * writable with SO_ERROR 0 on success; to a closed port, the failure is
 * reported by poll (POLLERR) and SO_ERROR (ECONNREFUSED, read once).
 */
static void test_nonblocking_connect(void)
{
	int l = listen_on(PORT + 3, 0), v = -1;
	socklen_t len = sizeof(v);
	struct sockaddr_in a = {AF_INET, htons(PORT + 3), {htonl(INADDR_LOOPBACK)}, {0}};
	int c = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	CHECK("nb-socket", 60, c >= 0 && (fcntl(c, F_GETFL) & O_NONBLOCK));
	int r = connect(c, (struct sockaddr *)&a, sizeof(a));
	CHECK("nb-connect-inprogress", 61, r == -1 && errno == EINPROGRESS);
	struct pollfd p = {c, POLLOUT, 0};
	CHECK("nb-connect-writable", 62, poll(&p, 1, 5000) == 1 && (p.revents & POLLOUT) && !(p.revents & POLLERR));
	CHECK("nb-connect-so_error", 63, getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	int s = accept(l, NULL, NULL);
	CHECK("nb-accept", 64, s >= 0);
	CHECK("nb-send", 65, send(c, "x", 1, 0) == 1);
	char ch = 0;
	p = (struct pollfd){s, POLLIN, 0};
	CHECK("nb-recv", 66, poll(&p, 1, 5000) == 1 && recv(s, &ch, 1, 0) == 1 && ch == 'x');
	close(s);
	close(c);
	close(l);

	struct sockaddr_in closed = {AF_INET, htons(9), {htonl(INADDR_LOOPBACK)}, {0}};
	c = socket(AF_INET, SOCK_STREAM, 0);
	int on = 1;
	CHECK("nb-fionbio", 67, c >= 0 && ioctl(c, FIONBIO, &on) == 0);
	r = connect(c, (struct sockaddr *)&closed, sizeof(closed));
	int e = errno;
	if (r == -1 && e == EINPROGRESS) {
		p = (struct pollfd){c, POLLOUT, 0};
		CHECK("nb-refused-poll", 68, poll(&p, 1, 5000) == 1 && (p.revents & (POLLERR | POLLHUP)));
		v = -1;
		len = sizeof(v);
		CHECK("nb-refused-so_error", 69,
		      getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == ECONNREFUSED);
	} else {
		CHECK("nb-refused-at-once", 70, r == -1 && e == ECONNREFUSED);
	}
	v = -1;
	len = sizeof(v);
	CHECK("nb-so_error-cleared", 71, getsockopt(c, SOL_SOCKET, SO_ERROR, &v, &len) == 0 && v == 0);
	close(c);
}

/*
 * The socket table full: socket() and accept() fail with a clear errno,
 * nothing crashes (lwIP's alloc_socket() once answered one past the
 * table to an accept() that found it full), and closing gives it all back.
 */
static void test_exhaustion(void)
{
	enum { MAX = 2100 };
	static int fds[MAX];
	int n = 0, l = listen_on(PORT + 5, 0);
	struct sockaddr_in a = {AF_INET, htons(PORT + 5), {htonl(INADDR_LOOPBACK)}, {0}};
	int failed_errno = 0;
	while (n + 2 <= MAX) {
		int c = socket(AF_INET, SOCK_STREAM, 0);
		if (c < 0) {
			failed_errno = errno;
			break;
		}
		CHECK_QUIET("exhaust-connect", 75, connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
		fds[n++] = c;
		int s = accept(l, NULL, NULL);
		if (s < 0) {
			failed_errno = errno;
			break;
		}
		fds[n++] = s;
	}
	printf("sockets: table full after %d descriptors (errno %d)\n", n + 2, failed_errno);
	CHECK("exhaust-errno", 76,
	      n > 500 && (failed_errno == ENFILE || failed_errno == EMFILE || failed_errno == ENOBUFS));
	/* One slot free, taken by a client: the accept() finds the table full. */
	close(fds[--n]);
	int c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("exhaust-last-socket", 77, c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	errno = 0;
	int s = accept(l, NULL, NULL);
	CHECK("exhaust-accept-full", 78, s < 0 && (errno == ENFILE || errno == EMFILE));
	close(c);
	while (n > 0)
		close(fds[--n]);
	/* All back: a connection works again. */
	c = socket(AF_INET, SOCK_STREAM, 0);
	CHECK("exhaust-recovered", 79,
	      c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0 &&
	          (s = accept(l, NULL, NULL)) >= 0 && write(c, "x", 1) == 1);
	char b;
	CHECK("exhaust-recovered-read", 80, read(s, &b, 1) == 1 && b == 'x');
	close(s);
	close(c);
	close(l);
}

int main(void)
{
	test_inet();
	test_tcp();
	test_names_and_errors();
	test_udp();
	test_nonblocking_connect();
	test_exhaustion();
	return vmtest_success();
}
