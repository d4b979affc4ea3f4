/*
 * Host stand-ins for what the VFS takes from the kernel: mutexes (one
 * thread: locking a held mutex is a deadlock and aborts), the clock and
 * the page counts ramfs reports in statfs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kernel/mm.h>
#include <kernel/sync.h>
#include <kernel/time.h>

#define SHIM_OWNER ((struct thread *)0x1)

void kmutex_init(struct kmutex *m)
{
	m->owner = NULL;
}

void kmutex_lock(struct kmutex *m)
{
	if (m->owner) {
		fprintf(stderr, "fs_shim: deadlock: mutex %p locked twice\n", (void *)m);
		abort();
	}
	m->owner = SHIM_OWNER;
}

void kmutex_unlock(struct kmutex *m)
{
	if (!m->owner) {
		fprintf(stderr, "fs_shim: mutex %p unlocked but not held\n", (void *)m);
		abort();
	}
	m->owner = NULL;
}

int kmutex_held(const struct kmutex *m)
{
	return m->owner == SHIM_OWNER;
}

uint64_t time_realtime_ns(void)
{
	return 1700000000ULL * 1000000000ULL;
}

size_t pmem_total_bytes(void)
{
	return 64UL << 20;
}

size_t pmem_free_bytes(void)
{
	return 32UL << 20;
}
