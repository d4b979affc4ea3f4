/*
 * The Linux side of bench/net_virtio.sh: the same transfers as
 * tests/vm/net_virtio.c in bench mode, with the POSIX socket API, for the
 * Linux guest of bench/linuxvm.  Speaks tests/vm/net_peer.py's protocol.
 *
 *   net_xfer BYTES PEERPORT LISTENPORT
 *       BYTES to 10.0.2.2:PEERPORT, then BYTES from whoever connects to
 *       LISTENPORT; prints "bench guest->host|host->guest N bytes T ms".
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUF (64 * 1024)

static char buf[BUF];

static long long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000LL + t.tv_nsec / 1000000;
}

static int send_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w <= 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

static void report(const char *dir, size_t bytes, long long ms)
{
	printf("bench %s %zu bytes %lld ms\n", dir, bytes, ms);
}

static int g2h(size_t bytes, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	char hello[64];
	inet_pton(AF_INET, "10.0.2.2", &a.sin_addr);
	long long t0 = now_ms();
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof(a)) < 0)
		return perror("connect"), 1;
	int n = snprintf(hello, sizeof(hello), "TORO linux-g2h recv %zu\n", bytes);
	if (send_all(fd, hello, (size_t)n) < 0)
		return 1;
	for (size_t off = 0; off < bytes; off += BUF)
		if (send_all(fd, buf, BUF) < 0)
			return perror("send"), 1;
	shutdown(fd, SHUT_WR);
	if (read(fd, buf, 1) != 0)
		return 1;
	report("guest->host", bytes, now_ms() - t0);
	close(fd);
	return 0;
}

static int h2g(size_t bytes, int port)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
	char hello[64];
	size_t got = 0;
	ssize_t r;
	int one = 1, l = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 4) < 0)
		return perror("listen"), 1;
	int c = accept(l, NULL, NULL);
	int n = snprintf(hello, sizeof(hello), "TORO linux-h2g send %zu\n", bytes);
	if (c < 0 || send_all(c, hello, (size_t)n) < 0)
		return 1;
	long long t0 = now_ms();
	while ((r = read(c, buf, BUF)) > 0)
		got += (size_t)r;
	report("host->guest", got, now_ms() - t0);
	return got == bytes ? 0 : 1;
}

int main(int argc, char **argv)
{
	if (argc != 4)
		return fprintf(stderr, "usage: net_xfer BYTES PEERPORT LISTENPORT\n"), 2;
	size_t bytes = (size_t)atoll(argv[1]) / BUF * BUF;
	return g2h(bytes, atoi(argv[2])) || h2g(bytes, atoi(argv[3]));
}
