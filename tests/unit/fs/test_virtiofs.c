/*
 * unit.virtio-fs: the real virtio-fs driver (drivers/virtio/fs.c, ring.c)
 * and FUSE client (fs/virtiofs.c, virtiofs_ops.c) against a fake device
 * (../virtq/fake_device.c) that answers FUSE requests, and misbehaves on
 * request: short replies, wrong length fields and unique values, errors out
 * of range or with a result, results of the wrong size or file type, bad
 * directory entries, writes it never got, replies longer than the buffers.
 * Each must end in -EIO for that request (the last breaks the queue: then
 * every request), with the next good request working and the FORGETs
 * matching the lookups the device granted.  A device that never answers
 * makes the mount give up instead of hanging.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/cmdline.h>
#include <kernel/sync.h>
#include <drivers/virtio.h>
#include "check.h"
#include "fake_device.h"
#include "virtiofs.h"

#define QMAX 16

/* ---- the fake core and VFS ------------------------------------------------------ */

struct fake_fsdev {
	struct virtio_dev vdev;
	struct virtio_fs_config cfg;
	struct fake_dev q[2]; /* high priority, requests */
	int silent;           /* never answers */
};

static struct fake_fsdev fdevs[2];
static struct vnode *mounted[4];
static int nr_mounted;
static struct vfs_boot_mount *hook;

int virtio_config_read(struct virtio_dev *vdev, unsigned offset, void *buf, unsigned len)
{
	struct fake_fsdev *d = (struct fake_fsdev *)vdev;
	if (offset + len > sizeof(d->cfg))
		return -EINVAL;
	memcpy(buf, (char *)&d->cfg + offset, len);
	return 0;
}

int virtio_queue_setup(struct virtio_dev *vdev, unsigned index, unsigned size, virtq_callback_fn cb,
                       void *arg, struct virtq **out)
{
	struct fake_fsdev *d = (struct fake_fsdev *)vdev;
	struct virtq *vq;
	if (index > 1)
		return -ENOENT;
	int err = virtq_create(&vq, index, size < QMAX ? size : QMAX, 2 /* indirect */);
	if (err < 0)
		return err;
	vq->callback = cb;
	vq->callback_arg = arg;
	vq->owner = vdev;
	vdev->vqs[index] = vq;
	fake_attach(&d->q[index], vq);
	*out = vq;
	return 0;
}

void vnode_init(struct vnode *vn, const struct vnode_ops *ops, struct mount *mnt, uint64_t ino,
                uint32_t type)
{
	*vn = (struct vnode){ops, mnt, ino, type & S_IFMT, 1};
}

struct mount *vfs_mount_new(void *priv)
{
	struct mount *m = calloc(1, sizeof(*m));
	m->priv = priv;
	return m;
}

int vfs_mount(struct mount *m, const char *path, struct vnode *root)
{
	m->root = root;
	mounted[nr_mounted++] = root;
	return 0;
}

void vfs_register_boot_mount(struct vfs_boot_mount *bm)
{
	hook = bm;
}

uint64_t time_monotonic_ns(void)
{
	return 1000;
}

/* ---- the device's answers ------------------------------------------------------- */

enum mangle {
	M_NONE,
	M_SHORT,
	M_LEN_FIELD,
	M_UNIQUE,
	M_ERR_POSITIVE,
	M_ERR_BIG,
	M_ERR_WITH_RESULT,
	M_LINUX_ENOTEMPTY,
	M_RES_SIZE,
	M_TYPE,
	M_NODEID0,
	M_DIRENT_NAMELEN0,
	M_DIRENT_SLASH,
	M_DIRENT_OVERRUN,
	M_DIRENT_OFF0,
	M_WROTE_MORE,
	M_OVERLONG,
};


/* What the last rename request carried. */
static struct {
	uint32_t opcode, len, flags;
	uint64_t newdir;
	char names[16];
} last_rename;

static enum mangle mangle; /* for the next reply only */
static uint64_t next_nodeid = 2;
static int granted, forgets;

