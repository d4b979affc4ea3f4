/*
 * The virtio-fs file system (FUSE over drivers/virtio/fs.c), private to
 * virtiofs.c (mounts, requests, nodes) and virtiofs_ops.c (the vnode ops).
 *
 * A node is one FUSE lookup: its vnode number is the FUSE nodeid, and
 * releasing it sends FORGET for that one lookup.  Nodes are immutable, so
 * the ops need no locks; the device serializes nothing either: requests
 * from several threads are in flight together.
 */
#ifndef FS_VIRTIOFS_H
#define FS_VIRTIOFS_H

#include <stdint.h>
#include <drivers/fuse_reg.h>
#include <drivers/virtio_fs.h>
#include <fs/vnode.h>

struct vfuse {
	struct virtio_fs *dev;
	struct mount *mnt;
	uint32_t max_io; /* bytes per READ or WRITE */
};

struct fnode {
	struct vnode vn; /* vn.ino is the FUSE nodeid */
	struct vfuse *fs;
	int is_root; /* the mount's root: never forgotten */
};

static inline struct fnode *fnode_of(struct vnode *vn)
{
	return (struct fnode *)vn;
}

/* One request: each part optional (NULL / 0). */
struct fuse_msg {
	uint32_t opcode;
	uint64_t nodeid;
	const void *arg; /* the opcode's fixed argument */
	uint32_t arglen;
	const char *name, *name2; /* sent with their NULs, after arg */
	const void *data;         /* a payload the device reads (WRITE) */
	uint32_t datalen;
	void *res; /* the fixed result: exactly reslen bytes (at least res_min if set) */
	uint32_t reslen, res_min;
	void *buf; /* a variable result (READ, READDIR, READLINK) */
	uint32_t buflen;
	uint64_t deadline; /* monotonic ns, 0: none (see virtio_fs_call_until) */
};

/* Sends m and waits: 0 or buf's bytes, the device's -ERRNO, or -EIO. */
int fuse_send(struct vfuse *fs, struct fuse_msg *m);
/*
 * Bytes of the caller's buffer at buf (left bytes to go) for one READ or
 * WRITE: up to max_io, and on a thread's stack no more than a request's
 * descriptors can hold (see virtiofs.c).
 */
uint32_t fuse_io_chunk(const struct vfuse *fs, const void *buf, size_t left);
/* A node for an entry the device returned (one lookup counted); -ENOENT for a negative one. */
int fnode_from_entry(struct vfuse *fs, const struct fuse_entry_out *e, struct vnode **out);
/* Gives back the lookup an entry counted, when no node keeps it. */
void fuse_entry_forget(struct vfuse *fs, const struct fuse_entry_out *e);
/* Checks the attributes' type; fills va. 0 or -EIO. */
int fuse_attr_to_vattr(struct vfuse *fs, const struct fuse_attr *a, struct vattr *va);
/* Linux's open flags for newlib's O_* */
uint32_t fuse_open_flags(int flags);

extern const struct vnode_ops virtiofs_ops;

#endif
