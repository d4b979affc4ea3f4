/* Reference-counted open files and readiness notification. */
#include <errno.h>
#include <stdlib.h>
#include <fs/file.h>
#include <kernel/irq.h>

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv)
{
	struct file *f = calloc(1, sizeof(*f));
	if (!f)
		return NULL;
	f->ops = ops;
	f->flags = flags;
	f->refs = 1;
	f->priv = priv;
	return f;
}

void file_get(struct file *f)
{
	__atomic_add_fetch(&f->refs, 1, __ATOMIC_RELAXED);
}

void file_put(struct file *f)
{
	if (__atomic_sub_fetch(&f->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	for (;;) { /* e.g. epoll items watching f */
		unsigned long flags = irq_save();
		struct poll_entry *e = f->pollers;
		while (e && !e->detach)
			e = e->next;
		irq_restore(flags);
		if (!e)
			break;
		e->detach(e);
	}
	if (f->ops->release)
		f->ops->release(f);
	free(f);
}

void file_notify(struct file *f, unsigned events)
{
	unsigned long flags = irq_save(); /* pollers are added and removed under the same */
	for (struct poll_entry *e = f->pollers; e; e = e->next)
		e->wake(e, events);
	irq_restore(flags);
}

void file_poll_add(struct file *f, struct poll_entry *e)
{
	unsigned long flags = irq_save();
	e->file = f;
	e->next = f->pollers;
	f->pollers = e;
	irq_restore(flags);
}

void file_poll_remove(struct file *f, struct poll_entry *e)
{
	unsigned long flags = irq_save();
	for (struct poll_entry **pp = &f->pollers; *pp; pp = &(*pp)->next) {
		if (*pp == e) {
			*pp = e->next;
			break;
		}
	}
	e->next = NULL;
	irq_restore(flags);
}

unsigned file_poll(struct file *f)
{
	if (!f->ops->poll)
		return FILE_POLLIN | FILE_POLLOUT;
	return f->ops->poll(f);
}
