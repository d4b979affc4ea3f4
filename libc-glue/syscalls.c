/*
 * newlib's system-call layer, bound to the kernel.  newlib is built for a
 * target without its own system calls (MISSING_SYSCALL_NAMES), so its
 * reentrant wrappers (_write_r, ...) call the plain POSIX names defined here
 * and in io.c (descriptors).
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <kernel/console.h>
#include <kernel/init.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/status.h>
#include <kernel/time.h>
#include "glue.h"

void *sbrk(ptrdiff_t incr)
{
	void *old = pmem_sbrk(incr);
	if (!old) {
		errno = ENOMEM;
		return (void *)-1;
	}
	return old;
}

void _exit(int status)
{
	status &= 0xff; /* what a parent would see, as POSIX says */
	if (status > TORO_STATUS_MAX_PROGRAM) {
		kprintf("toro: exit status %d reported as %d (statuses above %d are reserved)\n",
			status, TORO_STATUS_MAX_PROGRAM, TORO_STATUS_MAX_PROGRAM);
		status = TORO_STATUS_MAX_PROGRAM;
	}
	kernel_exit_stats();
	machine_exit(status);
}

int getpid(void)
{
	return 1;
}

/* Only reached for a signal with no handler: its default action ends the VM. */
int kill(int pid, int sig)
{
	if (pid != 1 && pid != 0 && pid != -1)
		return (int)glue_ret(-ESRCH);
	if (sig == 0)
		return 0;
	if (sig < 0 || sig >= NSIG)
		return (int)glue_ret(-EINVAL);
	kprintf("\ntoro: %s (signal %d with no handler)\n", sig == SIGABRT ? "abort()" : "killed",
		sig);
	backtrace_print((uintptr_t)__builtin_return_address(0) - 1, backtrace_caller_frame(), 0);
	machine_exit(TORO_STATUS_ABORT);
}

clock_t times(struct tms *buf)
{
	/* CLOCKS_PER_SEC ticks of run time; with one process it is all "user" time. */
	clock_t t = (clock_t)(time_monotonic_ns() / (1000000000ULL / CLOCKS_PER_SEC));
	if (buf) {
		buf->tms_utime = t;
		buf->tms_stime = buf->tms_cutime = buf->tms_cstime = 0;
	}
	return t;
}
