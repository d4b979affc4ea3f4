/*
 * Host stand-ins for what the VFS takes from the kernel: the out-of-line
 * halves of the mutexes (one thread: locking a held mutex is a deadlock and
 * aborts), the clock and the page counts ramfs reports in statfs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <kernel/mm.h>
#include <kernel/sync.h>
#include <kernel/time.h>

/* The one thread: sync.h's inline lock and unlock take it as the owner. */
struct thread *thread_running = (struct thread *)0x1;

void kmutex_init(struct kmutex *m)
{
	m->owner = NULL;
	m->waiters.head = m->waiters.tail = NULL;
}

/* The fast path's swap failed: the one thread already holds m. */
void kmutex_lock_slow(struct kmutex *m)
{
	fprintf(stderr, "fs_shim: deadlock: mutex %p locked twice\n", (void *)m);
	abort();
}

void kmutex_unlock_unheld(struct kmutex *m)
{
	fprintf(stderr, "fs_shim: mutex %p unlocked but not held\n", (void *)m);
	abort();
}

void kmutex_wake_waiter(struct kmutex *m)
{
	fprintf(stderr, "fs_shim: mutex %p has waiters in a one-thread test\n", (void *)m);
	abort();
}

int kmutex_held(const struct kmutex *m)
{
	return m->owner == thread_running;
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
