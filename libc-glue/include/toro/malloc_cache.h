/*
 * The small-block cache in front of newlib's malloc (libc-glue/malloc.c):
 * what it holds now, for tests and diagnostics.
 */
#ifndef TORO_MALLOC_CACHE_H
#define TORO_MALLOC_CACHE_H

#include <stddef.h>

struct malloc_cache_stats {
	size_t bytes;         /* chunk bytes on the lists: freed, kept for reuse */
	size_t limit;         /* the most it keeps */
	unsigned long hits;   /* malloc() calls served from a list */
	unsigned long misses; /* small malloc() calls that went to newlib */
};

void malloc_cache_stats(struct malloc_cache_stats *st);

#endif
