/* eventfd: a 64-bit counter that reads drain and writes add to. */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <fs/pipe.h>
#include <kernel/sync.h>

#define EVENTFD_MAX 0xfffffffffffffffeULL

struct eventfd {
	struct kmutex lock;
	struct kcond changed;
	uint64_t count;
	int semaphore;
};

static ssize_t eventfd_read(struct file *f, void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	if (len < sizeof(uint64_t))
		return -EINVAL;
	kmutex_lock(&e->lock);
	while (e->count == 0 && !(f->flags & O_NONBLOCK))
		kcond_wait(&e->changed, &e->lock, 0);
	uint64_t v = e->semaphore && e->count ? 1 : e->count;
	e->count -= v;
	kmutex_unlock(&e->lock);
	if (!v)
		return -EAGAIN;
	memcpy(buf, &v, sizeof(v));
	kcond_broadcast(&e->changed);
	file_notify(f, FILE_POLLOUT);
	return sizeof(v);
}

static ssize_t eventfd_write(struct file *f, const void *buf, size_t len)
{
	struct eventfd *e = f->priv;
	uint64_t v;
	if (len < sizeof(v))
		return -EINVAL;
	memcpy(&v, buf, sizeof(v));
	if (v == UINT64_MAX)
		return -EINVAL;
	kmutex_lock(&e->lock);
	while (EVENTFD_MAX - e->count < v && !(f->flags & O_NONBLOCK))
		kcond_wait(&e->changed, &e->lock, 0);
	int ok = EVENTFD_MAX - e->count >= v;
	if (ok)
		e->count += v;
	kmutex_unlock(&e->lock);
	if (!ok)
		return -EAGAIN;
	kcond_broadcast(&e->changed);
	file_notify(f, FILE_POLLIN);
	return sizeof(v);
}

static unsigned eventfd_poll(struct file *f)
{
	struct eventfd *e = f->priv;
	kmutex_lock(&e->lock);
	unsigned ev = (e->count ? FILE_POLLIN : 0) | (e->count < EVENTFD_MAX ? FILE_POLLOUT : 0);
	kmutex_unlock(&e->lock);
	return ev;
}

static int eventfd_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFREG | 0600; /* Linux reports an anonymous inode */
	return 0;
}

static void eventfd_release(struct file *f)
{
	free(f->priv);
}

static const struct file_ops eventfd_ops = {
	.read = eventfd_read,
	.write = eventfd_write,
	.poll = eventfd_poll,
	.fstat = eventfd_fstat,
	.release = eventfd_release,
};

int eventfd_create(struct file **out, unsigned initval, int flags)
{
	struct eventfd *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	kmutex_init(&e->lock);
	kcond_init(&e->changed);
	e->count = initval;
	e->semaphore = (flags & EVENTFD_SEMAPHORE) != 0;
	*out = file_alloc(&eventfd_ops, O_RDWR | (flags & O_NONBLOCK), e);
	if (!*out) {
		free(e);
		return -ENOMEM;
	}
	return 0;
}
