/*
 * virtio-fs mounts: the "fs=TAG:/path" kernel option (several allowed), the
 * FUSE session (INIT) made when the tree is first built, requests, and the
 * nodes built from the device's entries.  The vnode ops are in
 * virtiofs_ops.c.
 *
 * Every result from the device is checked before use: its size (exact for
 * fixed results), its file type, its nodeid.  A bad one is -EIO for that
 * request only.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include <kernel/time.h>
#include "virtiofs.h"
#include "vfs_priv.h"

#define MAX_MOUNTS      4
#define IN_MAX          (sizeof(struct fuse_in_header) + 96 + VFS_NAME_MAX + 1 + VFS_PATH_MAX)
#define RES_MAX         (sizeof(struct fuse_entry_out) + sizeof(struct fuse_open_out))
#define IO_MIN          4096
#define IO_MAX          (1U << 20)
#define READAHEAD       (128U << 10)
#define INIT_TIMEOUT_NS (10ULL * 1000 * 1000 * 1000) /* virtiofsd answers in ms */
/*
 * A buffer on a thread's stack takes one descriptor per physically
 * contiguous run of its pages (drivers/virtq.h).  The driver counts one ring
 * descriptor per request (indirect) or VIRTQ_INDIRECT_MAX: a request must
 * stay within VIRTQ_INDIRECT_MAX segments.  The request block (fuse_bufs,
 * under 8 KiB, maybe on a stack too) takes at most 3 + 2.
 */
#define STACK_IO_SEGS (VIRTQ_INDIRECT_MAX - 5)

struct mount_req {
	char tag[VIRTIO_FS_TAG_LEN + 1];
	char path[VFS_PATH_MAX];
};

static struct mount_req reqs[MAX_MOUNTS];
static int nr_reqs;

static int in_build(char *buf, const struct fuse_msg *m)
{
	size_t n1 = m->name ? strlen(m->name) + 1 : 0, n2 = m->name2 ? strlen(m->name2) + 1 : 0;
	size_t len = sizeof(struct fuse_in_header) + m->arglen + n1 + n2;
	if (len > IN_MAX)
		return -ENAMETOOLONG;
	struct fuse_in_header *h = (struct fuse_in_header *)buf;
	memset(h, 0, sizeof(*h));
	h->opcode = m->opcode;
	h->nodeid = m->nodeid;
	h->pid = 1;
	char *p = buf + sizeof(*h);
	if (m->arglen)
		memcpy(p, m->arg, m->arglen);
	if (n1)
		memcpy(p + m->arglen, m->name, n1);
	if (n2)
		memcpy(p + m->arglen + n1, m->name2, n2);
	return (int)len;
}

/* The request and the fixed result, in one block. */
struct fuse_bufs {
	char in[IN_MAX] __attribute__((aligned(8)));
	struct {
		struct fuse_out_header h;
		char res[RES_MAX];
	} __attribute__((aligned(8))) out;
};

static int fuse_send_in(struct vfuse *fs, struct fuse_msg *m, struct fuse_bufs *b)
{
	int len = in_build(b->in, m);
	if (len < 0 || m->reslen > RES_MAX)
		return len < 0 ? len : -EINVAL;
	struct virtq_buf ib[2] = {{(uintptr_t)b->in, (uint32_t)len, 0},
	                          {(uintptr_t)m->data, m->datalen, 0}};
	struct virtq_buf ob[2] = {{(uintptr_t)&b->out, (uint32_t)(sizeof(b->out.h) + m->reslen), 0},
	                          {(uintptr_t)m->buf, m->buflen, 0}};
	int n = virtio_fs_call_until(fs->dev, ib, m->datalen ? 2 : 1, ob, m->buflen ? 2 : 1,
	                             m->deadline);
	if (n < 0)
		return n;
	uint32_t min = m->res_min ? m->res_min : m->reslen;
	if (m->reslen && ((uint32_t)n < min || (uint32_t)n > m->reslen))
		return -EIO; /* a fixed result of the wrong size */
	if (!m->reslen && (uint32_t)n > m->buflen)
		return -EIO;
	if (m->reslen)
		memcpy(m->res, b->out.res, (size_t)n);
	return m->reslen ? 0 : n;
}

