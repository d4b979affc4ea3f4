/*
 * POSIX threads: create, join, exit, detach, attributes, names, priorities,
 * cleanup handlers, and the small calls around them (sysconf, sigmask...).
 * "thread_basic main-exit": main() calls pthread_exit() and the program
 * ends, with status 0, when its last thread does.
 */
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "vmtest.h"

pid_t gettid(void);

static void *add_one(void *arg)
{
	return (char *)arg + 1;
}

static void *exit_77(void *arg)
{
	(void)arg;
	pthread_exit((void *)77);
	return NULL;
}

static pthread_t seen_self;
static pid_t seen_tid;

static void *record_self(void *arg)
{
	(void)arg;
	seen_self = pthread_self();
	seen_tid = gettid();
	return NULL;
}

static sem_t done;

static void *post_done(void *arg)
{
	if (arg)
		usleep(20000);
	sem_post(&done);
	return NULL;
}

static void check_create_join(void)
{
	pthread_t t;
	void *ret = NULL;
	CHECK("create", 1, pthread_create(&t, NULL, add_one, (void *)41) == 0);
	CHECK("join-retval", 2, pthread_join(t, &ret) == 0 && ret == (void *)42);
	CHECK("create", 1, pthread_create(&t, NULL, exit_77, NULL) == 0);
	CHECK("pthread_exit-retval", 3, pthread_join(t, &ret) == 0 && ret == (void *)77);
	CHECK("create", 1, pthread_create(&t, NULL, record_self, NULL) == 0);
	CHECK("join-null-retval", 4, pthread_join(t, NULL) == 0);
	CHECK("self-equal", 5, pthread_equal(seen_self, t) && !pthread_equal(t, pthread_self()));
	CHECK("self-stable", 6, pthread_equal(pthread_self(), pthread_self()));
	CHECK("gettid", 7, gettid() == 1 && seen_tid > 1);
	CHECK("join-self-edeadlk", 8, pthread_join(pthread_self(), NULL) == EDEADLK);
	CHECK("create-null-fn", 9, pthread_create(&t, NULL, NULL, NULL) == EINVAL);
}

static void check_detach(void)
{
	pthread_t t;
	pthread_attr_t a;
	sem_init(&done, 0, 0);
	CHECK("create", 1, pthread_create(&t, NULL, post_done, (void *)1) == 0);
	CHECK("detach", 10, pthread_detach(t) == 0);
	CHECK("detach-twice-einval", 11, pthread_detach(t) == EINVAL);
	CHECK("join-detached-einval", 12, pthread_join(t, NULL) == EINVAL);
	CHECK("detached-ran", 13, sem_wait(&done) == 0);

	int state = -1;
	CHECK("attr-init", 14, pthread_attr_init(&a) == 0);
	CHECK("attr-default-joinable", 15,
	      pthread_attr_getdetachstate(&a, &state) == 0 && state == PTHREAD_CREATE_JOINABLE);
	CHECK("attr-setdetachstate", 16,
	      pthread_attr_setdetachstate(&a, PTHREAD_CREATE_DETACHED) == 0 &&
	          pthread_attr_setdetachstate(&a, 42) == EINVAL);
	CHECK("create-detached", 17, pthread_create(&t, &a, post_done, NULL) == 0);
	CHECK("detached-ran", 13, sem_wait(&done) == 0);
	/* a detached thread that already exited: its descriptor is gone, no crash */
	usleep(10000);
	pthread_attr_destroy(&a);
}

static void *use_stack(void *arg)
{
	(void)arg;
	volatile char buf[40 * 1024];
	memset((char *)buf, 0x5a, sizeof(buf));
	return (void *)(long)buf[sizeof(buf) - 1];
}

static void check_stack_attr(void)
{
	pthread_attr_t a;
	pthread_t t;
	size_t size = 0;
	void *ret;
	pthread_attr_init(&a);
	CHECK("stacksize-default", 20, pthread_attr_getstacksize(&a, &size) == 0 && size >= 65536);
	CHECK("stacksize-min-einval", 21,
	      pthread_attr_setstacksize(&a, PTHREAD_STACK_MIN - 1) == EINVAL);
	CHECK("stacksize-set", 22,
	      pthread_attr_setstacksize(&a, 64 * 1024) == 0 &&
	          pthread_attr_getstacksize(&a, &size) == 0 && size == 64 * 1024);
	CHECK("stacksize-create", 23, pthread_create(&t, &a, use_stack, NULL) == 0);
	CHECK("stacksize-used", 24, pthread_join(t, &ret) == 0 && ret == (void *)0x5a);
	pthread_attr_destroy(&a);
}

static char name_seen[32];

static void *name_self(void *arg)
{
	(void)arg;
	pthread_setname_np(pthread_self(), "worker-1");
	pthread_getname_np(pthread_self(), name_seen, sizeof(name_seen));
	return NULL;
}

