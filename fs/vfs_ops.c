/*
 * Path operations: resolve with namei.c, check what POSIX checks (types,
 * ".", "..", mount points, file systems), then call the backend.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vfs_priv.h"

#define IS_DOT(n)    ((n)[0] == '.' && (n)[1] == '\0')
#define IS_DOTDOT(n) ((n)[0] == '.' && (n)[1] == '.' && (n)[2] == '\0')

/* A resolved path: the walk state, freed by path_end(). */
static struct walk *path_begin(int dirfd, const char *path, unsigned flags, int *err)
{
	vfs_boot();
	struct walk *w = walk_alloc();
	if (!w) {
		*err = -ENOMEM;
		return NULL;
	}
	*err = walk_path(w, dirfd, path, flags);
	return w;
}

static int path_end(struct walk *w, int err)
{
	if (w) {
		walk_done(w);
		walk_free(w);
	}
	return err;
}

/* A name a new entry may have: not "/", "." or "..". */
static int name_is_special(const char *name)
{
	return !name[0] || IS_DOT(name) || IS_DOTDOT(name);
}

/* Creates the file a walk ended at, or opens what it found. */
static int open_found(struct walk *w, int flags, struct vnode **vn, void **fh, int *have_fh)
{
	if ((flags & O_CREAT) && (flags & O_EXCL))
		return -EEXIST;
	if (w->vn->type == S_IFLNK)
		return -ELOOP; /* O_NOFOLLOW */
	if ((flags & O_DIRECTORY) && w->vn->type != S_IFDIR)
		return -ENOTDIR;
	if (w->vn->type == S_IFDIR && ((flags & O_ACCMODE) != O_RDONLY || (flags & O_CREAT)))
		return -EISDIR;
	if ((flags & O_TRUNC) && w->vn->type == S_IFREG && (flags & O_ACCMODE) != O_RDONLY) {
		int err = w->vn->ops->truncate ? w->vn->ops->truncate(w->vn, NULL, 0) : -EINVAL;
		if (err < 0)
			return err;
	}
	*vn = w->vn;
	vnode_get(*vn);
	*have_fh = 0;
	return 0;
}

static int open_create(struct walk *w, int flags, uint32_t mode, struct vnode **vn, void **fh,
                       int *have_fh)
{
	if (w->slash || (flags & O_DIRECTORY))
		return -EISDIR;
	if (!w->dir->ops->create)
		return -EROFS;
	*have_fh = 1;
	return w->dir->ops->create(w->dir, w->name, (mode & 07777) | S_IFREG, flags & ~O_TRUNC, vn,
	                           fh);
}

static int open_once(int dirfd, const char *path, int flags, uint32_t mode, struct file **out)
{
	unsigned wf = (flags & O_NOFOLLOW) ? 0 : WALK_FOLLOW;
	if (flags & O_CREAT)
		wf = (flags & O_EXCL) ? WALK_CREATE : wf | WALK_CREATE;
	int err;
	struct walk *w = path_begin(dirfd, path, wf | WALK_CANON, &err);
	if (err < 0)
		return path_end(w, err);
	struct vnode *vn = NULL;
	void *fh = NULL;
	int have_fh = 0;
	err = w->vn ? open_found(w, flags, &vn, &fh, &have_fh)
	            : open_create(w, flags, mode, &vn, &fh, &have_fh);
	if (err == 0) {
		err = vfile_open(vn, flags, w->canon, fh, have_fh, out);
		vnode_put(vn);
	}
	return path_end(w, err);
}

int vfs_openat(int dirfd, const char *path, int flags, uint32_t mode, struct file **out)
{
	int err = open_once(dirfd, path, flags, mode, out);
	/* created by another thread between our lookup and create: open it */
	if (err == -EEXIST && (flags & O_CREAT) && !(flags & O_EXCL))
		err = open_once(dirfd, path, flags & ~O_CREAT, mode, out);
	return err;
}

static unsigned at_walk_flags(int flags)
{
	return ((flags & AT_SYMLINK_NOFOLLOW) ? 0 : WALK_FOLLOW) |
	       ((flags & AT_EMPTY_PATH) ? WALK_EMPTY : 0);
}

int vfs_statat(int dirfd, const char *path, int flags, struct vattr *va)
{
	int err;
	struct walk *w = path_begin(dirfd, path, at_walk_flags(flags), &err);
	if (err == 0)
		err = vnode_getattr(w->vn, va);
	return path_end(w, err);
}

