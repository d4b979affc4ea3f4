/*
 * ramfs: the root file system, in memory and writable.  This file has the
 * nodes and the directory operations; ramfs_data.c has file contents.
 * Directories are lists in creation order, so that readdir cookies (entry
 * sequence numbers) stay valid while entries come and go.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/time.h>
#include "ramfs.h"
#include "vfs_priv.h"

#define DIR_FIRST_SEQ 3 /* cookies 0, 1 and 2: before ".", before "..", after ".." */

void ramfs_touch(struct rnode *n, int mtime)
{
	uint64_t ns = time_realtime_ns();
	struct timespec now = {(time_t)(ns / 1000000000ULL), (long)(ns % 1000000000ULL)};
	n->ctime = now;
	if (mtime)
		n->mtime = now;
}

struct rnode *ramfs_node_new(struct ramfs *fs, uint32_t mode)
{
	struct rnode *n = calloc(1, sizeof(*n));
	if (!n)
		return NULL;
	vnode_init(&n->vn, &ramfs_ops, fs->mnt, fs->next_ino++, mode);
	n->mode = mode;
	ramfs_touch(n, 1);
	n->atime = n->mtime;
	if (S_ISDIR(mode))
		n->dir.next_seq = DIR_FIRST_SEQ;
	return n;
}

struct rdirent *ramfs_find(struct rnode *dir, const char *name)
{
	size_t len = strlen(name);
	for (struct rdirent *e = dir->dir.head; e; e = e->next)
		if (e->len == len && memcmp(e->name, name, len) == 0)
			return e;
	return NULL;
}

static struct rdirent *dirent_new(const char *name, struct rnode *node)
{
	size_t len = strlen(name);
	struct rdirent *e = malloc(sizeof(*e) + len + 1);
	if (!e)
		return NULL;
	memcpy(e->name, name, len + 1);
	e->len = len;
	e->node = node;
	return e;
}

static void dirent_append(struct rnode *dir, struct rdirent *e)
{
	e->seq = dir->dir.next_seq++;
	e->next = NULL;
	e->prev = dir->dir.tail;
	if (dir->dir.tail)
		dir->dir.tail->next = e;
	else
		dir->dir.head = e;
	dir->dir.tail = e;
	dir->dir.count++;
	ramfs_touch(dir, 1);
}

static void dirent_remove(struct rnode *dir, struct rdirent *e)
{
	if (e->prev)
		e->prev->next = e->next;
	else
		dir->dir.head = e->next;
	if (e->next)
		e->next->prev = e->prev;
	else
		dir->dir.tail = e->prev;
	dir->dir.count--;
	ramfs_touch(dir, 1);
	free(e);
}

/* Links node into dir as name: the node's first link takes the tree reference. */
int ramfs_link_locked(struct rnode *dir, const char *name, struct rnode *node)
{
	struct rdirent *e = dirent_new(name, node);
	if (!e)
		return -ENOSPC;
	dirent_append(dir, e);
	if (node->nlink++ == 0)
		vnode_get(&node->vn);
	if (S_ISDIR(node->mode)) {
		node->nlink++; /* its "." */
		node->dir.parent = dir;
		dir->nlink++; /* its ".." */
	}
	return 0;
}

/*
 * Takes one link from node (all of a directory's); returns 1 if that was
 * the last, and the caller must drop the tree reference after unlocking.
 */
static int unlink_node(struct rnode *dir, struct rnode *node)
{
	if (S_ISDIR(node->mode)) {
		node->nlink = 0;
		node->dir.parent = NULL;
		dir->nlink--;
	} else {
		node->nlink--;
	}
	ramfs_touch(node, 0);
	return node->nlink == 0;
}

