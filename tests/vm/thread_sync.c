/*
 * Mutex types (normal, recursive, errorcheck), read-write locks, barriers,
 * pthread_once and spin locks: their POSIX semantics and error numbers.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <unistd.h>
#include "vmtest.h"

static void *try_other(void *arg)
{
	return (void *)(long)pthread_mutex_trylock(arg);
}

static void *unlock_other(void *arg)
{
	return (void *)(long)pthread_mutex_unlock(arg);
}

/* Runs fn(arg) in another thread and returns its result. */
static long in_thread(void *(*fn)(void *), void *arg)
{
	pthread_t t;
	void *ret;
	CHECK("create", 1, pthread_create(&t, NULL, fn, arg) == 0);
	CHECK("join", 2, pthread_join(t, &ret) == 0);
	return (long)ret;
}

static void check_mutex_types(void)
{
	pthread_mutexattr_t a;
	pthread_mutex_t rec, err, norm = PTHREAD_MUTEX_INITIALIZER;
	int type = -1;
	CHECK("mutexattr-init", 10, pthread_mutexattr_init(&a) == 0);
	CHECK("mutexattr-default", 11,
	      pthread_mutexattr_gettype(&a, &type) == 0 && type == PTHREAD_MUTEX_DEFAULT);
	CHECK("mutexattr-settype-einval", 12, pthread_mutexattr_settype(&a, 99) == EINVAL);
	CHECK("mutexattr-recursive", 13,
	      pthread_mutexattr_settype(&a, PTHREAD_MUTEX_RECURSIVE) == 0 &&
	          pthread_mutexattr_gettype(&a, &type) == 0 && type == PTHREAD_MUTEX_RECURSIVE);
	pthread_mutex_init(&rec, &a);
	pthread_mutexattr_settype(&a, PTHREAD_MUTEX_ERRORCHECK);
	pthread_mutex_init(&err, &a);
	pthread_mutexattr_destroy(&a);

	CHECK("recursive-relock", 14,
	      pthread_mutex_lock(&rec) == 0 && pthread_mutex_lock(&rec) == 0 &&
	          pthread_mutex_trylock(&rec) == 0);
	CHECK("recursive-busy-elsewhere", 15, in_thread(try_other, &rec) == EBUSY);
	CHECK("recursive-unlock-3", 16,
	      pthread_mutex_unlock(&rec) == 0 && pthread_mutex_unlock(&rec) == 0 &&
	          in_thread(try_other, &rec) == EBUSY && pthread_mutex_unlock(&rec) == 0);
	CHECK("recursive-free", 17, pthread_mutex_unlock(&rec) == EPERM);
	CHECK("recursive-taken-elsewhere", 18, in_thread(try_other, &rec) == 0);
	/* the thread exited holding it; nobody else can unlock it */
	CHECK("recursive-unlock-not-owner", 19, pthread_mutex_unlock(&rec) == EPERM);

	CHECK("errorcheck-lock", 20, pthread_mutex_lock(&err) == 0);
	CHECK("errorcheck-edeadlk", 21, pthread_mutex_lock(&err) == EDEADLK);
	CHECK("errorcheck-trylock-ebusy", 22, pthread_mutex_trylock(&err) == EBUSY);
	CHECK("errorcheck-eperm-other", 23, in_thread(unlock_other, &err) == EPERM);
	CHECK("errorcheck-destroy-ebusy", 24, pthread_mutex_destroy(&err) == EBUSY);
	CHECK("errorcheck-unlock", 25, pthread_mutex_unlock(&err) == 0);
	CHECK("errorcheck-unlock-unlocked", 26, pthread_mutex_unlock(&err) == EPERM);
	CHECK("errorcheck-destroy", 27, pthread_mutex_destroy(&err) == 0);
	CHECK("destroyed-einval", 28, pthread_mutex_lock(&err) == EINVAL);

	CHECK("normal-trylock", 29, pthread_mutex_trylock(&norm) == 0);
	CHECK("normal-trylock-ebusy", 30, pthread_mutex_trylock(&norm) == EBUSY);
	CHECK("normal-busy-elsewhere", 31, in_thread(try_other, &norm) == EBUSY);
	CHECK("normal-destroy-ebusy", 32, pthread_mutex_destroy(&norm) == EBUSY);
	CHECK("normal-unlock", 33, pthread_mutex_unlock(&norm) == 0);
}

