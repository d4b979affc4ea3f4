/*
 * Pipes: a 64 KiB ring shared by a read file and a write file.  Writes of at
 * most PIPE_BUF bytes are atomic; reads return what is there; EOF once every
 * writer is gone, EPIPE for a write with no reader left.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <fs/pipe.h>
#include <kernel/sync.h>

#define PIPE_SIZE (64 * 1024)

struct pipe {
	struct kmutex lock;
	struct kcond changed; /* data arrived, space freed, or an end closed */
	char *buf;
	size_t head, len;
	int readers, writers;
	struct file *rf, *wf; /* for file_notify; cleared when an end closes */
};

/* Called with p->lock held, so neither end can be freed meanwhile. */
static void pipe_notify(struct pipe *p)
{
	kcond_broadcast(&p->changed);
	if (p->rf)
		file_notify(p->rf, FILE_POLLIN);
	if (p->wf)
		file_notify(p->wf, FILE_POLLOUT);
}

static size_t ring_copy_out(struct pipe *p, char *dst, size_t n)
{
	n = n < p->len ? n : p->len;
	for (size_t i = 0; i < n; i++)
		dst[i] = p->buf[(p->head + i) % PIPE_SIZE];
	p->head = (p->head + n) % PIPE_SIZE;
	p->len -= n;
	return n;
}

static size_t ring_copy_in(struct pipe *p, const char *src, size_t n)
{
	size_t room = PIPE_SIZE - p->len;
	n = n < room ? n : room;
	for (size_t i = 0; i < n; i++)
		p->buf[(p->head + p->len + i) % PIPE_SIZE] = src[i];
	p->len += n;
	return n;
}

static ssize_t pipe_read(struct file *f, void *buf, size_t len)
{
	struct pipe *p = f->priv;
	ssize_t r;
	kmutex_lock(&p->lock);
	while (p->len == 0 && p->writers > 0 && !(f->flags & O_NONBLOCK))
		kcond_wait(&p->changed, &p->lock, 0);
	if (p->len)
		r = (ssize_t)ring_copy_out(p, buf, len);
	else
		r = p->writers ? -EAGAIN : 0;
	if (r > 0)
		pipe_notify(p);
	kmutex_unlock(&p->lock);
	return r;
}

static ssize_t pipe_write(struct file *f, const void *buf, size_t len)
{
	struct pipe *p = f->priv;
	size_t done = 0, atomic = len <= PIPE_BUF ? len : 1;
	kmutex_lock(&p->lock);
	while (done < len && p->readers > 0) {
		if (PIPE_SIZE - p->len >= (done ? 1 : atomic)) {
			done += ring_copy_in(p, (const char *)buf + done, len - done);
			pipe_notify(p);
		} else if (f->flags & O_NONBLOCK) {
			break;
		} else {
			kcond_wait(&p->changed, &p->lock, 0);
		}
	}
	int readers = p->readers;
	kmutex_unlock(&p->lock);
	if (done)
		return (ssize_t)done;
	return readers ? -EAGAIN : -EPIPE;
}

static unsigned pipe_poll(struct file *f)
{
	struct pipe *p = f->priv;
	unsigned ev = 0;
	kmutex_lock(&p->lock);
	if (f == p->rf) {
		ev |= p->len ? FILE_POLLIN : 0;
		ev |= p->writers ? 0 : FILE_POLLHUP;
	} else {
		ev |= PIPE_SIZE - p->len >= PIPE_BUF ? FILE_POLLOUT : 0;
		ev |= p->readers ? 0 : FILE_POLLERR;
	}
	kmutex_unlock(&p->lock);
	return ev;
}

static int pipe_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFIFO | 0600;
	st->st_blksize = PIPE_BUF;
	return 0;
}

static int pipe_ioctl(struct file *f, unsigned long req, void *arg)
{
	struct pipe *p = f->priv;
	if (req != FILE_IOCTL_FIONREAD)
		return -ENOTTY;
	kmutex_lock(&p->lock);
	*(int *)arg = (int)p->len;
	kmutex_unlock(&p->lock);
	return 0;
}

static void pipe_release(struct file *f)
{
	struct pipe *p = f->priv;
	kmutex_lock(&p->lock);
	if (f == p->rf) {
		p->readers--;
		p->rf = NULL;
	} else {
		p->writers--;
		p->wf = NULL;
	}
	int last = p->readers == 0 && p->writers == 0;
	if (!last)
		pipe_notify(p);
	kmutex_unlock(&p->lock);
	if (!last)
		return;
	free(p->buf);
	free(p);
}

static const struct file_ops pipe_ops = {
	.read = pipe_read,
	.write = pipe_write,
	.poll = pipe_poll,
	.fstat = pipe_fstat,
	.ioctl = pipe_ioctl,
	.release = pipe_release,
};

int pipe_create(struct file **rf, struct file **wf, int flags)
{
	struct pipe *p = calloc(1, sizeof(*p));
	if (!p)
		return -ENOMEM;
	p->buf = malloc(PIPE_SIZE);
	if (!p->buf)
		goto err_free_pipe;
	kmutex_init(&p->lock);
	kcond_init(&p->changed);
	p->readers = p->writers = 1;
	p->rf = file_alloc(&pipe_ops, O_RDONLY | (flags & O_NONBLOCK), p);
	if (!p->rf)
		goto err_free_buf;
	p->wf = file_alloc(&pipe_ops, O_WRONLY | (flags & O_NONBLOCK), p);
	if (!p->wf)
		goto err_free_rf;
	*rf = p->rf;
	*wf = p->wf;
	return 0;

err_free_rf:
	free(p->rf);
err_free_buf:
	free(p->buf);
err_free_pipe:
	free(p);
	return -ENOMEM;
}