uint32_t fuse_io_chunk(const struct vfuse *fs, const void *buf, size_t left)
{
	size_t n = left < fs->max_io ? left : fs->max_io, done = 0;
	uintptr_t a = (uintptr_t)buf;
	if (vm_is_identity(a, n))
		return (uint32_t)n;
	/* pages untouched so far are backed here, usually as one contiguous run */
	for (int seg = 0; seg < STACK_IO_SEGS && done < n; seg++) {
		uint64_t pa;
		long r = vm_virt_to_phys(a + done, n - done, &pa);
		if (r < 0)
			return (uint32_t)(done ? done : n); /* the request reports the error */
		done += (size_t)r;
	}
	return (uint32_t)done;
}

int fuse_send(struct vfuse *fs, struct fuse_msg *m)
{
	if (!m->deadline) {
		struct fuse_bufs b;
		return fuse_send_in(fs, m, &b);
	}
	/* on a timeout the device keeps the buffers: they must not be on our stack */
	struct fuse_bufs *b = malloc(sizeof(*b));
	if (!b)
		return -ENOMEM;
	int r = fuse_send_in(fs, m, b);
	if (r != -EIO || !virtio_fs_is_dead(fs->dev))
		free(b);
	return r;
}

uint32_t fuse_open_flags(int flags)
{
	uint32_t l = (uint32_t)(flags & O_ACCMODE); /* Linux's values from asm-generic/fcntl.h */
	if (flags & O_APPEND)
		l |= 02000;
	if (flags & O_CREAT)
		l |= 0100;
	if (flags & O_EXCL)
		l |= 0200;
	if (flags & O_NONBLOCK)
		l |= 04000;
	if (flags & O_SYNC)
		l |= 04010000;
	return l;
}

static int type_ok(uint32_t mode)
{
	switch (mode & S_IFMT) {
	case S_IFREG:
	case S_IFDIR:
	case S_IFLNK:
	case S_IFCHR:
	case S_IFBLK:
	case S_IFIFO:
	case S_IFSOCK:
		return 1;
	default:
		return 0;
	}
}

int fuse_attr_to_vattr(struct vfuse *fs, const struct fuse_attr *a, struct vattr *va)
{
	if (!type_ok(a->mode) || a->atimensec >= 1000000000 || a->mtimensec >= 1000000000 ||
	    a->ctimensec >= 1000000000)
		return -EIO;
	memset(va, 0, sizeof(*va));
	va->ino = a->ino;
	va->size = a->size;
	va->blocks = a->blocks;
	va->mode = a->mode;
	va->nlink = a->nlink;
	va->uid = a->uid;
	va->gid = a->gid;
	va->rdev = a->rdev;
	va->blksize = a->blksize ? a->blksize : 4096;
	va->atime = (struct timespec){(time_t)a->atime, a->atimensec};
	va->mtime = (struct timespec){(time_t)a->mtime, a->mtimensec};
	va->ctime = (struct timespec){(time_t)a->ctime, a->ctimensec};
	return 0;
}

void fuse_entry_forget(struct vfuse *fs, const struct fuse_entry_out *e)
{
	if (e->nodeid)
		virtio_fs_forget(fs->dev, e->nodeid, 1);
}

int fnode_from_entry(struct vfuse *fs, const struct fuse_entry_out *e, struct vnode **out)
{
	if (e->nodeid == 0)
		return -ENOENT; /* a negative entry */
	struct fnode *n = type_ok(e->attr.mode) ? calloc(1, sizeof(*n)) : NULL;
	if (!n) {
		fuse_entry_forget(fs, e);
		return type_ok(e->attr.mode) ? -ENOMEM : -EIO;
	}
	vnode_init(&n->vn, &virtiofs_ops, fs->mnt, e->nodeid, e->attr.mode);
	n->fs = fs;
	*out = &n->vn;
	return 0;
}

