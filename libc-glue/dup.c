/* dup, dup2, dup3, fcntl and ioctl: descriptor-level operations. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/ioctl.h>
#include <unistd.h>
#include <fs/file.h>
#include "glue.h"

#define SETFL_MASK (O_APPEND | O_NONBLOCK)

static int dup_from(int fd, int min_fd, int fdflags)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int r = fd_install(f, min_fd, fdflags);
	if (r < 0)
		file_put(f);
	return r;
}

int dup(int fd)
{
	return (int)glue_ret(dup_from(fd, 0, 0));
}

int dup3(int old, int new, int flags)
{
	if (old == new || (flags & ~O_CLOEXEC))
		return (int)glue_ret(-EINVAL);
	struct file *f = fd_get(old);
	if (!f)
		return (int)glue_ret(-EBADF);
	int r = fd_install_at(f, new, (flags & O_CLOEXEC) ? FD_FLAG_CLOEXEC : 0);
	if (r < 0) {
		file_put(f);
		return (int)glue_ret(r);
	}
	return new;
}

int dup2(int old, int new)
{
	if (old != new)
		return dup3(old, new, 0);
	struct file *f = fd_get(old);
	if (!f)
		return (int)glue_ret(-EBADF);
	file_put(f);
	return new;
}

static int set_status_flags(int fd, int flags)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	f->flags = (f->flags & ~SETFL_MASK) | (flags & SETFL_MASK);
	int r = f->ops->setfl ? f->ops->setfl(f) : 0;
	file_put(f);
	return r;
}

static int get_status_flags(int fd)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int r = f->flags;
	file_put(f);
	return r;
}

int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	long arg = va_arg(ap, long); /* read even when unused: harmless on x86-64 */
	va_end(ap);
	int r, fl;
	switch (cmd) {
	case F_DUPFD:
	case F_DUPFD_CLOEXEC:
		r = dup_from(fd, (int)arg, cmd == F_DUPFD_CLOEXEC ? FD_FLAG_CLOEXEC : 0);
		break;
	case F_GETFD:
		fl = fd_get_flags(fd);
		r = fl < 0 ? fl : (fl & FD_FLAG_CLOEXEC) ? FD_CLOEXEC : 0;
		break;
	case F_SETFD:
		r = fd_set_flags(fd, (arg & FD_CLOEXEC) ? FD_FLAG_CLOEXEC : 0);
		break;
	case F_GETFL:
		r = get_status_flags(fd);
		break;
	case F_SETFL:
		r = set_status_flags(fd, (int)arg);
		break;
	case F_GETLK:
	case F_SETLK:
	case F_SETLKW:
		/* one process: every lock is granted; F_GETLK reports none held */
		r = get_status_flags(fd) < 0 ? -EBADF : 0;
		if (r == 0 && cmd == F_GETLK && arg)
			((struct flock *)arg)->l_type = F_UNLCK;
		break;
	default:
		r = -EINVAL;
	}
	return (int)glue_ret(r);
}

int ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	va_start(ap, req);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	if (req == FIONBIO) {
		int fl = get_status_flags(fd);
		if (fl < 0 || !arg)
			return (int)glue_ret(fl < 0 ? fl : -EFAULT);
		fl = *(int *)arg ? fl | O_NONBLOCK : fl & ~O_NONBLOCK;
		return (int)glue_ret(set_status_flags(fd, fl));
	}
	if (req == FIOCLEX || req == FIONCLEX)
		return (int)glue_ret(fd_set_flags(fd, req == FIOCLEX ? FD_FLAG_CLOEXEC : 0));
	struct file *f = fd_get(fd);
	if (!f)
		return (int)glue_ret(-EBADF);
	int r = f->ops->ioctl ? f->ops->ioctl(f, req, arg) : -ENOTTY;
	file_put(f);
	return (int)glue_ret(r);
}
