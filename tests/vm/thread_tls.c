/*
 * Per-thread state: __thread variables (initialized and zeroed), errno,
 * newlib's own per-thread state (strtok), and thread-specific data keys
 * with their destructors.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <string.h>
#include <unistd.h>
#include "vmtest.h"

#define NTHREADS 8
#define ROUNDS   200

static __thread int tls_init = 42;
static __thread long tls_zero[64];
static __thread char tls_name[16] = "template";

static pthread_barrier_t start;
static int tls_bad, errno_bad, strtok_bad;

static void *tls_worker(void *arg)
{
	int id = (int)(long)arg;
	if (tls_init != 42 || tls_zero[0] || tls_zero[63] || strcmp(tls_name, "template"))
		__atomic_add_fetch(&tls_bad, 1, __ATOMIC_RELAXED);
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++) {
		tls_init = id * 1000 + i;
		tls_zero[i % 64] = id;
		sched_yield();
		if (tls_init != id * 1000 + i || tls_zero[i % 64] != id)
			__atomic_add_fetch(&tls_bad, 1, __ATOMIC_RELAXED);
	}
	return &tls_init; /* the address differs per thread */
}

/* Each thread's errno survives the others setting theirs. */
static void *errno_worker(void *arg)
{
	int id = (int)(long)arg;
	sem_t empty;
	sem_init(&empty, 0, 0);
	pthread_barrier_wait(&start);
	for (int i = 0; i < ROUNDS; i++) {
		if (id % 2) {
			errno = 1000 + id;
		} else if (sem_trywait(&empty) != -1) {
			__atomic_add_fetch(&errno_bad, 1, __ATOMIC_RELAXED);
		}
		sched_yield();
		if (errno != (id % 2 ? 1000 + id : EAGAIN))
			__atomic_add_fetch(&errno_bad, 1, __ATOMIC_RELAXED);
	}
	return NULL;
}

/* strtok keeps its position in the thread's struct _reent. */
static void *strtok_worker(void *arg)
{
	int id = (int)(long)arg;
	char text[64];
	snprintf(text, sizeof(text), "t%d a%d b%d c%d", id, id, id, id);
	pthread_barrier_wait(&start);
	char expect[4][8];
	snprintf(expect[0], 8, "t%d", id);
	snprintf(expect[1], 8, "a%d", id);
	snprintf(expect[2], 8, "b%d", id);
	snprintf(expect[3], 8, "c%d", id);
	char *tok = strtok(text, " ");
	for (int i = 0; i < 4; i++) {
		if (!tok || strcmp(tok, expect[i]))
			__atomic_add_fetch(&strtok_bad, 1, __ATOMIC_RELAXED);
		sched_yield();
		tok = strtok(NULL, " ");
	}
	return NULL;
}

static void run_all(void *(*fn)(void *), void **rets)
{
	pthread_t t[NTHREADS];
	pthread_barrier_init(&start, NULL, NTHREADS);
	for (long i = 0; i < NTHREADS; i++)
		CHECK("create", 1, pthread_create(&t[i], NULL, fn, (void *)(i + 1)) == 0);
	for (int i = 0; i < NTHREADS; i++)
		CHECK("join", 2, pthread_join(t[i], rets ? &rets[i] : NULL) == 0);
	pthread_barrier_destroy(&start);
}

static void check_tls(void)
{
	void *addrs[NTHREADS];
	tls_init = 7;
	run_all(tls_worker, addrs);
	CHECK("tls-values", 10, tls_bad == 0);
	CHECK("tls-main-untouched", 11, tls_init == 7 && strcmp(tls_name, "template") == 0);
	int distinct = 1;
	for (int i = 0; i < NTHREADS; i++)
		for (int j = 0; j < i; j++)
			distinct &= addrs[i] != addrs[j] && addrs[i] != &tls_init;
	CHECK("tls-addresses-distinct", 12, distinct);
}

static pthread_key_t key, key2;
static void *dtor_seen[NTHREADS + 1];
static int dtor_calls, dtor2_calls;

static void key_dtor(void *value)
{
	int id = *(int *)value;
	dtor_seen[id] = value;
	__atomic_add_fetch(&dtor_calls, 1, __ATOMIC_RELAXED);
}

/* Sets its value again twice: POSIX repeats destructor rounds while values remain. */
static void key2_dtor(void *value)
{
	int n = __atomic_add_fetch(&dtor2_calls, 1, __ATOMIC_RELAXED);
	if (n < 3)
		pthread_setspecific(key2, value);
}

static int ids[NTHREADS + 1];

static void *key_worker(void *arg)
{
	int id = (int)(long)arg;
	ids[id] = id;
	if (pthread_getspecific(key) != NULL)
		return (void *)1;
	pthread_setspecific(key, &ids[id]);
	pthread_barrier_wait(&start);
	sched_yield();
	if (pthread_getspecific(key) != &ids[id])
		return (void *)2;
	if (id == 1)
		pthread_setspecific(key2, &ids[id]);
	return NULL;
}

static void check_keys(void)
{
	void *rets[NTHREADS];
	CHECK("key-create", 20,
	      pthread_key_create(&key, key_dtor) == 0 && pthread_key_create(&key2, key2_dtor) == 0);
	CHECK("key-main-null", 21, pthread_getspecific(key) == NULL);
	CHECK("key-main-set", 22,
	      pthread_setspecific(key, &ids[0]) == 0 && pthread_getspecific(key) == &ids[0]);
	run_all(key_worker, rets);
	int ok = 1;
	for (int i = 0; i < NTHREADS; i++)
		ok &= rets[i] == NULL;
	CHECK("key-per-thread", 23, ok);
	ok = dtor_calls == NTHREADS;
	for (int i = 1; i <= NTHREADS; i++)
		ok &= dtor_seen[i] == &ids[i];
	CHECK("key-destructors", 24, ok);
	CHECK("key-destructor-rounds", 25, dtor2_calls == 3);
	CHECK("key-main-kept", 26, pthread_getspecific(key) == &ids[0] && dtor_seen[0] == NULL);
	CHECK("key-delete", 27, pthread_key_delete(key) == 0 && pthread_key_delete(key) == EINVAL);
	CHECK("key-deleted-einval", 28, pthread_setspecific(key, &ids[0]) == EINVAL);
	pthread_key_t k3;
	CHECK("key-reuse-null", 29,
	      pthread_key_create(&k3, NULL) == 0 && pthread_getspecific(k3) == NULL);
	pthread_key_t many[200];
	int n = 0;
	while (n < 200 && pthread_key_create(&many[n], NULL) == 0)
		n++;
	printf("created %d more keys\n", n);
	CHECK("keys-max", 30, n >= 128 - 3 && n < 200);
	while (n)
		pthread_key_delete(many[--n]);
}

int main(void)
{
	check_tls();
	run_all(errno_worker, NULL);
	CHECK("errno-per-thread", 40, errno_bad == 0);
	run_all(strtok_worker, NULL);
	CHECK("strtok-per-thread", 41, strtok_bad == 0);
	check_keys();
	return vmtest_success();
}