static int session_init(struct vfuse *fs)
{
	struct fuse_init_in in = {FUSE_KERNEL_VERSION, FUSE_KERNEL_MINOR_VERSION, READAHEAD,
	                          FUSE_BIG_WRITES | FUSE_MAX_PAGES};
	struct fuse_init_out res = {0};
	struct fuse_msg m = {.opcode = FUSE_INIT,
	                     .arg = &in,
	                     .arglen = sizeof(in),
	                     .res = &res,
	                     .reslen = sizeof(res),
	                     .res_min = FUSE_COMPAT_22_INIT_OUT_SIZE,
	                     .deadline = time_monotonic_ns() + INIT_TIMEOUT_NS};
	int err = fuse_send(fs, &m);
	if (err < 0)
		return err;
	if (res.major != FUSE_KERNEL_VERSION) {
		kprintf("virtio-fs: the device speaks FUSE %u.%u, not 7.x\n", res.major, res.minor);
		return -EPROTO;
	}
	fs->max_io = res.max_write < IO_MIN   ? IO_MIN
	             : res.max_write > IO_MAX ? IO_MAX
	                                      : res.max_write;
	return 0;
}

/* Starts the session on req's device and mounts its root at req's path. */
static int mount_one(const struct mount_req *r)
{
	struct virtio_fs *dev = virtio_fs_find(r->tag);
	if (!dev) {
		kprintf("virtio-fs: no device with tag '%s' (for %s)\n", r->tag, r->path);
		return -ENODEV;
	}
	struct vfuse *fs = calloc(1, sizeof(*fs));
	struct fnode *root = calloc(1, sizeof(*root));
	struct mount *m = fs && root ? vfs_mount_new(fs) : NULL;
	int err = m ? 0 : -ENOMEM;
	if (err == 0) {
		fs->dev = dev;
		fs->mnt = m;
		err = session_init(fs);
	}
	if (err < 0) {
		free(m);
		free(root);
		free(fs);
		return err;
	}
	vnode_init(&root->vn, &virtiofs_ops, m, FUSE_ROOT_ID, S_IFDIR);
	root->fs = fs;
	root->is_root = 1;
	return vfs_mount(m, r->path, &root->vn); /* frees m and root on failure; fs stays */
}

static int boot_mounts(struct vfs_boot_mount *bm)
{
	int first_err = 0;
	for (int i = 0; i < nr_reqs; i++) {
		int err = mount_one(&reqs[i]);
		if (err < 0) {
			kprintf("virtio-fs: %s:%s not mounted (%d)\n", reqs[i].tag, reqs[i].path,
			        err);
			first_err = first_err ? first_err : err;
		}
	}
	return first_err;
}

static struct vfs_boot_mount boot_hook = {.name = "virtio-fs", .mount = boot_mounts};

/* fs=TAG:/path: mount the virtio-fs device TAG at /path when files are first used. */
static int opt_fs(const char *value)
{
	const char *colon = value ? strchr(value, ':') : NULL;
	if (!colon || colon == value || colon - value > VIRTIO_FS_TAG_LEN || colon[1] != '/' ||
	    strlen(colon + 1) >= VFS_PATH_MAX || nr_reqs == MAX_MOUNTS)
		return -EINVAL;
	for (int i = 0; i < nr_reqs; i++)
		if (strncmp(reqs[i].tag, value, (size_t)(colon - value)) == 0 &&
		    reqs[i].tag[colon - value] == '\0')
			return -EINVAL; /* one session per device */
	struct mount_req *r = &reqs[nr_reqs];
	memcpy(r->tag, value, (size_t)(colon - value));
	r->tag[colon - value] = '\0';
	strcpy(r->path, colon + 1);
	if (nr_reqs++ == 0)
		vfs_register_boot_mount(&boot_hook);
	return 0;
}
CMDLINE_OPTION("fs", opt_fs);

/* Referenced by the file API (libc-glue/file.c) so that file-using images carry us. */
const char virtiofs_linked[] = "virtio-fs";
