/*
 * unit.virtq: the real drivers/virtio/ring.c driven from both ends, the
 * driver's through its API and the device's through fake_device.c, under
 * ASan and UBSan.  Every test starts and ends with no pages allocated.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "fake_device.h"

#define QSIZE 16

static char cookies[4 * QSIZE]; /* distinct non-NULL cookies */

static struct virtq *queue_new(struct fake_dev *dev, unsigned opts)
{
	struct virtq *vq = NULL;
	CHECK_EQ(fake_pages_outstanding(), 0);
	CHECK_EQ(virtq_create(&vq, 3, QSIZE, opts), 0);
	fake_attach(dev, vq);
	fake_log_reset();
	return vq;
}

static void queue_free(struct fake_dev *dev, struct virtq *vq)
{
	void *cookie;
	while (virtq_detach_unused(vq, &cookie) == 0)
		;
	CHECK_EQ(virtq_num_free(vq), QSIZE);
	fake_detach(dev);
	virtq_destroy(vq);
	CHECK_EQ(fake_pages_outstanding(), 0);
}

static struct virtq_buf rbuf(uint64_t addr, uint32_t len)
{
	return (struct virtq_buf){addr, len, 0};
}

static struct virtq_buf wbuf(uint64_t addr, uint32_t len)
{
	return (struct virtq_buf){addr, len, VIRTQ_BUF_WRITE};
}

/* Adds a one-buffer writable chain of len bytes with cookie c. */
static int add_one(struct virtq *vq, void *c, uint32_t len)
{
	struct virtq_buf b = wbuf(0x1000, len);
	return virtq_add_chain(vq, &b, 1, c);
}

static void test_create_bad_sizes(void)
{
	struct virtq *vq;
	CHECK_EQ(virtq_create(&vq, 0, 0, 0), -EINVAL);
	CHECK_EQ(virtq_create(&vq, 0, 3, 0), -EINVAL);
	CHECK_EQ(virtq_create(&vq, 0, 65536, 0), -EINVAL);
	CHECK_EQ(virtq_create(&vq, 0x10000, 16, 0), -EINVAL);
	CHECK_EQ(fake_pages_outstanding(), 0);
	for (unsigned size = 1; size <= VIRTQ_SIZE_MAX; size *= 8) {
		CHECK_EQ(virtq_create(&vq, 0, size, VIRTQ_OPT_INDIRECT), 0);
		CHECK_EQ(virtq_size(vq), size);
		CHECK_EQ(virtq_num_free(vq), size);
		CHECK_EQ(virtq_avail_addr(vq) - virtq_desc_addr(vq), 16 * size);
		CHECK_EQ(virtq_used_addr(vq) % VIRTQ_LEGACY_ALIGN, 0);
		virtq_destroy(vq);
	}
	CHECK_EQ(fake_pages_outstanding(), 0);
}

/* A readable header and a writable body, round trip. */
static void test_chain_round_trip(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 0);
	struct virtq_buf b[3] = {rbuf(0x1000, 10), rbuf(0x2000, 20), wbuf(0x3000, 300)};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, b, 3, &cookies[0]), 0);
	CHECK_EQ(virtq_num_free(vq), QSIZE - 3);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 1);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(c.n, 3);
	CHECK_EQ(c.buf[0].addr, 0x1000);
	CHECK_EQ(c.buf[1].len, 20);
	CHECK_EQ(c.buf[2].flags, VIRTQ_BUF_WRITE);
	CHECK_EQ(c.in_len, 300);
	CHECK(!c.indirect);
	CHECK(!fake_pop(&dev, &c));
	void *cookie;
	uint32_t len;
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EAGAIN);
	fake_push(&dev, c.head, 300);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK(cookie == &cookies[0]);
	CHECK_EQ(len, 300);
	CHECK_EQ(virtq_num_free(vq), QSIZE);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EAGAIN);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 1); /* nothing new: no notification */
	CHECK(!virtq_is_broken(vq));
	queue_free(&dev, vq);
}

