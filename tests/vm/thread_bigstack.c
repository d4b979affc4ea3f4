/*
 * Thread stacks backed on first touch (kernel/kstack.c):  thread_bigstack MODE [ARG]
 *   recurse      4 threads with 64 MiB stacks each (far more than the VM's RAM)
 *                recurse 512 KiB deep, 20 rounds; stack pages go back every time
 *   overflow     unbounded recursion on a 16 MiB stack hits the guard pages
 *   oom          unbounded recursion on a 64 MiB stack in a small VM: no page left
 *   dma DIR      read() and write() on virtio-fs, and recv() from a TCP socket,
 *                into stack pages no one has touched yet
 * The kernel's own figures are reached directly: the test is linked into
 * the same image.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include "vmtest.h"

#pragma GCC diagnostic ignored "-Winfinite-recursion"

size_t pmem_free_bytes(void);
size_t kstack_committed_pages(void);
size_t kstack_committed_peak(void);
int vm_is_mapped(uintptr_t va);

#define BIG         (64UL << 20)
#define NTHREADS    4
#define ROUNDS      20
#define FRAME       1024
#define DEPTH       512        /* x FRAME: 512 KiB per thread */
#define RESERVE_MAX (8 * 4096) /* kstack.c's fault reserve may be part-full */

__attribute__((noinline)) static unsigned long recurse(int n, int limit)
{
	volatile unsigned char pad[FRAME - 64];
	pad[0] = (unsigned char)n;
	pad[sizeof(pad) - 1] = (unsigned char)(n >> 3);
	if (limit && n >= limit)
		return pad[0];
	return recurse(n + 1, limit) + pad[0] + pad[sizeof(pad) - 1];
}

static unsigned long expected_sum(void)
{
	unsigned long s = (unsigned char)DEPTH;
	for (int n = DEPTH - 1; n >= 0; n--)
		s += (unsigned char)n + (unsigned char)(n >> 3);
	return s;
}

static void *deep(void *arg)
{
	*(unsigned long *)arg = recurse(0, DEPTH);
	return NULL;
}

static pthread_t spawn(void *(*fn)(void *), void *arg, size_t stack, const char *name)
{
	pthread_attr_t a;
	pthread_t t;
	pthread_attr_init(&a);
	pthread_attr_setstacksize(&a, stack);
	CHECK("create", 2, pthread_create(&t, &a, fn, arg) == 0);
	pthread_setname_np(t, name);
	pthread_attr_destroy(&a);
	return t;
}

static int run_recurse(void)
{
	size_t base_pages = kstack_committed_pages(), free1 = 0;
	unsigned long want = expected_sum();
	for (int r = 0; r < ROUNDS; r++) {
		pthread_t t[NTHREADS];
		unsigned long sum[NTHREADS];
		for (int i = 0; i < NTHREADS; i++)
			t[i] = spawn(deep, &sum[i], BIG, "big");
		for (int i = 0; i < NTHREADS; i++) {
			CHECK_QUIET("join", 3, pthread_join(t[i], NULL) == 0);
			CHECK_QUIET("deep result", 4, sum[i] == want);
		}
		CHECK_QUIET("stack pages given back", 5, kstack_committed_pages() == base_pages);
		if (r == 0)
			free1 = pmem_free_bytes();
		CHECK_QUIET("no memory leaked", 6, pmem_free_bytes() + RESERVE_MAX >= free1);
	}
	size_t peak = kstack_committed_peak();
	printf("bigstack: %d rounds of %d threads x %lu MiB stacks, %d KiB deep; peak %zu KiB "
	       "backed, free %zu KiB\n",
	       ROUNDS, NTHREADS, BIG >> 20, DEPTH * FRAME >> 10, peak * 4, pmem_free_bytes() >> 10);
	CHECK("recursion in 64 MiB stacks", 7, 1);
	CHECK("only touched pages backed", 8,
	      peak * 4096 < NTHREADS * (DEPTH * FRAME + (256 << 10)));
	return vmtest_success();
}

static void *unbounded(void *arg)
{
	pthread_setname_np(pthread_self(), arg);
	printf("recursing without end\n");
	fflush(stdout);
	return (void *)recurse(0, 0);
}

static int run_forever(size_t stack, const char *name)
{
	pthread_t t = spawn(unbounded, (void *)name, stack, name);
	pthread_join(t, NULL);
	printf("the overflow was not caught\n");
	return 9;
}

/* ---- devices and sockets writing into untouched stack pages -------------------- */

#define IO_LEN   (40 * 1024 + 300) /* 11 pages and a bit */
#define BELOW_SP (256 * 1024)      /* far below anything read() itself uses */

static const char *dir;

