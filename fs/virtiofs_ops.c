/*
 * virtio-fs vnode operations: each is one FUSE request (two for close:
 * FLUSH then RELEASE), except read and write, which split into requests of
 * at most max_io bytes, and readdir, which may ask for several buffers.
 * Entries that create a lookup the VFS does not keep (MKDIR, SYMLINK,
 * LINK) are forgotten at once.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "virtiofs.h"
#include "vfs_priv.h"

#define DIRBUF       4096
#define READLINK_BUF 4096 /* Linux's PATH_MAX: the device sends the whole target */
#define FH(p)        ((uint64_t)(uintptr_t)(p))
#define FH_PTR(fh)   ((void *)(uintptr_t)(fh))

static struct vfuse *fs_of(struct vnode *vn)
{
	return fnode_of(vn)->fs;
}

static int vf_lookup(struct vnode *dir, const char *name, struct vnode **out)
{
	struct fuse_entry_out e;
	struct fuse_msg m = {.opcode = FUSE_LOOKUP,
	                     .nodeid = dir->ino,
	                     .name = name,
	                     .res = &e,
	                     .reslen = sizeof(e)};
	int err = fuse_send(fs_of(dir), &m);
	return err < 0 ? err : fnode_from_entry(fs_of(dir), &e, out);
}

static int vf_release_fh(struct vfuse *fs, uint64_t nodeid, uint64_t fh, int flags, int dir)
{
	struct fuse_release_in in = {.fh = fh, .flags = fuse_open_flags(flags)};
	struct fuse_msg m = {.opcode = dir ? FUSE_RELEASEDIR : FUSE_RELEASE,
	                     .nodeid = nodeid,
	                     .arg = &in,
	                     .arglen = sizeof(in)};
	return fuse_send(fs, &m);
}

static int vf_create(struct vnode *dir, const char *name, uint32_t mode, int flags,
                     struct vnode **out, void **fh)
{
	struct fuse_create_in in = {.flags = fuse_open_flags(flags | O_CREAT), .mode = mode};
	struct {
		struct fuse_entry_out e;
		struct fuse_open_out o;
	} res;
	struct fuse_msg m = {.opcode = FUSE_CREATE,
	                     .nodeid = dir->ino,
	                     .arg = &in,
	                     .arglen = sizeof(in),
	                     .name = name,
	                     .res = &res,
	                     .reslen = sizeof(res)};
	int err = fuse_send(fs_of(dir), &m);
	if (err < 0)
		return err;
	if ((res.e.attr.mode & S_IFMT) != S_IFREG || res.e.nodeid == 0)
		err = -EIO;
	if (err == 0)
		err = fnode_from_entry(fs_of(dir), &res.e, out);
	else
		fuse_entry_forget(fs_of(dir), &res.e);
	if (err < 0) {
		vf_release_fh(fs_of(dir), res.e.nodeid, res.o.fh, flags, 0);
		return err;
	}
	*fh = FH_PTR(res.o.fh);
	return 0;
}

/* A request whose result is an entry the VFS does not keep. */
static int entry_op(struct vnode *dir, struct fuse_msg *m)
{
	struct fuse_entry_out e;
	m->res = &e;
	m->reslen = sizeof(e);
	int err = fuse_send(fs_of(dir), m);
	if (err == 0)
		fuse_entry_forget(fs_of(dir), &e);
	return err;
}

static int vf_mkdir(struct vnode *dir, const char *name, uint32_t mode)
{
	struct fuse_mkdir_in in = {.mode = mode};
	struct fuse_msg m = {.opcode = FUSE_MKDIR,
	                     .nodeid = dir->ino,
	                     .arg = &in,
	                     .arglen = sizeof(in),
	                     .name = name};
	return entry_op(dir, &m);
}

static int vf_symlink(struct vnode *dir, const char *name, const char *target)
{
	struct fuse_msg m = {
	    .opcode = FUSE_SYMLINK, .nodeid = dir->ino, .name = name, .name2 = target};
	return entry_op(dir, &m);
}

static int vf_link(struct vnode *vn, struct vnode *dir, const char *name)
{
	struct fuse_link_in in = {.oldnodeid = vn->ino};
	struct fuse_msg m = {.opcode = FUSE_LINK,
	                     .nodeid = dir->ino,
	                     .arg = &in,
	                     .arglen = sizeof(in),
	                     .name = name};
	return entry_op(dir, &m);
}

