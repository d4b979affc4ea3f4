/*
 * ramfs internals, shared by ramfs.c (nodes and directories), ramfs_data.c
 * (file contents, symlinks, attributes) and initrd.c (which fills the root
 * without copying file contents out of the boot module).
 *
 * Locking: one mutex per file system covers every node in it.  A linked
 * node (nlink > 0) holds one reference of its own, the "tree reference",
 * dropped when its last link goes; release() then frees it once nobody
 * holds it open either.
 */
#ifndef FS_RAMFS_H
#define FS_RAMFS_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <fs/vnode.h>
#include <kernel/sync.h>

struct ramfs {
	struct kmutex lock;
	struct mount *mnt;
	uint64_t next_ino;
	uint64_t bytes; /* file and symlink contents we allocated */
};

/* A directory entry; cookies for readdir are seq values (they only grow). */
struct rdirent {
	struct rdirent *next, *prev;
	struct rnode *node;
	uint64_t seq;
	size_t len;
	char name[];
};

struct rnode {
	struct vnode vn;
	uint32_t mode; /* type and permissions */
	uint32_t nlink;
	uint32_t uid, gid;
	struct timespec atime, mtime, ctime;
	union {
		struct {
			struct rdirent *head, *tail;
			struct rnode *parent; /* NULL once removed */
			uint64_t next_seq;
			size_t count;
		} dir;
		struct {
			char *data;
			uint64_t size, cap;
			int borrowed; /* data belongs to the boot module: copy before writing */
		} file;
		struct {
			char *target;
			size_t len;
		} link;
	};
};

static inline struct rnode *rnode_of(struct vnode *vn)
{
	return (struct rnode *)vn;
}

static inline struct ramfs *ramfs_of(struct vnode *vn)
{
	return vn->mnt->priv;
}

extern const struct vnode_ops ramfs_ops;

/* ramfs.c: with the lock held */
struct rnode *ramfs_node_new(struct ramfs *fs, uint32_t mode);
int ramfs_link_locked(struct rnode *dir, const char *name, struct rnode *node);
struct rdirent *ramfs_find(struct rnode *dir, const char *name);
void ramfs_touch(struct rnode *n, int mtime);

/* ramfs_data.c */
ssize_t ramfs_read(struct vnode *vn, void *fh, void *buf, size_t len, uint64_t off);
const void *ramfs_stable(struct vnode *vn, uint64_t off, size_t *len);
ssize_t ramfs_write(struct vnode *vn, void *fh, const void *buf, size_t len, uint64_t off);
int ramfs_truncate(struct vnode *vn, void *fh, uint64_t len);
int ramfs_getattr(struct vnode *vn, struct vattr *va);
int ramfs_setattr(struct vnode *vn, const struct vattr *va, unsigned mask);
int ramfs_symlink(struct vnode *dir, const char *name, const char *target);
ssize_t ramfs_readlink(struct vnode *vn, char *buf, size_t size);
int ramfs_statfs(struct vnode *vn, struct vfs_statfs *st);
void ramfs_data_free(struct rnode *n);

/*
 * For the initrd: a regular file whose contents stay in place (data must
 * outlive the file system) until first written.  0, -EEXIST or -ENOSPC.
 */
int ramfs_add_borrowed(struct vnode *dir, const char *name, uint32_t mode, const void *data,
                       uint64_t size, int64_t mtime);

#endif
