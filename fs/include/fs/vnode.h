/*
 * The VFS as a file system backend sees it (ramfs, devfs, virtio-fs): nodes,
 * their operations, and mounts.
 *
 * A backend creates nodes (struct vnode, usually embedded in its own node
 * struct) with vnode_init(), hands them to the VFS with one reference, and
 * gets release() when the last reference is gone.  Names given to the ops
 * are single components: never "", ".", "..", or with '/', except that
 * lookup() gets ".." (a directory's parent within the same file system).
 * The VFS checks types before calling: create/mkdir/unlink/... get a
 * directory, read/write a regular file, readlink a symlink.
 *
 * Mounting, at boot or from a backend's boot hook:
 *   struct mount *m = vfs_mount_new(&my_statfs_ops_or_priv);
 *   vnode_init(&root->vn, &my_ops, m, 1, S_IFDIR);   // one reference
 *   err = vfs_mount(m, "/data", &root->vn);            // takes it
 *
 * All ops return 0, a count or -ERRNO; a missing op makes the VFS return
 * the error POSIX gives (-EPERM, -EINVAL, -ENOTSUP).
 */
#ifndef FS_VNODE_H
#define FS_VNODE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <fs/vfs.h>

struct vnode;
struct mount;
struct file;

/*
 * readdir's callback: one entry, and the cookie that resumes after it.
 * Returns nonzero to stop (the caller's buffer is full).
 */
typedef int (*vfs_filldir_fn)(void *ctx, const char *name, size_t len, uint64_t ino, unsigned dtype,
                              uint64_t next);

struct vnode_ops {
	/* Directories */
	int (*lookup)(struct vnode *dir, const char *name, struct vnode **out);
	/* A regular file, opened with flags (O_*): sets *out and the open handle *fh. */
	int (*create)(struct vnode *dir, const char *name, uint32_t mode, int flags,
	              struct vnode **out, void **fh);
	int (*mkdir)(struct vnode *dir, const char *name, uint32_t mode);
	int (*unlink)(struct vnode *dir, const char *name);
	int (*rmdir)(struct vnode *dir, const char *name);
	/*
	 * flags 0: replaces an existing target of a compatible type atomically.
	 * VFS_RENAME_NOREPLACE or VFS_RENAME_EXCHANGE (never both): checked by
	 * the VFS before the call, and again by the backend where names may
	 * come and go meanwhile.
	 */
	int (*rename)(struct vnode *olddir, const char *oldname, struct vnode *newdir,
	              const char *newname, unsigned flags);
	int (*link)(struct vnode *vn, struct vnode *dir, const char *name);
	int (*symlink)(struct vnode *dir, const char *name, const char *target);
	/* Entries from cookie on (0: the start); fh from open(). */
	int (*readdir)(struct vnode *dir, void *fh, uint64_t cookie, vfs_filldir_fn fill,
	               void *ctx);

	/* Any node */
	int (*getattr)(struct vnode *vn, struct vattr *va);
	int (*setattr)(struct vnode *vn, const struct vattr *va, unsigned mask);
	int (*truncate)(struct vnode *vn, void *fh, uint64_t len);
	/* Bytes of the target stored in buf (no NUL). */
	ssize_t (*readlink)(struct vnode *vn, char *buf, size_t size);
	int (*statfs)(struct vnode *vn, struct vfs_statfs *st);

	/* Open files: flags are O_*; *fh is the backend's handle (may stay NULL). */
	int (*open)(struct vnode *vn, int flags, void **fh);
	void (*close)(struct vnode *vn, void *fh, int flags);
	ssize_t (*read)(struct vnode *vn, void *fh, void *buf, size_t len, uint64_t off);
	ssize_t (*write)(struct vnode *vn, void *fh, const void *buf, size_t len, uint64_t off);
	/*
	 * Optional: where the bytes at off are, if they never change nor go
	 * away (a ramfs file still in the boot module); *len is cut to what
	 * is there.  NULL otherwise.  For sends that refer instead of copy.
	 */
	const void *(*stable)(struct vnode *vn, uint64_t off, size_t *len);
	int (*fsync)(struct vnode *vn, void *fh, int datasync);
	/* Device nodes: a struct file of the device's own instead of a VFS file. */
	int (*open_file)(struct vnode *vn, int flags, struct file **out);

	/* The last reference is gone: free the node (or forget it). */
	void (*release)(struct vnode *vn);
};

struct vnode {
	const struct vnode_ops *ops;
	struct mount *mnt;
	uint64_t ino;
	uint32_t type; /* S_IFMT bits; fixed for the node's life */
	int refs;
};

/* Sets up vn with one reference. */
void vnode_init(struct vnode *vn, const struct vnode_ops *ops, struct mount *mnt, uint64_t ino,
                uint32_t type);
void vnode_get(struct vnode *vn);
/* Drops a reference; NULL is ignored. */
void vnode_put(struct vnode *vn);

/* A mounted file system. */
struct mount {
	struct mount *next;
	struct vnode *root;    /* its root directory (a reference) */
	struct vnode *covered; /* the directory it hides (a reference), NULL for "/" */
	uint32_t dev;          /* st_dev */
	void *priv;            /* the backend's */
};

/* A mount not yet in the tree, or NULL. */
struct mount *vfs_mount_new(void *priv);
/*
 * Puts m with its root at path (an existing directory, created with its
 * parents if missing), taking the reference on root.  0 or -ERRNO (m is
 * then freed and root released).
 */
int vfs_mount(struct mount *m, const char *path, struct vnode *root);

/*
 * A mount to make when the tree is first built, after "/" and "/dev".
 * Registered before that (e.g. from a command-line option handler); the
 * struct must stay valid.
 */
struct vfs_boot_mount {
	struct vfs_boot_mount *next;
	const char *name;
	int (*mount)(struct vfs_boot_mount *bm); /* 0 or -ERRNO (logged) */
};

void vfs_register_boot_mount(struct vfs_boot_mount *bm);

/* Linux's DT_* for an S_IFMT type. */
unsigned vfs_mode_to_dtype(uint32_t mode);

#endif
