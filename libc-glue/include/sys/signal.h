/*
 * newlib's <sys/signal.h> with Linux's struct sigaction and a siginfo_t
 * that has si_pid and si_addr.  newlib's own versions lack sa_sigaction and
 * those fields outside RTEMS, so they are renamed away while its header is
 * read.  Handlers run only when raise() (or abort()) calls them: there is
 * no asynchronous delivery (libc-glue/signal_more.c).
 */
#ifndef TORO_SYS_SIGNAL_H
#define TORO_SYS_SIGNAL_H

#define sigaction __newlib_sigaction
#define siginfo_t __newlib_siginfo_t
#include_next <sys/signal.h>
#undef sigaction
#undef siginfo_t

#ifdef __cplusplus
extern "C" {
#endif

typedef struct {
	int si_signo;
	int si_errno;
	int si_code; /* SI_USER for raise() */
	pid_t si_pid;
	uid_t si_uid;
	void *si_addr;
	int si_status;
	union {
		int sival_int;
		void *sival_ptr;
	} si_value; /* union sigval's layout; that type is not always visible */
} siginfo_t;

struct sigaction {
	union {
		void (*sa_handler)(int);
		void (*sa_sigaction)(int, siginfo_t *, void *);
	} __sa_handlers;
	sigset_t sa_mask;
	int sa_flags;
	void (*sa_restorer)(void);
};
#define sa_handler   __sa_handlers.sa_handler
#define sa_sigaction __sa_handlers.sa_sigaction

/* sa_flags, Linux's values (SA_NOCLDSTOP is newlib's 1, the same) */
#ifndef SA_NOCLDWAIT
#define SA_NOCLDWAIT 0x00000002
#endif
#ifndef SA_SIGINFO
#define SA_SIGINFO 0x00000004
#endif
#ifndef SA_ONSTACK
#define SA_ONSTACK 0x08000000
#endif
#define SA_RESTART   0x10000000
#define SA_NODEFER   0x40000000
#define SA_RESETHAND 0x80000000

/* 0, or -1 with EINVAL (bad signal, or SIGKILL/SIGSTOP given a handler) */
int sigaction(int sig, const struct sigaction *act, struct sigaction *old);

#ifdef __cplusplus
}
#endif

#endif
