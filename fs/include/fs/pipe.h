/* Pipes and eventfds: in-memory files for threads to signal each other. */
#ifndef FS_PIPE_H
#define FS_PIPE_H

#include <stdint.h>

struct file;

/* ioctl request numbers the fs layer understands (Linux's values). */
#define FILE_IOCTL_FIONREAD 0x541b

/* A pipe's two ends; flags may hold O_NONBLOCK.  0 or -ENOMEM. */
int pipe_create(struct file **rf, struct file **wf, int flags);

/* A connected pair of stream ends (socketpair(AF_UNIX)); flags: O_NONBLOCK. */
int socketpair_create(struct file **a, struct file **b, int flags);

#define EVENTFD_SEMAPHORE 1

/* An eventfd with the initial count; flags: O_NONBLOCK, EVENTFD_SEMAPHORE. */
int eventfd_create(struct file **f, unsigned initval, int flags);

#endif