static int vf_unlink(struct vnode *dir, const char *name)
{
	struct fuse_msg m = {.opcode = FUSE_UNLINK, .nodeid = dir->ino, .name = name};
	return fuse_send(fs_of(dir), &m);
}

static int vf_rmdir(struct vnode *dir, const char *name)
{
	struct fuse_msg m = {.opcode = FUSE_RMDIR, .nodeid = dir->ino, .name = name};
	return fuse_send(fs_of(dir), &m);
}

/*
 * Plain renames stay FUSE_RENAME, which every server has; flags need
 * RENAME2, which virtiofsd passes to the host's renameat2() (its -EINVAL
 * for flags the host file system lacks comes back as it is).
 */
static int vf_rename(struct vnode *odir, const char *oname, struct vnode *ndir, const char *nname,
                     unsigned flags)
{
	struct fuse_rename_in in = {.newdir = ndir->ino};
	struct fuse_rename2_in in2 = {.newdir = ndir->ino, .flags = flags};
	struct fuse_msg m = {.opcode = flags ? FUSE_RENAME2 : FUSE_RENAME,
	                     .nodeid = odir->ino,
	                     .arg = flags ? (const void *)&in2 : &in,
	                     .arglen = flags ? sizeof(in2) : sizeof(in),
	                     .name = oname,
	                     .name2 = nname};
	return fuse_send(fs_of(odir), &m);
}

/* One fuse_dirent at p (avail bytes): checked, passed to fill; its size, or -EIO. */
static int dirent_take(const char *p, size_t avail, vfs_filldir_fn fill, void *ctx, int *stop,
                       uint64_t *next)
{
	const struct fuse_dirent *d = (const void *)p;
	size_t head = offsetof(struct fuse_dirent, name);
	if (avail < head || d->namelen == 0 || d->namelen > VFS_NAME_MAX ||
	    d->namelen > avail - head || d->off == 0 || d->type > 15)
		return -EIO;
	if (memchr(d->name, '/', d->namelen) || memchr(d->name, '\0', d->namelen))
		return -EIO;
	*stop = fill(ctx, d->name, d->namelen, d->ino, d->type, d->off);
	*next = d->off;
	size_t size = FUSE_DIRENT_ALIGN(head + d->namelen);
	return (int)(size < avail ? size : avail); /* the last one's padding may be cut */
}

static int readdir_buf(const char *buf, int n, vfs_filldir_fn fill, void *ctx, uint64_t *cookie)
{
	int stop = 0;
	for (int pos = 0; pos < n && !stop;) {
		int used = dirent_take(buf + pos, (size_t)(n - pos), fill, ctx, &stop, cookie);
		if (used < 0)
			return used;
		pos += used;
	}
	return stop;
}

static int vf_readdir(struct vnode *dir, void *fh, uint64_t cookie, vfs_filldir_fn fill, void *ctx)
{
	char *buf = malloc(DIRBUF);
	if (!buf)
		return -ENOMEM;
	int r;
	for (;;) {
		struct fuse_read_in in = {.fh = FH(fh), .offset = cookie, .size = DIRBUF};
		struct fuse_msg m = {.opcode = FUSE_READDIR,
		                     .nodeid = dir->ino,
		                     .arg = &in,
		                     .arglen = sizeof(in),
		                     .buf = buf,
		                     .buflen = DIRBUF};
		r = fuse_send(fs_of(dir), &m);
		if (r <= 0)
			break; /* an error, or 0: the end */
		r = readdir_buf(buf, r, fill, ctx, &cookie);
		if (r != 0)
			break; /* 1: the caller is full; or a bad entry */
	}
	free(buf);
	return r < 0 ? r : 0;
}

static int attr_reply(struct vnode *vn, struct fuse_msg *m, struct vattr *va)
{
	struct fuse_attr_out a;
	struct vattr ignored;
	m->res = &a;
	m->reslen = sizeof(a);
	int err = fuse_send(fs_of(vn), m);
	if (err == 0)
		err = fuse_attr_to_vattr(fs_of(vn), &a.attr, va ? va : &ignored);
	if (err == 0 && (a.attr.mode & S_IFMT) != vn->type)
		err = -EIO; /* a node does not change its type */
	return err;
}

