/*
 * Signal dispositions: signal(), sigaction() and raise(), replacing
 * newlib's per-thread table with one table for the process.
 *
 * Nothing delivers a signal asynchronously: a handler runs only when the
 * program raise()s the signal (abort() does), in the raising thread.  CPU
 * faults end the VM with a report instead (kernel/trap.c).  A signal with
 * the default action ends the VM through kill() (syscalls.c), except those
 * whose default is to be ignored.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>
#include "glue.h"

static struct sigaction sig_table[NSIG]; /* all zero: SIG_DFL */
static pthread_mutex_t sig_lock = PTHREAD_MUTEX_INITIALIZER;

static int sig_default_ignored(int sig)
{
	return sig == SIGCHLD || sig == SIGURG || sig == SIGWINCH;
}

static int sig_valid(int sig, int setting)
{
	if (sig <= 0 || sig >= NSIG)
		return 0;
	return !(setting && (sig == SIGKILL || sig == SIGSTOP));
}

int sigaction(int sig, const struct sigaction *act, struct sigaction *old)
{
	if (!sig_valid(sig, act != NULL))
		return (int)glue_ret(-EINVAL);
	pthread_mutex_lock(&sig_lock);
	if (old)
		*old = sig_table[sig];
	if (act)
		sig_table[sig] = *act;
	pthread_mutex_unlock(&sig_lock);
	return 0;
}

_sig_func_ptr signal(int sig, _sig_func_ptr func)
{
	struct sigaction act, old;
	memset(&act, 0, sizeof(act));
	act.sa_handler = func;
	act.sa_flags = SA_RESTART; /* BSD semantics, as glibc */
	if (sigaction(sig, &act, &old) < 0)
		return SIG_ERR;
	return old.sa_handler;
}

/* Takes the disposition to run; SA_RESETHAND restores the default first. */
static struct sigaction sig_take(int sig)
{
	pthread_mutex_lock(&sig_lock);
	struct sigaction act = sig_table[sig];
	if ((act.sa_flags & SA_RESETHAND) && act.sa_handler != SIG_IGN) {
		sig_table[sig].sa_handler = SIG_DFL;
		sig_table[sig].sa_flags &= ~SA_SIGINFO;
	}
	pthread_mutex_unlock(&sig_lock);
	return act;
}

int raise(int sig)
{
	if (!sig_valid(sig, 0))
		return (int)glue_ret(-EINVAL);
	struct sigaction act = sig_take(sig);
	if (act.sa_handler == SIG_IGN)
		return 0;
	if (act.sa_handler == SIG_DFL)
		return sig_default_ignored(sig) ? 0 : kill(getpid(), sig);
	if (act.sa_flags & SA_SIGINFO) {
		siginfo_t info;
		memset(&info, 0, sizeof(info));
		info.si_signo = sig;
		info.si_code = SI_USER;
		info.si_pid = getpid();
		act.sa_sigaction(sig, &info, NULL); /* no ucontext to give */
	} else {
		act.sa_handler(sig);
	}
	return 0;
}
