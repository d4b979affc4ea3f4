/*
 * devfs at /dev: null, zero, random and urandom (one ChaCha20 generator
 * seeded from the kernel's random_bytes()), console and tty (the serial
 * console), and stdin/stdout/stderr (what descriptors 0, 1, 2 hold now).
 * The directory is fixed: nothing can be created in it.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <kernel/sync.h>
#include "chacha20.h"
#include "vfs_priv.h"

enum dev_kind { DEV_NULL, DEV_ZERO, DEV_RANDOM, DEV_CONSOLE, DEV_FD };

struct devnode {
	struct vnode vn;
	const char *name;
	enum dev_kind kind;
	uint32_t rdev; /* Linux's numbers: major << 8 | minor */
	int fd;        /* DEV_FD: the descriptor it stands for */
};

#define RDEV(ma, mi) ((ma) << 8 | (mi))

static struct devnode nodes[] = {
    {.name = "null", .kind = DEV_NULL, .rdev = RDEV(1, 3)},
    {.name = "zero", .kind = DEV_ZERO, .rdev = RDEV(1, 5)},
    {.name = "random", .kind = DEV_RANDOM, .rdev = RDEV(1, 8)},
    {.name = "urandom", .kind = DEV_RANDOM, .rdev = RDEV(1, 9)},
    {.name = "console", .kind = DEV_CONSOLE, .rdev = RDEV(5, 1)},
    {.name = "tty", .kind = DEV_CONSOLE, .rdev = RDEV(5, 0)},
    {.name = "stdin", .kind = DEV_FD, .fd = 0},
    {.name = "stdout", .kind = DEV_FD, .fd = 1},
    {.name = "stderr", .kind = DEV_FD, .fd = 2},
};

#define NR_NODES  (sizeof(nodes) / sizeof(nodes[0]))
#define ROOT_INO  1
#define FIRST_INO 2
#define FIRST_SEQ 2 /* readdir cookies 0 and 1 are "." and ".." */

static struct vnode root;
static struct kmutex rng_lock = KMUTEX_INIT;
static struct chacha_rng rng;

static ssize_t null_read(struct file *f, void *buf, size_t len)
{
	return 0;
}

static ssize_t zero_read(struct file *f, void *buf, size_t len)
{
	memset(buf, 0, len);
	return (ssize_t)len;
}

static ssize_t random_read(struct file *f, void *buf, size_t len)
{
	kmutex_lock(&rng_lock);
	chacha_rng_fill(&rng, buf, len);
	kmutex_unlock(&rng_lock);
	return (ssize_t)len;
}

static ssize_t sink_write(struct file *f, const void *buf, size_t len)
{
	return (ssize_t)len;
}

static ssize_t dev_pread(struct file *f, void *buf, size_t len, off_t off)
{
	return f->ops->read(f, buf, len);
}

static ssize_t dev_pwrite(struct file *f, const void *buf, size_t len, off_t off)
{
	return (ssize_t)len;
}

static off_t dev_lseek(struct file *f, off_t off, int whence)
{
	return 0;
}

static int dev_fstat(struct file *f, struct stat *st)
{
	struct devnode *d = f->priv;
	struct vattr va;
	vnode_getattr(&d->vn, &va);
	vfs_vattr_to_stat(&va, st);
	return 0;
}

#define DEV_OPS(name_, read_)                                                                      \
	static const struct file_ops name_ = {                                                     \
	    .read = read_,                                                                         \
	    .write = sink_write,                                                                   \
	    .pread = dev_pread,                                                                    \
	    .pwrite = dev_pwrite,                                                                  \
	    .lseek = dev_lseek,                                                                    \
	    .fstat = dev_fstat,                                                                    \
	}

DEV_OPS(null_ops, null_read);
DEV_OPS(zero_ops, zero_read);
DEV_OPS(random_ops, random_read);

static int devfs_open_file(struct vnode *vn, int flags, struct file **out)
{
	struct devnode *d = (struct devnode *)vn;
	static const struct file_ops *const ops[] = {&null_ops, &zero_ops, &random_ops};
	int fl = flags & (O_ACCMODE | O_APPEND | O_NONBLOCK);
	if (d->kind == DEV_FD)
		*out = fd_get(d->fd);
	else if (d->kind == DEV_CONSOLE)
		*out = console_file_new(fl);
	else
		*out = file_alloc(ops[d->kind], fl, d);
	if (!*out)
		return d->kind == DEV_FD ? -ENXIO : -ENOMEM;
	return 0;
}

static int devfs_getattr(struct vnode *vn, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->ino = vn->ino;
	va->nlink = 1;
	va->blksize = 4096;
	if (vn == &root) {
		va->mode = S_IFDIR | 0755;
		va->nlink = 2;
		return 0;
	}
	struct devnode *d = (struct devnode *)vn;
	va->mode = S_IFCHR | (d->kind == DEV_CONSOLE ? 0620 : 0666);
	va->rdev = d->rdev;
	return 0;
}

static int devfs_lookup(struct vnode *dir, const char *name, struct vnode **out)
{
	if (strcmp(name, "..") == 0) {
		vnode_get(&root);
		*out = &root;
		return 0;
	}
	for (size_t i = 0; i < NR_NODES; i++) {
		if (strcmp(nodes[i].name, name) == 0) {
			vnode_get(&nodes[i].vn);
			*out = &nodes[i].vn;
			return 0;
		}
	}
	return -ENOENT;
}

static int devfs_readdir(struct vnode *dir, void *fh, uint64_t cookie, vfs_filldir_fn fill,
                         void *ctx)
{
	if (cookie == 0 && fill(ctx, ".", 1, ROOT_INO, VFS_DT_DIR, 1))
		return 0;
	if (cookie <= 1 && fill(ctx, "..", 2, ROOT_INO, VFS_DT_DIR, FIRST_SEQ))
		return 0;
	for (uint64_t i = cookie < FIRST_SEQ ? 0 : cookie - FIRST_SEQ; i < NR_NODES; i++)
		if (fill(ctx, nodes[i].name, strlen(nodes[i].name), nodes[i].vn.ino, VFS_DT_CHR,
		         i + 1 + FIRST_SEQ))
			break;
	return 0;
}

static int devfs_statfs(struct vnode *vn, struct vfs_statfs *st)
{
	st->bsize = st->frsize = 4096;
	st->namemax = VFS_NAME_MAX;
	st->fsid = 0x1373; /* Linux's DEVFS_SUPER_MAGIC */
	return 0;
}

static const struct vnode_ops devfs_ops = {
    .lookup = devfs_lookup,
    .readdir = devfs_readdir,
    .getattr = devfs_getattr,
    .statfs = devfs_statfs,
    .open_file = devfs_open_file,
};

/* The root directory opens as a VFS file (for readdir): no open_file there. */
static const struct vnode_ops devfs_root_ops = {
    .lookup = devfs_lookup,
    .readdir = devfs_readdir,
    .getattr = devfs_getattr,
    .statfs = devfs_statfs,
};

int devfs_mount(const char *path)
{
	struct mount *m = vfs_mount_new(NULL);
	if (!m)
		return -ENOMEM;
	vnode_init(&root, &devfs_root_ops, m, ROOT_INO, S_IFDIR);
	vnode_get(&root); /* devfs keeps one: its nodes are never freed */
	for (size_t i = 0; i < NR_NODES; i++)
		vnode_init(&nodes[i].vn, &devfs_ops, m, FIRST_INO + i, S_IFCHR);
	return vfs_mount(m, path, &root);
}
