/*
 * Split virtqueues as a device driver sees them (virtio 1.2, 2.7).
 *
 * A queue comes from virtio_queue_setup() (virtio.h).  The driver hands the
 * device chains of buffers, each tagged with a cookie, and gets the cookies
 * back when the device is done with them:
 *
 *   struct virtq_buf b[2] = {
 *           {hdr_pa, sizeof(hdr), 0},                 // device reads
 *           {data_pa, len, VIRTQ_BUF_WRITE},          // device writes
 *   };
 *   virtq_add_chain(vq, b, 2, req);   // -ENOSPC: wait for completions
 *   virtq_kick(vq);                   // notifies the device if it asked
 *   ...                               // the queue's callback runs
 *   while (virtq_get_used(vq, &cookie, &len) == 0)
 *           complete(cookie, len);    // len: bytes the device wrote
 *
 * Addresses are kernel-virtual (a pointer cast to uintptr_t); the ring gives
 * the device guest-physical ones.  Identity-mapped memory (RAM, the heap)
 * takes one descriptor per buffer; a buffer on a thread's stack, whose pages
 * are backed one by one (kernel/kstack.c), takes one per physically
 * contiguous run of pages, so a chain can need more descriptors than it has
 * buffers.  The functions do not lock: callers serialize
 * every call on one queue, e.g. with irq_save() when the queue's callback
 * (interrupt context) also touches it.
 *
 * A device that breaks the protocol (a used index that runs ahead of what is
 * in flight, an unknown or repeated id, a length beyond the chain's writable
 * bytes) marks the queue broken: from then on every call returns -EIO.
 */
#ifndef DRIVERS_VIRTQ_H
#define DRIVERS_VIRTQ_H

#include <stdint.h>

struct virtq;

/* One buffer of a chain. */
struct virtq_buf {
	uint64_t addr;  /* kernel-virtual address (translated by the ring) */
	uint32_t len;   /* bytes, not 0 */
	uint32_t flags; /* VIRTQ_BUF_WRITE if the device writes it */
};

#define VIRTQ_BUF_WRITE 1

/* Most buffers one chain may hold when indirect descriptors are in use. */
#define VIRTQ_INDIRECT_MAX 16

/* Called in interrupt context when the device may have used buffers. */
typedef void (*virtq_callback_fn)(struct virtq *vq, void *arg);

/*
 * Makes a chain of n buffers available to the device: device-readable ones
 * first, then device-writable ones.  cookie (not NULL) comes back from
 * virtq_get_used().  Returns 0, -EINVAL (n is 0, cookie is NULL, a length is
 * 0, the order is wrong, or the chain's segments could never fit the ring),
 * -ENOSPC (not enough free descriptors), -EFAULT (a buffer is neither
 * identity-mapped nor in a live stack), -ENOMEM (no page to back a stack
 * buffer with) or -EIO (the queue is broken).  Nothing changes on an error.
 */
int virtq_add_chain(struct virtq *vq, const struct virtq_buf *bufs, unsigned n, void *cookie);

/*
 * Notifies the device of chains added since the last kick, unless it said
 * it does not need to be told.  Returns 0, or -EIO if the queue is broken.
 */
int virtq_kick(struct virtq *vq);
/* Notifies the device whether or not it asked (a full ring: it may be idle). */
void virtq_kick_always(struct virtq *vq);

/*
 * Takes the next completed chain: sets *cookie and *len (bytes the device
 * wrote) and returns 0; returns -EAGAIN if none is pending, -EIO if the queue
 * is broken (now or before).
 */
int virtq_get_used(struct virtq *vq, void **cookie, uint32_t *len);

/* Asks the device not to interrupt for this queue (a hint it may ignore). */
void virtq_disable_cb(struct virtq *vq);

/*
 * Asks for interrupts again.  Returns 1 if completions are already pending
 * (poll again: their interrupt may have been suppressed), 0 if not, -EIO if
 * the queue is broken.
 */
int virtq_enable_cb(struct virtq *vq);

/*
 * Once the device is reset (it no longer looks at the queue), gives back the
 * cookies of chains still in flight, one per call: 0, or -EAGAIN when none
 * is left.
 */
int virtq_detach_unused(struct virtq *vq, void **cookie);

/* Descriptors free for new chains. */
unsigned virtq_num_free(const struct virtq *vq);
/* Number of descriptors (the queue size). */
unsigned virtq_size(const struct virtq *vq);
/* The queue's index within its device. */
unsigned virtq_index(const struct virtq *vq);
/* 1 if the device broke the protocol on this queue. */
int virtq_is_broken(const struct virtq *vq);

#endif
