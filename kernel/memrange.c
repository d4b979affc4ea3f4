/* Sorted, disjoint lists of physical ranges: pure, unit-tested on the host. */
#include <errno.h>
#include <string.h>
#include <kernel/boot.h>

static void ranges_delete(struct mem_range *r, int *n, int i)
{
	memmove(&r[i], &r[i + 1], (size_t)(*n - i - 1) * sizeof(*r));
	(*n)--;
}

static int ranges_insert(struct mem_range *r, int *n, int max, int i, uint64_t base, uint64_t size)
{
	if (*n == max)
		return -ENOSPC;
	memmove(&r[i + 1], &r[i], (size_t)(*n - i) * sizeof(*r));
	r[i].base = base;
	r[i].size = size;
	(*n)++;
	return 0;
}

int mem_ranges_add(struct mem_range *r, int *n, int max, uint64_t base, uint64_t size)
{
	if (size == 0)
		return 0;
	uint64_t end = base + size;
	if (end < base)
		end = UINT64_MAX; /* clamp a range that wraps */
	int i = 0;
	while (i < *n && r[i].base + r[i].size < base)
		i++;
	/* merge every range that overlaps or touches [base, end) */
	while (i < *n && r[i].base <= end) {
		uint64_t rend = r[i].base + r[i].size;
		if (r[i].base < base)
			base = r[i].base;
		if (rend > end)
			end = rend;
		ranges_delete(r, n, i);
	}
	return ranges_insert(r, n, max, i, base, end - base);
}

int mem_ranges_remove(struct mem_range *r, int *n, int max, uint64_t base, uint64_t size)
{
	uint64_t end = base + size;
	if (end < base)
		end = UINT64_MAX;
	for (int i = 0; i < *n; i++) {
		uint64_t rb = r[i].base, re = r[i].base + r[i].size;
		if (re <= base || rb >= end)
			continue;
		if (rb < base && re > end) { /* split in two */
			r[i].size = base - rb;
			return ranges_insert(r, n, max, i + 1, end, re - end);
		}
		if (rb < base) {
			r[i].size = base - rb;
		} else if (re > end) {
			r[i].base = end;
			r[i].size = re - end;
		} else {
			ranges_delete(r, n, i);
			i--;
		}
	}
	return 0;
}