static int vf_getattr(struct vnode *vn, struct vattr *va)
{
	struct fuse_getattr_in in = {0};
	struct fuse_msg m = {
	    .opcode = FUSE_GETATTR, .nodeid = vn->ino, .arg = &in, .arglen = sizeof(in)};
	return attr_reply(vn, &m, va);
}

static int vf_setattr(struct vnode *vn, const struct vattr *va, unsigned mask)
{
	struct fuse_setattr_in in = {.mode = va->mode & 07777, .uid = va->uid, .gid = va->gid};
	in.valid = ((mask & VATTR_MODE) ? FATTR_MODE : 0) | ((mask & VATTR_UID) ? FATTR_UID : 0) |
	           ((mask & VATTR_GID) ? FATTR_GID : 0) | ((mask & VATTR_ATIME) ? FATTR_ATIME : 0) |
	           ((mask & VATTR_MTIME) ? FATTR_MTIME : 0) |
	           ((mask & VATTR_ATIME_NOW) ? FATTR_ATIME | FATTR_ATIME_NOW : 0) |
	           ((mask & VATTR_MTIME_NOW) ? FATTR_MTIME | FATTR_MTIME_NOW : 0);
	in.atime = (uint64_t)va->atime.tv_sec;
	in.atimensec = (uint32_t)va->atime.tv_nsec;
	in.mtime = (uint64_t)va->mtime.tv_sec;
	in.mtimensec = (uint32_t)va->mtime.tv_nsec;
	struct fuse_msg m = {
	    .opcode = FUSE_SETATTR, .nodeid = vn->ino, .arg = &in, .arglen = sizeof(in)};
	return attr_reply(vn, &m, NULL);
}

static int vf_truncate(struct vnode *vn, void *fh, uint64_t len)
{
	struct fuse_setattr_in in = {.valid = FATTR_SIZE, .size = len};
	struct fuse_msg m = {
	    .opcode = FUSE_SETATTR, .nodeid = vn->ino, .arg = &in, .arglen = sizeof(in)};
	return attr_reply(vn, &m, NULL);
}

static ssize_t vf_readlink(struct vnode *vn, char *buf, size_t size)
{
	char *tmp = malloc(READLINK_BUF);
	if (!tmp)
		return -ENOMEM;
	struct fuse_msg m = {
	    .opcode = FUSE_READLINK, .nodeid = vn->ino, .buf = tmp, .buflen = READLINK_BUF};
	int n = fuse_send(fs_of(vn), &m);
	if (n > 0 && memchr(tmp, '\0', (size_t)n))
		n = -EIO;
	if (n > 0)
		memcpy(buf, tmp, (size_t)n < size ? (size_t)n : size);
	free(tmp);
	return n < 0 ? n : ((size_t)n < size ? n : (ssize_t)size);
}

static int vf_statfs(struct vnode *vn, struct vfs_statfs *st)
{
	struct fuse_statfs_out o;
	struct fuse_msg m = {
	    .opcode = FUSE_STATFS, .nodeid = vn->ino, .res = &o, .reslen = sizeof(o)};
	int err = fuse_send(fs_of(vn), &m);
	if (err < 0)
		return err;
	*st = (struct vfs_statfs){.blocks = o.st.blocks,
	                          .bfree = o.st.bfree,
	                          .bavail = o.st.bavail,
	                          .files = o.st.files,
	                          .ffree = o.st.ffree,
	                          .bsize = o.st.bsize,
	                          .frsize = o.st.frsize,
	                          .namemax = o.st.namelen,
	                          .fsid = 0x65735546 /* Linux's FUSE_SUPER_MAGIC */};
	return 0;
}

static int vf_open(struct vnode *vn, int flags, void **fh)
{
	int dir = vn->type == S_IFDIR;
	struct fuse_open_in in = {.flags = dir ? 0 : fuse_open_flags(flags & ~(O_CREAT | O_EXCL))};
	struct fuse_open_out o;
	struct fuse_msg m = {.opcode = dir ? FUSE_OPENDIR : FUSE_OPEN,
	                     .nodeid = vn->ino,
	                     .arg = &in,
	                     .arglen = sizeof(in),
	                     .res = &o,
	                     .reslen = sizeof(o)};
	int err = fuse_send(fs_of(vn), &m);
	if (err == 0)
		*fh = FH_PTR(o.fh);
	return err;
}