static void test_add_rejects(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 0);
	struct virtq_buf wr[2] = {wbuf(0x1000, 8), rbuf(0x2000, 8)};
	struct virtq_buf zero = rbuf(0x1000, 0);
	struct virtq_buf many[QSIZE + 1];
	for (int i = 0; i <= QSIZE; i++)
		many[i] = rbuf(0x1000, 1);
	CHECK_EQ(virtq_add_chain(vq, wr, 0, &cookies[0]), -EINVAL);
	CHECK_EQ(virtq_add_chain(vq, wr, 1, NULL), -EINVAL);
	CHECK_EQ(virtq_add_chain(vq, &zero, 1, &cookies[0]), -EINVAL);
	CHECK_EQ(virtq_add_chain(vq, wr, 2, &cookies[0]), -EINVAL); /* write before read */
	CHECK_EQ(virtq_add_chain(vq, many, QSIZE + 1, &cookies[0]), -EINVAL);
	CHECK_EQ(virtq_num_free(vq), QSIZE);
	CHECK_EQ(virtq_add_chain(vq, many, QSIZE - 1, &cookies[0]), 0);
	CHECK_EQ(virtq_add_chain(vq, many, 2, &cookies[1]), -ENOSPC);
	CHECK_EQ(virtq_add_chain(vq, many, 1, &cookies[1]), 0);
	CHECK_EQ(add_one(vq, &cookies[2], 1), -ENOSPC);
	CHECK_EQ(dev.notified, 0); /* adding alone never notifies */
	queue_free(&dev, vq);
}

/* Chains of random length completed in random order, many times over. */
static void test_stress_out_of_order(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, VIRTQ_OPT_EVENT_IDX);
	struct fake_chain held[QSIZE];
	int nheld = 0, inflight[4 * QSIZE] = {0};
	unsigned added = 0, done = 0;
	srand(1);
	for (int round = 0; round < 20000; round++) {
		struct virtq_buf b[4] = {rbuf(0x1000, 1), rbuf(0x2000, 2), wbuf(0x3000, 3),
		                         wbuf(0x4000, 4)};
		int k = rand() % (4 * QSIZE);
		unsigned n = 1 + (unsigned)rand() % 4;
		if (!inflight[k] && virtq_add_chain(vq, b + 4 - n, n, &cookies[k]) == 0) {
			inflight[k] = 1;
			added++;
		}
		virtq_kick(vq);
		while (nheld < QSIZE && fake_pop(&dev, &held[nheld]))
			nheld++;
		if (nheld && rand() % 2) {
			int pick = rand() % nheld;
			fake_push(&dev, held[pick].head, held[pick].in_len);
			held[pick] = held[--nheld];
		}
		void *cookie;
		uint32_t len;
		while (virtq_get_used(vq, &cookie, &len) == 0) {
			int idx = (int)((char *)cookie - cookies);
			CHECK(inflight[idx]);
			inflight[idx] = 0;
			done++;
		}
	}
	CHECK(added > 1000);
	CHECK_EQ(added - done, (unsigned)nheld);
	CHECK_EQ(dev.bad_chain, 0);
	CHECK(!virtq_is_broken(vq));
	queue_free(&dev, vq);
}

/* Without EVENT_IDX: the NO_NOTIFY and NO_INTERRUPT flags. */
static void test_flags_suppression(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 0);
	struct fake_chain c;
	vq->used->flags = VIRTQ_USED_F_NO_NOTIFY;
	CHECK_EQ(add_one(vq, &cookies[0], 8), 0);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 0);
	vq->used->flags = 0;
	CHECK_EQ(add_one(vq, &cookies[1], 8), 0);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 1);
	virtq_disable_cb(vq);
	CHECK(!fake_wants_interrupt(&dev, 0, 1));
	CHECK(fake_pop(&dev, &c));
	fake_push(&dev, c.head, 0);
	CHECK_EQ(virtq_enable_cb(vq), 1); /* one is pending already */
	CHECK(fake_wants_interrupt(&dev, 1, 2));
	void *cookie;
	uint32_t len;
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK_EQ(virtq_enable_cb(vq), 0);
	queue_free(&dev, vq);
}