static int ramfs_lookup(struct vnode *dvn, const char *name, struct vnode **out)
{
	struct rnode *dir = rnode_of(dvn), *n = NULL;
	struct ramfs *fs = ramfs_of(dvn);
	kmutex_lock(&fs->lock);
	if (strcmp(name, "..") == 0) {
		n = dir->dir.parent ? dir->dir.parent : (dir->nlink ? dir : NULL);
	} else {
		struct rdirent *e = dir->nlink ? ramfs_find(dir, name) : NULL;
		n = e ? e->node : NULL;
	}
	if (n)
		vnode_get(&n->vn);
	kmutex_unlock(&fs->lock);
	*out = n ? &n->vn : NULL;
	return n ? 0 : -ENOENT;
}

/*
 * A new node of mode linked as name in dir (a symlink gets target, which it
 * then owns); returned with a reference if out is not NULL.
 */
static int make_node(struct vnode *dvn, const char *name, uint32_t mode, char *target,
                     struct rnode **out)
{
	struct rnode *dir = rnode_of(dvn);
	struct ramfs *fs = ramfs_of(dvn);
	int err = 0;
	kmutex_lock(&fs->lock);
	struct rnode *n = NULL;
	if (!dir->nlink)
		err = -ENOENT; /* removed while we looked */
	else if (ramfs_find(dir, name))
		err = -EEXIST;
	else if (!(n = ramfs_node_new(fs, mode)))
		err = -ENOSPC;
	if (err == 0 && target) {
		n->link.target = target;
		n->link.len = strlen(target);
		fs->bytes += n->link.len;
	}
	if (err == 0 && (err = ramfs_link_locked(dir, name, n)) < 0) {
		fs->bytes -= target ? n->link.len : 0;
		free(n);
	}
	if (err == 0 && out) {
		vnode_get(&n->vn);
		*out = n;
	}
	if (err == 0)
		vnode_put(&n->vn); /* the creation reference: the tree holds one now */
	kmutex_unlock(&fs->lock);
	return err;
}

static int ramfs_create(struct vnode *dvn, const char *name, uint32_t mode, int flags,
                        struct vnode **out, void **fh)
{
	struct rnode *n;
	int err = make_node(dvn, name, S_IFREG | (mode & 07777), NULL, &n);
	if (err == 0)
		*out = &n->vn;
	*fh = NULL;
	return err;
}

static int ramfs_mkdir(struct vnode *dvn, const char *name, uint32_t mode)
{
	return make_node(dvn, name, S_IFDIR | (mode & 07777), NULL, NULL);
}

int ramfs_symlink(struct vnode *dvn, const char *name, const char *target)
{
	char *copy = strdup(target);
	if (!copy)
		return -ENOSPC;
	int err = make_node(dvn, name, S_IFLNK | 0777, copy, NULL);
	if (err < 0)
		free(copy);
	return err;
}

/* Removes name from dir: the body of unlink (want_dir 0) and rmdir (1). */
static int remove_entry(struct vnode *dvn, const char *name, int want_dir)
{
	struct rnode *dir = rnode_of(dvn);
	struct ramfs *fs = ramfs_of(dvn);
	int err = 0, last = 0;
	kmutex_lock(&fs->lock);
	struct rdirent *e = ramfs_find(dir, name);
	struct rnode *n = e ? e->node : NULL;
	if (!n)
		err = -ENOENT;
	else if (want_dir && !S_ISDIR(n->mode))
		err = -ENOTDIR;
	else if (!want_dir && S_ISDIR(n->mode))
		err = -EISDIR;
	else if (want_dir && n->dir.count)
		err = -ENOTEMPTY;
	if (err == 0) {
		dirent_remove(dir, e);
		last = unlink_node(dir, n);
	}
	kmutex_unlock(&fs->lock);
	if (last)
		vnode_put(&n->vn);
	return err;
}

static int ramfs_unlink(struct vnode *dvn, const char *name)
{
	return remove_entry(dvn, name, 0);
}

static int ramfs_rmdir(struct vnode *dvn, const char *name)
{
	return remove_entry(dvn, name, 1);
}

/* 1 if dir is node or lies below it. */
static int is_below(struct rnode *dir, struct rnode *node)
{
	for (; dir; dir = dir->dir.parent)
		if (dir == node)
			return 1;
	return 0;
}

