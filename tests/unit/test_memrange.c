/* kernel/memrange.c: sorted, disjoint range lists. */
#include <errno.h>
#include <stdint.h>
#include <kernel/boot.h>
#include "check.h"

#define MAX 8

struct list {
	struct mem_range r[MAX];
	int n;
};

/* The list must be sorted, disjoint, not touching, and without empty ranges. */
static int well_formed(const struct list *l)
{
	for (int i = 0; i < l->n; i++) {
		if (l->r[i].size == 0)
			return 0;
		if (i && l->r[i - 1].base + l->r[i - 1].size >= l->r[i].base)
			return 0;
	}
	return 1;
}

static int has(const struct list *l, int i, uint64_t base, uint64_t size)
{
	return i < l->n && l->r[i].base == base && l->r[i].size == size;
}

static void add(struct list *l, uint64_t base, uint64_t size, int want)
{
	CHECK_EQ(mem_ranges_add(l->r, &l->n, MAX, base, size), want);
	CHECK(well_formed(l));
}

static void rm(struct list *l, uint64_t base, uint64_t size, int want)
{
	CHECK_EQ(mem_ranges_remove(l->r, &l->n, MAX, base, size), want);
	CHECK(well_formed(l));
}

static void test_add_order(void)
{
	struct list l = {.n = 0};
	add(&l, 0x5000, 0x1000, 0);
	add(&l, 0x1000, 0x1000, 0); /* before */
	add(&l, 0x9000, 0x1000, 0); /* after */
	add(&l, 0x3000, 0x800, 0);  /* between */
	CHECK_EQ(l.n, 4);
	CHECK(has(&l, 0, 0x1000, 0x1000));
	CHECK(has(&l, 1, 0x3000, 0x800));
	CHECK(has(&l, 2, 0x5000, 0x1000));
	CHECK(has(&l, 3, 0x9000, 0x1000));
	add(&l, 0x7000, 0, 0); /* empty: no change */
	CHECK_EQ(l.n, 4);
}

static void test_add_merge(void)
{
	struct list l = {.n = 0};
	add(&l, 0x1000, 0x1000, 0);
	add(&l, 0x2000, 0x1000, 0); /* touches the end */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x1000, 0x2000));
	add(&l, 0x800, 0x800, 0); /* touches the start */
	CHECK(has(&l, 0, 0x800, 0x2800));
	add(&l, 0x1800, 0x100, 0); /* inside */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x800, 0x2800));
	add(&l, 0x2800, 0x1000, 0); /* overlaps the end */
	CHECK(has(&l, 0, 0x800, 0x3000));
	add(&l, 0x5000, 0x1000, 0);
	add(&l, 0x8000, 0x1000, 0);
	CHECK_EQ(l.n, 3);
	add(&l, 0x3000, 0x5800, 0); /* bridges all three */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x800, 0x8800));
	add(&l, 0, 0x100000, 0); /* covers everything */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0, 0x100000));
}

static void test_add_full(void)
{
	struct list l = {.n = 0};
	for (int i = 0; i < MAX; i++)
		add(&l, (uint64_t)i * 0x10000, 0x1000, 0);
	CHECK_EQ(l.n, MAX);
	add(&l, 0x200000, 0x1000, -ENOSPC);
	add(&l, 0x8000, 0x1000, -ENOSPC);
	CHECK_EQ(l.n, MAX); /* unchanged */
	CHECK(has(&l, MAX - 1, (MAX - 1) * 0x10000, 0x1000));
	add(&l, 0x1000, 0x1000, 0); /* merging still works when full */
	CHECK(has(&l, 0, 0, 0x2000));
	add(&l, 0x1000, 0x10000, 0); /* and frees a slot */
	CHECK_EQ(l.n, MAX - 1);
	add(&l, 0x200000, 0x1000, 0);
	CHECK_EQ(l.n, MAX);
}

static void test_add_wrap(void)
{
	struct list l = {.n = 0};
	add(&l, UINT64_MAX - 0xfff, 0x2000, 0); /* ends past 2^64: clamped */
	CHECK(has(&l, 0, UINT64_MAX - 0xfff, 0xfff));
	add(&l, UINT64_MAX - 0x1fff, 0x1000, 0); /* touches it */
	CHECK(has(&l, 0, UINT64_MAX - 0x1fff, 0x1fff));
	add(&l, 0x1000, UINT64_MAX, 0);
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x1000, UINT64_MAX - 0x1000));
}

static void test_remove(void)
{
	struct list l = {.n = 0};
	add(&l, 0x10000, 0x10000, 0);
	rm(&l, 0x14000, 0x1000, 0); /* splits */
	CHECK_EQ(l.n, 2);
	CHECK(has(&l, 0, 0x10000, 0x4000));
	CHECK(has(&l, 1, 0x15000, 0xb000));
	rm(&l, 0x10000, 0x1000, 0); /* the head */
	CHECK(has(&l, 0, 0x11000, 0x3000));
	rm(&l, 0x1f000, 0x8000, 0); /* the tail, and beyond */
	CHECK(has(&l, 1, 0x15000, 0xa000));
	rm(&l, 0x0, 0x8000, 0); /* nothing there */
	CHECK_EQ(l.n, 2);
	rm(&l, 0x12000, 0x5000, 0); /* across the gap */
	CHECK(has(&l, 0, 0x11000, 0x1000));
	CHECK(has(&l, 1, 0x17000, 0x8000));
	rm(&l, 0x11000, 0x1000, 0); /* a whole range */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x17000, 0x8000));
	rm(&l, 0x17000, 0x8000, 0);
	CHECK_EQ(l.n, 0);
	rm(&l, 0x17000, 0x8000, 0); /* from an empty list */
	CHECK_EQ(l.n, 0);
}

static void test_remove_many_and_wrap(void)
{
	struct list l = {.n = 0};
	for (int i = 0; i < 4; i++)
		add(&l, 0x10000 + (uint64_t)i * 0x10000, 0x8000, 0);
	rm(&l, 0x14000, 0x30000, 0); /* trims the first and last, drops two */
	CHECK_EQ(l.n, 2);
	CHECK(has(&l, 0, 0x10000, 0x4000));
	CHECK(has(&l, 1, 0x44000, 0x4000));
	add(&l, UINT64_MAX - 0xffff, 0x10000, 0);
	rm(&l, 0x12000, UINT64_MAX, 0); /* wraps: everything above 0x12000 */
	CHECK_EQ(l.n, 1);
	CHECK(has(&l, 0, 0x10000, 0x2000));
}

static void test_remove_full(void)
{
	struct list l = {.n = 0};
	for (int i = 0; i < MAX; i++)
		add(&l, (uint64_t)i * 0x10000, 0x8000, 0);
	rm(&l, 0x1000, 0x1000, -ENOSPC); /* a split needs a slot */
	/* Whatever is left, the removed part must not be in it. */
	for (int i = 0; i < l.n; i++)
		CHECK(l.r[i].base >= 0x2000 || l.r[i].base + l.r[i].size <= 0x1000);
	rm(&l, 0x70000, 0x1000, 0); /* trimming needs none */
	CHECK(has(&l, l.n - 1, 0x71000, 0x7000));
}

int main(void)
{
	test_add_order();
	test_add_merge();
	test_add_full();
	test_add_wrap();
	test_remove();
	test_remove_many_and_wrap();
	test_remove_full();
	return check_summary("memrange");
}