static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static volatile int readers_in, max_readers_in, writer_in, rw_bad;
static sem_t reader_has_lock, reader_may_go;

static void *reader(void *arg)
{
	(void)arg;
	pthread_rwlock_rdlock(&rw);
	int n = __atomic_add_fetch(&readers_in, 1, __ATOMIC_RELAXED);
	if (n > max_readers_in)
		max_readers_in = n;
	if (writer_in)
		rw_bad = 1;
	sem_post(&reader_has_lock);
	sem_wait(&reader_may_go);
	__atomic_sub_fetch(&readers_in, 1, __ATOMIC_RELAXED);
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *writer(void *arg)
{
	(void)arg;
	pthread_rwlock_wrlock(&rw);
	writer_in = 1;
	if (readers_in)
		rw_bad = 1;
	usleep(5000);
	writer_in = 0;
	pthread_rwlock_unlock(&rw);
	return NULL;
}

static void *try_read(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_rwlock_tryrdlock(&rw);
}

static void *try_write(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_rwlock_trywrlock(&rw);
}

static void check_rwlock(void)
{
	pthread_t r[3], w;
	sem_init(&reader_has_lock, 0, 0);
	sem_init(&reader_may_go, 0, 0);
	for (int i = 0; i < 3; i++)
		CHECK("create", 1, pthread_create(&r[i], NULL, reader, NULL) == 0);
	for (int i = 0; i < 3; i++)
		sem_wait(&reader_has_lock);
	CHECK("rwlock-readers-share", 40, readers_in == 3);
	CHECK("rwlock-trywrlock-ebusy", 41, pthread_rwlock_trywrlock(&rw) == EBUSY);
	CHECK("create", 1, pthread_create(&w, NULL, writer, NULL) == 0);
	usleep(20000); /* the writer is waiting now */
	CHECK("rwlock-waiting-writer-blocks-readers", 42, in_thread(try_read, NULL) == EBUSY);
	for (int i = 0; i < 3; i++)
		sem_post(&reader_may_go);
	for (int i = 0; i < 3; i++)
		pthread_join(r[i], NULL);
	pthread_join(w, NULL);
	CHECK("rwlock-exclusive", 43, rw_bad == 0 && max_readers_in == 3);

	CHECK("rwlock-wrlock", 44, pthread_rwlock_wrlock(&rw) == 0);
	CHECK("rwlock-wrlock-edeadlk", 45, pthread_rwlock_wrlock(&rw) == EDEADLK);
	CHECK("rwlock-tryrdlock-ebusy", 46, in_thread(try_read, NULL) == EBUSY);
	CHECK("rwlock-destroy-ebusy", 47, pthread_rwlock_destroy(&rw) == EBUSY);
	CHECK("rwlock-unlock", 48, pthread_rwlock_unlock(&rw) == 0);
	CHECK("rwlock-unlock-unlocked-eperm", 49, pthread_rwlock_unlock(&rw) == EPERM);
	CHECK("rwlock-rdlock-twice", 50,
	      pthread_rwlock_rdlock(&rw) == 0 && pthread_rwlock_tryrdlock(&rw) == 0);
	CHECK("rwlock-trywrlock-elsewhere", 51, in_thread(try_write, NULL) == EBUSY);
	pthread_rwlock_unlock(&rw);
	pthread_rwlock_unlock(&rw);
	CHECK("rwlock-free-again", 52, in_thread(try_write, NULL) == 0);
}

#define BARRIER_THREADS 6
#define BARRIER_ROUNDS  50

static pthread_barrier_t barrier;
static volatile int arrived[BARRIER_ROUNDS], serials[BARRIER_ROUNDS], barrier_bad;

static void *barrier_worker(void *arg)
{
	(void)arg;
	for (int r = 0; r < BARRIER_ROUNDS; r++) {
		__atomic_add_fetch(&arrived[r], 1, __ATOMIC_RELAXED);
		int ret = pthread_barrier_wait(&barrier);
		if (ret == PTHREAD_BARRIER_SERIAL_THREAD)
			__atomic_add_fetch(&serials[r], 1, __ATOMIC_RELAXED);
		else if (ret != 0)
			barrier_bad = 1;
		if (arrived[r] != BARRIER_THREADS) /* nobody passes before all arrive */
			barrier_bad = 1;
	}
	return NULL;
}

static void check_barrier(void)
{
	pthread_t t[BARRIER_THREADS];
	CHECK("barrier-count-0-einval", 60, pthread_barrier_init(&barrier, NULL, 0) == EINVAL);
	CHECK("barrier-init", 61, pthread_barrier_init(&barrier, NULL, BARRIER_THREADS) == 0);
	for (int i = 0; i < BARRIER_THREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, barrier_worker, NULL) == 0);
	for (int i = 0; i < BARRIER_THREADS; i++)
		pthread_join(t[i], NULL);
	int ok = !barrier_bad;
	for (int r = 0; r < BARRIER_ROUNDS; r++)
		ok &= serials[r] == 1;
	CHECK("barrier-one-serial-per-round", 62, ok);
	CHECK("barrier-destroy", 63, pthread_barrier_destroy(&barrier) == 0);
}

