/*
 * epoll: an interest list of (descriptor, file) items, each registered for
 * readiness notifications.  A notification puts the item on the ready list;
 * epoll_wait re-checks each ready item's file, reports it, and keeps it on
 * the list if level-triggered (so the next wait checks it again) or drops it
 * if edge-triggered until the next notification.  Closing a file removes its
 * items (the item holds no reference).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <fs/file.h>
#include <fs/poll.h>
#include <kernel/irq.h>
#include <kernel/sync.h>

struct epitem {
	struct poll_entry pe; /* pe.file is the watched file, pe.ctx the epoll */
	int fd;
	uint32_t events;
	uint64_t data;
	int on_ready;
	struct epitem *next;	/* interest list */
	struct epitem *rd_next; /* ready list: notifications (interrupts off) change it */
	struct epitem *snap_next; /* the list epoll_collect walks: only it changes that */
};

/*
 * One lock for every epoll's interest list and item lifetimes: a closing file
 * (file_put -> epoll_detach) and a closing epoll never race on an item.
 */
static struct kmutex epoll_lock = KMUTEX_INIT;

struct epoll {
	struct epitem *items;
	struct epitem *ready; /* changed with interrupts off (notifications) */
	struct ksem wake;
	struct file *self;
};

/* Interrupts off (file_notify). */
static void epoll_wake(struct poll_entry *pe, unsigned events)
{
	struct epitem *it = (struct epitem *)pe;
	struct epoll *ep = pe->ctx;
	if (!it->on_ready) {
		it->on_ready = 1;
		it->rd_next = ep->ready;
		ep->ready = it;
	}
	if (ksem_value(&ep->wake) == 0)
		ksem_post(&ep->wake);
	if (ep->self)
		file_notify(ep->self, FILE_POLLIN);
}

static void ready_remove(struct epoll *ep, struct epitem *it)
{
	unsigned long f = irq_save();
	for (struct epitem **pp = &ep->ready; *pp; pp = &(*pp)->rd_next) {
		if (*pp == it) {
			*pp = it->rd_next;
			break;
		}
	}
	it->on_ready = 0;
	irq_restore(f);
}

static struct epitem *item_find(struct epoll *ep, int fd, struct file *f)
{
	for (struct epitem *it = ep->items; it; it = it->next)
		if (it->fd == fd && it->pe.file == f)
			return it;
	return NULL;
}

static void item_del(struct epoll *ep, struct epitem *it);

/* The watched file is going away: forget it (file_put, before ->release). */
static void epoll_detach(struct poll_entry *pe)
{
	kmutex_lock(&epoll_lock);
	item_del(pe->ctx, (struct epitem *)pe);
	kmutex_unlock(&epoll_lock);
}