static size_t entry_result(const char *name, char *res)
{
	struct fuse_entry_out e = {.nodeid = next_nodeid++};
	e.attr.ino = e.nodeid + 1000;
	e.attr.mode = (name[0] == 'd' ? S_IFDIR | 0755 : S_IFREG | 0644);
	e.attr.nlink = 1;
	if (mangle == M_TYPE)
		e.attr.mode = 0170000 | 0644;
	if (mangle == M_NODEID0)
		e.nodeid = 0;
	else if (mangle == M_NONE || mangle == M_TYPE)
		granted++;
	memcpy(res, &e, sizeof(e));
	return sizeof(e);
}

static size_t dirents(const struct fuse_read_in *in, char *res)
{
	static const char *const names[] = {"a", "bb"};
	size_t n = 0;
	for (uint64_t i = in->offset; i < 2; i++) {
		struct fuse_dirent *d = (struct fuse_dirent *)(res + n);
		*d = (struct fuse_dirent){.ino = 50 + i, .off = i + 1, .type = 8};
		d->namelen = (uint32_t)strlen(names[i]);
		memcpy(d->name, names[i], d->namelen);
		if (mangle == M_DIRENT_NAMELEN0)
			d->namelen = 0;
		if (mangle == M_DIRENT_SLASH)
			d->name[0] = '/';
		if (mangle == M_DIRENT_OVERRUN)
			d->namelen = 300;
		if (mangle == M_DIRENT_OFF0)
			d->off = 0;
		n += FUSE_DIRENT_ALIGN(sizeof(*d) + strlen(names[i]));
	}
	return n;
}

/* The good result for the request; its length. */
static size_t result(const struct fuse_in_header *h, const char *args, char *res)
{
	switch (h->opcode) {
	case FUSE_INIT: {
		struct fuse_init_out o = {.major = 7, .minor = 31, .max_write = 65536};
		memcpy(res, &o, sizeof(o));
		return sizeof(o);
	}
	case FUSE_LOOKUP:
	case FUSE_MKDIR:
		return entry_result(args + (h->opcode == FUSE_MKDIR ? 8 : 0), res);
	case FUSE_GETATTR: {
		struct fuse_attr_out a = {.attr = {.ino = 7, .mode = S_IFREG | 0644, .nlink = 1}};
		if (h->nodeid == FUSE_ROOT_ID)
			a.attr.mode = S_IFDIR | 0755;
		if (mangle == M_TYPE)
			a.attr.mode = S_IFLNK | 0777;
		memcpy(res, &a, sizeof(a));
		return sizeof(a);
	}
	case FUSE_OPEN:
	case FUSE_OPENDIR: {
		struct fuse_open_out o = {.fh = 77};
		memcpy(res, &o, sizeof(o));
		return sizeof(o);
	}
	case FUSE_READ: {
		const struct fuse_read_in *in = (const void *)args;
		size_t n = in->size < 10 ? in->size : 10;
		memcpy(res, "0123456789", n);
		return n;
	}
	case FUSE_WRITE: {
		const struct fuse_write_in *in = (const void *)args;
		struct fuse_write_out o = {.size = in->size + (mangle == M_WROTE_MORE ? 1 : 0)};
		memcpy(res, &o, sizeof(o));
		return sizeof(o);
	}
	case FUSE_READDIR:
		return dirents((const void *)args, res);
	case FUSE_RENAME:
	case FUSE_RENAME2: {
		uint32_t arglen = h->opcode == FUSE_RENAME2 ? 16 : 8;
		last_rename.opcode = h->opcode;
		last_rename.len = h->len;
		memcpy(&last_rename.newdir, args, 8);
		if (h->opcode == FUSE_RENAME2)
			memcpy(&last_rename.flags, args + 8, 4);
		uint32_t names = h->len - sizeof(*h) - arglen;
		memcpy(last_rename.names, args + arglen,
		       names < sizeof(last_rename.names) ? names : sizeof(last_rename.names));
		return 0;
	}
	default:
		return 0;
	}
}