int vfs_mkdirat(int dirfd, const char *path, uint32_t mode)
{
	int err;
	struct walk *w = path_begin(dirfd, path, WALK_CREATE, &err);
	if (err == 0 && (w->vn || name_is_special(w->name)))
		err = -EEXIST;
	if (err == 0)
		err =
		    w->dir->ops->mkdir ? w->dir->ops->mkdir(w->dir, w->name, mode & 07777) : -EROFS;
	return path_end(w, err);
}

static int rmdir_check(struct walk *w)
{
	if (!w->name[0])
		return -EBUSY;
	if (IS_DOT(w->name))
		return -EINVAL;
	if (IS_DOTDOT(w->name))
		return -ENOTEMPTY;
	if (w->vn->type != S_IFDIR)
		return -ENOTDIR;
	if (w->vn->mnt != w->dir->mnt)
		return -EBUSY; /* a mount point */
	return w->dir->ops->rmdir ? 0 : -EROFS;
}

int vfs_unlinkat(int dirfd, const char *path, int flags)
{
	int err;
	if (flags & ~AT_REMOVEDIR)
		return -EINVAL;
	struct walk *w = path_begin(dirfd, path, 0, &err);
	if (err == 0 && (flags & AT_REMOVEDIR)) {
		err = rmdir_check(w);
		if (err == 0)
			err = w->dir->ops->rmdir(w->dir, w->name);
	} else if (err == 0) {
		if (name_is_special(w->name) || w->vn->type == S_IFDIR)
			err = -EISDIR;
		else
			err = w->dir->ops->unlink ? w->dir->ops->unlink(w->dir, w->name) : -EROFS;
	}
	return path_end(w, err);
}

static int same_node(const struct vnode *a, const struct vnode *b)
{
	return a->mnt == b->mnt && a->ino == b->ino;
}

/* The target's type against the source's, as plain rename() wants them. */
static int rename_types(struct walk *o, struct walk *n)
{
	if (n->slash && o->vn->type != S_IFDIR)
		return -ENOTDIR;
	if (n->vn && o->vn->type == S_IFDIR && n->vn->type != S_IFDIR)
		return -ENOTDIR;
	if (n->vn && o->vn->type != S_IFDIR && n->vn->type == S_IFDIR)
		return -EISDIR;
	return 0;
}

/* 0 to go on, 1 if there is nothing to do (one node under both names), or -ERRNO. */
static int rename_check(struct walk *o, struct walk *n, unsigned flags)
{
	if (!o->name[0] || !n->name[0])
		return -EBUSY;
	if (IS_DOT(o->name) || IS_DOTDOT(o->name) || IS_DOT(n->name) || IS_DOTDOT(n->name))
		return -EINVAL;
	if (o->dir->mnt != n->dir->mnt)
		return -EXDEV;
	if (n->vn && (flags & VFS_RENAME_NOREPLACE))
		return -EEXIST;
	if (!n->vn && (flags & VFS_RENAME_EXCHANGE))
		return -ENOENT;
	if (n->vn && same_node(o->vn, n->vn))
		return 1;
	if (o->vn->mnt != o->dir->mnt || (n->vn && n->vn->mnt != n->dir->mnt))
		return -EBUSY; /* a mount point */
	/* an exchange takes any two types: each name keeps one it had */
	int err = (flags & VFS_RENAME_EXCHANGE) ? 0 : rename_types(o, n);
	if (err == 0 && !o->dir->ops->rename)
		err = -EROFS;
	return err;
}

int vfs_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                 unsigned flags)
{
	int err, err2;
	/* Linux's RENAME_WHITEOUT (4) is among the rest: no file system here has whiteouts */
	if ((flags & ~(VFS_RENAME_NOREPLACE | VFS_RENAME_EXCHANGE)) ||
	    flags == (VFS_RENAME_NOREPLACE | VFS_RENAME_EXCHANGE))
		return -EINVAL;
	struct walk *o = path_begin(olddirfd, oldpath, 0, &err);
	struct walk *n = err ? NULL : path_begin(newdirfd, newpath, WALK_CREATE, &err2);
	if (err == 0 && (err = err2) == 0)
		err = rename_check(o, n, flags);
	if (err == 0)
		err = o->dir->ops->rename(o->dir, o->name, n->dir, n->name, flags);
	path_end(n, 0);
	return path_end(o, err < 0 ? err : 0);
}

