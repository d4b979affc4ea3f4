/*
 * The VFS core: node references, the mount table, the current directory,
 * and building the tree on first use ("/" as a ramfs from the initrd,
 * "/dev", then the boot mounts other components registered).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/console.h>
#include <kernel/sync.h>
#include "vfs_priv.h"

static struct kmutex mount_lock = KMUTEX_INIT;
static struct mount *mounts;  /* newest first */
static struct vnode *root_vn; /* the root of "/" (a reference) */
static uint32_t next_dev = 1;

static struct kmutex cwd_lock = KMUTEX_INIT;
static struct vnode *cwd_vn; /* a reference; NULL means "/" */
static char cwd_path[VFS_PATH_MAX] = "/";

static struct kmutex boot_lock = KMUTEX_INIT;
static int booted;
static struct vfs_boot_mount *boot_mounts;

void vnode_init(struct vnode *vn, const struct vnode_ops *ops, struct mount *mnt, uint64_t ino,
                uint32_t type)
{
	vn->ops = ops;
	vn->mnt = mnt;
	vn->ino = ino;
	vn->type = type & S_IFMT;
	vn->refs = 1;
}

void vnode_get(struct vnode *vn)
{
	__atomic_add_fetch(&vn->refs, 1, __ATOMIC_RELAXED);
}

