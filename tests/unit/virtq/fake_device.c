/* The fake device and the shims behind fake_device.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include "fake_device.h"

/* ---- pmem shim: page-aligned, zeroed, sizes checked on free ---- */

#define MAX_ALLOCS 256

static struct {
	void *p;
	size_t n;
} allocs[MAX_ALLOCS];
static long outstanding;

void *pmem_alloc_pages(size_t n)
{
	for (int i = 0; i < MAX_ALLOCS; i++) {
		if (allocs[i].p)
			continue;
		void *p = aligned_alloc(PAGE_SIZE, n * PAGE_SIZE);
		if (!p)
			return NULL;
		memset(p, 0, n * PAGE_SIZE);
		allocs[i].p = p;
		allocs[i].n = n;
		outstanding += (long)n;
		return p;
	}
	return NULL;
}

void pmem_free_pages(void *p, size_t n)
{
	for (int i = 0; i < MAX_ALLOCS; i++) {
		if (allocs[i].p != p)
			continue;
		if (allocs[i].n != n) {
			fprintf(stderr, "pmem_free_pages(%p, %zu): allocated as %zu pages\n", p, n,
			        allocs[i].n);
			abort();
		}
		allocs[i].p = NULL;
		outstanding -= (long)n;
		free(p);
		return;
	}
	fprintf(stderr, "pmem_free_pages(%p): not allocated\n", p);
	abort();
}

long fake_pages_outstanding(void)
{
	return outstanding;
}

/* ---- kprintf shim ---- */

static char log_text[8192];

void kprintf(const char *fmt, ...)
{
	va_list ap;
	size_t len = strlen(log_text);
	va_start(ap, fmt);
	vsnprintf(log_text + len, sizeof(log_text) - len, fmt, ap);
	va_end(ap);
	fputs(log_text + len, stderr);
}

const char *fake_log(void)
{
	return log_text;
}

void fake_log_reset(void)
{
	log_text[0] = '\0';
}

/* ---- the device ---- */

#define MAX_DEVS 8

static struct fake_dev *devs[MAX_DEVS];

static void count_notify(struct virtq *vq)
{
	for (int i = 0; i < MAX_DEVS; i++)
		if (devs[i] && devs[i]->vq == vq)
			devs[i]->notified++;
}

void fake_attach(struct fake_dev *dev, struct virtq *vq)
{
	memset(dev, 0, sizeof(*dev));
	dev->vq = vq;
	vq->notify = count_notify;
	for (int i = 0; i < MAX_DEVS; i++) {
		if (!devs[i] || devs[i] == dev) {
			devs[i] = dev;
			return;
		}
	}
	abort();
}

void fake_detach(struct fake_dev *dev)
{
	for (int i = 0; i < MAX_DEVS; i++)
		if (devs[i] == dev)
			devs[i] = NULL;
}

static void chain_add(struct fake_chain *c, const struct virtq_desc *d)
{
	struct virtq_buf *b = &c->buf[c->n++];
	b->addr = d->addr;
	b->len = d->len;
	b->flags = d->flags & VIRTQ_DESC_F_WRITE ? VIRTQ_BUF_WRITE : 0;
	if (b->flags)
		c->in_len += d->len;
}

/* Follows next links through table[0..max) from first, as a device would. */
static int chain_walk(struct fake_chain *c, const struct virtq_desc *table, unsigned max,
                      unsigned first)
{
	unsigned i = first;
	for (;;) {
		if (i >= max || c->n == FAKE_CHAIN_MAX)
			return -1;
		chain_add(c, &table[i]);
		if (!(table[i].flags & VIRTQ_DESC_F_NEXT))
			return 0;
		i = table[i].next;
	}
}

int fake_pop(struct fake_dev *dev, struct fake_chain *c)
{
	struct virtq *vq = dev->vq;
	if (dev->last_avail == __atomic_load_n(&vq->avail->idx, __ATOMIC_ACQUIRE))
		return 0;
	memset(c, 0, sizeof(*c));
	c->head = vq->avail->ring[dev->last_avail++ % vq->size];
	const struct virtq_desc *d = &vq->desc[c->head];
	int err;
	if (d->flags & VIRTQ_DESC_F_INDIRECT) {
		c->indirect = 1;
		err = chain_walk(c, (const struct virtq_desc *)(uintptr_t)d->addr,
		                 d->len / sizeof(struct virtq_desc), 0);
	} else {
		err = chain_walk(c, vq->desc, vq->size, c->head);
	}
	if (err)
		dev->bad_chain++;
	/* What a device with EVENT_IDX does: ask to be kicked for the next one. */
	*vq->avail_event = dev->last_avail;
	return 1;
}

void fake_push_entry(struct fake_dev *dev, uint16_t slot, uint32_t id, uint32_t len)
{
	struct virtq *vq = dev->vq;
	struct virtq_used_elem *e = &vq->used->ring[slot % vq->size];
	e->id = id;
	e->len = len;
}

void fake_publish(struct fake_dev *dev, uint16_t n)
{
	struct virtq_used *u = dev->vq->used;
	__atomic_store_n(&u->idx, (uint16_t)(u->idx + n), __ATOMIC_RELEASE);
}

void fake_push(struct fake_dev *dev, uint32_t id, uint32_t len)
{
	fake_push_entry(dev, dev->vq->used->idx, id, len);
	fake_publish(dev, 1);
}

int fake_wants_interrupt(struct fake_dev *dev, uint16_t old_used, uint16_t new_used)
{
	struct virtq *vq = dev->vq;
	if (vq->event_idx)
		return virtq_need_event(*vq->used_event, new_used, old_used);
	return !(vq->avail->flags & VIRTQ_AVAIL_F_NO_INTERRUPT);
}
