/*
 * Split virtqueues (virtio 1.2, 2.7): the descriptor free list, chains in and
 * out, notification suppression with VIRTIO_F_EVENT_IDX, and indirect
 * descriptor tables.  No transport code: the transport sets vq->notify, and
 * tests/unit/virtq compiles this file on the host against a fake device.
 *
 * Everything the device writes (used->idx, used->ring[], avail_event) is read
 * once into a local and checked before use.  The descriptor table is only
 * ever written by us; chains and the free list are walked through the
 * driver-private slot[] array, so a device that scribbles on the table can
 * not send us round a loop.
 */
#include <errno.h>
#include <stdint.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include "ring.h"

/*
 * Barriers between us and the device (another CPU running the hypervisor).
 * On x86 (TSO) stores are not reordered with stores, nor loads with loads,
 * so virtq_wmb() and virtq_rmb() only have to stop the compiler; a store
 * followed by a load needs a real fence (virtq_mb(), an mfence).
 */
#define virtq_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define virtq_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define virtq_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

/* Single accesses to shared fields: never torn, merged or repeated. */
static inline uint16_t shared_read16(const uint16_t *p)
{
	return *(const volatile uint16_t *)p;
}

static inline uint32_t shared_read32(const uint32_t *p)
{
	return *(const volatile uint32_t *)p;
}

static inline void shared_write16(uint16_t *p, uint16_t v)
{
	*(volatile uint16_t *)p = v;
}

static size_t bytes_to_pages(size_t bytes)
{
	return (bytes + PAGE_SIZE - 1) / PAGE_SIZE;
}

/* Legacy layout (2.7.2): desc, avail + used_event, pad, used + avail_event. */
static size_t ring_layout(unsigned size, size_t *avail_off, size_t *used_off)
{
	*avail_off = sizeof(struct virtq_desc) * size;
	size_t avail_end = *avail_off + sizeof(uint16_t) * (3 + size);
	*used_off = (avail_end + VIRTQ_LEGACY_ALIGN - 1) & ~(size_t)(VIRTQ_LEGACY_ALIGN - 1);
	return *used_off + sizeof(uint16_t) * 3 + sizeof(struct virtq_used_elem) * size;
}

static int rings_alloc(struct virtq *vq, unsigned size)
{
	size_t avail_off, used_off;
	vq->ring_pages = bytes_to_pages(ring_layout(size, &avail_off, &used_off));
	char *mem = pmem_alloc_pages(vq->ring_pages);
	if (!mem)
		return -ENOMEM;
	vq->ring_mem = mem;
	vq->desc = (struct virtq_desc *)mem;
	vq->avail = (struct virtq_avail *)(mem + avail_off);
	vq->used = (struct virtq_used *)(mem + used_off);
	vq->used_event = &vq->avail->ring[size];
	vq->avail_event = (uint16_t *)&vq->used->ring[size];
	return 0;
}

static int indirect_alloc(struct virtq *vq, unsigned size)
{
	size_t bytes = sizeof(struct virtq_desc) * VIRTQ_INDIRECT_MAX * size;
	vq->indirect_pages = bytes_to_pages(bytes);
	vq->indirect = pmem_alloc_pages(vq->indirect_pages);
	return vq->indirect ? 0 : -ENOMEM;
}

static void free_list_init(struct virtq *vq)
{
	for (unsigned i = 0; i < vq->size; i++)
		vq->slot[i].next = (uint16_t)(i + 1);
	vq->free_head = 0;
	vq->num_free = vq->size;
}

int virtq_create(struct virtq **out, unsigned index, unsigned size, unsigned opts)
{
	if (!size || size > VIRTQ_SIZE_MAX || (size & (size - 1)) || index > 0xffff)
		return -EINVAL;
	size_t self_pages = bytes_to_pages(sizeof(struct virtq) + sizeof(struct virtq_slot) * size);
	struct virtq *vq = pmem_alloc_pages(self_pages); /* zeroed */
	if (!vq)
		return -ENOMEM;
	vq->self_pages = self_pages;
	vq->slot = (struct virtq_slot *)(vq + 1);
	vq->size = (uint16_t)size;
	vq->index = (uint16_t)index;
	vq->event_idx = (opts & VIRTQ_OPT_EVENT_IDX) != 0;
	int err = rings_alloc(vq, size);
	if (err < 0)
		goto err_free_self;
	if ((opts & VIRTQ_OPT_INDIRECT) && (err = indirect_alloc(vq, size)) < 0)
		goto err_free_rings;
	free_list_init(vq);
	*out = vq;
	return 0;

err_free_rings:
	pmem_free_pages(vq->ring_mem, vq->ring_pages);
err_free_self:
	pmem_free_pages(vq, self_pages);
	return err;
}

