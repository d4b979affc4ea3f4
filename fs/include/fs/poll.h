/*
 * Waiting for readiness of several descriptors: the engines behind poll(),
 * select() and epoll.  Deadlines are monotonic nanoseconds; 0 means "do not
 * wait", FS_WAIT_FOREVER means no deadline.
 */
#ifndef FS_POLL_H
#define FS_POLL_H

#include <stddef.h>
#include <stdint.h>

#define FS_WAIT_FOREVER UINT64_MAX

struct fs_pollfd {
	int fd;
	unsigned events;  /* FILE_POLL* */
	unsigned revents; /* out */
};

/* Fills revents; returns how many have any, or -ENOMEM. */
int fs_poll(struct fs_pollfd *fds, size_t n, uint64_t deadline);

struct file;

/* An epoll instance as a file; flags may hold O_CLOEXEC (ignored here). */
int epoll_file_create(struct file **out);

#define FS_EPOLL_ADD 1
#define FS_EPOLL_DEL 2
#define FS_EPOLL_MOD 3

#define FS_EPOLLET	(1u << 31)
#define FS_EPOLLONESHOT (1u << 30)

struct fs_epoll_event {
	uint32_t events; /* FILE_POLL* plus FS_EPOLLET, FS_EPOLLONESHOT */
	uint64_t data;
};

/* 0, -EEXIST, -ENOENT, -EINVAL (fd is the epoll itself), -ENOMEM. */
int epoll_file_ctl(struct file *ep, int op, int fd, struct file *target,
		   const struct fs_epoll_event *ev);
/* Returns the number of events stored (0 on timeout). */
int epoll_file_wait(struct file *ep, struct fs_epoll_event *out, int max, uint64_t deadline);
int file_is_epoll(const struct file *f);

#endif
