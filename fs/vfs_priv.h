/*
 * Private to the VFS files (vfs.c, namei.c, vfs_ops.c, vfs_file.c) and the
 * backends the VFS builds the tree from (ramfs, initrd, devfs).
 */
#ifndef FS_VFS_PRIV_H
#define FS_VFS_PRIV_H

#include <fs/vnode.h>

/*
 * Path resolution.  After walk_path() returns 0:
 *   vn   the node the path names (a reference), or NULL if only the last
 *        component is missing and WALK_CREATE was given;
 *   dir  the directory holding it (a reference; for "/" the root itself);
 *   name its last component ("" for "/", or "." / ".." if the path ended so);
 *   slash the path ended in '/'.
 * walk_done() drops the references (also after an error).
 */
struct walk {
	struct vnode *dir;
	struct vnode *vn;
	char name[VFS_NAME_MAX + 1];
	int slash;
	char *canon; /* NULL, or canon_buf: the absolute path of vn (WALK_CANON) */
	/* private */
	int links;
	size_t canon_len;
	char path[VFS_PATH_MAX]; /* what is left to walk */
	char link[VFS_PATH_MAX]; /* a symlink's target */
	char canon_buf[VFS_PATH_MAX];
};

#define WALK_FOLLOW 0x1 /* follow a symlink in the last component */
#define WALK_CREATE 0x2 /* a missing last component is not an error */
#define WALK_EMPTY  0x4 /* "" names dirfd itself (AT_EMPTY_PATH) */
#define WALK_CANON  0x8 /* record the canonical path in canon */

/* w must be zeroed. */
int walk_path(struct walk *w, int dirfd, const char *path, unsigned flags);
void walk_done(struct walk *w);
/* A zeroed struct walk from the heap (it is large for a thread stack), or NULL. */
struct walk *walk_alloc(void);
void walk_free(struct walk *w);

/* The tree: built on first use (vfs.c). */
void vfs_boot(void);
struct vnode *vfs_root_get(void);
/* The current directory (a reference) and, if path is not NULL, its path. */
struct vnode *vfs_cwd_get(char *path);
void vfs_cwd_set(struct vnode *vn, const char *path);
/* mkdir -p path (absolute); 0 if it exists as a directory. */
int vfs_mkdir_parents(const char *path);

/* Mount crossing: the mounted root over vn, or the directory a mount root hides. */
struct vnode *mount_cross_down(struct vnode *vn);
struct vnode *mount_cross_up(struct vnode *vn);
int vnode_is_mount_root(const struct vnode *vn);

/* VFS open files (vfs_file.c) */
int vfile_open(struct vnode *vn, int flags, const char *canon, void *fh, int have_fh,
               struct file **out);
struct vnode *vfile_vnode(struct file *f);
const char *vfile_path(struct file *f);

/* Backends the VFS starts itself. */
int ramfs_new(struct mount **m, struct vnode **root);
int initrd_load(struct vnode *root);
int devfs_mount(const char *path);

/* getattr with st_dev filled in (and defaults for a backend without it). */
int vnode_getattr(struct vnode *vn, struct vattr *va);

/* Default attributes for backends without getattr. */
void vattr_fill_default(struct vnode *vn, struct vattr *va);

#endif