/* Copies len bytes to the chain's writable buffers from byte off on. */
static void out_copy(const struct fake_chain *c, const void *src, size_t len, size_t off)
{
	const char *s = src;
	for (unsigned i = 0; i < c->n && len; i++) {
		if (!(c->buf[i].flags & VIRTQ_BUF_WRITE))
			continue;
		if (off >= c->buf[i].len) {
			off -= c->buf[i].len;
			continue;
		}
		size_t n = c->buf[i].len - off < len ? c->buf[i].len - off : len;
		memcpy((char *)(uintptr_t)c->buf[i].addr + off, s, n);
		s += n;
		len -= n;
		off = 0;
	}
}

static uint32_t reply(const struct fake_chain *c)
{
	static char res[8192];
	const struct fuse_in_header *h = (const void *)(uintptr_t)c->buf[0].addr;
	size_t n = result(h, (const char *)(h + 1), res);
	struct fuse_out_header o = {(uint32_t)(sizeof(o) + n), 0, h->unique};
	switch (mangle) {
	case M_LEN_FIELD:
		o.len += 8;
		break;
	case M_UNIQUE:
		o.unique ^= 0x1000;
		break;
	case M_ERR_POSITIVE:
		o.error = 5, n = 0, o.len = sizeof(o);
		break;
	case M_ERR_BIG:
		o.error = -5000, n = 0, o.len = sizeof(o);
		break;
	case M_ERR_WITH_RESULT:
		o.error = -2;
		break;
	case M_LINUX_ENOTEMPTY:
		o.error = -39, n = 0, o.len = sizeof(o);
		break;
	case M_RES_SIZE:
		n -= 8, o.len -= 8;
		break;
	default:
		break;
	}
	out_copy(c, &o, sizeof(o), 0);
	out_copy(c, res, n, sizeof(o));
	uint32_t written =
	    o.len == sizeof(o) + n || mangle == M_LEN_FIELD ? (uint32_t)(sizeof(o) + n) : o.len;
	if (mangle == M_SHORT)
		written = 8;
	if (mangle == M_OVERLONG)
		written = c->in_len + 16;
	mangle = M_NONE;
	return written;
}

static int serve_queue(struct fake_fsdev *d)
{
	struct fake_chain c;
	int served = 0;
	while (!d->silent && fake_pop(&d->q[1], &c)) {
		fake_push(&d->q[1], c.head, reply(&c));
		virtq_interrupt(d->q[1].vq);
		served++;
	}
	while (fake_pop(&d->q[0], &c)) { /* FORGETs */
		const struct fuse_in_header *h = (const void *)(uintptr_t)c.buf[0].addr;
		const struct fuse_forget_in *f = (const void *)(h + 1);
		CHECK(h->opcode == FUSE_FORGET && f->nlookup == 1 &&
		      h->len == sizeof(*h) + sizeof(*f));
		forgets++;
		fake_push(&d->q[0], c.head, 0);
	}
	return served;
}

/* One thread: a wait with nothing to wake it runs the device instead. */
void ksem_init(struct ksem *s, long count)
{
	s->count = count;
}

void ksem_post(struct ksem *s)
{
	s->count++;
}

int ksem_wait(struct ksem *s, uint64_t deadline)
{
	while (s->count == 0) {
		if (serve_queue(&fdevs[0]) + serve_queue(&fdevs[1]) == 0) {
			if (deadline)
				return -ETIMEDOUT;
			fprintf(stderr, "ksem_wait would sleep forever\n");
			abort();
		}
	}
	s->count--;
	return 0;
}

/* ---- the tests ---------------------------------------------------------------- */

extern const struct virtio_driver *const __start_toro_virtio_drivers[];
extern const struct virtio_driver *const __stop_toro_virtio_drivers[];
extern const struct cmdline_option __start_toro_cmdline_opts[], __stop_toro_cmdline_opts[];

static void probe(struct fake_fsdev *d, const char *tag)
{
	CHECK_EQ(__stop_toro_virtio_drivers - __start_toro_virtio_drivers, 1);
	d->vdev.features = VIRTIO_BIT(VIRTIO_F_VERSION_1) | VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC);
	snprintf(d->vdev.name, sizeof(d->vdev.name), "fake-%s", tag);
	memcpy(d->cfg.tag, tag, strlen(tag));
	d->cfg.num_request_queues = 1;
	CHECK_EQ(__start_toro_virtio_drivers[0]->probe(&d->vdev), 0);
}

