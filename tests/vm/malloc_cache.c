/*
 * The small-block cache in front of newlib's malloc (libc-glue/malloc.c):
 * the chunk sizes it assumes are newlib's, a freed block is reused for the
 * same size, the cache keeps no more than its limit, nothing leaks (what
 * newlib counts in use, less what the cache holds, comes back to where it
 * was), blocks pass freely between malloc()/free() and newlib's own
 * allocating calls (realloc, strdup, getdelim, open_memstream), and the
 * cache gives its blocks back when memory runs out.
 */
#define _GNU_SOURCE /* getline, fmemopen, open_memstream */
#include <malloc.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <toro/malloc_cache.h>
#include "vmtest.h"

#define MANY 8192 /* about 2 MB of blocks: more than the cache keeps */

static void *blocks[MANY];

/* Bytes newlib has handed out and not got back, less what the cache keeps. */
static size_t live_bytes(void)
{
	struct mallinfo mi = mallinfo();
	struct malloc_cache_stats st;
	malloc_cache_stats(&st);
	return mi.uordblks - st.bytes;
}

/* The chunk size in newlib's header before p, as free() reads it. */
static size_t chunk_header(const void *p)
{
	return *(const size_t *)((uintptr_t)p - sizeof(size_t)) & ~(size_t)15;
}

static void test_chunk_sizes(void)
{
	int ok = 1;
	for (size_t n = 0; n <= 1100 && ok; n++) {
		void *p = malloc(n);
		size_t u = malloc_usable_size(p);
		/* newlib's chunks: 16-byte multiples of at least 32, size (and flags) before the
		 * data */
		ok = p && ((uintptr_t)p & 15) == 0 && u >= n && (u + 8) % 16 == 0 && u + 8 >= 32;
		ok = ok && chunk_header(p) == u + 8;
		if (ok && n <= 520)
			ok = u + 8 == (n + 8 + 15) / 16 * 16 || (n + 8 < 32 && u + 8 == 32);
		free(p);
	}
	void *a = memalign(256, 100); /* an aligned chunk is an ordinary one too */
	ok = ok && a && chunk_header(a) == malloc_usable_size(a) + 8;
	free(a);
	CHECK("chunk-sizes", 2, ok);
}

static void test_reuse(void)
{
	struct malloc_cache_stats a, b;
	void *p = malloc(100);
	free(p);
	malloc_cache_stats(&a);
	void *q = malloc(97); /* same chunk size as 100 */
	malloc_cache_stats(&b);
	CHECK("reuse-same-block", 3, q == p);
	CHECK("reuse-counted", 4, b.hits == a.hits + 1 && b.bytes + 112 == a.bytes);
	void *r = malloc(600); /* beyond the cached sizes: newlib's */
	CHECK("large-not-cached", 5, r && malloc_usable_size(r) >= 600);
	free(r);
	free(q);
}

static void test_limit_and_leaks(void)
{
	size_t before = live_bytes();
	struct malloc_cache_stats st;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < MANY; i++) {
			blocks[i] = malloc((size_t)(i % 37) * 13 + 1);
			CHECK_QUIET("many-alloc", 6, blocks[i] != NULL);
			memset(blocks[i], round + 1, (size_t)(i % 37) * 13 + 1);
		}
		for (int i = 0; i < MANY; i++)
			free(blocks[i]);
		malloc_cache_stats(&st);
		CHECK_QUIET("cache-within-limit", 7, st.bytes <= st.limit);
	}
	printf("cache: %zu of %zu bytes kept, %lu hits, %lu misses\n", st.bytes, st.limit, st.hits,
	       st.misses);
	CHECK("cache-within-limit", 7, st.bytes <= st.limit && st.limit > 0);
	CHECK("cache-filled", 8, st.bytes > st.limit / 2);
	CHECK("no-leak", 9, live_bytes() == before);
}

static void test_newlib_calls(void)
{
	/* stdio keeps the FILE records it allocates: take them before counting */
	fclose(fmemopen("x", 1, "r"));
	char *warm = NULL;
	size_t warm_len;
	fclose(open_memstream(&warm, &warm_len));
	free(warm);
	size_t before = live_bytes();
	/* a cached block grown and shrunk by newlib's realloc */
	char *p = malloc(40);
	free(p);
	p = malloc(40);
	strcpy(p, "toro");
	p = realloc(p, 3000);
	CHECK("realloc-grow", 10, p && strcmp(p, "toro") == 0);
	p = realloc(p, 20);
	CHECK("realloc-shrink", 11, p && strcmp(p, "toro") == 0);
	free(p);
	/* newlib allocates, free() frees; and the other way round */
	char *d = strdup("a string newlib copies");
	CHECK("strdup", 12, d && strcmp(d, "a string newlib copies") == 0);
	free(d);
	char *line = malloc(8); /* getdelim grows a malloc() block with its own realloc */
	size_t cap = 8;
	FILE *f = fmemopen("first line that is longer than eight bytes\nsecond\n", 50, "r");
	CHECK("fmemopen", 13, f != NULL);
	ssize_t n = getline(&line, &cap, f);
	CHECK("getline", 14, n == 43 && strncmp(line, "first line", 10) == 0 && cap >= 44);
	fclose(f);
	free(line);
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	for (int i = 0; i < 200; i++)
		fprintf(m, "%d,", i);
	fclose(m);
	CHECK("open-memstream", 15, buf && len > 500 && strncmp(buf, "0,1,2,", 6) == 0);
	free(buf);
	CHECK("no-leak-newlib-calls", 16, live_bytes() == before);
}

/*
 * Memory runs out while the cache holds blocks: malloc() gives them back to
 * newlib and tries again, so the cache is empty once it finally fails, and
 * everything comes back afterwards.  (The test runs in -m 8M: quick to
 * exhaust.)
 */
static void test_exhaustion(void)
{
	static void *big[4096];
	struct malloc_cache_stats st;
	size_t before = live_bytes();
	for (int i = 0; i < MANY; i++)
		blocks[i] = malloc(200);
	for (int i = 0; i < MANY; i++)
		free(blocks[i]);
	malloc_cache_stats(&st);
	CHECK("exhaust-cache-full", 17, st.bytes > st.limit / 2);
	int n = 0;
	while (n < 4096 && (big[n] = malloc(32 << 10)) != NULL)
		n++;
	malloc_cache_stats(&st);
	CHECK("exhaust-fails", 18, n > 0 && n < 4096);
	CHECK("exhaust-cache-drained", 19, st.bytes == 0);
	for (int i = 0; i < n; i++)
		free(big[i]);
	CHECK("exhaust-no-leak", 20, live_bytes() == before);
}

int main(void)
{
	test_chunk_sizes();
	test_reuse();
	test_limit_and_leaks();
	test_newlib_calls();
	test_exhaustion();
	return vmtest_success();
}
