/*
 * unit.virtq-split: the real drivers/virtio/ring.c turning buffers that are
 * not identity-mapped (thread stacks, kernel/kstack.c) into one descriptor
 * per physically contiguous run, against a fake vm_virt_to_phys() over a
 * fake stack whose pages sit in scattered "physical" frames.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/mm.h>
#include "check.h"
#include "fake_device.h"

#define NPAGES  40
#define NFRAMES 64
#define FAKE_VA (VM_STACK_BASE + 0x100000)

static char frames[NFRAMES][PAGE_SIZE] __attribute__((aligned(4096)));
static int frame_of[NPAGES]; /* -1: not backed yet */
static int next_free;        /* frames handed out on commit come from here */
static unsigned nr_calls, nr_commits;
static char cookies[8];

static uint64_t frame_pa(int f)
{
	return (uintptr_t)frames[f];
}

/* Pages 0-2 contiguous, 3-4 contiguous elsewhere, the rest scattered. */
static void fake_stack_reset(void)
{
	static const int layout[6] = {10, 11, 12, 5, 6, 20};
	for (int i = 0; i < NPAGES; i++)
		frame_of[i] = i < 6 ? layout[i] : (i < 30 ? 60 - i : -1);
	next_free = 0; /* 0..4 are free; 30.. are never taken by the layout */
	nr_calls = nr_commits = 0;
}

long vm_virt_to_phys(uintptr_t va, size_t len, uint64_t *pa)
{
	nr_calls++;
	if (vm_is_identity(va, len)) {
		*pa = va;
		return (long)len;
	}
	if (va < FAKE_VA || len > FAKE_VA + NPAGES * PAGE_SIZE - va || !len)
		return -EFAULT;
	size_t page = (va - FAKE_VA) / PAGE_SIZE, off = (va - FAKE_VA) % PAGE_SIZE;
	/* like kstack.c: the untouched pages of the range are backed together */
	for (size_t p = page; p * PAGE_SIZE < va - FAKE_VA + len; p++) {
		if (frame_of[p] < 0) {
			frame_of[p] = next_free++;
			nr_commits++;
		}
	}
	*pa = frame_pa(frame_of[page]) + off;
	size_t n = PAGE_SIZE - off;
	for (size_t p = page + 1; n < len && frame_of[p] == frame_of[page] + (int)(p - page); p++)
		n += PAGE_SIZE;
	return (long)(n < len ? n : len);
}

static uint64_t stack_addr(unsigned page, unsigned off)
{
	return FAKE_VA + (uint64_t)page * PAGE_SIZE + off;
}

static struct virtq *queue_new(struct fake_dev *dev, unsigned size, unsigned opts)
{
	struct virtq *vq = NULL;
	CHECK_EQ(fake_pages_outstanding(), 0);
	CHECK_EQ(virtq_create(&vq, 0, size, opts), 0);
	fake_attach(dev, vq);
	fake_stack_reset();
	return vq;
}

static void queue_free(struct fake_dev *dev, struct virtq *vq, unsigned size)
{
	void *cookie;
	while (virtq_detach_unused(vq, &cookie) == 0)
		;
	CHECK_EQ(virtq_num_free(vq), size);
	fake_detach(dev);
	virtq_destroy(vq);
	CHECK_EQ(fake_pages_outstanding(), 0);
}

/* Completes the next chain the device sees and checks the cookie comes back. */
static void complete_one(struct fake_dev *dev, struct virtq *vq, const struct fake_chain *c,
                         void *want)
{
	void *cookie = NULL;
	uint32_t len;
	fake_push(dev, c->head, 0);
	CHECK_EQ(virtq_get_used(vq, &cookie, &len), 0);
	CHECK(cookie == want);
}

/* Identity-mapped memory: one descriptor per buffer, no translation call. */
static void test_identity_one_desc(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 16, 0);
	char *heap = aligned_alloc(PAGE_SIZE, 3 * PAGE_SIZE);
	struct virtq_buf b = {(uintptr_t)heap + 100, 2 * PAGE_SIZE + 50, VIRTQ_BUF_WRITE};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[0]), 0);
	CHECK_EQ(nr_calls, 0);
	CHECK_EQ(virtq_num_free(vq), 15);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(c.n, 1);
	CHECK_EQ(c.buf[0].addr, (uintptr_t)heap + 100);
	CHECK_EQ(c.buf[0].len, 2 * PAGE_SIZE + 50);
	complete_one(&dev, vq, &c, &cookies[0]);
	free(heap);
	queue_free(&dev, vq, 16);
}