static unsigned char pattern(size_t i)
{
	return (unsigned char)(i * 13 + (i >> 8) + 1);
}

/* Untouched stack memory: well below this frame, within the thread's stack. */
static unsigned char *fresh_area(size_t offset)
{
	uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
	return (unsigned char *)((sp - BELOW_SP - offset - IO_LEN) & ~(uintptr_t)4095) + 300;
}

static int untouched(const unsigned char *p, size_t len)
{
	for (uintptr_t a = (uintptr_t)p & ~(uintptr_t)4095; a < (uintptr_t)p + len; a += 4096)
		if (vm_is_mapped(a))
			return 0;
	return 1;
}

static int pattern_ok(const unsigned char *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (p[i] != pattern(i))
			return 0;
	return 1;
}

__attribute__((noinline)) static void file_read_fresh(const char *path)
{
	unsigned char *p = fresh_area(0);
	CHECK("read buffer untouched", 20, untouched(p, IO_LEN));
	int fd = open(path, O_RDONLY);
	CHECK("open for read", 21, fd >= 0);
	CHECK("read into fresh stack pages", 22, read(fd, p, IO_LEN) == IO_LEN);
	close(fd);
	CHECK("read bytes right", 23, pattern_ok(p, IO_LEN));
}

/* Every other page touched first: the buffer's pages are not contiguous. */
__attribute__((noinline)) static void file_read_scattered(const char *path)
{
	unsigned char *p = fresh_area(64 * 1024);
	CHECK("scattered buffer untouched", 24, untouched(p, IO_LEN));
	for (size_t off = 4096; off < IO_LEN; off += 8192)
		p[off] = 0;
	int fd = open(path, O_RDONLY);
	CHECK("open for scattered read", 25, fd >= 0);
	CHECK("read into scattered stack pages", 26, read(fd, p, IO_LEN) == IO_LEN);
	close(fd);
	CHECK("scattered bytes right", 27, pattern_ok(p, IO_LEN));
}

__attribute__((noinline)) static void file_write_stack(const char *path)
{
	unsigned char *p = fresh_area(128 * 1024);
	for (size_t i = IO_LEN; i-- > 0;) /* top first: pages come out of order */
		p[i] = pattern(i);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK("open for write", 28, fd >= 0);
	CHECK("write from stack pages", 29, write(fd, p, IO_LEN) == IO_LEN);
	CHECK("close after write", 30, close(fd) == 0);
}

static void net_recv_fresh(void)
{
	static unsigned char out[IO_LEN];
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(7777)};
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	CHECK("listen", 40,
	      l >= 0 && bind(l, (struct sockaddr *)&a, sizeof(a)) == 0 && listen(l, 1) == 0);
	CHECK("connect", 41, c >= 0 && connect(c, (struct sockaddr *)&a, sizeof(a)) == 0);
	int s = accept(l, NULL, NULL);
	CHECK("accept", 42, s >= 0);
	for (size_t i = 0; i < IO_LEN; i++)
		out[i] = pattern(i);
	size_t sent = 0, got = 0;
	unsigned char *p = fresh_area(192 * 1024);
	CHECK("recv buffer untouched", 43, untouched(p, IO_LEN));
	while (got < IO_LEN) {
		if (sent < IO_LEN) {
			ssize_t n = send(c, out + sent, IO_LEN - sent, MSG_DONTWAIT);
			if (n > 0)
				sent += (size_t)n;
		}
		ssize_t n = recv(s, p + got, IO_LEN - got, 0);
		CHECK_QUIET("recv", 44, n > 0);
		got += (size_t)n;
	}
	CHECK("recv into fresh stack pages", 45, pattern_ok(p, IO_LEN));
	close(s);
	close(c);
	close(l);
}

static void *dma_thread(void *arg)
{
	char path[256];
	(void)arg;
	snprintf(path, sizeof(path), "%s/pattern", dir);
	file_write_stack(path);
	file_read_fresh(path);
	file_read_scattered(path);
	net_recv_fresh();
	return NULL;
}

static int run_dma(void)
{
	pthread_t t = spawn(dma_thread, NULL, 1UL << 20, "dma");
	CHECK("join dma thread", 50, pthread_join(t, NULL) == 0);
	return vmtest_success();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "recurse";
	if (strcmp(mode, "recurse") == 0)
		return run_recurse();
	if (strcmp(mode, "overflow") == 0)
		return run_forever(16UL << 20, "big-diver");
	if (strcmp(mode, "oom") == 0)
		return run_forever(BIG, "hungry");
	if (strcmp(mode, "dma") == 0 && argc > 2) {
		dir = argv[2];
		return run_dma();
	}
	printf("usage: thread_bigstack recurse|overflow|oom|dma DIR\n");
	return 1;
}