/* With EVENT_IDX: avail_event decides kicks, used_event interrupts. */
static void test_event_idx(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, VIRTQ_OPT_EVENT_IDX);
	struct fake_chain c;
	*vq->avail_event = 0;
	CHECK_EQ(add_one(vq, &cookies[0], 8), 0);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 1); /* avail idx 0 -> 1 crosses event 0 */
	*vq->avail_event = 5;
	for (int i = 1; i <= 4; i++) {
		CHECK_EQ(add_one(vq, &cookies[i], 8), 0);
		CHECK_EQ(virtq_kick(vq), 0);
	}
	CHECK_EQ(dev.notified, 1); /* idx 1..5 never passed event 5 */
	CHECK_EQ(add_one(vq, &cookies[5], 8), 0);
	CHECK_EQ(virtq_kick(vq), 0);
	CHECK_EQ(dev.notified, 2);               /* 5 -> 6 did */
	CHECK(fake_wants_interrupt(&dev, 0, 1)); /* used_event starts at 0 */
	CHECK(fake_pop(&dev, &c));
	fake_push(&dev, c.head, 8);
	void *cookie;
	uint32_t len;
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK_EQ(*vq->used_event, 1); /* interrupt me for the next one */
	virtq_disable_cb(vq);
	CHECK_EQ(*vq->used_event, 0); /* just behind: 65535 entries away */
	CHECK(!fake_wants_interrupt(&dev, 1, 2));
	CHECK(fake_pop(&dev, &c));
	fake_push(&dev, c.head, 8);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK_EQ(*vq->used_event, 0); /* not moved while disabled */
	CHECK(!fake_wants_interrupt(&dev, 2, 3));
	CHECK_EQ(virtq_enable_cb(vq), 0);
	CHECK_EQ(*vq->used_event, 2);
	CHECK(fake_wants_interrupt(&dev, 2, 3));
	queue_free(&dev, vq);
}

static void test_indirect(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, VIRTQ_OPT_INDIRECT);
	struct virtq_buf b[VIRTQ_INDIRECT_MAX + 1];
	struct fake_chain c;
	for (int i = 0; i <= VIRTQ_INDIRECT_MAX; i++)
		b[i] = i < 2 ? rbuf(0x1000 * (i + 1), 16) : wbuf(0x1000 * (i + 1), 100);
	CHECK_EQ(virtq_add_chain(vq, b, 3, &cookies[0]), 0);
	CHECK_EQ(virtq_num_free(vq), QSIZE - 1);             /* one ring descriptor for 3 buffers */
	CHECK_EQ(virtq_add_chain(vq, b, 1, &cookies[1]), 0); /* 1 buffer: direct */
	CHECK_EQ(virtq_add_chain(vq, b, VIRTQ_INDIRECT_MAX + 1, &cookies[2]),
	         -EINVAL); /* direct, > size */
	CHECK_EQ(virtq_num_free(vq), QSIZE - 2);
	CHECK(fake_pop(&dev, &c));
	CHECK(c.indirect);
	CHECK_EQ(c.n, 3);
	CHECK_EQ(c.buf[2].addr, 0x3000);
	CHECK_EQ(c.in_len, 100);
	CHECK_EQ(vq->desc[c.head].len, 3 * sizeof(struct virtq_desc));
	fake_push(&dev, c.head, 100);
	CHECK(fake_pop(&dev, &c));
	CHECK(!c.indirect);
	fake_push(&dev, c.head, 0);
	void *cookie;
	uint32_t len;
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK(cookie == &cookies[0]);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK(cookie == &cookies[1]);
	CHECK_EQ(virtq_num_free(vq), QSIZE);
	CHECK_EQ(dev.bad_chain, 0);
	queue_free(&dev, vq);
}

static int callbacks;

static void count_callback(struct virtq *vq, void *arg)
{
	callbacks++;
}

/* Every call on a broken queue fails with -EIO; nothing crashes or leaks. */
static void check_broken(struct fake_dev *dev, struct virtq *vq, const char *why)
{
	void *cookie;
	uint32_t len;
	CHECK(virtq_is_broken(vq));
	CHECK(strstr(fake_log(), why) != NULL);
	CHECK_EQ(add_one(vq, &cookies[9], 8), -EIO);
	CHECK_EQ(virtq_kick(vq), -EIO);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	CHECK_EQ(virtq_enable_cb(vq), -EIO);
	callbacks = 0;
	vq->callback = count_callback;
	virtq_interrupt(vq);
	CHECK_EQ(callbacks, 0);
	queue_free(dev, vq);
}

/* Two chains in flight; the device completes and publishes as told. */
static struct virtq *two_in_flight(struct fake_dev *dev, struct fake_chain c[2])
{
	struct virtq *vq = queue_new(dev, 0);
	struct virtq_buf b[2] = {rbuf(0x1000, 8), wbuf(0x2000, 64)};
	CHECK_EQ(virtq_add_chain(vq, b, 2, &cookies[0]), 0);
	CHECK_EQ(virtq_add_chain(vq, b, 2, &cookies[1]), 0);
	CHECK(fake_pop(dev, &c[0]));
	CHECK(fake_pop(dev, &c[1]));
	return vq;
}