void vnode_put(struct vnode *vn)
{
	if (!vn || __atomic_sub_fetch(&vn->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	if (vn->ops->release)
		vn->ops->release(vn);
}

unsigned vfs_mode_to_dtype(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
		return VFS_DT_REG;
	case S_IFDIR:
		return VFS_DT_DIR;
	case S_IFLNK:
		return VFS_DT_LNK;
	case S_IFCHR:
		return VFS_DT_CHR;
	case S_IFBLK:
		return VFS_DT_BLK;
	case S_IFIFO:
		return VFS_DT_FIFO;
	case S_IFSOCK:
		return VFS_DT_SOCK;
	default:
		return VFS_DT_UNKNOWN;
	}
}

void vattr_fill_default(struct vnode *vn, struct vattr *va)
{
	memset(va, 0, sizeof(*va));
	va->ino = vn->ino;
	va->mode = vn->type | (vn->type == S_IFDIR ? 0755 : 0644);
	va->nlink = 1;
	va->blksize = 4096;
}

struct mount *vfs_mount_new(void *priv)
{
	struct mount *m = calloc(1, sizeof(*m));
	if (m)
		m->priv = priv;
	return m;
}

int vnode_is_mount_root(const struct vnode *vn)
{
	return vn->mnt && vn->mnt->root && vn->mnt->root->ino == vn->ino;
}

/* The newest mount whose covered directory is vn, or NULL. */
static struct mount *mount_over(const struct vnode *vn)
{
	for (struct mount *m = mounts; m; m = m->next)
		if (m->covered && m->covered->mnt == vn->mnt && m->covered->ino == vn->ino)
			return m;
	return NULL;
}

struct vnode *mount_cross_down(struct vnode *vn)
{
	kmutex_lock(&mount_lock);
	struct mount *m;
	while (vn->type == S_IFDIR && (m = mount_over(vn)) != NULL) {
		vnode_get(m->root);
		vnode_put(vn);
		vn = m->root;
	}
	kmutex_unlock(&mount_lock);
	return vn;
}

struct vnode *mount_cross_up(struct vnode *vn)
{
	kmutex_lock(&mount_lock);
	while (vnode_is_mount_root(vn) && vn->mnt->covered) {
		struct vnode *c = vn->mnt->covered;
		vnode_get(c);
		vnode_put(vn);
		vn = c;
	}
	kmutex_unlock(&mount_lock);
	return vn;
}

static int mount_insert(struct mount *m, struct vnode *covered, struct vnode *root)
{
	kmutex_lock(&mount_lock);
	m->root = root;
	m->covered = covered;
	m->dev = next_dev++;
	m->next = mounts;
	mounts = m;
	if (!covered)
		root_vn = root;
	kmutex_unlock(&mount_lock);
	return 0;
}

/* The directory at path (a reference), created with its parents if missing. */
static int mount_point(const char *path, struct vnode **out)
{
	struct walk *w = walk_alloc();
	if (!w)
		return -ENOMEM;
	int err = vfs_mkdir_parents(path);
	if (err == 0)
		err = walk_path(w, AT_FDCWD, path, WALK_FOLLOW);
	if (err == 0 && w->vn->type != S_IFDIR)
		err = -ENOTDIR;
	if (err == 0) {
		*out = w->vn;
		w->vn = NULL;
	}
	walk_done(w);
	walk_free(w);
	return err;
}

int vfs_mount(struct mount *m, const char *path, struct vnode *root)
{
	struct vnode *covered = NULL;
	int err = 0;
	if (root->mnt != m || root->type != S_IFDIR || !path || path[0] != '/')
		err = -EINVAL;
	else if (strcmp(path, "/") == 0 && root_vn)
		err = -EBUSY;
	else if (strcmp(path, "/") != 0)
		err = mount_point(path, &covered);
	if (err < 0) {
		vnode_put(root);
		free(m);
		return err;
	}
	return mount_insert(m, covered, root);
}

/* mkdir -p for a mount point: every missing directory from the top down. */
int vfs_mkdir_parents(const char *path)
{
	char *buf = strdup(path);
	if (!buf)
		return -ENOMEM;
	int err = 0;
	for (char *p = buf + 1; err == 0 && *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		err = vfs_mkdirat(AT_FDCWD, buf, 0755);
		if (err == -EEXIST)
			err = 0;
		*p = '/';
	}
	if (err == 0)
		err = vfs_mkdirat(AT_FDCWD, buf, 0755);
	free(buf);
	return err == -EEXIST ? 0 : err;
}

void vfs_register_boot_mount(struct vfs_boot_mount *bm)
{
	struct vfs_boot_mount **pp = &boot_mounts;
	while (*pp) /* in registration order */
		pp = &(*pp)->next;
	bm->next = NULL;
	*pp = bm;
}

static void boot_tree(void)
{
	struct mount *m;
	struct vnode *root;
	int err = ramfs_new(&m, &root);
	if (err == 0)
		err = vfs_mount(m, "/", root);
	if (err < 0) {
		kprintf("vfs: no root file system (%d)\n", err);
		return;
	}
	initrd_load(root_vn);                       /* it says what went wrong itself */
	err = vfs_mkdirat(AT_FDCWD, "/tmp", 01777); /* programs expect one (tmpfile()) */
	if (err < 0 && err != -EEXIST)
		kprintf("vfs: no /tmp (%d)\n", err);
	if ((err = devfs_mount("/dev")) < 0)
		kprintf("vfs: /dev not mounted (%d)\n", err);
	for (struct vfs_boot_mount *bm = boot_mounts; bm; bm = bm->next)
		if ((err = bm->mount(bm)) < 0)
			kprintf("vfs: %s not mounted (%d)\n", bm->name, err);
}

void vfs_boot(void)
{
	if (__atomic_load_n(&booted, __ATOMIC_ACQUIRE))
		return;
	if (kmutex_held(&boot_lock))
		return; /* this thread is building the tree: its own calls come here */
	kmutex_lock(&boot_lock);
	if (!booted) {
		boot_tree();
		__atomic_store_n(&booted, 1, __ATOMIC_RELEASE);
	}
	kmutex_unlock(&boot_lock);
}

struct vnode *vfs_root_get(void)
{
	kmutex_lock(&mount_lock);
	struct vnode *vn = root_vn;
	if (vn)
		vnode_get(vn);
	kmutex_unlock(&mount_lock);
	return vn;
}

struct vnode *vfs_cwd_get(char *path)
{
	kmutex_lock(&cwd_lock);
	struct vnode *vn = cwd_vn;
	if (vn)
		vnode_get(vn);
	if (path)
		strcpy(path, cwd_path);
	kmutex_unlock(&cwd_lock);
	return vn ? vn : vfs_root_get();
}

void vfs_cwd_set(struct vnode *vn, const char *path)
{
	kmutex_lock(&cwd_lock);
	struct vnode *old = cwd_vn;
	cwd_vn = vn;
	strcpy(cwd_path, path);
	kmutex_unlock(&cwd_lock);
	vnode_put(old);
}

int vfs_getcwd(char *buf, size_t size)
{
	vfs_boot();
	kmutex_lock(&cwd_lock);
	size_t len = strlen(cwd_path);
	int err = len + 1 > size ? -ERANGE : 0;
	if (!err)
		memcpy(buf, cwd_path, len + 1);
	kmutex_unlock(&cwd_lock);
	return err;
}