static void mount_both(void)
{
	CHECK_EQ(__stop_toro_cmdline_opts - __start_toro_cmdline_opts, 1);
	const struct cmdline_option *o = __start_toro_cmdline_opts;
	CHECK_STR(o->name, "fs");
	CHECK_EQ(o->handler("good:/mnt"), 0);
	CHECK_EQ(o->handler("quiet:/quiet"), 0);
	CHECK_EQ(o->handler("good:/again"), -EINVAL);
	CHECK_EQ(o->handler("nocolon"), -EINVAL);
	CHECK_EQ(o->handler("t:relative"), -EINVAL);
	fdevs[1].silent = 1;
	CHECK(hook != NULL);
	CHECK(hook->mount(hook) < 0); /* the quiet one */
	CHECK_EQ(nr_mounted, 1);
	CHECK(strstr(fake_log(), "no reply in time") != NULL);
	/* it stays quiet: its INIT request, given up, stays its own */
}

static int lookup(struct vnode *dir, const char *name, enum mangle m, struct vnode **out)
{
	mangle = m;
	int err = dir->ops->lookup(dir, name, out);
	CHECK_EQ(mangle, M_NONE); /* the device answered */
	return err;
}

static void test_lookup_replies(struct vnode *root)
{
	static const enum mangle bad[] = {M_SHORT,   M_LEN_FIELD,       M_UNIQUE,   M_ERR_POSITIVE,
	                                  M_ERR_BIG, M_ERR_WITH_RESULT, M_RES_SIZE, M_TYPE};
	struct vnode *vn;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK_EQ(lookup(root, "file", bad[i], &vn), -EIO);
		CHECK_EQ(lookup(root, "file", M_NONE, &vn), 0); /* still healthy */
		vn->ops->release(vn);
	}
	CHECK_EQ(lookup(root, "file", M_NODEID0, &vn), -ENOENT);
	CHECK_EQ(lookup(root, "file", M_LINUX_ENOTEMPTY, &vn), -ENOTEMPTY);
}

static void test_attrs(struct vnode *root)
{
	struct vnode *vn;
	struct vattr va;
	CHECK_EQ(lookup(root, "file", M_NONE, &vn), 0);
	CHECK_EQ(vn->ops->getattr(vn, &va), 0);
	CHECK_EQ(va.ino, 7);
	mangle = M_TYPE; /* a file that turned into a symlink */
	CHECK_EQ(vn->ops->getattr(vn, &va), -EIO);
	mangle = M_RES_SIZE;
	CHECK_EQ(vn->ops->getattr(vn, &va), -EIO);
	vn->ops->release(vn);
}

struct names {
	char got[8][16];
	int n;
};

static int collect(void *ctx, const char *name, size_t len, uint64_t ino, unsigned type,
                   uint64_t next)
{
	struct names *s = ctx;
	if (s->n < 8)
		snprintf(s->got[s->n++], 16, "%.*s", (int)len, name);
	return 0;
}

static void test_readdir(struct vnode *root)
{
	static const enum mangle bad[] = {M_DIRENT_NAMELEN0, M_DIRENT_SLASH, M_DIRENT_OVERRUN,
	                                  M_DIRENT_OFF0, M_SHORT};
	struct vnode *dir;
	void *fh = NULL;
	struct names s = {0};
	CHECK_EQ(lookup(root, "dir", M_NONE, &dir), 0);
	CHECK_EQ(dir->type, S_IFDIR);
	CHECK_EQ(dir->ops->open(dir, 0, &fh), 0);
	CHECK_EQ(dir->ops->readdir(dir, fh, 0, collect, &s), 0);
	CHECK_EQ(s.n, 2);
	CHECK_STR(s.got[1], "bb");
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mangle = bad[i];
		CHECK_EQ(dir->ops->readdir(dir, fh, 0, collect, &s), -EIO);
	}
	dir->ops->close(dir, fh, 0);
	dir->ops->release(dir);
}