static void test_bad_used_idx(void)
{
	struct fake_dev dev;
	struct fake_chain c[2];
	void *cookie;
	uint32_t len;
	struct virtq *vq = two_in_flight(&dev, c);
	fake_push_entry(&dev, 0, c[0].head, 1);
	fake_publish(&dev, 3); /* three used entries, two chains in flight */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "used index");

	vq = two_in_flight(&dev, c);
	fake_publish(&dev, 0x8000); /* a jump by half the index space */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "used index");
}

static void test_bad_id(void)
{
	struct fake_dev dev;
	struct fake_chain c[2];
	void *cookie;
	uint32_t len;
	struct virtq *vq = two_in_flight(&dev, c);
	fake_push(&dev, QSIZE, 0); /* out of range */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "out-of-range");

	vq = two_in_flight(&dev, c);
	fake_push(&dev, 0xffffffffu, 0);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "out-of-range");

	vq = two_in_flight(&dev, c);
	fake_push(&dev, (uint32_t)c[0].head + 1, 0); /* the second descriptor of a chain */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "not in flight");

	vq = two_in_flight(&dev, c);
	fake_push(&dev, QSIZE - 1, 0); /* a free descriptor */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "not in flight");
}

static void test_oversized_len(void)
{
	struct fake_dev dev;
	struct fake_chain c[2];
	void *cookie;
	uint32_t len;
	struct virtq *vq = two_in_flight(&dev, c);
	fake_push(&dev, c[0].head, 65); /* the chain can take 64 */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "more bytes");

	vq = queue_new(&dev, 0);
	struct virtq_buf out = rbuf(0x1000, 64);
	CHECK_EQ(virtq_add_chain(vq, &out, 1, &cookies[0]), 0);
	CHECK(fake_pop(&dev, &c[0]));
	fake_push(&dev, c[0].head, 1); /* wrote into a read-only chain */
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "more bytes");
}

static void test_duplicate_completion(void)
{
	struct fake_dev dev;
	struct fake_chain c[2];
	void *cookie;
	uint32_t len;
	struct virtq *vq = two_in_flight(&dev, c);
	fake_push(&dev, c[0].head, 64);
	fake_push(&dev, c[0].head, 64);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK(cookie == &cookies[0]);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), -EIO);
	check_broken(&dev, vq, "not in flight");
}

/* After a reset the driver takes back whatever the device still held. */
static void test_detach_unused(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, VIRTQ_OPT_INDIRECT);
	struct virtq_buf b[3] = {rbuf(0x1000, 8), wbuf(0x2000, 8), wbuf(0x3000, 8)};
	int seen[3] = {0};
	CHECK_EQ(virtq_add_chain(vq, b, 3, &cookies[0]), 0);
	CHECK_EQ(virtq_add_chain(vq, b, 1, &cookies[1]), 0);
	CHECK_EQ(virtq_add_chain(vq, b + 1, 2, &cookies[2]), 0);
	void *cookie;
	while (virtq_detach_unused(vq, &cookie) == 0)
		seen[(char *)cookie - cookies]++;
	CHECK(seen[0] == 1 && seen[1] == 1 && seen[2] == 1);
	CHECK_EQ(virtq_num_free(vq), QSIZE);
	CHECK_EQ(virtq_detach_unused(vq, &cookie), -EAGAIN);
	queue_free(&dev, vq);
}

static void test_interrupt_callback(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 0);
	callbacks = 0;
	virtq_interrupt(vq); /* no callback set: nothing happens */
	vq->callback = count_callback;
	virtq_interrupt(vq);
	CHECK_EQ(callbacks, 1);
	queue_free(&dev, vq);
}

int main(void)
{
	test_create_bad_sizes();
	test_chain_round_trip();
	test_add_rejects();
	test_stress_out_of_order();
	test_flags_suppression();
	test_event_idx();
	test_indirect();
	test_bad_used_idx();
	test_bad_id();
	test_oversized_len();
	test_duplicate_completion();
	test_detach_unused();
	test_interrupt_callback();
	CHECK_EQ(fake_pages_outstanding(), 0);
	return check_summary("virtq");
}