/* Pages 0-2 are contiguous, 3 is not: two direct descriptors. */
static void test_split_direct(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 16, 0);
	struct virtq_buf b = {stack_addr(0, 100), 3 * PAGE_SIZE, VIRTQ_BUF_WRITE};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[1]), 0);
	CHECK_EQ(virtq_num_free(vq), 14);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(dev.bad_chain, 0);
	CHECK_EQ(c.indirect, 0);
	CHECK_EQ(c.n, 2);
	CHECK_EQ(c.buf[0].addr, frame_pa(10) + 100);
	CHECK_EQ(c.buf[0].len, 3 * PAGE_SIZE - 100);
	CHECK_EQ(c.buf[1].addr, frame_pa(5));
	CHECK_EQ(c.buf[1].len, 100);
	CHECK_EQ(c.buf[0].flags & c.buf[1].flags, VIRTQ_BUF_WRITE);
	CHECK_EQ(c.in_len, 3 * PAGE_SIZE);
	complete_one(&dev, vq, &c, &cookies[1]);
	CHECK_EQ(virtq_num_free(vq), 16);
	queue_free(&dev, vq, 16);
}

/* A header on the heap plus 5 scattered pages: one ring descriptor, a table of 6. */
static void test_split_indirect(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 16, VIRTQ_OPT_INDIRECT);
	static char hdr[64];
	struct virtq_buf b[2] = {{(uintptr_t)hdr, sizeof(hdr), 0},
	                         {stack_addr(6, 0), 5 * PAGE_SIZE, VIRTQ_BUF_WRITE}};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, b, 2, &cookies[2]), 0);
	CHECK_EQ(virtq_num_free(vq), 15);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(c.indirect, 1);
	CHECK_EQ(c.n, 6);
	CHECK_EQ(c.buf[0].addr, (uintptr_t)hdr);
	CHECK_EQ(c.buf[0].flags, 0);
	for (unsigned i = 1; i < 6; i++) {
		CHECK_EQ(c.buf[i].addr, frame_pa(60 - 6 - (int)(i - 1)));
		CHECK_EQ(c.buf[i].len, PAGE_SIZE);
		CHECK_EQ(c.buf[i].flags, VIRTQ_BUF_WRITE);
	}
	complete_one(&dev, vq, &c, &cookies[2]);
	queue_free(&dev, vq, 16);
}

/* 20 segments do not fit a table of 16: direct; a second chain finds no room. */
static void test_split_beyond_indirect(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 32, VIRTQ_OPT_INDIRECT);
	struct virtq_buf b = {stack_addr(6, 0), 20 * PAGE_SIZE, 0};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[3]), 0);
	CHECK_EQ(virtq_num_free(vq), 12);
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[4]), -ENOSPC);
	CHECK_EQ(virtq_num_free(vq), 12);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(c.indirect, 0);
	CHECK_EQ(c.n, 20);
	uint64_t total = 0;
	for (unsigned i = 0; i < c.n; i++)
		total += c.buf[i].len;
	CHECK_EQ(total, 20 * PAGE_SIZE);
	complete_one(&dev, vq, &c, &cookies[3]);
	CHECK_EQ(virtq_num_free(vq), 32);
	queue_free(&dev, vq, 32);
}

/* More segments than the ring has descriptors: never fits. */
static void test_split_never_fits(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 8, 0);
	struct virtq_buf b = {stack_addr(6, 0), 9 * PAGE_SIZE, 0};
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[5]), -EINVAL);
	CHECK_EQ(virtq_num_free(vq), 8);
	queue_free(&dev, vq, 8);
}

/* A bad address fails the whole chain; nothing is published. */
static void test_split_fault(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 16, 0);
	struct virtq_buf b[2] = {{stack_addr(0, 0), 16, 0},
	                         {VM_STACK_BASE + 8, 16, VIRTQ_BUF_WRITE}};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, b, 2, &cookies[6]), -EFAULT);
	CHECK_EQ(virtq_num_free(vq), 16);
	CHECK_EQ(fake_pop(&dev, &c), 0);
	queue_free(&dev, vq, 16);
}

/* Untouched pages are backed before the device sees them, then translate alike. */
static void test_split_commits(void)
{
	struct fake_dev dev;
	struct virtq *vq = queue_new(&dev, 16, 0);
	struct virtq_buf b = {stack_addr(30, 0), 2 * PAGE_SIZE, VIRTQ_BUF_WRITE};
	struct fake_chain c;
	CHECK_EQ(virtq_add_chain(vq, &b, 1, &cookies[7]), 0);
	CHECK_EQ(nr_commits, 2);
	CHECK(fake_pop(&dev, &c));
	CHECK_EQ(c.n, 1); /* frames 0 and 1: contiguous */
	CHECK_EQ(c.buf[0].addr, frame_pa(0));
	CHECK_EQ(c.buf[0].len, 2 * PAGE_SIZE);
	complete_one(&dev, vq, &c, &cookies[7]);
	queue_free(&dev, vq, 16);
}

int main(void)
{
	test_identity_one_desc();
	test_split_direct();
	test_split_indirect();
	test_split_beyond_indirect();
	test_split_never_fits();
	test_split_fault();
	test_split_commits();
	return check_summary("virtq-split");
}