static void test_io(struct vnode *root)
{
	struct vnode *vn;
	void *fh;
	char buf[100];
	CHECK_EQ(lookup(root, "file", M_NONE, &vn), 0);
	CHECK_EQ(vn->ops->open(vn, 2, &fh), 0);
	CHECK_EQ(vn->ops->read(vn, fh, buf, sizeof(buf), 0), 10); /* then the end of the file */
	CHECK_EQ(vn->ops->write(vn, fh, buf, 50, 0), 50);
	mangle = M_WROTE_MORE;
	CHECK_EQ(vn->ops->write(vn, fh, buf, 50, 0), -EIO);
	CHECK_EQ(root->ops->mkdir(root, "dnew", 0755), 0);
	/* last: a reply longer than its buffers breaks the queue for good */
	mangle = M_OVERLONG;
	CHECK_EQ(vn->ops->read(vn, fh, buf, sizeof(buf), 0), -EIO);
	CHECK(strstr(fake_log(), "queue 1") != NULL);
	CHECK_EQ(vn->ops->read(vn, fh, buf, sizeof(buf), 0), -EIO);
	struct vnode *other;
	CHECK_EQ(root->ops->lookup(root, "x", &other), -EIO);
	vn->ops->close(vn, fh, 2);
	vn->ops->release(vn);
}

/* RENAME without flags, RENAME2 with them; its bad replies end in -EIO. */
static void test_rename(struct vnode *root)
{
	static const enum mangle bad[] = {M_SHORT, M_LEN_FIELD, M_UNIQUE, M_ERR_POSITIVE,
	                                  M_ERR_BIG};
	struct vnode *dir;
	CHECK_EQ(lookup(root, "dir", M_NONE, &dir), 0);
	CHECK_EQ(root->ops->rename(root, "old", dir, "new", 0), 0);
	CHECK_EQ(last_rename.opcode, FUSE_RENAME);
	CHECK_EQ(last_rename.len, sizeof(struct fuse_in_header) + 8 + 8);
	CHECK_EQ(last_rename.newdir, dir->ino);
	CHECK(memcmp(last_rename.names, "old\0new\0", 8) == 0);
	CHECK_EQ(root->ops->rename(root, "old", dir, "new", 2), 0);
	CHECK_EQ(last_rename.opcode, FUSE_RENAME2);
	CHECK_EQ(last_rename.len, sizeof(struct fuse_in_header) + 16 + 8);
	CHECK_EQ(last_rename.newdir, dir->ino);
	CHECK_EQ(last_rename.flags, 2);
	CHECK(memcmp(last_rename.names, "old\0new\0", 8) == 0);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		mangle = bad[i];
		CHECK_EQ(root->ops->rename(root, "old", dir, "new", 1), -EIO);
		CHECK_EQ(mangle, M_NONE);
		CHECK_EQ(root->ops->rename(root, "old", dir, "new", 1), 0); /* still healthy */
	}
	mangle = M_LINUX_ENOTEMPTY; /* the device's own errors come back as they are */
	CHECK_EQ(root->ops->rename(root, "old", dir, "new", 1), -ENOTEMPTY);
	dir->ops->release(dir);
}

int main(void)
{
	probe(&fdevs[0], "good");
	probe(&fdevs[1], "quiet");
	CHECK(virtio_fs_find("good") && virtio_fs_find("quiet") && !virtio_fs_find("nope"));
	mount_both();
	struct vnode *root = mounted[0];
	test_lookup_replies(root);
	test_attrs(root);
	test_readdir(root);
	test_rename(root);
	test_io(root);
	serve_queue(&fdevs[0]);
	CHECK_EQ(forgets, granted); /* every lookup the device granted came back */
	CHECK(granted > 10);
	CHECK(strstr(fake_log(), "malformed reply") != NULL);
	free(root->mnt);
	free(fnode_of(root)->fs);
	free(root);
	return check_summary("virtio-fs");
}
