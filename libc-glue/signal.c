/*
 * Signal masks.  There is no asynchronous signal delivery (a signal is
 * raise()d in the calling thread or ends the VM), so a mask has nothing to
 * block: the calls check their arguments, report an empty mask and return.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include "glue.h"

static int sigmask_check(int how, const sigset_t *set, sigset_t *old)
{
	if (set && how != SIG_BLOCK && how != SIG_UNBLOCK && how != SIG_SETMASK)
		return EINVAL;
	if (old)
		sigemptyset(old);
	return 0;
}

int pthread_sigmask(int how, const sigset_t *set, sigset_t *old)
{
	return sigmask_check(how, set, old);
}

int sigprocmask(int how, const sigset_t *set, sigset_t *old)
{
	return (int)glue_ret(-sigmask_check(how, set, old));
}

/* Signals are not directed at threads: the signal is raised in the caller. */
int pthread_kill(pthread_t thread, int sig)
{
	if (!thread)
		return ESRCH;
	if (sig < 0 || sig >= NSIG)
		return EINVAL;
	if (sig == 0)
		return 0;
	return raise(sig) == 0 ? 0 : errno;
}
