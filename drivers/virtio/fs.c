/*
 * The virtio-fs driver (virtio 1.2, 5.11): FUSE requests on the first
 * request queue, FORGETs on the high-priority queue.  QEMU, with the
 * guest's RAM shared with virtiofsd (tools/toro-run --fs does all this):
 *   -object memory-backend-memfd,id=mem,size=64M,share=on
 *   -machine ...,memory-backend=mem
 *   -chardev socket,id=fs0,path=SOCK
 *   -device vhost-user-fs-pci,chardev=fs0,tag=TAG      (q35)
 *   -device vhost-user-fs-device,chardev=fs0,tag=TAG   (microvm: virtio-mmio)
 *
 * Each caller sleeps on its own request's semaphore; the queue's interrupt
 * posts it.  A slot semaphore bounds the requests in flight so that adding
 * a chain never finds the ring full.  A reply is only trusted after its
 * framing checks out (reply_check()); a device that breaks the ring
 * protocol fails every request in flight and later ones with -EIO.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/console.h>
#include <kernel/irq.h>
#include <kernel/sync.h>
#include <drivers/virtio.h>
#include <drivers/virtio_fs.h>

#define VIRTIO_FS_MAX_DEVICES 4
#define HIPRIO_QUEUE          0
#define REQUEST_QUEUE         1
#define HIPRIO_SIZE           64
#define REQUEST_SIZE          128
#define BAD_REPLY_LOG_MAX     8 /* lines about malformed replies, per device */

/* One request in flight; lives on its caller's stack. */
struct fs_req {
	struct ksem done;
	uint32_t len;        /* bytes the device wrote */
	int status;          /* -EIO if the queue broke before the reply */
	struct fs_req *next; /* in dev->inflight */
};

/* A FORGET: no reply, so it lives on the heap until the device used it. */
struct forget_msg {
	struct fuse_in_header h;
	struct fuse_forget_in f;
	struct forget_msg *next; /* reaping list; not sent */
};

struct virtio_fs {
	struct virtio_dev *vdev;
	char tag[VIRTIO_FS_TAG_LEN + 1];
	struct virtq *hiq, *rq;
	struct ksem slots; /* requests rq can take now */
	uint64_t unique;   /* the last unique value given out */
	int bad_replies;
	int dead; /* a request timed out: the device is not there; fail all */
	/* touched with interrupts off (one CPU, and the callback is an interrupt) */
	struct fs_req *inflight;
};

/* Devices are never freed: interrupt handlers hold pointers. */
static struct virtio_fs devs[VIRTIO_FS_MAX_DEVICES];
static unsigned nr_devs;

int virtio_fs_errno(int e)
{
	if (e > 0 && e <= 34)
		return e; /* EPERM..ERANGE: newlib and Linux agree */
	switch (e) {
	case 35:
		return EDEADLK;
	case 36:
		return ENAMETOOLONG;
	case 37:
		return ENOLCK;
	case 38:
		return ENOSYS;
	case 39:
		return ENOTEMPTY;
	case 40:
		return ELOOP;
	case 61:
		return ENODATA;
	case 71:
		return EPROTO;
	case 75:
		return EOVERFLOW;
	case 84:
		return EILSEQ;
	case 95:
		return ENOTSUP;
	case 105:
		return ENOBUFS;
	case 110:
		return ETIMEDOUT;
	case 116:
		return ESTALE;
	case 122:
		return EDQUOT;
	case 125:
		return ECANCELED;
	default:
		return EIO;
	}
}

static void inflight_remove(struct virtio_fs *d, struct fs_req *r)
{
	for (struct fs_req **pp = &d->inflight; *pp; pp = &(*pp)->next) {
		if (*pp == r) {
			*pp = r->next;
			return;
		}
	}
}

/* Interrupt context: wake the owner of every completed request. */
static void rq_done(struct virtq *vq, void *arg)
{
	struct virtio_fs *d = arg;
	void *cookie;
	uint32_t len;
	int err;
	while ((err = virtq_get_used(vq, &cookie, &len)) == 0) {
		struct fs_req *r = cookie;
		inflight_remove(d, r);
		r->len = len;
		ksem_post(&r->done);
	}
	if (err == -EIO) { /* broken: nothing more will come back */
		while (d->inflight) {
			struct fs_req *r = d->inflight;
			d->inflight = r->next;
			r->status = -EIO;
			ksem_post(&r->done);
		}
	}
}

static int bad_reply(struct virtio_fs *d, const char *why)
{
	if (d->bad_replies++ < BAD_REPLY_LOG_MAX)
		kprintf("virtio-fs: %s: malformed reply: %s\n", d->tag, why);
	return -EIO;
}

