/*
 * Open VFS files: a struct file over a node with the backend's handle, the
 * file offset (for a directory: the readdir cookie) and O_APPEND.  A
 * per-file mutex makes each read/write/lseek atomic with its offset update.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <kernel/sync.h>
#include "vfs_priv.h"

struct vfile {
	struct vnode *vn; /* a reference */
	void *fh;         /* the backend's handle */
	struct kmutex lock;
	char path[]; /* directories: the canonical path, for fchdir and *at */
};

static const struct file_ops vfile_ops;

static struct vfile *vfile_of(const struct file *f)
{
	return f && f->ops == &vfile_ops ? f->priv : NULL;
}

struct vnode *vfile_vnode(struct file *f)
{
	struct vfile *vf = vfile_of(f);
	return vf ? vf->vn : NULL;
}

const char *vfile_path(struct file *f)
{
	struct vfile *vf = vfile_of(f);
	return vf && vf->vn->type == S_IFDIR ? vf->path : NULL;
}

int vfs_file_is_dir(const struct file *f)
{
	struct vfile *vf = vfile_of(f);
	return vf && vf->vn->type == S_IFDIR;
}

int vnode_getattr(struct vnode *vn, struct vattr *va)
{
	int err = 0;
	if (vn->ops->getattr)
		err = vn->ops->getattr(vn, va);
	else
		vattr_fill_default(vn, va);
	va->dev = vn->mnt ? vn->mnt->dev : 0;
	return err;
}

static ssize_t vfile_read(struct file *f, void *buf, size_t len)
{
	struct vfile *vf = f->priv;
	if (vf->vn->type == S_IFDIR)
		return -EISDIR;
	if (!vf->vn->ops->read)
		return -EINVAL;
	kmutex_lock(&vf->lock);
	ssize_t n = vf->vn->ops->read(vf->vn, vf->fh, buf, len, (uint64_t)f->pos);
	if (n > 0)
		f->pos += n;
	kmutex_unlock(&vf->lock);
	return n;
}

static ssize_t vfile_write(struct file *f, const void *buf, size_t len)
{
	struct vfile *vf = f->priv;
	struct vattr va;
	if (!vf->vn->ops->write)
		return -EINVAL;
	kmutex_lock(&vf->lock);
	ssize_t n = 0;
	if (f->flags & O_APPEND) {
		n = vnode_getattr(vf->vn, &va);
		f->pos = (off_t)va.size;
	}
	if (n == 0)
		n = vf->vn->ops->write(vf->vn, vf->fh, buf, len, (uint64_t)f->pos);
	if (n > 0)
		f->pos += n;
	kmutex_unlock(&vf->lock);
	return n;
}

static ssize_t vfile_pread(struct file *f, void *buf, size_t len, off_t off)
{
	struct vfile *vf = f->priv;
	if (vf->vn->type == S_IFDIR)
		return -EISDIR;
	if (!vf->vn->ops->read)
		return -EINVAL;
	return vf->vn->ops->read(vf->vn, vf->fh, buf, len, (uint64_t)off);
}

static ssize_t vfile_pwrite(struct file *f, const void *buf, size_t len, off_t off)
{
	struct vfile *vf = f->priv;
	if (!vf->vn->ops->write)
		return -EINVAL;
	return vf->vn->ops->write(vf->vn, vf->fh, buf, len, (uint64_t)off);
}

static const void *vfile_stable(struct file *f, off_t off, size_t *len)
{
	struct vfile *vf = f->priv;
	if (off < 0 || !vf->vn->ops->stable)
		return NULL;
	return vf->vn->ops->stable(vf->vn, (uint64_t)off, len);
}

static off_t vfile_lseek(struct file *f, off_t off, int whence)
{
	struct vfile *vf = f->priv;
	struct vattr va;
	off_t base = 0;
	int err = 0;
	kmutex_lock(&vf->lock);
	if (whence == SEEK_CUR)
		base = f->pos;
	else if (whence == SEEK_END)
		base = (err = vnode_getattr(vf->vn, &va)) < 0 ? 0 : (off_t)va.size;
	else if (whence != SEEK_SET)
		err = -EINVAL;
	if (!err && (off > 0 ? base > INT64_MAX - off : base + off < 0))
		err = off > 0 ? -EOVERFLOW : -EINVAL;
	if (!err)
		f->pos = base + off;
	off_t r = err ? err : f->pos;
	kmutex_unlock(&vf->lock);
	return r;
}

void vfs_vattr_to_stat(const struct vattr *va, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_dev = (dev_t)va->dev;
	st->st_ino = va->ino; /* 64 bits: libc-glue/newlib/patches/0002 */
	st->st_mode = (mode_t)va->mode;
	st->st_nlink = (nlink_t)(va->nlink > 0xffff ? 0xffff : va->nlink);
	st->st_uid = (uid_t)va->uid;
	st->st_gid = (gid_t)va->gid;
	st->st_rdev = (dev_t)va->rdev;
	st->st_size = (off_t)va->size;
	st->st_blksize = va->blksize;
	st->st_blocks = (blkcnt_t)va->blocks;
	st->st_atim = va->atime;
	st->st_mtim = va->mtime;
	st->st_ctim = va->ctime;
}

static int vfile_fstat(struct file *f, struct stat *st)
{
	struct vattr va;
	int err = vfs_file_getattr(f, &va);
	if (err == 0)
		vfs_vattr_to_stat(&va, st);
	return err;
}

