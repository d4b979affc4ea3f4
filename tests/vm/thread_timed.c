/*
 * Timed waits report ETIMEDOUT, and never before their deadline:
 * pthread_cond_timedwait on CLOCK_REALTIME and CLOCK_MONOTONIC,
 * sem_timedwait, pthread_mutex_timedlock and the rwlock timed locks.  Also
 * the semaphore calls' errno results.
 */
#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>
#include "vmtest.h"

#define WAIT_NS 150000000LL /* 150 ms */

static int64_t now_ns(clockid_t clock)
{
	struct timespec ts;
	clock_gettime(clock, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static struct timespec deadline_in(clockid_t clock, int64_t ns)
{
	int64_t t = now_ns(clock) + ns;
	struct timespec ts = {(time_t)(t / 1000000000LL), (long)(t % 1000000000LL)};
	return ts;
}

static int reached(clockid_t clock, const struct timespec *ts)
{
	return now_ns(clock) >= (int64_t)ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* Waits on c until abstime, looping over spurious wake-ups as POSIX asks. */
static int cond_wait_out(pthread_cond_t *c, const struct timespec *abstime)
{
	int rc;
	pthread_mutex_lock(&lock);
	do {
		rc = pthread_cond_timedwait(c, &lock, abstime);
	} while (rc == 0);
	pthread_mutex_unlock(&lock);
	return rc;
}

static void check_cond(void)
{
	pthread_cond_t real = PTHREAD_COND_INITIALIZER, mono;
	pthread_condattr_t a;
	clockid_t clk = -1;
	/* the program's first clock reading, which sets the clock up in the kernel */
	struct timespec first;
	clock_gettime(CLOCK_REALTIME, &first);
	printf("first CLOCK_REALTIME reading: %lld s\n", (long long)first.tv_sec);
	CHECK("realtime-first-reading-after-2000", 14, first.tv_sec > 946684800);
	int64_t t0 = now_ns(CLOCK_MONOTONIC);
	struct timespec ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	CHECK("cond-realtime-etimedout", 1, cond_wait_out(&real, &ts) == ETIMEDOUT);
	int64_t waited = now_ns(CLOCK_MONOTONIC) - t0;
	printf("realtime cond wait took %lld ms\n", (long long)waited / 1000000);
	CHECK("cond-realtime-not-early", 2, reached(CLOCK_REALTIME, &ts) && waited >= WAIT_NS);

	CHECK("condattr-init", 3, pthread_condattr_init(&a) == 0);
	CHECK("condattr-default-realtime", 4,
	      pthread_condattr_getclock(&a, &clk) == 0 && clk == CLOCK_REALTIME);
	CHECK("condattr-setclock-einval", 5, pthread_condattr_setclock(&a, 12345) == EINVAL);
	CHECK("condattr-monotonic", 6,
	      pthread_condattr_setclock(&a, CLOCK_MONOTONIC) == 0 &&
	          pthread_condattr_getclock(&a, &clk) == 0 && clk == CLOCK_MONOTONIC);
	CHECK("cond-init-attr", 7, pthread_cond_init(&mono, &a) == 0);
	pthread_condattr_destroy(&a);
	ts = deadline_in(CLOCK_MONOTONIC, WAIT_NS);
	CHECK("cond-monotonic-etimedout", 8, cond_wait_out(&mono, &ts) == ETIMEDOUT);
	CHECK("cond-monotonic-not-early", 9, reached(CLOCK_MONOTONIC, &ts));

	ts = deadline_in(CLOCK_REALTIME, -1000000000LL);
	CHECK("cond-past-deadline", 10, cond_wait_out(&real, &ts) == ETIMEDOUT);
	ts.tv_nsec = 2000000000L;
	pthread_mutex_lock(&lock);
	CHECK("cond-bad-abstime-einval", 11, pthread_cond_timedwait(&real, &lock, &ts) == EINVAL);
	pthread_mutex_unlock(&lock);
	ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	CHECK("cond-not-owner-eperm", 12, pthread_cond_timedwait(&real, &lock, &ts) == EPERM);
	CHECK("cond-destroy", 13, pthread_cond_destroy(&mono) == 0);
}

static pthread_cond_t signalled = PTHREAD_COND_INITIALIZER;
static volatile int ready;

static void *signaller(void *arg)
{
	(void)arg;
	usleep(20000);
	pthread_mutex_lock(&lock);
	ready = 1;
	pthread_cond_signal(&signalled);
	pthread_mutex_unlock(&lock);
	return NULL;
}

static void check_cond_signal_in_time(void)
{
	pthread_t t;
	struct timespec ts = deadline_in(CLOCK_REALTIME, 10 * 1000000000LL);
	int rc = 0;
	pthread_mutex_lock(&lock);
	CHECK("create", 20, pthread_create(&t, NULL, signaller, NULL) == 0);
	while (!ready && rc == 0)
		rc = pthread_cond_timedwait(&signalled, &lock, &ts);
	pthread_mutex_unlock(&lock);
	CHECK("cond-signal-before-deadline", 21, rc == 0 && ready && !reached(CLOCK_REALTIME, &ts));
	pthread_join(t, NULL);
}

static void check_sem(void)
{
	sem_t s;
	int v = -1;
	errno = 0;
	CHECK("sem-init-too-big", 30,
	      sem_init(&s, 0, (unsigned int)SEM_VALUE_MAX + 1) == -1 && errno == EINVAL);
	CHECK("sem-init", 31, sem_init(&s, 0, 1) == 0 && sem_getvalue(&s, &v) == 0 && v == 1);
	CHECK("sem-trywait", 32, sem_trywait(&s) == 0);
	errno = 0;
	CHECK("sem-trywait-eagain", 33, sem_trywait(&s) == -1 && errno == EAGAIN);
	struct timespec ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	errno = 0;
	CHECK("sem-timedwait-etimedout", 34, sem_timedwait(&s, &ts) == -1 && errno == ETIMEDOUT);
	CHECK("sem-timedwait-not-early", 35, reached(CLOCK_REALTIME, &ts));
	ts.tv_nsec = -1;
	errno = 0;
	CHECK("sem-timedwait-einval", 36, sem_timedwait(&s, &ts) == -1 && errno == EINVAL);
	CHECK("sem-post", 37, sem_post(&s) == 0 && sem_getvalue(&s, &v) == 0 && v == 1);
	ts.tv_nsec = -1; /* not looked at when the semaphore is free */
	CHECK("sem-timedwait-free", 38, sem_timedwait(&s, &ts) == 0);
	CHECK("sem-destroy", 39, sem_destroy(&s) == 0);
	errno = 0;
	CHECK("sem-open-enosys", 40, sem_open("/x", 0) == SEM_FAILED && errno == ENOSYS);
}

static pthread_mutex_t held = PTHREAD_MUTEX_INITIALIZER;
static pthread_rwlock_t rw = PTHREAD_RWLOCK_INITIALIZER;
static sem_t go, taken;

static void *holder(void *arg)
{
	(void)arg;
	pthread_mutex_lock(&held);
	pthread_rwlock_wrlock(&rw);
	sem_post(&taken);
	sem_wait(&go);
	pthread_rwlock_unlock(&rw);
	pthread_mutex_unlock(&held);
	return NULL;
}

static void check_locks(void)
{
	pthread_t t;
	struct timespec ts;
	sem_init(&go, 0, 0);
	sem_init(&taken, 0, 0);
	CHECK("create", 50, pthread_create(&t, NULL, holder, NULL) == 0);
	sem_wait(&taken);
	ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	CHECK("mutex-timedlock-etimedout", 51, pthread_mutex_timedlock(&held, &ts) == ETIMEDOUT);
	CHECK("mutex-timedlock-not-early", 52, reached(CLOCK_REALTIME, &ts));
	ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	CHECK("rwlock-timedrdlock-etimedout", 53,
	      pthread_rwlock_timedrdlock(&rw, &ts) == ETIMEDOUT);
	CHECK("rwlock-timedrdlock-not-early", 54, reached(CLOCK_REALTIME, &ts));
	ts = deadline_in(CLOCK_REALTIME, WAIT_NS);
	CHECK("rwlock-timedwrlock-etimedout", 55,
	      pthread_rwlock_timedwrlock(&rw, &ts) == ETIMEDOUT);
	CHECK("rwlock-timedwrlock-not-early", 56, reached(CLOCK_REALTIME, &ts));
	sem_post(&go);
	ts = deadline_in(CLOCK_REALTIME, 10 * 1000000000LL);
	CHECK("mutex-timedlock-gets-it", 57, pthread_mutex_timedlock(&held, &ts) == 0);
	CHECK("rwlock-timedwrlock-gets-it", 58, pthread_rwlock_timedwrlock(&rw, &ts) == 0);
	pthread_rwlock_unlock(&rw);
	pthread_mutex_unlock(&held);
	pthread_join(t, NULL);
}

int main(void)
{
	check_cond();
	check_cond_signal_in_time();
	check_sem();
	check_locks();
	return vmtest_success();
}