int vfs_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	int err, err2;
	if (flags & ~AT_SYMLINK_FOLLOW)
		return -EINVAL;
	struct walk *o =
	    path_begin(olddirfd, oldpath, (flags & AT_SYMLINK_FOLLOW) ? WALK_FOLLOW : 0, &err);
	struct walk *n = err ? NULL : path_begin(newdirfd, newpath, WALK_CREATE, &err2);
	if (err == 0 && (err = err2) == 0) {
		if (n->vn || name_is_special(n->name))
			err = -EEXIST;
		else if (o->vn->type == S_IFDIR)
			err = -EPERM;
		else if (o->vn->mnt != n->dir->mnt)
			err = -EXDEV;
		else if (n->slash)
			err = -ENOENT;
		else
			err =
			    n->dir->ops->link ? n->dir->ops->link(o->vn, n->dir, n->name) : -EPERM;
	}
	path_end(n, 0);
	return path_end(o, err);
}

int vfs_symlinkat(const char *target, int dirfd, const char *path)
{
	if (!target)
		return -EFAULT;
	size_t len = strnlen(target, VFS_PATH_MAX);
	if (len == 0)
		return -ENOENT;
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	int err;
	struct walk *w = path_begin(dirfd, path, WALK_CREATE, &err);
	if (err == 0 && (w->vn || name_is_special(w->name)))
		err = -EEXIST;
	else if (err == 0 && w->slash)
		err = -ENOENT;
	if (err == 0)
		err = w->dir->ops->symlink ? w->dir->ops->symlink(w->dir, w->name, target) : -EPERM;
	return path_end(w, err);
}

ssize_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	int err;
	if (size == 0)
		return -EINVAL;
	struct walk *w = path_begin(dirfd, path, 0, &err);
	ssize_t r = err;
	if (err == 0)
		r = w->vn->type != S_IFLNK || !w->vn->ops->readlink
		        ? -EINVAL
		        : w->vn->ops->readlink(w->vn, buf, size);
	path_end(w, 0);
	return r;
}

int vfs_setattrat(int dirfd, const char *path, int flags, const struct vattr *va, unsigned mask)
{
	int err;
	struct walk *w = path_begin(dirfd, path, at_walk_flags(flags), &err);
	if (err == 0)
		err = w->vn->ops->setattr ? w->vn->ops->setattr(w->vn, va, mask) : -EPERM;
	return path_end(w, err);
}

int vfs_truncateat(int dirfd, const char *path, off_t len)
{
	int err;
	if (len < 0)
		return -EINVAL;
	struct walk *w = path_begin(dirfd, path, WALK_FOLLOW, &err);
	if (err == 0 && w->vn->type == S_IFDIR)
		err = -EISDIR;
	else if (err == 0 && (w->vn->type != S_IFREG || !w->vn->ops->truncate))
		err = -EINVAL;
	if (err == 0)
		err = w->vn->ops->truncate(w->vn, NULL, (uint64_t)len);
	return path_end(w, err);
}

int vfs_statfsat(int dirfd, const char *path, struct vfs_statfs *st)
{
	int err;
	struct walk *w = path_begin(dirfd, path, WALK_FOLLOW, &err);
	memset(st, 0, sizeof(*st));
	if (err == 0 && w->vn->ops->statfs)
		err = w->vn->ops->statfs(w->vn, st);
	return path_end(w, err);
}

/* One process, running as root: only "execute" needs a bit set somewhere. */
int vfs_accessat(int dirfd, const char *path, int mode, int flags)
{
	int err;
	if (mode & ~(R_OK | W_OK | X_OK))
		return -EINVAL;
	struct walk *w = path_begin(dirfd, path, at_walk_flags(flags & AT_SYMLINK_NOFOLLOW), &err);
	struct vattr va;
	if (err == 0 && (mode & X_OK) && w->vn->type != S_IFDIR) {
		err = vnode_getattr(w->vn, &va);
		if (err == 0 && !(va.mode & 0111))
			err = -EACCES;
	}
	return path_end(w, err);
}

int vfs_chdir(int dirfd, const char *path)
{
	int err;
	struct walk *w = path_begin(dirfd, path, WALK_FOLLOW | WALK_EMPTY | WALK_CANON, &err);
	if (err == 0 && w->vn->type != S_IFDIR)
		err = -ENOTDIR;
	else if (err == 0 && !w->canon[0])
		err = -ENOENT; /* a directory descriptor without a known path */
	if (err == 0) {
		vnode_get(w->vn);
		vfs_cwd_set(w->vn, w->canon);
	}
	return path_end(w, err);
}

int vfs_realpath(const char *path, char *out)
{
	int err;
	struct walk *w = path_begin(AT_FDCWD, path, WALK_FOLLOW | WALK_CANON, &err);
	if (err == 0)
		memcpy(out, w->canon, w->canon_len + 1);
	return path_end(w, err);
}
