/* sigsuspend(): wait for a signal.  Toro delivers no asynchronous signals
 * (libc-glue/signal.c), so the wait could never end: fail with ENOSYS rather
 * than hang.  (nginx calls it only in its master process loop, which Toro
 * does not run: master_process off.) */
#include <signal.h>
#include "glue.h"

int sigsuspend(const sigset_t *mask)
{
	(void)mask;
	return glue_enosys("sigsuspend");
}