/* The result bytes after the header, or the reply's -ERRNO, or -EIO. */
static int reply_check(struct virtio_fs *d, const struct fuse_out_header *h, uint32_t written,
                       uint64_t unique)
{
	if (written < sizeof(*h))
		return bad_reply(d, "shorter than its header");
	if (h->len != written)
		return bad_reply(d, "length field disagrees with the bytes written");
	if (h->unique != unique)
		return bad_reply(d, "unique value of another request");
	if (h->error > 0 || h->error < -FUSE_ERRNO_MAX)
		return bad_reply(d, "error out of range");
	if (h->error && written != sizeof(*h))
		return bad_reply(d, "error with a result");
	return h->error ? -virtio_fs_errno(-h->error) : (int)(written - sizeof(*h));
}

static int bufs_check(const struct virtq_buf *in, unsigned nin, const struct virtq_buf *out,
                      unsigned nout, uint32_t *in_len)
{
	uint64_t total = 0;
	if (!nin || !nout || nin > VIRTIO_FS_MAX_BUFS || nout > VIRTIO_FS_MAX_BUFS)
		return -EINVAL;
	if (in[0].len < sizeof(struct fuse_in_header) ||
	    out[0].len < sizeof(struct fuse_out_header))
		return -EINVAL;
	for (unsigned i = 0; i < nin; i++)
		total += in[i].len;
	if (total > UINT32_MAX)
		return -EINVAL;
	*in_len = (uint32_t)total;
	return 0;
}

/* Puts the chain on the request queue; 0, or -EIO if the queue is broken. */
static int rq_submit(struct virtio_fs *d, struct fs_req *r, const struct virtq_buf *in,
                     unsigned nin, const struct virtq_buf *out, unsigned nout)
{
	struct virtq_buf bufs[2 * VIRTIO_FS_MAX_BUFS];
	for (unsigned i = 0; i < nin; i++)
		bufs[i] = (struct virtq_buf){in[i].addr, in[i].len, 0};
	for (unsigned i = 0; i < nout; i++)
		bufs[nin + i] = (struct virtq_buf){out[i].addr, out[i].len, VIRTQ_BUF_WRITE};
	unsigned long f = irq_save();
	int err = virtq_add_chain(d->rq, bufs, nin + nout, r);
	if (err == 0) {
		r->next = d->inflight;
		d->inflight = r;
		err = virtq_kick(d->rq);
	}
	irq_restore(f);
	return err;
}

/* Waits for r; on a timeout r stays the device's (leaked) and the device is given up. */
static int req_wait(struct virtio_fs *d, struct fs_req *r, uint64_t deadline)
{
	if (ksem_wait(&r->done, deadline) == 0)
		return r->status;
	kprintf("virtio-fs: %s: no reply in time; device given up (is virtiofsd running?)\n",
	        d->tag);
	d->dead = 1;
	return -EIO;
}

int virtio_fs_call_until(struct virtio_fs *d, const struct virtq_buf *in, unsigned nin,
                         const struct virtq_buf *out, unsigned nout, uint64_t deadline)
{
	uint32_t in_len;
	int err = bufs_check(in, nin, out, nout, &in_len);
	if (err < 0 || d->dead)
		return err < 0 ? err : -EIO;
	struct fs_req stack_req, *r = deadline ? malloc(sizeof(*r)) : &stack_req;
	if (!r)
		return -ENOMEM;
	struct fuse_in_header *h = (struct fuse_in_header *)(uintptr_t)in[0].addr;
	r->status = 0;
	ksem_init(&r->done, 0);
	ksem_wait(&d->slots, 0);
	h->len = in_len;
	h->unique = __atomic_add_fetch(&d->unique, 1, __ATOMIC_RELAXED);
	err = rq_submit(d, r, in, nin, out, nout);
	if (err == 0) /* with the chain out, only the device (or its failure) ends this */
		err = req_wait(d, r, deadline);
	if (d->dead && err == -EIO)
		return err; /* r, its buffers and the slot stay with the device */
	ksem_post(&d->slots);
	uint32_t len = r->len;
	if (r != &stack_req)
		free(r);
	if (err < 0)
		return err;
	return reply_check(d, (const struct fuse_out_header *)(uintptr_t)out[0].addr, len,
	                   h->unique);
}

int virtio_fs_call(struct virtio_fs *d, const struct virtq_buf *in, unsigned nin,
                   const struct virtq_buf *out, unsigned nout)
{
	return virtio_fs_call_until(d, in, nin, out, nout, 0);
}

