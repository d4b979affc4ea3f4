/*
 * Split virtqueue internals, shared by ring.c, the virtio core and the
 * transports (and the host unit test, which plays the device).  Device
 * drivers use <drivers/virtq.h> only.
 *
 * Lifetime, as the core drives it:
 *   virtq_create(&vq, index, size, opts);   // rings zeroed, all descriptors free
 *   vq->notify = ...; vq->callback = ...;   // transport and driver hooks
 *   transport: tell the device virtq_desc_addr(vq) ... and enable the queue
 *   ... virtq_add_chain / virtq_kick / virtq_interrupt / virtq_get_used ...
 *   reset the device, then virtq_destroy(vq)
 */
#ifndef DRIVERS_VIRTIO_RING_H
#define DRIVERS_VIRTIO_RING_H

#include <stddef.h>
#include <stdint.h>
#include <drivers/virtio_reg.h>
#include <drivers/virtq.h>

/* virtq_create() options */
#define VIRTQ_OPT_EVENT_IDX 0x1 /* VIRTIO_F_EVENT_IDX was negotiated */
#define VIRTQ_OPT_INDIRECT  0x2 /* VIRTIO_F_INDIRECT_DESC was negotiated */

/* Driver-private state of one descriptor; the device never sees it. */
struct virtq_slot {
	void *cookie;    /* the caller's token: set only on a chain head in flight */
	uint32_t in_len; /* bytes the device may write into the chain */
	uint16_t ndesc;  /* ring descriptors the chain holds (1 if indirect) */
	uint16_t next;   /* next descriptor of the chain, or of the free list */
};

struct virtq {
	/* Shared with the device (written by us unless noted) */
	struct virtq_desc *desc;     /* descriptor table, size entries */
	struct virtq_avail *avail;   /* available ring: chains we offer */
	struct virtq_used *used;     /* used ring: written by the device */
	uint16_t *used_event;        /* after avail->ring: interrupt me past this */
	uint16_t *avail_event;       /* after used->ring, by the device: kick me past this */
	struct virtq_desc *indirect; /* VIRTQ_INDIRECT_MAX entries per head, or NULL */

	/* Driver state */
	uint16_t size;           /* descriptors; a power of 2 */
	uint16_t index;          /* queue number within the device */
	uint16_t free_head;      /* first free descriptor (list linked by slot.next) */
	uint16_t num_free;       /* descriptors on the free list */
	uint16_t avail_idx;      /* our copy of avail->idx */
	uint16_t kicked_idx;     /* avail_idx when we last decided whether to kick */
	uint16_t last_used;      /* next used->ring entry to read */
	uint16_t inflight;       /* chains the device holds */
	uint8_t event_idx;       /* VIRTQ_OPT_EVENT_IDX */
	uint8_t cb_disabled;     /* virtq_disable_cb() is in force */
	uint8_t broken;          /* the device broke the protocol: all calls fail */
	struct virtq_slot *slot; /* size entries, indexed by descriptor */

	/* Hooks */
	void (*notify)(struct virtq *vq); /* transport: tell the device to look */
	volatile void *notify_addr;       /* transport's notification register */
	virtq_callback_fn callback;       /* driver's, in interrupt context */
	void *callback_arg;
	void *owner; /* the struct virtio_dev */

	/* Memory, for virtq_destroy() */
	void *ring_mem; /* desc + avail + used, page-aligned */
	size_t ring_pages;
	size_t indirect_pages;
	size_t self_pages; /* this struct and slot[] */
};

/*
 * Allocates and zeroes a queue of size descriptors (a power of 2, 1 to
 * VIRTQ_SIZE_MAX) laid out so that legacy transports can use it too.  0,
 * -EINVAL or -ENOMEM.
 */
int virtq_create(struct virtq **out, unsigned index, unsigned size, unsigned opts);
/* Frees the queue; the device must no longer use it (reset it first). */
void virtq_destroy(struct virtq *vq);

/* Guest-physical addresses of the three rings, for the transport. */
uint64_t virtq_desc_addr(const struct virtq *vq);
uint64_t virtq_avail_addr(const struct virtq *vq);
uint64_t virtq_used_addr(const struct virtq *vq);

/* Runs the driver's callback unless the queue is broken (interrupt context). */
void virtq_interrupt(struct virtq *vq);
/* Marks the queue broken, logging why once. */
void virtq_set_broken(struct virtq *vq, const char *why);

/* 2.7.10: whether moving avail idx from old to new_idx crosses event. */
static inline int virtq_need_event(uint16_t event, uint16_t new_idx, uint16_t old)
{
	return (uint16_t)(new_idx - event - 1) < (uint16_t)(new_idx - old);
}

#endif
