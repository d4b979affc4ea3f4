/*
 * Waiting on descriptors: poll, ppoll, select, pselect, epoll_*, plus pipe
 * and eventfd creation.  Timeouts become monotonic deadlines here.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/select.h>
#include <unistd.h>
#include <fs/file.h>
#include <fs/pipe.h>
#include <fs/poll.h>
#include <kernel/time.h>
#include "glue.h"

#define NSEC        1000000000ULL
#define EPOLL_BATCH 64 /* events epoll_pwait() reports at most per call */

/*
 * A timeout in milliseconds ends on the next whole millisecond of the
 * monotonic clock after it is up (at most 1 ms late, which poll() and
 * epoll_wait() allow).  An event loop that waits again and again for its
 * next timer (Redis: serverCron) rounds the time left to milliseconds
 * itself, so its deadlines would jitter by up to a millisecond, and each
 * one earlier than the last re-arms the CPU's timer; on the grid they are
 * the same deadline.
 */
static uint64_t deadline_ms(int ms)
{
	if (ms < 0)
		return FS_WAIT_FOREVER;
	if (ms == 0)
		return 0;
	uint64_t d = time_monotonic_ns() + (uint64_t)ms * 1000000ULL;
	return (d + 999999) / 1000000 * 1000000;
}

static int deadline_ts(const struct timespec *ts, uint64_t *out)
{
	if (!ts) {
		*out = FS_WAIT_FOREVER;
		return 0;
	}
	if (ts->tv_sec < 0 || ts->tv_nsec < 0 || ts->tv_nsec >= (long)NSEC)
		return -EINVAL;
	uint64_t ns = (uint64_t)ts->tv_sec * NSEC + (uint64_t)ts->tv_nsec;
	*out = ns ? time_monotonic_ns() + ns : 0;
	return 0;
}