void virtq_destroy(struct virtq *vq)
{
	if (vq->indirect)
		pmem_free_pages(vq->indirect, vq->indirect_pages);
	pmem_free_pages(vq->ring_mem, vq->ring_pages);
	pmem_free_pages(vq, vq->self_pages);
}

uint64_t virtq_desc_addr(const struct virtq *vq)
{
	return (uintptr_t)vq->desc;
}

uint64_t virtq_avail_addr(const struct virtq *vq)
{
	return (uintptr_t)vq->avail;
}

uint64_t virtq_used_addr(const struct virtq *vq)
{
	return (uintptr_t)vq->used;
}

void virtq_set_broken(struct virtq *vq, const char *why)
{
	if (!vq->broken)
		kprintf("virtio: queue %u: %s; queue disabled\n", vq->index, why);
	vq->broken = 1;
}

void virtq_interrupt(struct virtq *vq)
{
	if (!vq->broken && vq->callback)
		vq->callback(vq, vq->callback_arg);
}

/* Checks order and lengths; sets *in_len to the device-writable bytes. */
static int chain_check(const struct virtq_buf *bufs, unsigned n, uint32_t *in_len)
{
	uint64_t in = 0;
	int writing = 0;
	for (unsigned i = 0; i < n; i++) {
		if (!bufs[i].len)
			return -EINVAL;
		if (bufs[i].flags & VIRTQ_BUF_WRITE) {
			writing = 1;
			in += bufs[i].len;
		} else if (writing) {
			return -EINVAL; /* 2.7.4.2: readable buffers come first */
		}
	}
	if (in > UINT32_MAX)
		return -EINVAL;
	*in_len = (uint32_t)in;
	return 0;
}

/*
 * Buffers are kernel-virtual addresses.  Identity-mapped memory is its own
 * guest-physical address, one descriptor per buffer as always; a buffer on
 * a thread's stack (backed page by page, kernel/kstack.c) becomes one
 * descriptor per physically contiguous run of its pages ("segments").
 */

/* The next segment of the buffer at addr: its length, and *pa; or -EFAULT/-ENOMEM. */
static long seg_next(uint64_t addr, uint32_t left, uint64_t *pa)
{
	if (vm_is_identity((uintptr_t)addr, left)) {
		*pa = addr;
		return left;
	}
	long n = vm_virt_to_phys((uintptr_t)addr, left, pa);
	if (n == 0 || n > (long)left)
		return -EFAULT;
	return n;
}

/*
 * Counts the segments of the chain into *segs, translating (and backing)
 * every page once; stops counting past `max`.  0 or -EFAULT/-ENOMEM.
 */
static int chain_segments(const struct virtq_buf *bufs, unsigned n, unsigned max, unsigned *segs)
{
	unsigned m = 0;
	for (unsigned i = 0; i < n && m <= max; i++) {
		uint64_t addr = bufs[i].addr, pa;
		uint32_t left = bufs[i].len;
		while (left && m <= max) {
			long len = seg_next(addr, left, &pa);
			if (len < 0)
				return (int)len;
			addr += (uint64_t)len;
			left -= (uint32_t)len;
			m++;
		}
	}
	*segs = m;
	return 0;
}

static void desc_fill(struct virtq_desc *d, uint64_t pa, uint32_t len, uint32_t flags, int more,
                      uint16_t next)
{
	d->addr = pa;
	d->len = len;
	d->flags = (uint16_t)((flags & VIRTQ_BUF_WRITE ? VIRTQ_DESC_F_WRITE : 0) |
	                      (more ? VIRTQ_DESC_F_NEXT : 0));
	d->next = more ? next : 0;
}

/*
 * Writes the m segments of the chain (counted by chain_segments()) into
 * table[0..m) when table is set, else into ring descriptors taken from the
 * free list in order.
 */
