/*
 * The descriptor layer: pipes, eventfd, dup/fcntl/ioctl, readv/writev,
 * poll, select and epoll (level, edge, one-shot), including a thread that
 * wakes a blocked epoll_wait and a watched descriptor closed without DEL.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/select.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>
#include "vmtest.h"

static int p[2];

static void *late_writer(void *arg)
{
	struct timespec ts = {0, 30 * 1000 * 1000};
	nanosleep(&ts, NULL);
	(void)!write(p[1], "w", 1);
	return arg;
}

static void test_pipe(void)
{
	char buf[16];
	CHECK("pipe", 1, pipe(p) == 0 && p[0] >= 3 && p[1] > p[0]);
	CHECK("pipe-write", 2, write(p[1], "hello", 5) == 5);
	int n = -1;
	CHECK("fionread", 3, ioctl(p[0], FIONREAD, &n) == 0 && n == 5);
	CHECK("pipe-read", 4, read(p[0], buf, sizeof(buf)) == 5 && memcmp(buf, "hello", 5) == 0);
	int on = 1;
	CHECK("fionbio", 5, ioctl(p[0], FIONBIO, &on) == 0 && (fcntl(p[0], F_GETFL) & O_NONBLOCK));
	errno = 0;
	CHECK("nonblock-eagain", 6, read(p[0], buf, 1) == -1 && errno == EAGAIN);
	CHECK("write-to-read-end", 7, write(p[0], "x", 1) == -1 && errno == EBADF);
	struct iovec iov[2] = {{"ab", 2}, {"cde", 3}};
	CHECK("writev", 8, writev(p[1], iov, 2) == 5);
	char x[2], y[3];
	struct iovec in[2] = {{x, 2}, {y, 3}};
	CHECK("readv", 9, readv(p[0], in, 2) == 5 && memcmp(x, "ab", 2) == 0 && memcmp(y, "cde", 3) == 0);
	struct stat st;
	CHECK("fstat-fifo", 10, fstat(p[0], &st) == 0 && S_ISFIFO(st.st_mode));
}

static void test_dup(void)
{
	int d = dup(p[1]);
	CHECK("dup", 11, d > p[1]);
	CHECK("dup-shares", 12, write(d, "z", 1) == 1);
	CHECK("dup2", 13, dup2(d, 40) == 40 && close(d) == 0);
	CHECK("fcntl-dupfd", 14, fcntl(40, F_DUPFD, 50) == 50 && close(50) == 0);
	CHECK("cloexec", 15, fcntl(40, F_SETFD, FD_CLOEXEC) == 0 && fcntl(40, F_GETFD) == FD_CLOEXEC);
	CHECK("close-twice", 16, close(40) == 0 && close(40) == -1 && errno == EBADF);
	char c;
	CHECK("dup-data", 17, read(p[0], &c, 1) == 1 && c == 'z');
	CHECK("bad-fcntl", 18, fcntl(999, F_GETFL) == -1 && errno == EBADF);
}

static void test_poll_select(void)
{
	struct pollfd pf[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
	CHECK("poll-writable", 19, poll(pf, 2, 0) == 1 && pf[1].revents == POLLOUT && !pf[0].revents);
	pthread_t t;
	pthread_create(&t, NULL, late_writer, NULL);
	CHECK("poll-wakes", 20, poll(pf, 1, 5000) == 1 && (pf[0].revents & POLLIN));
	pthread_join(t, NULL);
	fd_set r;
	FD_ZERO(&r);
	FD_SET(p[0], &r);
	struct timeval tv = {0, 0};
	CHECK("select-readable", 21, select(p[0] + 1, &r, NULL, NULL, &tv) == 1 && FD_ISSET(p[0], &r));
	char c;
	CHECK("drain", 22, read(p[0], &c, 1) == 1);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CHECK("poll-timeout", 23, poll(pf, 1, 20) == 0);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	long ms = (t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000;
	CHECK("poll-timeout-not-early", 24, ms >= 20);
	struct pollfd bad = {12345, POLLIN, 0};
	CHECK("poll-nval", 25, poll(&bad, 1, 0) == 1 && bad.revents == POLLNVAL);
}

static void test_eventfd(void)
{
	int e = eventfd(3, EFD_NONBLOCK);
	eventfd_t v = 0;
	CHECK("eventfd", 26, e >= 0 && eventfd_read(e, &v) == 0 && v == 3);
	CHECK("eventfd-empty", 27, eventfd_read(e, &v) == -1 && errno == EAGAIN);
	CHECK("eventfd-add", 28, eventfd_write(e, 2) == 0 && eventfd_write(e, 5) == 0);
	CHECK("eventfd-sum", 29, eventfd_read(e, &v) == 0 && v == 7);
	close(e);
}

/*
 * More ready descriptors than one epoll_wait reports (the glue hands out a
 * batch at a time): with a large maxevents, repeated waits report every
 * edge-triggered one exactly once and every level-triggered one, and no
 * wait returns more than maxevents.
 */
