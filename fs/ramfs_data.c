/*
 * ramfs file contents (one growing buffer per file), symlink targets,
 * attributes and statfs.  Running out of memory is -ENOSPC, as on tmpfs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/mm.h>
#include "ramfs.h"
#include "vfs_priv.h"

#define FILE_SIZE_MAX (1ULL << 40) /* -EFBIG past this */

/* Makes the buffer hold at least need bytes, and the file its own. */
static int file_reserve(struct ramfs *fs, struct rnode *n, uint64_t need)
{
	if (need > FILE_SIZE_MAX)
		return -EFBIG;
	if (need <= n->file.cap && !n->file.borrowed)
		return 0;
	if (need < n->file.size)
		need = n->file.size; /* a borrowed file's copy takes all of it */
	uint64_t cap = need + need / 2 + 64;
	char *p = n->file.borrowed ? malloc(cap) : realloc(n->file.data, cap);
	if (!p) {
		cap = need;
		p = n->file.borrowed ? malloc(cap) : realloc(n->file.data, cap);
	}
	if (!p)
		return -ENOSPC;
	if (n->file.borrowed)
		memcpy(p, n->file.data, n->file.size);
	fs->bytes += cap - (n->file.borrowed ? 0 : n->file.cap);
	n->file.data = p;
	n->file.cap = cap;
	n->file.borrowed = 0;
	return 0;
}

ssize_t ramfs_read(struct vnode *vn, void *fh, void *buf, size_t len, uint64_t off)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	kmutex_lock(&fs->lock);
	size_t got = 0;
	if (off < n->file.size) {
		got = n->file.size - off < len ? (size_t)(n->file.size - off) : len;
		memcpy(buf, n->file.data + off, got);
	}
	kmutex_unlock(&fs->lock);
	return (ssize_t)got;
}

/*
 * A file not written since boot still lies in the initrd module, which is
 * never freed nor changed (the first write copies it out): its bytes can be
 * sent by reference.
 */
const void *ramfs_stable(struct vnode *vn, uint64_t off, size_t *len)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	const void *p = NULL;
	kmutex_lock(&fs->lock);
	if (n->file.borrowed && off < n->file.size) {
		if (*len > n->file.size - off)
			*len = (size_t)(n->file.size - off);
		p = n->file.data + off;
	}
	kmutex_unlock(&fs->lock);
	return p;
}

ssize_t ramfs_write(struct vnode *vn, void *fh, const void *buf, size_t len, uint64_t off)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	if (len == 0)
		return 0;
	if (off > FILE_SIZE_MAX || len > FILE_SIZE_MAX - off)
		return -EFBIG;
	kmutex_lock(&fs->lock);
	int err = file_reserve(fs, n, off + len);
	if (err == 0) {
		if (off > n->file.size) /* a hole reads as zeros */
			memset(n->file.data + n->file.size, 0, off - n->file.size);
		memcpy(n->file.data + off, buf, len);
		if (off + len > n->file.size)
			n->file.size = off + len;
		ramfs_touch(n, 1);
	}
	kmutex_unlock(&fs->lock);
	return err < 0 ? err : (ssize_t)len;
}

int ramfs_truncate(struct vnode *vn, void *fh, uint64_t len)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	int err = 0;
	kmutex_lock(&fs->lock);
	if (len > n->file.size)
		err = file_reserve(fs, n, len);
	if (err == 0 && len > n->file.size)
		memset(n->file.data + n->file.size, 0, len - n->file.size);
	if (err == 0) {
		n->file.size = len;
		ramfs_touch(n, 1);
	}
	kmutex_unlock(&fs->lock);
	return err;
}