static int item_add(struct epoll *ep, int fd, struct file *f, const struct fs_epoll_event *ev)
{
	struct epitem *it = calloc(1, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->fd = fd;
	it->events = ev->events;
	it->data = ev->data;
	it->pe.wake = epoll_wake;
	it->pe.detach = epoll_detach;
	it->pe.ctx = ep;
	it->next = ep->items;
	ep->items = it;
	file_poll_add(f, &it->pe);
	unsigned long fl = irq_save();
	epoll_wake(&it->pe, 0); /* evaluate its current state at the next wait */
	irq_restore(fl);
	return 0;
}

static void item_del(struct epoll *ep, struct epitem *it)
{
	for (struct epitem **pp = &ep->items; *pp; pp = &(*pp)->next) {
		if (*pp == it) {
			*pp = it->next;
			break;
		}
	}
	file_poll_remove(it->pe.file, &it->pe);
	ready_remove(ep, it);
	free(it);
}

int epoll_file_ctl(struct file *epf, int op, int fd, struct file *f,
		   const struct fs_epoll_event *ev)
{
	struct epoll *ep = epf->priv;
	if (f == epf)
		return -EINVAL;
	kmutex_lock(&epoll_lock);
	struct epitem *it = item_find(ep, fd, f);
	int err = 0;
	if (op == FS_EPOLL_ADD)
		err = it ? -EEXIST : item_add(ep, fd, f, ev);
	else if (!it)
		err = op == FS_EPOLL_DEL || op == FS_EPOLL_MOD ? -ENOENT : -EINVAL;
	else if (op == FS_EPOLL_DEL)
		item_del(ep, it);
	else if (op == FS_EPOLL_MOD) {
		it->events = ev->events;
		it->data = ev->data;
		unsigned long fl = irq_save();
		epoll_wake(&it->pe, 0);
		irq_restore(fl);
	} else
		err = -EINVAL;
	kmutex_unlock(&epoll_lock);
	return err;
}

/*
 * Takes the ready list as a snapshot linked through snap_next.  The walk
 * must not follow rd_next: checking one item may sleep (a socket's poll
 * takes lwIP's lock), and a notification meanwhile relinks rd_next of an
 * item further down, which would cut the rest of the snapshot off.
 */
static struct epitem *ready_take_all(struct epoll *ep)
{
	unsigned long f = irq_save();
	struct epitem *list = ep->ready;
	ep->ready = NULL;
	for (struct epitem *it = list; it; it = it->rd_next) {
		it->on_ready = 0;
		it->snap_next = it->rd_next;
	}
	irq_restore(f);
	return list;
}

static void ready_put_back(struct epoll *ep, struct epitem *it)
{
	unsigned long f = irq_save();
	if (!it->on_ready) {
		it->on_ready = 1;
		it->rd_next = ep->ready;
		ep->ready = it;
	}
	irq_restore(f);
}

/* Checks the ready items once; returns how many events were stored. */
static int epoll_collect(struct epoll *ep, struct fs_epoll_event *out, int max)
{
	int n = 0;
	kmutex_lock(&epoll_lock);
	struct epitem *it = ready_take_all(ep), *next;
	for (; it; it = next) {
		next = it->snap_next;
		if (n == max) {
			ready_put_back(ep, it);
			continue;
		}
		uint32_t want = (it->events & 0xffff) | FILE_POLLERR | FILE_POLLHUP;
		uint32_t got = (it->events & 0xffff) ? file_poll(it->pe.file) & want : 0;
		if (!got)
			continue;
		out[n].events = got;
		out[n].data = it->data;
		n++;
		if (it->events & FS_EPOLLONESHOT)
			it->events &= FS_EPOLLET | FS_EPOLLONESHOT; /* disarmed until EPOLL_CTL_MOD */
		else if (!(it->events & FS_EPOLLET))
			ready_put_back(ep, it);
	}
	kmutex_unlock(&epoll_lock);
	return n;
}

int epoll_file_wait(struct file *epf, struct fs_epoll_event *out, int max, uint64_t deadline)
{
	struct epoll *ep = epf->priv;
	if (max <= 0)
		return -EINVAL;
	for (;;) {
		int n = epoll_collect(ep, out, max);
		if (n || deadline == 0)
			return n;
		if (ksem_wait(&ep->wake, deadline == FS_WAIT_FOREVER ? 0 : deadline) < 0)
			return epoll_collect(ep, out, max);
	}
}

static unsigned epoll_poll(struct file *f)
{
	struct epoll *ep = f->priv;
	return ep->ready ? FILE_POLLIN : 0;
}

static void epoll_release(struct file *f)
{
	struct epoll *ep = f->priv;
	kmutex_lock(&epoll_lock);
	ep->self = NULL;
	while (ep->items)
		item_del(ep, ep->items);
	kmutex_unlock(&epoll_lock);
	free(ep);
}

static const struct file_ops epoll_ops = {
	.poll = epoll_poll,
	.release = epoll_release,
};

int file_is_epoll(const struct file *f)
{
	return f->ops == &epoll_ops;
}

int epoll_file_create(struct file **out)
{
	struct epoll *ep = calloc(1, sizeof(*ep));
	if (!ep)
		return -ENOMEM;
	ksem_init(&ep->wake, 0);
	*out = file_alloc(&epoll_ops, O_RDWR, ep);
	if (!*out) {
		free(ep);
		return -ENOMEM;
	}
	ep->self = *out;
	return 0;
}