static void vf_close(struct vnode *vn, void *fh, int flags)
{
	int dir = vn->type == S_IFDIR;
	if (!dir) {
		struct fuse_flush_in in = {.fh = FH(fh)};
		struct fuse_msg m = {
		    .opcode = FUSE_FLUSH, .nodeid = vn->ino, .arg = &in, .arglen = sizeof(in)};
		fuse_send(fs_of(vn), &m); /* close() has no way to report it */
	}
	vf_release_fh(fs_of(vn), vn->ino, FH(fh), flags, dir);
}

static ssize_t vf_read(struct vnode *vn, void *fh, void *buf, size_t len, uint64_t off)
{
	struct vfuse *fs = fs_of(vn);
	size_t done = 0;
	while (done < len) {
		uint32_t chunk = fuse_io_chunk(fs, (char *)buf + done, len - done);
		struct fuse_read_in in = {.fh = FH(fh), .offset = off + done, .size = chunk};
		struct fuse_msg m = {.opcode = FUSE_READ,
		                     .nodeid = vn->ino,
		                     .arg = &in,
		                     .arglen = sizeof(in),
		                     .buf = (char *)buf + done,
		                     .buflen = chunk};
		int n = fuse_send(fs, &m);
		if (n < 0)
			return done ? (ssize_t)done : n;
		done += (size_t)n;
		if ((uint32_t)n < chunk)
			break; /* the end of the file */
	}
	return (ssize_t)done;
}

static ssize_t vf_write(struct vnode *vn, void *fh, const void *buf, size_t len, uint64_t off)
{
	struct vfuse *fs = fs_of(vn);
	size_t done = 0;
	while (done < len) {
		uint32_t chunk = fuse_io_chunk(fs, (const char *)buf + done, len - done);
		struct fuse_write_in in = {.fh = FH(fh), .offset = off + done, .size = chunk};
		struct fuse_write_out o;
		struct fuse_msg m = {.opcode = FUSE_WRITE,
		                     .nodeid = vn->ino,
		                     .arg = &in,
		                     .arglen = sizeof(in),
		                     .data = (const char *)buf + done,
		                     .datalen = chunk,
		                     .res = &o,
		                     .reslen = sizeof(o)};
		int err = fuse_send(fs, &m);
		if (err == 0 && o.size > chunk)
			err = -EIO; /* wrote more than it was given */
		if (err < 0)
			return done ? (ssize_t)done : err;
		done += o.size;
		if (o.size < chunk)
			break;
	}
	return (ssize_t)done;
}

static int vf_fsync(struct vnode *vn, void *fh, int datasync)
{
	if (vn->type == S_IFDIR)
		return 0; /* directory changes are synchronous on the host */
	struct fuse_fsync_in in = {.fh = FH(fh),
	                           .fsync_flags = datasync ? FUSE_FSYNC_FDATASYNC : 0};
	struct fuse_msg m = {
	    .opcode = FUSE_FSYNC, .nodeid = vn->ino, .arg = &in, .arglen = sizeof(in)};
	return fuse_send(fs_of(vn), &m);
}

static void vf_release(struct vnode *vn)
{
	struct fnode *n = fnode_of(vn);
	if (!n->is_root)
		virtio_fs_forget(n->fs->dev, vn->ino, 1);
	free(n);
}

const struct vnode_ops virtiofs_ops = {
    .lookup = vf_lookup,
    .create = vf_create,
    .mkdir = vf_mkdir,
    .unlink = vf_unlink,
    .rmdir = vf_rmdir,
    .rename = vf_rename,
    .link = vf_link,
    .symlink = vf_symlink,
    .readdir = vf_readdir,
    .getattr = vf_getattr,
    .setattr = vf_setattr,
    .truncate = vf_truncate,
    .readlink = vf_readlink,
    .statfs = vf_statfs,
    .open = vf_open,
    .close = vf_close,
    .read = vf_read,
    .write = vf_write,
    .fsync = vf_fsync,
    .release = vf_release,
};