int ramfs_getattr(struct vnode *vn, struct vattr *va)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	memset(va, 0, sizeof(*va));
	kmutex_lock(&fs->lock);
	va->ino = vn->ino;
	va->mode = n->mode;
	va->nlink = n->nlink;
	va->uid = n->uid;
	va->gid = n->gid;
	if (S_ISREG(n->mode))
		va->size = n->file.size;
	else if (S_ISLNK(n->mode))
		va->size = n->link.len;
	else if (S_ISDIR(n->mode))
		va->size = 4096;
	va->blocks = (va->size + 511) / 512;
	va->blksize = 4096;
	va->atime = n->atime;
	va->mtime = n->mtime;
	va->ctime = n->ctime;
	kmutex_unlock(&fs->lock);
	return 0;
}

static void set_time(struct timespec *t, const struct timespec *v, const struct timespec *now,
                     int use_now)
{
	*t = use_now ? *now : *v;
}

int ramfs_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	kmutex_lock(&fs->lock);
	ramfs_touch(n, 0);
	if (mask & VATTR_MODE)
		n->mode = (n->mode & S_IFMT) | (va->mode & 07777);
	if (mask & VATTR_UID)
		n->uid = va->uid;
	if (mask & VATTR_GID)
		n->gid = va->gid;
	if (mask & (VATTR_ATIME | VATTR_ATIME_NOW))
		set_time(&n->atime, &va->atime, &n->ctime, mask & VATTR_ATIME_NOW);
	if (mask & (VATTR_MTIME | VATTR_MTIME_NOW))
		set_time(&n->mtime, &va->mtime, &n->ctime, mask & VATTR_MTIME_NOW);
	kmutex_unlock(&fs->lock);
	return 0;
}

ssize_t ramfs_readlink(struct vnode *vn, char *buf, size_t size)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	kmutex_lock(&fs->lock);
	size_t len = n->link.len < size ? n->link.len : size;
	memcpy(buf, n->link.target, len);
	kmutex_unlock(&fs->lock);
	return (ssize_t)len;
}

int ramfs_statfs(struct vnode *vn, struct vfs_statfs *st)
{
	struct ramfs *fs = ramfs_of(vn);
	memset(st, 0, sizeof(*st));
	st->bsize = st->frsize = 4096;
	st->blocks = pmem_total_bytes() / 4096;
	st->bfree = st->bavail = pmem_free_bytes() / 4096;
	kmutex_lock(&fs->lock);
	st->files = fs->next_ino + st->bfree;
	st->ffree = st->bfree;
	kmutex_unlock(&fs->lock);
	st->namemax = VFS_NAME_MAX;
	st->fsid = 0x52414d46; /* "RAMF" */
	return 0;
}

/* With the lock held: frees what the node's contents took. */
void ramfs_data_free(struct rnode *n)
{
	struct ramfs *fs = ramfs_of(&n->vn);
	if (S_ISREG(n->mode) && !n->file.borrowed) {
		fs->bytes -= n->file.cap;
		free(n->file.data);
	} else if (S_ISLNK(n->mode)) {
		fs->bytes -= n->link.len;
		free(n->link.target);
	}
}

int ramfs_add_borrowed(struct vnode *dvn, const char *name, uint32_t mode, const void *data,
                       uint64_t size, int64_t mtime)
{
	struct rnode *dir = rnode_of(dvn);
	struct ramfs *fs = ramfs_of(dvn);
	int err = 0;
	kmutex_lock(&fs->lock);
	struct rnode *n = NULL;
	if (ramfs_find(dir, name))
		err = -EEXIST;
	else if (!(n = ramfs_node_new(fs, S_IFREG | (mode & 07777))))
		err = -ENOSPC;
	if (err == 0) {
		n->file.data = (char *)data;
		n->file.size = n->file.cap = size;
		n->file.borrowed = 1;
		n->mtime.tv_sec = (time_t)mtime;
		n->mtime.tv_nsec = 0;
		if ((err = ramfs_link_locked(dir, name, n)) < 0)
			free(n);
		else
			vnode_put(&n->vn); /* the tree's reference stays */
	}
	kmutex_unlock(&fs->lock);
	return err;
}