static pthread_once_t once = PTHREAD_ONCE_INIT;
static volatile int once_runs, once_value, once_bad;

static void once_init(void)
{
	once_runs++;
	usleep(20000); /* the others must wait for this, not skip it */
	once_value = 1234;
}

static void *once_worker(void *arg)
{
	(void)arg;
	pthread_once(&once, once_init);
	if (once_value != 1234)
		once_bad = 1;
	return NULL;
}

static void check_once(void)
{
	pthread_t t[8];
	for (int i = 0; i < 8; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, once_worker, NULL) == 0);
	for (int i = 0; i < 8; i++)
		pthread_join(t[i], NULL);
	pthread_once(&once, once_init);
	CHECK("once-ran-once", 70, once_runs == 1);
	CHECK("once-waited", 71, once_bad == 0);
}

#define SPIN_THREADS 4
#define SPIN_ROUNDS  20000

static pthread_spinlock_t spin;
static volatile unsigned long spin_counter;

static void *spin_worker(void *arg)
{
	(void)arg;
	for (int i = 0; i < SPIN_ROUNDS; i++) {
		pthread_spin_lock(&spin);
		spin_counter = spin_counter + 1;
		pthread_spin_unlock(&spin);
	}
	return NULL;
}

static void *spin_try(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_spin_trylock(&spin);
}

static void *spin_unlock_other(void *arg)
{
	(void)arg;
	return (void *)(long)pthread_spin_unlock(&spin);
}

static void check_spin(void)
{
	pthread_t t[SPIN_THREADS];
	CHECK("spin-init", 80, pthread_spin_init(&spin, PTHREAD_PROCESS_PRIVATE) == 0);
	for (int i = 0; i < SPIN_THREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, spin_worker, NULL) == 0);
	for (int i = 0; i < SPIN_THREADS; i++)
		pthread_join(t[i], NULL);
	CHECK("spin-exact-sum", 81, spin_counter == SPIN_THREADS * SPIN_ROUNDS);
	CHECK("spin-lock", 82, pthread_spin_lock(&spin) == 0);
	CHECK("spin-trylock-ebusy", 83, in_thread(spin_try, NULL) == EBUSY);
	CHECK("spin-relock-edeadlk", 84, pthread_spin_lock(&spin) == EDEADLK);
	CHECK("spin-unlock-other-eperm", 85, in_thread(spin_unlock_other, NULL) == EPERM);
	CHECK("spin-destroy-ebusy", 86, pthread_spin_destroy(&spin) == EBUSY);
	CHECK("spin-unlock", 87, pthread_spin_unlock(&spin) == 0);
	CHECK("spin-destroy", 88, pthread_spin_destroy(&spin) == 0);
}

int main(void)
{
	check_mutex_types();
	check_rwlock();
	check_barrier();
	check_once();
	check_spin();
	return vmtest_success();
}
