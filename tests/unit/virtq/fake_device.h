/*
 * A fake virtio device for the host unit tests: it plays the device's side
 * of a real struct virtq (drivers/virtio/ring.c) through the shared rings,
 * and can misbehave on request.  Also the test's pmem and kprintf shims.
 *
 *   fake_attach(&dev, vq);              // counts vq->notify calls
 *   fake_pop(&dev, &chain);             // next available chain, or 0
 *   fake_push(&dev, chain.head, len);   // complete it: one used entry
 *   fake_detach(&dev);
 */
#ifndef UNIT_VIRTQ_FAKE_DEVICE_H
#define UNIT_VIRTQ_FAKE_DEVICE_H

#include <stddef.h>
#include <stdint.h>
#include "ring.h"

#define FAKE_CHAIN_MAX 64

struct fake_chain {
	uint16_t head;
	unsigned n;      /* buffers, after following an indirect table */
	int indirect;    /* the head descriptor pointed at a table */
	uint32_t in_len; /* device-writable bytes */
	struct virtq_buf buf[FAKE_CHAIN_MAX];
};

struct fake_dev {
	struct virtq *vq;
	uint16_t last_avail; /* next avail->ring entry to take */
	unsigned notified;   /* vq->notify calls */
	int bad_chain;       /* a chain the device could not parse */
};

void fake_attach(struct fake_dev *dev, struct virtq *vq);
void fake_detach(struct fake_dev *dev);
/* Takes the next available chain: 1, or 0 if there is none. */
int fake_pop(struct fake_dev *dev, struct fake_chain *c);
/* Appends (id, len) to the used ring and publishes it. */
void fake_push(struct fake_dev *dev, uint32_t id, uint32_t len);
/* Appends an entry without publishing it; fake_publish(n) moves used->idx. */
void fake_push_entry(struct fake_dev *dev, uint16_t slot, uint32_t id, uint32_t len);
void fake_publish(struct fake_dev *dev, uint16_t n);
/* The device's side of 2.7.7: should it interrupt after moving used->idx? */
int fake_wants_interrupt(struct fake_dev *dev, uint16_t old_used, uint16_t new_used);

/* pmem shim: pages allocated and not yet freed. */
long fake_pages_outstanding(void);
/* kprintf shim: everything printed since the last reset. */
const char *fake_log(void);
void fake_log_reset(void);

#endif
