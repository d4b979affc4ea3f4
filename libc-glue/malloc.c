/*
 * malloc() and free(): newlib's allocator behind a cache of small blocks,
 * and the allocation calls newlib lacks.
 *
 * newlib's malloc (dlmalloc 2.6) splits a chunk on every allocation and
 * merges it with its neighbours on every free; servers free and allocate the
 * same few small sizes over and over (Redis: objects, strings, argument
 * vectors), so most of that work is undone at once.  free() keeps a freed
 * block of up to CACHE_MAX_CHUNK bytes on a list for its size, and malloc()
 * takes one from there first: a lock, a pop and an unlock.
 *
 * The cached blocks stay allocated as far as newlib knows: every block is
 * one of newlib's in-use chunks, so newlib's own calls (_free_r,
 * _realloc_r, malloc_usable_size...) work on any pointer malloc() returns,
 * and free() takes any pointer newlib's calls return.  newlib's chunks are
 * 16-byte multiples of at least 32 bytes that hold their size in the 8
 * bytes before the data (low bits: flags), which free() reads; a list holds
 * chunks of one size (tests/vm/malloc_cache.c checks all of this against
 * malloc_usable_size(), which is the chunk size less those 8 bytes).
 * malloc(n) asks newlib for exactly the usable size of the chunk n needs,
 * so a block it gets from newlib goes back to the list it would take from.
 *
 * At most cache_limit bytes stay cached (1/64 of RAM, at most
 * CACHE_BYTES_MAX); beyond that free() gives the block back to newlib, and
 * a malloc() that newlib cannot serve gives them all back and tries again.
 * The lock is a kmutex: the uncontended path is a compare-and-swap and a
 * store, inline.  Before the scheduler runs, thread_self() is NULL and the
 * kmutex fast path still works (one flow of control).
 */
#include <errno.h>
#include <malloc.h>
#include <reent.h>
#include <stdint.h>
#include <stdlib.h>
#include <kernel/mm.h>
#include <kernel/sync.h>
#include <toro/malloc_cache.h>
#include "glue.h"

#define CHUNK_OVERHEAD  8   /* newlib's size field, before the data */
#define CHUNK_ALIGN     16  /* MALLOC_ALIGNMENT on x86_64 */
#define CHUNK_MIN       32  /* MINSIZE */
#define CACHE_MAX_CHUNK 528 /* largest cached chunk: 512 usable bytes + 8, rounded */
#define CACHE_LISTS     (CACHE_MAX_CHUNK / CHUNK_ALIGN + 1)
#define CACHE_BYTES_MAX (1UL << 20)

struct cached {
	struct cached *next;
};

static struct {
	struct kmutex lock;
	struct cached *list[CACHE_LISTS]; /* by chunk size / 16 */
	size_t bytes;                     /* chunk bytes on the lists */
	size_t limit;                     /* 0 until the first free() sets it */
	unsigned long hits, misses;       /* malloc() served from a list, or not */
} cache = {.lock = KMUTEX_INIT};

/* The chunk newlib makes for a request of n bytes (request2size). */
static size_t chunk_size(size_t n)
{
	size_t c = (n + CHUNK_OVERHEAD + CHUNK_ALIGN - 1) & ~(size_t)(CHUNK_ALIGN - 1);
	return c < CHUNK_MIN ? CHUNK_MIN : c;
}

/* Gives every cached block back to newlib: memory ran out. */
static void cache_drain(void)
{
	for (;;) {
		struct cached *b = NULL;
		kmutex_lock(&cache.lock);
		for (unsigned i = 0; i < CACHE_LISTS && !b; i++) {
			if ((b = cache.list[i]) != NULL) {
				cache.list[i] = b->next;
				cache.bytes -= i * CHUNK_ALIGN;
			}
		}
		kmutex_unlock(&cache.lock);
		if (!b)
			return;
		_free_r(_REENT, b);
	}
}

void *malloc(size_t n)
{
	if (n <= CACHE_MAX_CHUNK - CHUNK_OVERHEAD) {
		size_t c = chunk_size(n);
		kmutex_lock(&cache.lock);
		struct cached *b = cache.list[c / CHUNK_ALIGN];
		if (b) {
			cache.list[c / CHUNK_ALIGN] = b->next;
			cache.bytes -= c;
			cache.hits++;
		} else {
			cache.misses++;
		}
		kmutex_unlock(&cache.lock);
		if (b)
			return b;
		n = c - CHUNK_OVERHEAD; /* all of the chunk: free() files it under c */
	}
	void *p = _malloc_r(_REENT, n);
	if (!p && __atomic_load_n(&cache.bytes, __ATOMIC_RELAXED)) {
		cache_drain(); /* the cache's blocks may merge into what n needs */
		p = _malloc_r(_REENT, n);
	}
	return p;
}

/* 1/64 of RAM, at most CACHE_BYTES_MAX: 128 KiB in an 8 MiB VM. */
static size_t cache_limit(void)
{
	size_t l = pmem_total_bytes() / 64;
	return l > CACHE_BYTES_MAX ? CACHE_BYTES_MAX : l;
}

/* The size of the chunk holding p, from its header (mallocr.c: chunksize()). */
static size_t chunk_of(const void *p)
{
	size_t head;
	__builtin_memcpy(&head, (const char *)p - CHUNK_OVERHEAD, sizeof(head));
	return head & ~(size_t)(CHUNK_ALIGN - 1);
}

void free(void *p)
{
	if (!p)
		return;
	size_t c = chunk_of(p);
	if (c <= CACHE_MAX_CHUNK) {
		kmutex_lock(&cache.lock);
		if (!cache.limit)
			cache.limit = cache_limit();
		int keep = cache.bytes + c <= cache.limit;
		if (keep) {
			struct cached *b = p;
			b->next = cache.list[c / CHUNK_ALIGN];
			cache.list[c / CHUNK_ALIGN] = b;
			cache.bytes += c;
		}
		kmutex_unlock(&cache.lock);
		if (keep)
			return;
	}
	_free_r(_REENT, p);
}

void malloc_cache_stats(struct malloc_cache_stats *st)
{
	kmutex_lock(&cache.lock);
	st->bytes = cache.bytes;
	st->limit = cache.limit ? cache.limit : cache_limit();
	st->hits = cache.hits;
	st->misses = cache.misses;
	kmutex_unlock(&cache.lock);
}

int posix_memalign(void **out, size_t align, size_t size)
{
	if (align < sizeof(void *) || (align & (align - 1)))
		return EINVAL;
	void *p = memalign(align, size ? size : 1);
	if (!p)
		return ENOMEM;
	*out = p;
	return 0;
}