/* Frees the FORGETs the device is done with. */
static void forgets_reap(struct virtio_fs *d)
{
	struct forget_msg *done = NULL;
	void *cookie;
	uint32_t len;
	unsigned long f = irq_save();
	while (virtq_get_used(d->hiq, &cookie, &len) == 0) {
		struct forget_msg *m = cookie;
		m->next = done;
		done = m;
	}
	irq_restore(f);
	while (done) { /* free() may sleep on the heap lock: not with interrupts off */
		struct forget_msg *m = done;
		done = m->next;
		free(m);
	}
}

void virtio_fs_forget(struct virtio_fs *d, uint64_t nodeid, uint64_t nlookup)
{
	forgets_reap(d);
	struct forget_msg *m = calloc(1, sizeof(*m));
	if (!m)
		return; /* the host keeps the inode a little longer */
	m->h = (struct fuse_in_header){
	    .len = sizeof(m->h) + sizeof(m->f), .opcode = FUSE_FORGET, .nodeid = nodeid};
	m->h.unique = __atomic_add_fetch(&d->unique, 1, __ATOMIC_RELAXED);
	m->f.nlookup = nlookup;
	struct virtq_buf b = {(uintptr_t)m, (uint32_t)m->h.len, 0};
	unsigned long f = irq_save();
	int err = virtq_add_chain(d->hiq, &b, 1, m);
	if (err == 0)
		virtq_kick(d->hiq);
	irq_restore(f);
	if (err < 0)
		free(m); /* full or broken: best effort, as FORGET always is */
}

int virtio_fs_is_dead(const struct virtio_fs *d)
{
	return d->dead;
}

struct virtio_fs *virtio_fs_find(const char *tag)
{
	for (unsigned i = 0; i < nr_devs; i++)
		if (strcmp(devs[i].tag, tag) == 0)
			return &devs[i];
	return NULL;
}

static int read_config(struct virtio_dev *vdev, char *tag)
{
	uint8_t raw[VIRTIO_FS_TAG_LEN];
	uint32_t nq;
	int err =
	    virtio_config_read(vdev, offsetof(struct virtio_fs_config, tag), raw, sizeof(raw));
	if (err == 0)
		err = virtio_config_read(
		    vdev, offsetof(struct virtio_fs_config, num_request_queues), &nq, sizeof(nq));
	if (err < 0)
		return err;
	memcpy(tag, raw, sizeof(raw));
	tag[VIRTIO_FS_TAG_LEN] = '\0';
	if (!tag[0] || nq == 0) {
		kprintf("virtio-fs: %s: %s\n", vdev->name,
		        !tag[0] ? "empty tag" : "no request queue");
		return -EIO;
	}
	if (virtio_fs_find(tag)) {
		kprintf("virtio-fs: %s: tag '%s' taken by another device\n", vdev->name, tag);
		return -EEXIST;
	}
	return 0;
}

static int fs_probe(struct virtio_dev *vdev)
{
	if (nr_devs == VIRTIO_FS_MAX_DEVICES)
		return -ENOSPC;
	struct virtio_fs *d = &devs[nr_devs];
	int err = read_config(vdev, d->tag);
	if (err == 0)
		err = virtio_queue_setup(vdev, HIPRIO_QUEUE, HIPRIO_SIZE, NULL, d, &d->hiq);
	if (err == 0)
		err = virtio_queue_setup(vdev, REQUEST_QUEUE, REQUEST_SIZE, rq_done, d, &d->rq);
	if (err < 0)
		return err;       /* the core resets the device and frees its queues */
	virtq_disable_cb(d->hiq); /* reaped when the next FORGET goes out */
	/*
	 * A chain's buffers may be split into up to VIRTQ_INDIRECT_MAX
	 * segments (stack pages, see drivers/virtq.h and fs/virtiofs.c):
	 * one indirect descriptor, or that many direct ones.
	 */
	unsigned per_req =
	    virtio_has_feature(vdev, VIRTIO_F_INDIRECT_DESC) ? 1 : VIRTQ_INDIRECT_MAX;
	ksem_init(&d->slots, (long)(virtq_size(d->rq) / per_req));
	d->vdev = vdev;
	vdev->priv = d;
	nr_devs++;
	kprintf("virtio-fs: tag '%s' on %s\n", d->tag, vdev->name);
	return 0;
}

static const struct virtio_driver virtio_fs_driver = {
    .name = "virtio-fs",
    .device_id = VIRTIO_ID_FS,
    .features = VIRTIO_BIT(VIRTIO_F_INDIRECT_DESC),
    .probe = fs_probe,
};
VIRTIO_DRIVER(virtio_fs_driver);