static int vfile_fsync(struct file *f)
{
	struct vfile *vf = f->priv;
	return vf->vn->ops->fsync ? vf->vn->ops->fsync(vf->vn, vf->fh, 0) : 0;
}

static unsigned vfile_poll(struct file *f)
{
	return FILE_POLLIN | FILE_POLLOUT; /* regular files never block */
}

static void vfile_release(struct file *f)
{
	struct vfile *vf = f->priv;
	if (vf->vn->ops->close)
		vf->vn->ops->close(vf->vn, vf->fh, f->flags);
	vnode_put(vf->vn);
	free(vf);
}

static const struct file_ops vfile_ops = {
    .read = vfile_read,
    .write = vfile_write,
    .pread = vfile_pread,
    .pwrite = vfile_pwrite,
    .stable = vfile_stable,
    .lseek = vfile_lseek,
    .fstat = vfile_fstat,
    .fsync = vfile_fsync,
    .poll = vfile_poll,
    .release = vfile_release,
};

/* The status flags F_GETFL reports: the access mode, O_APPEND, O_NONBLOCK... */
#define OPEN_ONLY_FLAGS                                                                            \
	(O_CREAT | O_EXCL | O_TRUNC | O_NOCTTY | O_CLOEXEC | O_NOFOLLOW | O_DIRECTORY)

int vfile_open(struct vnode *vn, int flags, const char *canon, void *fh, int have_fh,
               struct file **out)
{
	if (vn->ops->open_file)
		return vn->ops->open_file(vn, flags, out);
	int err = 0;
	if (!have_fh && vn->ops->open && (err = vn->ops->open(vn, flags & ~O_TRUNC, &fh)) < 0)
		return err;
	size_t plen = vn->type == S_IFDIR && canon ? strlen(canon) : 0;
	struct vfile *vf = calloc(1, sizeof(*vf) + plen + 1);
	struct file *f = vf ? file_alloc(&vfile_ops, flags & ~OPEN_ONLY_FLAGS, vf) : NULL;
	if (!f) {
		free(vf);
		if (vn->ops->close)
			vn->ops->close(vn, fh, flags);
		return -ENOMEM;
	}
	vnode_get(vn);
	vf->vn = vn;
	vf->fh = fh;
	kmutex_init(&vf->lock);
	memcpy(vf->path, canon ? canon : "", plen);
	*out = f;
	return 0;
}

int vfs_file_getattr(struct file *f, struct vattr *va)
{
	struct vfile *vf = vfile_of(f);
	return vf ? vnode_getattr(vf->vn, va) : -EBADF;
}

int vfs_file_setattr(struct file *f, const struct vattr *va, unsigned mask)
{
	struct vfile *vf = vfile_of(f);
	if (!vf)
		return -EBADF;
	return vf->vn->ops->setattr ? vf->vn->ops->setattr(vf->vn, va, mask) : -EPERM;
}

int vfs_file_truncate(struct file *f, off_t len)
{
	struct vfile *vf = vfile_of(f);
	if (!vf || (f->flags & O_ACCMODE) == O_RDONLY)
		return vf ? -EBADF : -EINVAL;
	if (len < 0 || vf->vn->type != S_IFREG || !vf->vn->ops->truncate)
		return -EINVAL;
	return vf->vn->ops->truncate(vf->vn, vf->fh, (uint64_t)len);
}

int vfs_file_statfs(struct file *f, struct vfs_statfs *st)
{
	struct vfile *vf = vfile_of(f);
	if (!vf)
		return -EBADF;
	memset(st, 0, sizeof(*st));
	return vf->vn->ops->statfs ? vf->vn->ops->statfs(vf->vn, st) : 0;
}

struct dents_ctx {
	char *buf;
	size_t size, used;
	uint64_t next; /* cookie after the last entry stored */
	int full;      /* an entry did not fit */
};

static int dents_fill(void *arg, const char *name, size_t len, uint64_t ino, unsigned dtype,
                      uint64_t next)
{
	struct dents_ctx *c = arg;
	size_t reclen = (offsetof(struct vfs_dirent64, d_name) + len + 1 + 7) & ~(size_t)7;
	if (reclen > c->size - c->used) {
		c->full = 1;
		return 1;
	}
	struct vfs_dirent64 *d = (struct vfs_dirent64 *)(c->buf + c->used);
	d->d_ino = ino;
	d->d_off = (int64_t)next;
	d->d_reclen = (uint16_t)reclen;
	d->d_type = (uint8_t)dtype;
	memcpy(d->d_name, name, len);
	memset(d->d_name + len, 0, reclen - offsetof(struct vfs_dirent64, d_name) - len);
	c->used += reclen;
	c->next = next;
	return 0;
}

ssize_t vfs_getdents(struct file *f, void *buf, size_t size)
{
	struct vfile *vf = vfile_of(f);
	if (!vf)
		return -EBADF;
	if (vf->vn->type != S_IFDIR || !vf->vn->ops->readdir)
		return -ENOTDIR;
	struct dents_ctx c = {buf, size, 0, 0, 0};
	kmutex_lock(&vf->lock);
	int err = vf->vn->ops->readdir(vf->vn, vf->fh, (uint64_t)f->pos, dents_fill, &c);
	if (c.used)
		f->pos = (off_t)c.next;
	kmutex_unlock(&vf->lock);
	if (err < 0 && !c.used)
		return err;
	if (!c.used && c.full)
		return -EINVAL; /* the buffer cannot hold the next entry */
	return (ssize_t)c.used;
}