#define MANY_FDS 150
static void test_epoll_many(void)
{
	static struct epoll_event out[1000];
	static int fds[MANY_FDS], seen[MANY_FDS];
	int ep = epoll_create1(0), ok = ep >= 0, lt_seen = 0, et_seen = 0, et_twice = 0;
	for (int i = 0; i < MANY_FDS && ok; i++) {
		fds[i] = eventfd(1, EFD_NONBLOCK); /* readable from the start */
		struct epoll_event ev = {EPOLLIN | (i % 2 ? EPOLLET : 0), {.u64 = (uint64_t)i}};
		ok = fds[i] >= 0 && epoll_ctl(ep, EPOLL_CTL_ADD, fds[i], &ev) == 0;
	}
	CHECK("epoll-many-setup", 72, ok);
	for (int round = 0; round < 10; round++) {
		int n = epoll_wait(ep, out, 1000, 0);
		CHECK_QUIET("epoll-many-wait", 73, n >= 0 && n <= 1000);
		for (int k = 0; k < n; k++) {
			int i = (int)out[k].data.u64;
			CHECK_QUIET("epoll-many-data", 74, i >= 0 && i < MANY_FDS);
			if (seen[i]++ == 0)
				*(i % 2 ? &et_seen : &lt_seen) += 1;
			else if (i % 2)
				et_twice++;
		}
	}
	CHECK("epoll-many-level", 75, lt_seen == MANY_FDS / 2);
	CHECK("epoll-many-edge-once", 76, et_seen == MANY_FDS / 2 && et_twice == 0);
	/* a full out array is fine too: exactly maxevents */
	CHECK("epoll-many-max", 77, epoll_wait(ep, out, 3, 0) == 3);
	for (int i = 0; i < MANY_FDS; i++)
		close(fds[i]);
	close(ep);
}

