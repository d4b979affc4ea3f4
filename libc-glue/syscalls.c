/*
 * newlib's system-call layer, bound to the kernel.  newlib is built for a
 * target without its own system calls (MISSING_SYSCALL_NAMES), so its
 * reentrant wrappers (_write_r, ...) call the plain POSIX names defined here.  File descriptors 0-2 are the console until the VFS
 * provides a real descriptor table.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/times.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/status.h>
#include <kernel/time.h>
#include "glue.h"

static int is_console(int fd)
{
	return fd >= 0 && fd <= 2;
}

int write(int fd, const void *buf, size_t len)
{
	if (!is_console(fd))
		return (int)glue_ret(-EBADF);
	if (len && !buf)
		return (int)glue_ret(-EFAULT);
	if (len > INT32_MAX)
		len = INT32_MAX;
	console_write(buf, len);
	return (int)len;
}

/* Console input: waits for the first byte, then takes what is ready up to a newline. */
int read(int fd, void *buf, size_t len)
{
	if (!is_console(fd))
		return (int)glue_ret(-EBADF);
	if (len && !buf)
		return (int)glue_ret(-EFAULT);
	char *p = buf;
	size_t n = 0;
	while (n < len) {
		int c = console_getc_nowait();
		if (c < 0) {
			if (n)
				break;
			__asm__ volatile("pause");
			continue;
		}
		p[n++] = (char)(c == '\r' ? '\n' : c);
		if (c == '\r' || c == '\n')
			break;
	}
	return (int)n;
}

int close(int fd)
{
	return (int)glue_ret(is_console(fd) ? 0 : -EBADF);
}

off_t lseek(int fd, off_t off, int whence)
{
	(void)off;
	(void)whence;
	return glue_ret(is_console(fd) ? -ESPIPE : -EBADF);
}

int fstat(int fd, struct stat *st)
{
	if (!is_console(fd))
		return (int)glue_ret(-EBADF);
	if (!st)
		return (int)glue_ret(-EFAULT);
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	return 0;
}

int isatty(int fd)
{
	if (is_console(fd))
		return 1;
	errno = EBADF;
	return 0;
}

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