static int poll_deadline(struct pollfd *fds, nfds_t n, uint64_t deadline)
{
	if (n > FD_MAX || (n && !fds))
		return -EINVAL;
	struct fs_pollfd *p = calloc(n ? n : 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	for (nfds_t i = 0; i < n; i++) {
		p[i].fd = fds[i].fd;
		p[i].events = (unsigned short)fds[i].events;
	}
	int r = fs_poll(p, n, deadline);
	for (nfds_t i = 0; r >= 0 && i < n; i++)
		fds[i].revents = (short)p[i].revents;
	free(p);
	return r;
}

int poll(struct pollfd *fds, nfds_t n, int timeout_ms)
{
	return (int)glue_ret(poll_deadline(fds, n, deadline_ms(timeout_ms)));
}

int ppoll(struct pollfd *fds, nfds_t n, const struct timespec *timeout, const sigset_t *mask)
{
	uint64_t deadline;
	int err = deadline_ts(timeout, &deadline);
	return (int)glue_ret(err < 0 ? err : poll_deadline(fds, n, deadline));
}

/* select on top of poll: one pollfd per descriptor named in any set. */
static int select_deadline(int nfds, fd_set *r, fd_set *w, fd_set *e, uint64_t deadline)
{
	if (nfds < 0 || nfds > FD_SETSIZE)
		return -EINVAL;
	struct pollfd *p = calloc(nfds ? (size_t)nfds : 1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	int n = 0;
	for (int fd = 0; fd < nfds; fd++) {
		short ev = (r && FD_ISSET(fd, r) ? POLLIN : 0) | (w && FD_ISSET(fd, w) ? POLLOUT : 0) |
			   (e && FD_ISSET(fd, e) ? POLLPRI : 0);
		if (ev)
			p[n++] = (struct pollfd){fd, ev, 0};
	}
	int ret = poll_deadline(p, (nfds_t)n, deadline);
	for (int i = 0; i < n && ret >= 0; i++)
		if (p[i].revents & POLLNVAL)
			ret = -EBADF;
	if (ret >= 0) {
		ret = 0;
		if (r)
			FD_ZERO(r);
		if (w)
			FD_ZERO(w);
		if (e)
			FD_ZERO(e);
		for (int i = 0; i < n; i++) {
			short got = p[i].revents;
			if (r && (got & (POLLIN | POLLHUP | POLLERR)) && (p[i].events & POLLIN))
				FD_SET(p[i].fd, r), ret++;
			if (w && (got & (POLLOUT | POLLERR)) && (p[i].events & POLLOUT))
				FD_SET(p[i].fd, w), ret++;
			if (e && (got & POLLPRI))
				FD_SET(p[i].fd, e), ret++;
		}
	}
	free(p);
	return ret;
}

int select(int nfds, fd_set *r, fd_set *w, fd_set *e, struct timeval *tv)
{
	uint64_t deadline = FS_WAIT_FOREVER;
	if (tv) {
		if (tv->tv_sec < 0 || tv->tv_usec < 0 || tv->tv_usec >= 1000000)
			return (int)glue_ret(-EINVAL);
		uint64_t ns = (uint64_t)tv->tv_sec * NSEC + (uint64_t)tv->tv_usec * 1000;
		deadline = ns ? time_monotonic_ns() + ns : 0;
	}
	return (int)glue_ret(select_deadline(nfds, r, w, e, deadline));
}

int pselect(int nfds, fd_set *r, fd_set *w, fd_set *e, const struct timespec *ts,
	    const sigset_t *mask)
{
	uint64_t deadline;
	int err = deadline_ts(ts, &deadline);
	return (int)glue_ret(err < 0 ? err : select_deadline(nfds, r, w, e, deadline));
}

/* Installs a new file, dropping it if no descriptor is free. */
static int install(struct file *f, int cloexec)
{
	int fd = fd_install(f, 0, cloexec ? FD_FLAG_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

int pipe2(int fds[2], int flags)
{
	if (!fds)
		return (int)glue_ret(-EFAULT);
	if (flags & ~(O_NONBLOCK | O_CLOEXEC))
		return (int)glue_ret(-EINVAL);
	struct file *rf, *wf;
	int err = pipe_create(&rf, &wf, flags);
	if (err < 0)
		return (int)glue_ret(err);
	int r = install(rf, flags & O_CLOEXEC);
	if (r < 0) {
		file_put(wf);
		return (int)glue_ret(r);
	}
	int w = install(wf, flags & O_CLOEXEC);
	if (w < 0) {
		fd_close(r);
		return (int)glue_ret(w);
	}
	fds[0] = r;
	fds[1] = w;
	return 0;
}

int pipe(int fds[2])
{
	return pipe2(fds, 0);
}

int eventfd(unsigned int initval, int flags)
{
	if (flags & ~(EFD_SEMAPHORE | EFD_CLOEXEC | EFD_NONBLOCK))
		return (int)glue_ret(-EINVAL);
	struct file *f;
	int err = eventfd_create(&f, initval,
				 (flags & EFD_NONBLOCK) | ((flags & EFD_SEMAPHORE) ? EVENTFD_SEMAPHORE : 0));
	if (err < 0)
		return (int)glue_ret(err);
	return (int)glue_ret(install(f, flags & EFD_CLOEXEC));
}

int eventfd_read(int fd, eventfd_t *value)
{
	return read(fd, value, sizeof(*value)) == sizeof(*value) ? 0 : -1;
}

int eventfd_write(int fd, eventfd_t value)
{
	return write(fd, &value, sizeof(value)) == sizeof(value) ? 0 : -1;
}

int epoll_create1(int flags)
{
	if (flags & ~EPOLL_CLOEXEC)
		return (int)glue_ret(-EINVAL);
	struct file *f;
	int err = epoll_file_create(&f);
	if (err < 0)
		return (int)glue_ret(err);
	return (int)glue_ret(install(f, flags & EPOLL_CLOEXEC));
}

int epoll_create(int size)
{
	if (size <= 0)
		return (int)glue_ret(-EINVAL);
	return epoll_create1(0);
}

int epoll_ctl(int epfd, int op, int fd, struct epoll_event *event)
{
	struct file *ep = fd_get(epfd), *f = fd_get(fd);
	int err = 0;
	if (!ep || !f)
		err = -EBADF;
	else if (!file_is_epoll(ep))
		err = -EINVAL;
	else if (op != EPOLL_CTL_DEL && !event)
		err = -EFAULT;
	if (!err) {
		struct fs_epoll_event ev = {0, 0};
		if (event) {
			ev.events = event->events & (0xffff | EPOLLET | EPOLLONESHOT);
			ev.data = event->data.u64;
		}
		err = epoll_file_ctl(ep, op, fd, f, &ev);
	}
	if (ep)
		file_put(ep);
	if (f)
		file_put(f);
	return (int)glue_ret(err);
}

int epoll_pwait(int epfd, struct epoll_event *events, int max, int timeout_ms,
		const sigset_t *mask)
{
	if (max <= 0 || max > FD_MAX || !events)
		return (int)glue_ret(-EINVAL);
	struct file *ep = fd_get(epfd);
	if (!ep)
		return (int)glue_ret(-EBADF);
	/*
	 * At most EPOLL_BATCH events a call, as if max were that: the rest
	 * stay ready for the next call, as with Linux's maxevents.  Servers
	 * pass their whole descriptor table as max (Redis: maxclients + 128),
	 * and a buffer that size, allocated and cleared on every call, was 1%
	 * of a loaded Redis's time.
	 */
	struct fs_epoll_event ev[EPOLL_BATCH];
	int n = max < EPOLL_BATCH ? max : EPOLL_BATCH;
	int r = file_is_epoll(ep) ? epoll_file_wait(ep, ev, n, deadline_ms(timeout_ms)) : -EINVAL;
	for (int i = 0; i < r; i++) {
		events[i].events = ev[i].events;
		events[i].data.u64 = ev[i].data;
	}
	file_put(ep);
	return (int)glue_ret(r);
}

int epoll_wait(int epfd, struct epoll_event *events, int max, int timeout_ms)
{
	return epoll_pwait(epfd, events, max, timeout_ms, NULL);
}