static int rename_check(struct rnode *ndir, struct rnode *n, struct rdirent *victim)
{
	if (!ndir->nlink)
		return -ENOENT;
	if (S_ISDIR(n->mode) && is_below(ndir, n))
		return -EINVAL;
	if (!victim)
		return 0;
	struct rnode *v = victim->node;
	if (S_ISDIR(n->mode) && !S_ISDIR(v->mode))
		return -ENOTDIR;
	if (!S_ISDIR(n->mode) && S_ISDIR(v->mode))
		return -EISDIR;
	return S_ISDIR(v->mode) && v->dir.count ? -ENOTEMPTY : 0;
}

/* Points victim's entry at n (an atomic replace); returns 1 if v lost its last link. */
static int rename_replace(struct rnode *ndir, struct rdirent *victim, struct rnode *n)
{
	struct rnode *v = victim->node;
	victim->node = n;
	ramfs_touch(ndir, 1);
	if (S_ISDIR(n->mode))
		ndir->nlink++;
	return unlink_node(ndir, v);
}

/*
 * Moves e's node into ndir as nname, over victim if there is one; sets
 * *dead to the victim's node if that lost its last link (the caller drops
 * the tree reference after unlocking).
 */
static int rename_move(struct rnode *odir, struct rdirent *e, struct rnode *ndir, const char *nname,
                       struct rdirent *victim, struct rnode **dead)
{
	struct rnode *n = e->node;
	struct rdirent *moved = NULL;
	int err = rename_check(ndir, n, victim);
	if (err == 0 && !victim && !(moved = dirent_new(nname, n)))
		err = -ENOSPC;
	if (err < 0)
		return err;
	if (victim) {
		struct rnode *v = victim->node;
		if (rename_replace(ndir, victim, n))
			*dead = v;
	} else {
		dirent_append(ndir, moved);
		if (S_ISDIR(n->mode))
			ndir->nlink++;
	}
	dirent_remove(odir, e);
	if (S_ISDIR(n->mode)) {
		odir->nlink--;
		n->dir.parent = ndir;
	}
	ramfs_touch(n, 0);
	return 0;
}

/* A directory's ".." now names to, no longer from (which may be the same). */
static void reparent(struct rnode *d, struct rnode *from, struct rnode *to)
{
	from->nlink--;
	to->nlink++;
	d->dir.parent = to;
}

/* RENAME_EXCHANGE: the two entries swap their nodes, whatever their types. */
static int rename_exchange(struct rnode *odir, struct rdirent *e, struct rnode *ndir,
                           struct rdirent *victim)
{
	struct rnode *n = e->node, *v = victim->node;
	if ((S_ISDIR(n->mode) && is_below(ndir, n)) || (S_ISDIR(v->mode) && is_below(odir, v)))
		return -EINVAL; /* a directory would end up inside itself */
	e->node = v;
	victim->node = n;
	if (S_ISDIR(n->mode))
		reparent(n, odir, ndir);
	if (S_ISDIR(v->mode))
		reparent(v, ndir, odir);
	ramfs_touch(odir, 1);
	ramfs_touch(ndir, 1);
	ramfs_touch(n, 0);
	ramfs_touch(v, 0);
	return 0;
}

static int ramfs_rename(struct vnode *odvn, const char *oname, struct vnode *ndvn,
                        const char *nname, unsigned flags)
{
	struct rnode *odir = rnode_of(odvn), *ndir = rnode_of(ndvn), *dead = NULL;
	struct ramfs *fs = ramfs_of(odvn);
	int err;
	kmutex_lock(&fs->lock);
	/* the VFS checked the flags against the names, but they may have changed since */
	struct rdirent *e = ramfs_find(odir, oname), *victim = ramfs_find(ndir, nname);
	if (!e || (!victim && (flags & VFS_RENAME_EXCHANGE)))
		err = -ENOENT;
	else if (victim && (flags & VFS_RENAME_NOREPLACE))
		err = -EEXIST;
	else if (victim && victim->node == e->node)
		err = 0; /* the same file: nothing to do */
	else if (flags & VFS_RENAME_EXCHANGE)
		err = rename_exchange(odir, e, ndir, victim);
	else
		err = rename_move(odir, e, ndir, nname, victim, &dead);
	kmutex_unlock(&fs->lock);
	if (dead)
		vnode_put(&dead->vn);
	return err;
}