static void chain_fill(struct virtq *vq, struct virtq_desc *table, const struct virtq_buf *bufs,
                       unsigned n, unsigned m)
{
	uint16_t d = vq->free_head;
	unsigned k = 0;
	for (unsigned i = 0; i < n; i++) {
		uint64_t addr = bufs[i].addr, pa = 0;
		uint32_t left = bufs[i].len;
		while (left && k < m) {
			long len = seg_next(addr, left, &pa); /* as counted: pages stay */
			if (len < 0)
				len = left; /* cannot happen; keeps the chain well-formed */
			struct virtq_desc *desc = table ? &table[k] : &vq->desc[d];
			uint16_t next = table ? (uint16_t)(k + 1) : vq->slot[d].next;
			k++;
			desc_fill(desc, pa, (uint32_t)len, bufs[i].flags, k < m, next);
			if (!table)
				d = next;
			addr += (uint64_t)len;
			left -= (uint32_t)len;
		}
	}
	if (!table)
		vq->free_head = d;
}

/* One ring descriptor pointing at head's table of m descriptors (2.7.5.3). */
static void add_indirect(struct virtq *vq, uint16_t head, const struct virtq_buf *bufs, unsigned n,
                         unsigned m)
{
	struct virtq_desc *table = vq->indirect + (size_t)head * VIRTQ_INDIRECT_MAX;
	chain_fill(vq, table, bufs, n, m);
	vq->desc[head].addr = (uintptr_t)table;
	vq->desc[head].len = (uint32_t)(sizeof(*table) * m);
	vq->desc[head].flags = VIRTQ_DESC_F_INDIRECT;
	vq->desc[head].next = 0;
	vq->free_head = vq->slot[head].next;
}

/* Puts head into the available ring and makes it visible. */
static void avail_publish(struct virtq *vq, uint16_t head)
{
	vq->avail->ring[vq->avail_idx & (vq->size - 1)] = head;
	/*
	 * Orders the descriptor and ring-entry stores above before the index
	 * store below: the device reads the entry once it sees the new index.
	 */
	virtq_wmb();
	vq->avail_idx++;
	shared_write16(&vq->avail->idx, vq->avail_idx);
	vq->inflight++;
}

int virtq_add_chain(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie)
{
	uint32_t in_len;
	unsigned m = 0;
	if (vq->broken)
		return -EIO;
	if (!n || !cookie)
		return -EINVAL;
	int err = chain_check(bufs, n, &in_len);
	if (err < 0)
		return err;
	unsigned max = vq->size > VIRTQ_INDIRECT_MAX ? vq->size : VIRTQ_INDIRECT_MAX;
	if ((err = chain_segments(bufs, n, max, &m)) < 0)
		return err;
	int indirect = vq->indirect && m > 1 && m <= VIRTQ_INDIRECT_MAX;
	if (!indirect && m > vq->size)
		return -EINVAL; /* would never fit */
	unsigned need = indirect ? 1 : m;
	if (need > vq->num_free)
		return -ENOSPC;
	uint16_t head = vq->free_head;
	if (indirect)
		add_indirect(vq, head, bufs, n, m);
	else
		chain_fill(vq, NULL, bufs, n, m);
	vq->num_free = (uint16_t)(vq->num_free - need);
	vq->slot[head].cookie = cookie;
	vq->slot[head].in_len = in_len;
	vq->slot[head].ndesc = (uint16_t)need;
	avail_publish(vq, head);
	return 0;
}

int virtq_kick(struct virtq *vq)
{
	if (vq->broken)
		return -EIO;
	/*
	 * Orders our avail->idx store before the reads of avail_event or
	 * used->flags below (store then load: a full fence).  Without it we
	 * could read an old "don't notify me" just as the device, not yet
	 * seeing the new index, goes idle, and nobody would look at the chain.
	 */
	virtq_mb();
	uint16_t old = vq->kicked_idx, new_idx = vq->avail_idx;
	vq->kicked_idx = new_idx;
	if (old == new_idx)
		return 0;
	int need;
	if (vq->event_idx)
		need = virtq_need_event(shared_read16(vq->avail_event), new_idx, old);
	else
		need = !(shared_read16(&vq->used->flags) & VIRTQ_USED_F_NO_NOTIFY);
	if (need && vq->notify)
		vq->notify(vq);
	return 0;
}

void virtq_kick_always(struct virtq *vq)
{
	virtq_mb();
	if (!vq->broken && vq->notify)
		vq->notify(vq);
}

