/*
 * virtio-fs devices (virtio 1.2, 5.11) as a FUSE transport: find a device
 * by its tag, send a FUSE request and sleep until its reply.  The FUSE
 * operations themselves, and the file system built on them, are the
 * caller's (fs/virtiofs.c); this layer matches replies to requests and
 * checks their framing.
 *
 * Usage (any number of threads at once; each sleeps on its own request):
 *   struct virtio_fs *dev = virtio_fs_find("data");
 *   struct fuse_in_header in = {.opcode = FUSE_GETATTR, .nodeid = id};
 *   struct { struct fuse_out_header h; struct fuse_attr_out a; } out;
 *   struct virtq_buf req[] = {{(uintptr_t)&in, sizeof(in), 0}};
 *   struct virtq_buf rep[] = {{(uintptr_t)&out, sizeof(out), VIRTQ_BUF_WRITE}};
 *   int n = virtio_fs_call(dev, req, 1, rep, 1);   // payload bytes, or -ERRNO
 *
 * Buffers are guest-physical (identity-mapped: a pointer is its address)
 * and must stay put until the call returns.
 */
#ifndef DRIVERS_VIRTIO_FS_H
#define DRIVERS_VIRTIO_FS_H

#include <stdint.h>
#include <drivers/fuse_reg.h>
#include <drivers/virtq.h>

struct virtio_fs;

/* Most buffers virtio_fs_call() takes on each side. */
#define VIRTIO_FS_MAX_BUFS 4

/* The device whose tag is tag, or NULL. */
struct virtio_fs *virtio_fs_find(const char *tag);

/*
 * Sends a request: in[0] starts with a struct fuse_in_header whose opcode,
 * nodeid, uid and gid the caller set (len and unique are set here); out[0]
 * has room for a struct fuse_out_header at least.  Sleeps until the reply.
 * Returns the bytes of result after the out header, the request's error as
 * a Toro -ERRNO (translated from Linux's numbers), -EINVAL for bad
 * arguments, or -EIO when the reply is malformed (its length, unique value
 * or error field) or the device broke the queue protocol.
 */
int virtio_fs_call(struct virtio_fs *dev, const struct virtq_buf *in, unsigned nin,
                   const struct virtq_buf *out, unsigned nout);

/*
 * The same with a deadline (monotonic ns, 0: none), for a first request to
 * a device that may not be served at all.  If it passes, the device is
 * given up: this and every later call return -EIO, and the buffers stay
 * the device's (the caller must not reuse or free them).
 */
int virtio_fs_call_until(struct virtio_fs *dev, const struct virtq_buf *in, unsigned nin,
                         const struct virtq_buf *out, unsigned nout, uint64_t deadline);

/* 1 if a call timed out and the device was given up. */
int virtio_fs_is_dead(const struct virtio_fs *dev);

/* FUSE_FORGET (no reply) on the high-priority queue; never sleeps for long. */
void virtio_fs_forget(struct virtio_fs *dev, uint64_t nodeid, uint64_t nlookup);

/* Toro's errno for a Linux errno value (EIO for one it does not know). */
int virtio_fs_errno(int linux_errno);

#endif