static void test_epoll(void)
{
	int ep = epoll_create1(EPOLL_CLOEXEC);
	struct epoll_event ev = {EPOLLIN, {.u64 = 77}}, out[4];
	CHECK("epoll-create", 30, ep >= 0);
	CHECK("epoll-add", 31, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == 0);
	CHECK("epoll-add-again", 32, epoll_ctl(ep, EPOLL_CTL_ADD, p[0], &ev) == -1 && errno == EEXIST);
	CHECK("epoll-empty", 33, epoll_wait(ep, out, 4, 0) == 0);
	(void)!write(p[1], "ab", 2);
	CHECK("epoll-level", 34, epoll_wait(ep, out, 4, 0) == 1 && out[0].data.u64 == 77);
	CHECK("epoll-level-again", 35, epoll_wait(ep, out, 4, 0) == 1);
	ev.events = EPOLLIN | EPOLLET;
	CHECK("epoll-mod-et", 36, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	CHECK("epoll-edge-once", 37, epoll_wait(ep, out, 4, 0) == 1 && epoll_wait(ep, out, 4, 0) == 0);
	(void)!write(p[1], "c", 1);
	CHECK("epoll-edge-new", 38, epoll_wait(ep, out, 4, 0) == 1);
	char buf[8];
	CHECK("drain", 39, read(p[0], buf, sizeof(buf)) == 3);
	ev.events = EPOLLIN | EPOLLONESHOT;
	CHECK("epoll-oneshot", 40, epoll_ctl(ep, EPOLL_CTL_MOD, p[0], &ev) == 0);
	pthread_t t;
	pthread_create(&t, NULL, late_writer, NULL);
	CHECK("epoll-wakes", 41, epoll_wait(ep, out, 4, 5000) == 1 && (out[0].events & EPOLLIN));
	pthread_join(t, NULL);
	CHECK("epoll-oneshot-disarmed", 42, epoll_wait(ep, out, 4, 0) == 0);
	CHECK("epoll-del", 43, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == 0);
	CHECK("epoll-del-missing", 44, epoll_ctl(ep, EPOLL_CTL_DEL, p[0], NULL) == -1 && errno == ENOENT);
	int q[2];
	pipe(q);
	ev.events = EPOLLIN;
	epoll_ctl(ep, EPOLL_CTL_ADD, q[0], &ev);
	close(q[0]); /* closing the last reference drops the item */
	(void)!write(q[1], "x", 1);
	CHECK("epoll-closed-fd-gone", 45, epoll_wait(ep, out, 4, 0) == 0);
	errno = 0;
	CHECK("epoll-hup", 46, write(q[1], "x", 1) == -1 && errno == EPIPE);
	close(q[1]);
	CHECK("epoll-on-pipe-einval", 47, epoll_wait(p[0], out, 4, 0) == -1 && errno == EINVAL);
	close(ep);
}

static void test_socketpair(void)
{
	int sv[2];
	char buf[8];
	CHECK("socketpair", 60, socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK, 0, sv) == 0);
	CHECK("sp-a-to-b", 61, write(sv[0], "ab", 2) == 2 && read(sv[1], buf, 8) == 2 && !memcmp(buf, "ab", 2));
	CHECK("sp-b-to-a", 62, write(sv[1], "cd", 2) == 2 && read(sv[0], buf, 8) == 2 && !memcmp(buf, "cd", 2));
	CHECK("sp-empty", 63, read(sv[0], buf, 8) == -1 && errno == EAGAIN);
	int ep = epoll_create1(0);
	struct epoll_event ev = {EPOLLIN, {.u64 = 5}}, out[2];
	epoll_ctl(ep, EPOLL_CTL_ADD, sv[0], &ev);
	CHECK("sp-epoll-idle", 64, epoll_wait(ep, out, 2, 0) == 0);
	(void)!write(sv[1], "e", 1);
	CHECK("sp-epoll-ready", 65, epoll_wait(ep, out, 2, 0) == 1 && out[0].data.u64 == 5);
	CHECK("sp-epoll-rdhup-mod", 70,
	      epoll_ctl(ep, EPOLL_CTL_MOD, sv[0], &(struct epoll_event){EPOLLIN | EPOLLRDHUP | EPOLLET, {.u64 = 6}}) == 0);
	close(sv[1]);
	/* nginx's start-up test: a closed peer gives EPOLLRDHUP (else it reads greedily) */
	CHECK("sp-epoll-rdhup", 71, epoll_wait(ep, out, 2, 0) == 1 && (out[0].events & EPOLLRDHUP) &&
	                                (out[0].events & EPOLLIN));
	CHECK("sp-drain", 66, read(sv[0], buf, 8) == 1);
	CHECK("sp-eof", 67, read(sv[0], buf, 8) == 0);
	CHECK("sp-epipe", 68, write(sv[0], "x", 1) == -1 && errno == EPIPE);
	CHECK("sp-inet-refused", 69, socketpair(AF_INET, SOCK_STREAM, 0, sv) == -1 && errno == EAFNOSUPPORT);
	close(sv[0]);
	close(ep);
}

int main(void)
{
	test_pipe();
	test_dup();
	test_poll_select();
	test_eventfd();
	test_epoll();
	test_epoll_many();
	test_socketpair();
	close(p[0]);
	char c;
	CHECK("eof-after-close", 48, read(p[0], &c, 1) == -1 && errno == EBADF);
	return vmtest_success();
}
