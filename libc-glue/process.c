/*
 * The process model: one process (pid 1), no children, no sessions to
 * create, no interval timers (nothing could deliver SIGALRM).  Answers are
 * the ones POSIX gives for that state: waitpid() has no child to wait for
 * (ECHILD), setsid() is refused to a process group leader (EPERM).
 */
#include <errno.h>
#include <string.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>
#include "glue.h"

pid_t waitpid(pid_t pid, int *status, int options)
{
	(void)pid, (void)status;
	if (options & ~(WNOHANG | WUNTRACED))
		return (pid_t)glue_ret(-EINVAL);
	return (pid_t)glue_ret(-ECHILD);
}

pid_t setsid(void)
{
	return (pid_t)glue_ret(-EPERM);
}

pid_t getppid(void)
{
	return 0; /* no parent process: the VM started us */
}

int getitimer(int which, struct itimerval *value)
{
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return (int)glue_ret(-EINVAL);
	if (!value)
		return (int)glue_ret(-EFAULT);
	memset(value, 0, sizeof(*value)); /* never armed */
	return 0;
}

/* Disarming is a no-op; arming needs asynchronous signals, which Toro lacks. */
int setitimer(int which, const struct itimerval *value, struct itimerval *old)
{
	if (old && getitimer(which, old) < 0)
		return -1;
	if (which != ITIMER_REAL && which != ITIMER_VIRTUAL && which != ITIMER_PROF)
		return (int)glue_ret(-EINVAL);
	if (!value || (!value->it_value.tv_sec && !value->it_value.tv_usec))
		return 0;
	return glue_enosys("setitimer");
}
