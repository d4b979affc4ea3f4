/*
 * flock(2).  Locks keep processes apart, and there is one process: every
 * lock is granted at once.  The descriptor and operation are still checked.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/file.h>
#include "glue.h"

int flock(int fd, int op)
{
	int kind = op & ~LOCK_NB;
	if (kind != LOCK_SH && kind != LOCK_EX && kind != LOCK_UN)
		return (int)glue_ret(-EINVAL);
	if (fcntl(fd, F_GETFD) < 0)
		return -1; /* EBADF from fcntl() */
	return 0;
}