static int ramfs_link(struct vnode *vn, struct vnode *dvn, const char *name)
{
	struct rnode *dir = rnode_of(dvn), *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(dvn);
	int err = 0;
	kmutex_lock(&fs->lock);
	if (!dir->nlink || !n->nlink)
		err = -ENOENT;
	else if (n->nlink >= 0xffff)
		err = -EMLINK; /* newlib's st_nlink has 16 bits */
	else if (ramfs_find(dir, name))
		err = -EEXIST;
	else
		err = ramfs_link_locked(dir, name, n);
	if (err == 0)
		ramfs_touch(n, 0);
	kmutex_unlock(&fs->lock);
	return err;
}

static int ramfs_readdir(struct vnode *dvn, void *fh, uint64_t cookie, vfs_filldir_fn fill,
                         void *ctx)
{
	struct rnode *dir = rnode_of(dvn);
	struct ramfs *fs = ramfs_of(dvn);
	kmutex_lock(&fs->lock);
	struct rnode *parent = dir->dir.parent ? dir->dir.parent : dir;
	int stop = 0;
	if (cookie == 0)
		stop = fill(ctx, ".", 1, dir->vn.ino, VFS_DT_DIR, 1);
	if (!stop && cookie <= 1)
		stop = fill(ctx, "..", 2, parent->vn.ino, VFS_DT_DIR, 2);
	for (struct rdirent *e = dir->dir.head; e && !stop; e = e->next)
		if (e->seq > cookie)
			stop = fill(ctx, e->name, e->len, e->node->vn.ino,
			            vfs_mode_to_dtype(e->node->mode), e->seq);
	kmutex_unlock(&fs->lock);
	return 0;
}

static void ramfs_release(struct vnode *vn)
{
	struct rnode *n = rnode_of(vn);
	struct ramfs *fs = ramfs_of(vn);
	/* unreachable: no links, no references */
	kmutex_lock(&fs->lock);
	ramfs_data_free(n);
	kmutex_unlock(&fs->lock);
	free(n);
}

const struct vnode_ops ramfs_ops = {
    .lookup = ramfs_lookup,
    .create = ramfs_create,
    .mkdir = ramfs_mkdir,
    .unlink = ramfs_unlink,
    .rmdir = ramfs_rmdir,
    .rename = ramfs_rename,
    .link = ramfs_link,
    .symlink = ramfs_symlink,
    .readdir = ramfs_readdir,
    .getattr = ramfs_getattr,
    .setattr = ramfs_setattr,
    .truncate = ramfs_truncate,
    .readlink = ramfs_readlink,
    .statfs = ramfs_statfs,
    .read = ramfs_read,
    .write = ramfs_write,
    .stable = ramfs_stable,
    .release = ramfs_release,
};

int ramfs_new(struct mount **mp, struct vnode **rootp)
{
	struct ramfs *fs = calloc(1, sizeof(*fs));
	struct mount *m = fs ? vfs_mount_new(fs) : NULL;
	if (!m) {
		free(fs);
		return -ENOMEM;
	}
	kmutex_init(&fs->lock);
	fs->mnt = m;
	fs->next_ino = 1;
	struct rnode *root = ramfs_node_new(fs, S_IFDIR | 0755);
	if (!root) {
		free(m);
		free(fs);
		return -ENOMEM;
	}
	root->nlink = 2; /* never removed; holds its creation reference as the tree's */
	vnode_get(&root->vn);
	*mp = m;
	*rootp = &root->vn;
	return 0;
}
