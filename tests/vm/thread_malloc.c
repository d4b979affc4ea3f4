/*
 * malloc, realloc and free from 8 threads at once with random sizes, two
 * rounds; every block keeps its owner's pattern, and the heap is consistent
 * afterwards: new blocks do not overlap and keep what is written to them.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include "vmtest.h"

#define NTHREADS 8
#define SLOTS    64
#define OPS      4000

static int bad_pattern, alloc_failed;

static uint32_t rnd(uint32_t *s)
{
	*s = *s * 1103515245 + 12345;
	return *s >> 8;
}

static void fill(unsigned char *p, size_t n, unsigned char v)
{
	memset(p, v, n);
}

static int intact(const unsigned char *p, size_t n, unsigned char v)
{
	for (size_t i = 0; i < n; i += 61)
		if (p[i] != v)
			return 0;
	return n == 0 || p[n - 1] == v;
}

static void *worker(void *arg)
{
	int id = (int)(long)arg;
	uint32_t seed = 1234567u * (uint32_t)(id + 1);
	unsigned char *blk[SLOTS] = {0};
	size_t len[SLOTS] = {0};
	for (int op = 0; op < OPS; op++) {
		int s = (int)(rnd(&seed) % SLOTS);
		unsigned char v = (unsigned char)(id * 16 + s % 16);
		if (blk[s] && !intact(blk[s], len[s], v))
			__atomic_add_fetch(&bad_pattern, 1, __ATOMIC_RELAXED);
		size_t n = 1 + rnd(&seed) % (op % 50 == 0 ? 200000 : 2000);
		if (op % 7 == 0 && blk[s]) {
			unsigned char *q = realloc(blk[s], n);
			if (!q)
				continue;
			if (!intact(q, n < len[s] ? n : len[s], v))
				__atomic_add_fetch(&bad_pattern, 1, __ATOMIC_RELAXED);
			blk[s] = q;
		} else {
			free(blk[s]);
			blk[s] = malloc(n);
		}
		len[s] = blk[s] ? n : 0;
		if (!blk[s])
			__atomic_add_fetch(&alloc_failed, 1, __ATOMIC_RELAXED);
		else
			fill(blk[s], n, v);
	}
	for (int s = 0; s < SLOTS; s++)
		free(blk[s]);
	return NULL;
}

static void run_round(void)
{
	pthread_t t[NTHREADS];
	for (long i = 0; i < NTHREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, worker, (void *)i) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("join", 2, pthread_join(t[i], NULL) == 0);
}

static unsigned char *blocks[256];
static size_t lens[256];

static int by_address(const void *a, const void *b)
{
	uintptr_t x = (uintptr_t)blocks[*(const int *)a], y = (uintptr_t)blocks[*(const int *)b];
	return x < y ? -1 : x > y;
}

/* One thread: many blocks, each filled and checked, none overlapping another. */
static int heap_consistent(void)
{
	int order[256], ok = 1;
	uint32_t seed = 99;
	for (int i = 0; i < 256; i++) {
		lens[i] = 1 + rnd(&seed) % 8192;
		blocks[i] = malloc(lens[i]);
		if (!blocks[i])
			return 0;
		fill(blocks[i], lens[i], (unsigned char)i);
		order[i] = i;
	}
	qsort(order, 256, sizeof(order[0]), by_address);
	for (int i = 0; i < 256; i++) {
		int k = order[i];
		ok &= intact(blocks[k], lens[k], (unsigned char)k);
		if (i > 0)
			ok &= blocks[order[i - 1]] + lens[order[i - 1]] <= blocks[k];
	}
	for (int i = 0; i < 256; i++)
		free(blocks[i]);
	return ok;
}

int main(void)
{
	run_round();
	run_round();
	CHECK("patterns-intact", 3, bad_pattern == 0);
	CHECK("no-alloc-failure", 4, alloc_failed == 0);
	CHECK("heap-consistent-after", 5, heap_consistent());
	return vmtest_success();
}
