/*
 * socketpair(AF_UNIX, SOCK_STREAM): two connected ends, each a file built
 * from two pipes (one per direction).  Readiness of the underlying pipes is
 * forwarded to the end's own pollers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <fs/pipe.h>

struct pair_end {
	struct file *in, *out;	    /* read from in, write to out */
	struct poll_entry fwd_in, fwd_out;
	struct file *self;
};

static ssize_t end_read(struct file *f, void *buf, size_t len)
{
	struct pair_end *e = f->priv;
	return e->in->ops->read(e->in, buf, len);
}

static ssize_t end_write(struct file *f, const void *buf, size_t len)
{
	struct pair_end *e = f->priv;
	return e->out->ops->write(e->out, buf, len);
}

static unsigned end_poll(struct file *f)
{
	struct pair_end *e = f->priv;
	unsigned in = file_poll(e->in), out = file_poll(e->out);
	/*
	 * The peer closing shows as HUP on our read side (end of stream: Linux
	 * says readable and RDHUP) and as ERR on our write side (HUP).
	 */
	return (in & (FILE_POLLIN | FILE_POLLHUP)) |
	       ((in & FILE_POLLHUP) ? FILE_POLLIN | FILE_POLLRDHUP : 0) | (out & FILE_POLLOUT) |
	       ((out & FILE_POLLERR) ? FILE_POLLHUP : 0);
}

static int end_setfl(struct file *f)
{
	struct pair_end *e = f->priv;
	int nb = f->flags & O_NONBLOCK;
	e->in->flags = (e->in->flags & ~O_NONBLOCK) | nb;
	e->out->flags = (e->out->flags & ~O_NONBLOCK) | nb;
	return 0;
}

static int end_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	return 0;
}

static int end_ioctl(struct file *f, unsigned long req, void *arg)
{
	struct pair_end *e = f->priv;
	return e->in->ops->ioctl ? e->in->ops->ioctl(e->in, req, arg) : -ENOTTY;
}

static void end_release(struct file *f)
{
	struct pair_end *e = f->priv;
	file_poll_remove(e->in, &e->fwd_in);
	file_poll_remove(e->out, &e->fwd_out);
	file_put(e->in);
	file_put(e->out);
	free(e);
}

static const struct file_ops pair_ops = {
	.read = end_read,
	.write = end_write,
	.poll = end_poll,
	.setfl = end_setfl,
	.fstat = end_fstat,
	.ioctl = end_ioctl,
	.release = end_release,
};

/* Interrupts off (file_notify): pass the news on to the end's pollers. */
static void forward(struct poll_entry *pe, unsigned events)
{
	struct pair_end *e = pe->ctx;
	for (struct poll_entry *p = e->self->pollers; p; p = p->next)
		p->wake(p, events);
}

static struct file *end_new(struct file *in, struct file *out, int flags)
{
	struct pair_end *e = calloc(1, sizeof(*e));
	if (!e)
		return NULL;
	e->self = file_alloc(&pair_ops, O_RDWR | (flags & O_NONBLOCK), e);
	if (!e->self) {
		free(e);
		return NULL;
	}
	e->in = in;
	e->out = out;
	e->fwd_in = (struct poll_entry){.wake = forward, .ctx = e};
	e->fwd_out = (struct poll_entry){.wake = forward, .ctx = e};
	file_poll_add(in, &e->fwd_in);
	file_poll_add(out, &e->fwd_out);
	end_setfl(e->self);
	return e->self;
}

int socketpair_create(struct file **a, struct file **b, int flags)
{
	struct file *r1, *w1, *r2, *w2;
	if (pipe_create(&r1, &w1, 0) < 0)
		return -ENOMEM;
	if (pipe_create(&r2, &w2, 0) < 0)
		goto err_put_first;
	/* a reads what b writes (pipe 2) and writes what b reads (pipe 1) */
	*a = end_new(r2, w1, flags);
	if (!*a)
		goto err_put_second;
	*b = end_new(r1, w2, flags);
	if (!*b) {
		file_put(*a); /* releases r2 and w1 */
		file_put(r1);
		file_put(w2);
		return -ENOMEM;
	}
	return 0;

err_put_second:
	file_put(r2);
	file_put(w2);
err_put_first:
	file_put(r1);
	file_put(w1);
	return -ENOMEM;
}
