/*
 * Path resolution: components one at a time from "/", the current
 * directory or a directory descriptor; "." and ".." (crossing mounts both
 * ways), repeated slashes, symbolic links (at most VFS_SYMLOOP_MAX per
 * path, then -ELOOP), -ENAMETOOLONG for a path of VFS_PATH_MAX bytes or a
 * name over VFS_NAME_MAX, -ENOTDIR for a non-directory in the middle or
 * before a trailing slash.
 *
 * A symlink is expanded in place: the rest of the path is appended to its
 * target and the walk goes on from "/" or from the link's directory.  The
 * optional canonical path follows the same steps lexically, which is exact
 * because every "." / ".." / link was resolved on the real tree.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include "vfs_priv.h"

struct walk *walk_alloc(void)
{
	return calloc(1, sizeof(struct walk));
}

void walk_free(struct walk *w)
{
	free(w);
}

void walk_done(struct walk *w)
{
	vnode_put(w->dir);
	vnode_put(w->vn);
	w->dir = w->vn = NULL;
}

static void canon_set(struct walk *w, const char *path)
{
	if (!w->canon)
		return;
	w->canon_len = strlen(path);
	memcpy(w->canon, path, w->canon_len + 1);
}

/* Appends "/name" (pops for "..", nothing for "."). */
static int canon_step(struct walk *w, const char *name)
{
	if (!w->canon || strcmp(name, ".") == 0)
		return 0;
	if (strcmp(name, "..") == 0) {
		while (w->canon_len > 1 && w->canon[w->canon_len - 1] != '/')
			w->canon_len--;
		if (w->canon_len > 1)
			w->canon_len--;
		w->canon[w->canon_len] = '\0';
		return 0;
	}
	size_t n = strlen(name), sep = w->canon_len > 1;
	if (w->canon_len + sep + n >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (sep)
		w->canon[w->canon_len++] = '/';
	memcpy(w->canon + w->canon_len, name, n + 1);
	w->canon_len += n;
	return 0;
}

/* The directory a relative path starts from (a reference). */
static int walk_base(struct walk *w, int dirfd, struct vnode **out)
{
	if (dirfd == AT_FDCWD) {
		*out = vfs_cwd_get(w->canon);
		if (w->canon)
			w->canon_len = strlen(w->canon);
		return *out ? 0 : -ENOENT;
	}
	struct file *f = fd_get(dirfd);
	if (!f)
		return -EBADF;
	struct vnode *vn = vfile_vnode(f);
	int err = vn ? 0 : -ENOTDIR;
	if (vn) {
		vnode_get(vn);
		canon_set(w, vfile_path(f) ? vfile_path(f) : "");
		*out = vn;
	}
	file_put(f);
	return err;
}

static int is_global_root(struct vnode *vn)
{
	struct vnode *root = vfs_root_get();
	int r = root && root->mnt == vn->mnt && root->ino == vn->ino;
	vnode_put(root);
	return r;
}

static int lookup_parent(struct vnode *cur, struct vnode **next)
{
	vnode_get(cur);
	if (is_global_root(cur)) {
		*next = cur;
		return 0;
	}
	struct vnode *d = mount_cross_up(cur);
	int err = d->ops->lookup ? d->ops->lookup(d, "..", next) : -ENOTDIR;
	vnode_put(d);
	return err;
}

/* One component from directory cur. */
static int walk_step(struct vnode *cur, const char *name, struct vnode **next)
{
	if (strcmp(name, ".") == 0) {
		vnode_get(cur);
		*next = cur;
		return 0;
	}
	if (strcmp(name, "..") == 0)
		return lookup_parent(cur, next);
	if (!cur->ops->lookup)
		return -ENOTDIR;
	int err = cur->ops->lookup(cur, name, next);
	if (err == 0)
		*next = mount_cross_down(*next);
	return err;
}

/* Replaces the walked part of the path, up to tail, with link's target. */
static int walk_splice(struct walk *w, struct vnode *link, const char *tail)
{
	if (++w->links > VFS_SYMLOOP_MAX)
		return -ELOOP;
	char *buf = w->link;
	ssize_t n = link->ops->readlink ? link->ops->readlink(link, buf, VFS_PATH_MAX) : -EINVAL;
	if (n < 0)
		return (int)n;
	if (n == 0)
		return -ENOENT;
	size_t t = strlen(tail);
	if ((size_t)n + t >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	memmove(w->path + n, tail, t + 1);
	memcpy(w->path, buf, (size_t)n);
	return 0;
}

/* Nothing left to walk: cur (whose reference this takes) is the node. */
static int walk_end_here(struct walk *w, struct vnode *cur, int slash)
{
	vnode_get(cur);
	w->dir = cur;
	w->vn = cur;
	w->name[0] = '\0';
	w->slash = slash;
	return 0;
}

static int walk_last(struct walk *w, struct vnode *cur, struct vnode *next, int slash)
{
	w->dir = cur;
	w->vn = next;
	w->slash = slash;
	if (slash && next->type != S_IFDIR)
		return -ENOTDIR;
	return canon_step(w, w->name);
}

/* Copies the component at p into w->name; returns its end, or NULL if too long. */
static char *walk_name(struct walk *w, char *p)
{
	char *q = p;
	while (*q && *q != '/')
		q++;
	if ((size_t)(q - p) > VFS_NAME_MAX)
		return NULL;
	memcpy(w->name, p, (size_t)(q - p));
	w->name[q - p] = '\0';
	return q;
}

/* A symlink met on the way: go on with its target (cur may become "/"). */
static int walk_follow(struct walk *w, struct vnode **cur, struct vnode *link, const char *tail)
{
	int err = walk_splice(w, link, tail);
	vnode_put(link);
	if (err < 0 || w->path[0] != '/')
		return err;
	vnode_put(*cur);
	canon_set(w, "/");
	*cur = vfs_root_get();
	return *cur ? 0 : -ENOENT;
}

static int walk_loop(struct walk *w, struct vnode *cur, unsigned flags)
{
	char *p = w->path, *q, *rest;
	struct vnode *next;
	int err;
	for (;;) {
		while (*p == '/')
			p++;
		if (!*p)
			return walk_end_here(w, cur, 1);
		if (!(q = walk_name(w, p))) {
			err = -ENAMETOOLONG;
			goto err_put_cur;
		}
		for (rest = q; *rest == '/'; rest++)
			;
		int last = *rest == '\0', slash = rest != q;
		err = cur->type != S_IFDIR ? -ENOTDIR : walk_step(cur, w->name, &next);
		if (err == -ENOENT && last && (flags & WALK_CREATE)) {
			w->dir = cur;
			w->slash = slash;
			return 0;
		}
		if (err < 0)
			goto err_put_cur;
		if (next->type == S_IFLNK && (!last || slash || (flags & WALK_FOLLOW))) {
			if ((err = walk_follow(w, &cur, next, q)) < 0)
				goto err_put_cur;
			p = w->path;
			continue;
		}
		if (last)
			return walk_last(w, cur, next, slash);
		err = canon_step(w, w->name);
		vnode_put(cur);
		cur = next;
		if (err < 0)
			goto err_put_cur;
		p = rest;
	}

err_put_cur:
	vnode_put(cur);
	return err;
}

int walk_path(struct walk *w, int dirfd, const char *path, unsigned flags)
{
	if (!path)
		return -EFAULT;
	size_t len = strnlen(path, VFS_PATH_MAX);
	if (len >= VFS_PATH_MAX)
		return -ENAMETOOLONG;
	if (len == 0 && !(flags & WALK_EMPTY))
		return -ENOENT;
	memcpy(w->path, path, len + 1);
	if (flags & WALK_CANON)
		w->canon = w->canon_buf;
	struct vnode *cur;
	int err = 0;
	if (path[0] == '/') {
		cur = vfs_root_get();
		canon_set(w, "/");
		if (!cur)
			return -ENOENT;
	} else if ((err = walk_base(w, dirfd, &cur)) < 0) {
		return err;
	}
	if (len == 0)
		return walk_end_here(w, cur, 0);
	return walk_loop(w, cur, flags);
}