/* Returns head's descriptors to the free list. */
static void chain_free(struct virtq *vq, uint16_t head)
{
	struct virtq_slot *s = &vq->slot[head];
	uint16_t tail = head;
	for (unsigned k = 1; k < s->ndesc; k++)
		tail = vq->slot[tail].next;
	vq->slot[tail].next = vq->free_head;
	vq->free_head = head;
	vq->num_free = (uint16_t)(vq->num_free + s->ndesc);
	s->cookie = NULL;
	s->ndesc = 0;
	s->in_len = 0;
	vq->inflight--;
}

/* NULL if the used entry (id, len) is one we can accept. */
static const char *used_problem(const struct virtq *vq, uint32_t id, uint32_t len)
{
	if (id >= vq->size)
		return "device returned an out-of-range descriptor id";
	if (!vq->slot[id].cookie)
		return "device returned a descriptor id that is not in flight";
	if (len > vq->slot[id].in_len)
		return "device wrote more bytes than the chain holds";
	return NULL;
}

int virtq_get_used(struct virtq *vq, void **cookie, uint32_t *len)
{
	if (vq->broken)
		return -EIO;
	uint16_t pending = (uint16_t)(shared_read16(&vq->used->idx) - vq->last_used);
	if (!pending)
		return -EAGAIN;
	if (pending > vq->inflight) {
		virtq_set_broken(vq, "device moved the used index past the chains in flight");
		return -EIO;
	}
	/*
	 * Orders the used->idx read above before the entry reads below: the
	 * device wrote the entry first, then (after its own barrier) the index.
	 */
	virtq_rmb();
	struct virtq_used_elem *e = &vq->used->ring[vq->last_used & (vq->size - 1)];
	uint32_t id = shared_read32(&e->id), used_len = shared_read32(&e->len);
	const char *problem = used_problem(vq, id, used_len);
	if (problem) {
		virtq_set_broken(vq, problem);
		return -EIO;
	}
	*cookie = vq->slot[id].cookie;
	*len = used_len;
	chain_free(vq, (uint16_t)id);
	vq->last_used++;
	if (vq->event_idx && !vq->cb_disabled) {
		shared_write16(vq->used_event, vq->last_used);
		/*
		 * Orders the used_event store before the next used->idx read,
		 * so an entry the device adds after reading the old event is
		 * either seen by our next call or raises an interrupt.
		 */
		virtq_mb();
	}
	return 0;
}

void virtq_disable_cb(struct virtq *vq)
{
	vq->cb_disabled = 1;
	/*
	 * With EVENT_IDX the device ignores the flag; used_event just behind
	 * the entries we took means "after 65535 more", which the device
	 * cannot reach while we take none (a ring holds at most 32768).  Left
	 * where it was, a used_event the device has not passed yet (as after
	 * setup) would still bring one interrupt.
	 */
	if (vq->event_idx)
		shared_write16(vq->used_event, (uint16_t)(vq->last_used - 1));
	else
		shared_write16(&vq->avail->flags, VIRTQ_AVAIL_F_NO_INTERRUPT);
}

int virtq_enable_cb(struct virtq *vq)
{
	if (vq->broken)
		return -EIO;
	vq->cb_disabled = 0;
	if (vq->event_idx)
		shared_write16(vq->used_event, vq->last_used);
	else
		shared_write16(&vq->avail->flags, 0);
	/*
	 * Orders the store above (interrupts wanted again) before the
	 * used->idx read below: an entry the device added before it saw the
	 * store raised no interrupt, so this read must catch it.
	 */
	virtq_mb();
	return shared_read16(&vq->used->idx) != vq->last_used;
}

int virtq_detach_unused(struct virtq *vq, void **cookie)
{
	for (unsigned i = 0; i < vq->size; i++) {
		if (vq->slot[i].cookie) {
			*cookie = vq->slot[i].cookie;
			chain_free(vq, (uint16_t)i);
			return 0;
		}
	}
	return -EAGAIN;
}

unsigned virtq_num_free(const struct virtq *vq)
{
	return vq->num_free;
}

unsigned virtq_size(const struct virtq *vq)
{
	return vq->size;
}

unsigned virtq_index(const struct virtq *vq)
{
	return vq->index;
}

int virtq_is_broken(const struct virtq *vq)
{
	return vq->broken;
}
