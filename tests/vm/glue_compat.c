/*
 * The Linux/glibc surface that ported programs (ports/redis-lite) need:
 * sigaction/raise, rlimits, prctl, CPU affinity, dlfcn, fnmatch/glob,
 * dirname, long double rounding, process calls, termios, flock, endian.h,
 * program_invocation_name and a writable argv[0].
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <endian.h>
#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <glob.h>
#include <libgen.h>
#include <limits.h>
#include <math.h>
#include <sched.h>
#include <signal.h>
#include <string.h>
#include <sys/file.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <syslog.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include "vmtest.h"

static int got_sig, got_pid;

static void on_info(int sig, siginfo_t *info, void *ctx)
{
	got_sig = sig + (info->si_signo == sig && ctx == NULL ? 1000 : 0);
	got_pid = info->si_pid;
}

static void on_plain(int sig)
{
	got_sig = sig;
}

static void test_signals(void)
{
	struct sigaction act = {0}, old;
	act.sa_sigaction = on_info;
	act.sa_flags = SA_SIGINFO | SA_RESETHAND;
	CHECK("sigaction", 1, sigaction(SIGUSR1, &act, &old) == 0 && old.sa_handler == SIG_DFL);
	CHECK("raise-siginfo", 2,
	      raise(SIGUSR1) == 0 && got_sig == SIGUSR1 + 1000 && got_pid == getpid());
	CHECK("resethand", 3, sigaction(SIGUSR1, NULL, &old) == 0 && old.sa_handler == SIG_DFL);
	CHECK("signal", 4,
	      signal(SIGUSR2, on_plain) == SIG_DFL && signal(SIGUSR2, on_plain) == on_plain);
	got_sig = 0;
	CHECK("raise-twice", 5,
	      raise(SIGUSR2) == 0 && got_sig == SIGUSR2 && (got_sig = 0, raise(SIGUSR2)) == 0 &&
	          got_sig == SIGUSR2);
	CHECK("sig-ign", 6, signal(SIGUSR2, SIG_IGN) == on_plain && raise(SIGUSR2) == 0);
	CHECK("sigkill-einval", 7, sigaction(SIGKILL, &act, NULL) == -1 && errno == EINVAL);
	CHECK("sigchld-default-ignored", 8, raise(SIGCHLD) == 0);
}

static void test_limits(void)
{
	struct rlimit rl;
	CHECK("getrlimit-nofile", 10, getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur >= 1024);
	rlim_t max = rl.rlim_max;
	rl.rlim_cur = 100;
	CHECK("setrlimit-lower", 11, setrlimit(RLIMIT_NOFILE, &rl) == 0);
	rl.rlim_cur = rl.rlim_max = max + 1;
	CHECK("setrlimit-raise-eperm", 12, setrlimit(RLIMIT_NOFILE, &rl) == -1 && errno == EPERM);
	CHECK("getrlimit-bad", 13, getrlimit(99, &rl) == -1 && errno == EINVAL);
	struct rusage ru;
	CHECK("getrusage", 14, getrusage(RUSAGE_SELF, &ru) == 0);
	char name[16] = "";
	CHECK("prctl-name", 15,
	      prctl(PR_SET_NAME, "compat-main") == 0 && prctl(PR_GET_NAME, name) == 0 &&
	          strcmp(name, "compat-main") == 0);
	cpu_set_t set;
	CHECK("getaffinity", 16,
	      sched_getaffinity(0, sizeof(set), &set) == 0 && CPU_ISSET(0, &set) &&
	          CPU_COUNT(&set) == 1);
	CPU_ZERO(&set);
	CPU_SET(1, &set);
	CHECK("setaffinity-no-cpu0", 17,
	      sched_setaffinity(0, sizeof(set), &set) == -1 && errno == EINVAL);
}

static void test_process(void)
{
	int st;
	CHECK("waitpid-echild", 20, waitpid(-1, &st, WNOHANG) == -1 && errno == ECHILD);
	CHECK("setsid-eperm", 21, setsid() == -1 && errno == EPERM);
	CHECK("dlopen", 22,
	      dlopen("x.so", RTLD_NOW) == NULL && dlerror() != NULL && dlerror() == NULL);
	struct termios t;
	CHECK("tcgetattr-enotty", 23, tcgetattr(0, &t) == -1 && errno == ENOTTY);
	CHECK("flock-ebadf", 24, flock(77, LOCK_EX) == -1 && errno == EBADF);
	CHECK("flock", 25, flock(1, LOCK_EX | LOCK_NB) == 0 && flock(1, LOCK_UN) == 0);
	syslog(LOG_INFO, "syslog line %d", 42);
	CHECK("endian", 26, htobe32(0x11223344) == 0x44332211 && le64toh(5) == 5);
	CHECK("timezone", 27, timezone == 0 && daylight == 0);
	CHECK("ssize-max", 28, SSIZE_MAX == __LONG_MAX__);
}

static void test_strings(void)
{
	char a[] = "/usr/lib/", b[] = "file", c[] = "/", d[] = "a//b//";
	CHECK("dirname", 30,
	      strcmp(dirname(a), "/usr") == 0 && strcmp(dirname(b), ".") == 0 &&
	          strcmp(dirname(c), "/") == 0 && strcmp(dirname(d), "a") == 0);
	CHECK("fnmatch", 31,
	      fnmatch("*.conf", "redis.conf", 0) == 0 && fnmatch("r?d[a-z]s", "redis", 0) == 0 &&
	          fnmatch("*.conf", ".x.conf", FNM_PERIOD) == FNM_NOMATCH &&
	          fnmatch("[!a]*", "abc", 0) == FNM_NOMATCH && fnmatch("a\\*", "a*", 0) == 0);
	CHECK("mathl", 32,
	      ceill(1.25L) == 2 && floorl(-1.25L) == -2 && roundl(2.5L) == 3 &&
	          llroundl(-2.5L) == -3 && truncl(-0.5L) == 0 && ceill(1e30L) == 1e30L);
}

static void test_glob(void)
{
	CHECK("glob-setup", 40,
	      mkdir("/globt", 0755) == 0 &&
	          close(open("/globt/b.conf", O_CREAT | O_WRONLY, 0644)) == 0 &&
	          close(open("/globt/a.conf", O_CREAT | O_WRONLY, 0644)) == 0 &&
	          close(open("/globt/c.txt", O_CREAT | O_WRONLY, 0644)) == 0);
	glob_t g;
	CHECK("glob", 41,
	      glob("/globt/*.conf", 0, NULL, &g) == 0 && g.gl_pathc == 2 &&
	          strcmp(g.gl_pathv[0], "/globt/a.conf") == 0 &&
	          strcmp(g.gl_pathv[1], "/globt/b.conf") == 0);
	globfree(&g);
	CHECK("glob-nomatch", 42, glob("/globt/*.none", 0, NULL, &g) != 0);
}

int main(int argc, char **argv)
{
	(void)argc;
	CHECK("program-name", 50, strcmp(program_invocation_name, argv[0]) == 0);
	((volatile char *)argv[0])[0] = argv[0][0]; /* a read-only argv[0] faults */
	test_signals();
	test_limits();
	test_process();
	test_strings();
	test_glob();
	return vmtest_success();
}