static void check_names(void)
{
	pthread_t t;
	char small[4], buf[16];
	CHECK("create", 1, pthread_create(&t, NULL, name_self, NULL) == 0);
	pthread_join(t, NULL);
	CHECK("setname-self", 30, strcmp(name_seen, "worker-1") == 0);
	CHECK("setname-erange", 31,
	      pthread_setname_np(pthread_self(), "sixteen-chars-xx") == ERANGE);
	CHECK("setname-main", 32,
	      pthread_setname_np(pthread_self(), "main-renamed") == 0 &&
	          pthread_getname_np(pthread_self(), buf, sizeof(buf)) == 0 &&
	          strcmp(buf, "main-renamed") == 0);
	CHECK("getname-erange", 33,
	      pthread_getname_np(pthread_self(), small, sizeof(small)) == ERANGE);
	pthread_setname_np(pthread_self(), "main");
}

static int prio_seen;

static void *read_prio(void *arg)
{
	(void)arg;
	struct sched_param p;
	int policy;
	pthread_getschedparam(pthread_self(), &policy, &p);
	prio_seen = p.sched_priority;
	return NULL;
}

static void check_priorities(void)
{
	int min = sched_get_priority_min(SCHED_FIFO), max = sched_get_priority_max(SCHED_FIFO);
	CHECK("priority-range", 40, min >= 1 && max > min);
	errno = 0;
	CHECK("priority-bad-policy", 41, sched_get_priority_max(12345) == -1 && errno == EINVAL);

	pthread_attr_t a;
	struct sched_param p = {.sched_priority = min + 1};
	pthread_t t;
	pthread_attr_init(&a);
	CHECK("attr-explicit-sched", 42,
	      pthread_attr_setinheritsched(&a, PTHREAD_EXPLICIT_SCHED) == 0 &&
	          pthread_attr_setschedparam(&a, &p) == 0);
	p.sched_priority = max + 1;
	CHECK("attr-schedparam-einval", 43, pthread_attr_setschedparam(&a, &p) == EINVAL);
	CHECK("create", 1, pthread_create(&t, &a, read_prio, NULL) == 0);
	pthread_join(t, NULL);
	CHECK("priority-applied", 44, prio_seen == min + 1);
	p.sched_priority = max + 1;
	CHECK("setschedparam-einval", 45,
	      pthread_setschedparam(pthread_self(), SCHED_OTHER, &p) == EINVAL);
	CHECK("sched_yield", 46, sched_yield() == 0);
	pthread_attr_destroy(&a);
}

static int cleanup_order[3], cleanup_n;

static void cleanup_note(void *arg)
{
	cleanup_order[cleanup_n++] = (int)(long)arg;
}

static void *with_cleanup(void *arg)
{
	pthread_cleanup_push(cleanup_note, (void *)1);
	pthread_cleanup_push(cleanup_note, (void *)2);
	pthread_cleanup_push(cleanup_note, (void *)3);
	pthread_cleanup_pop(1); /* runs 3 */
	if (arg)
		pthread_exit(NULL); /* runs 2 then 1 */
	pthread_cleanup_pop(0);
	pthread_cleanup_pop(0);
	return NULL;
}

static void check_cleanup(void)
{
	pthread_t t;
	CHECK("create", 1, pthread_create(&t, NULL, with_cleanup, (void *)1) == 0);
	pthread_join(t, NULL);
	CHECK("cleanup-order", 50,
	      cleanup_n == 3 && cleanup_order[0] == 3 && cleanup_order[1] == 2 &&
	          cleanup_order[2] == 1);
}

static void check_misc(void)
{
	sigset_t set, old;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	CHECK("sysconf-cpus", 60,
	      sysconf(_SC_NPROCESSORS_ONLN) == 1 && sysconf(_SC_NPROCESSORS_CONF) == 1);
	CHECK("sysconf-pagesize", 61, sysconf(_SC_PAGESIZE) == 4096);
	CHECK("sysconf-keys", 62, sysconf(_SC_THREAD_KEYS_MAX) >= 128);
	CHECK("sysconf-clk-tck", 63, sysconf(_SC_CLK_TCK) > 0 && sysconf(_SC_OPEN_MAX) > 0);
	errno = 0;
	CHECK("sysconf-einval", 64, sysconf(-5) == -1 && errno == EINVAL);
	CHECK("sigmask", 65, pthread_sigmask(SIG_BLOCK, &set, &old) == 0);
	CHECK("sigmask-einval", 66, pthread_sigmask(99, &set, NULL) == EINVAL);
	errno = 0;
	CHECK("sigprocmask-einval", 67, sigprocmask(99, &set, NULL) == -1 && errno == EINVAL);
	CHECK("sigprocmask", 68, sigprocmask(SIG_SETMASK, &set, NULL) == 0);
	CHECK("pthread_kill-0", 69, pthread_kill(pthread_self(), 0) == 0);
}

static void *print_last(void *arg)
{
	(void)arg;
	usleep(100000);
	printf("last thread done\n");
	vmtest_success();
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "main-exit") == 0) {
		pthread_t t;
		CHECK("create", 1, pthread_create(&t, NULL, print_last, NULL) == 0);
		pthread_exit(NULL);
	}
	check_create_join();
	check_detach();
	check_stack_attr();
	check_names();
	check_priorities();
	check_cleanup();
	check_misc();
	return vmtest_success();
}
