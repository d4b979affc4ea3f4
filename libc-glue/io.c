/*
 * Descriptor I/O over the fs layer's file table: read, write and friends,
 * dup, fcntl, ioctl, pipes and eventfds.  Sockets and files plug in as
 * struct file implementations; this layer only translates errors to errno.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>
#include <fs/file.h>
#include <fs/pipe.h>
#include "glue.h"

/* The file at fd with a reference (0-2 exist from toro_app_start on). */
static struct file *file_of(int fd)
{
	return fd_get(fd);
}

static int can_read(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_WRONLY;
}

static int can_write(const struct file *f)
{
	return (f->flags & O_ACCMODE) != O_RDONLY;
}

static ssize_t file_read(struct file *f, void *buf, size_t len)
{
	if (!can_read(f) || !f->ops->read)
		return -EBADF;
	return f->ops->read(f, buf, len);
}

static ssize_t file_write(struct file *f, const void *buf, size_t len)
{
	if (!can_write(f) || !f->ops->write)
		return -EBADF;
	return f->ops->write(f, buf, len);
}

ssize_t read(int fd, void *buf, size_t len)
{
	if (len && !buf)
		return glue_ret(-EFAULT);
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	ssize_t r = file_read(f, buf, len > SSIZE_MAX ? SSIZE_MAX : len);
	file_put(f);
	return glue_ret(r);
}

ssize_t write(int fd, const void *buf, size_t len)
{
	if (len && !buf)
		return glue_ret(-EFAULT);
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	ssize_t r = file_write(f, buf, len > SSIZE_MAX ? SSIZE_MAX : len);
	file_put(f);
	return glue_ret(r);
}

static ssize_t iov_total(const struct iovec *iov, int n)
{
	size_t total = 0;
	if (n < 0 || n > IOV_MAX || (n && !iov))
		return -EINVAL;
	for (int i = 0; i < n; i++) {
		if (iov[i].iov_len > SSIZE_MAX - total)
			return -EINVAL;
		total += iov[i].iov_len;
	}
	return (ssize_t)total;
}

/* One call per buffer, stopping at a short transfer, as a stream would. */
static ssize_t iov_xfer(int fd, const struct iovec *iov, int n, int writing)
{
	ssize_t err = iov_total(iov, n), done = 0;
	if (err < 0)
		return glue_ret(err);
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	for (int i = 0; i < n; i++) {
		ssize_t r = writing ? file_write(f, iov[i].iov_base, iov[i].iov_len)
				    : file_read(f, iov[i].iov_base, iov[i].iov_len);
		if (r < 0) {
			err = done ? 0 : r;
			break;
		}
		done += r;
		if ((size_t)r < iov[i].iov_len)
			break;
	}
	file_put(f);
	return err < 0 ? glue_ret(err) : done;
}

ssize_t readv(int fd, const struct iovec *iov, int n)
{
	return iov_xfer(fd, iov, n, 0);
}

ssize_t writev(int fd, const struct iovec *iov, int n)
{
	return iov_xfer(fd, iov, n, 1);
}

ssize_t pread(int fd, void *buf, size_t len, off_t off)
{
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	ssize_t r = off < 0 ? -EINVAL : !can_read(f) ? -EBADF : f->ops->pread ? f->ops->pread(f, buf, len, off) : -ESPIPE;
	file_put(f);
	return glue_ret(r);
}

ssize_t pwrite(int fd, const void *buf, size_t len, off_t off)
{
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	ssize_t r = off < 0 ? -EINVAL : !can_write(f) ? -EBADF : f->ops->pwrite ? f->ops->pwrite(f, buf, len, off) : -ESPIPE;
	file_put(f);
	return glue_ret(r);
}

int close(int fd)
{
	return (int)glue_ret(fd_close(fd));
}

off_t lseek(int fd, off_t off, int whence)
{
	struct file *f = file_of(fd);
	if (!f)
		return glue_ret(-EBADF);
	off_t r = f->ops->lseek ? f->ops->lseek(f, off, whence) : -ESPIPE;
	file_put(f);
	return glue_ret(r);
}

int fstat(int fd, struct stat *st)
{
	if (!st)
		return (int)glue_ret(-EFAULT);
	struct file *f = file_of(fd);
	if (!f)
		return (int)glue_ret(-EBADF);
	int r = f->ops->fstat ? f->ops->fstat(f, st) : 0;
	if (!f->ops->fstat)
		memset(st, 0, sizeof(*st));
	file_put(f);
	return (int)glue_ret(r);
}

int isatty(int fd)
{
	struct file *f = file_of(fd);
	if (!f) {
		errno = EBADF;
		return 0;
	}
	int tty = file_is_console(f);
	file_put(f);
	if (!tty)
		errno = ENOTTY;
	return tty;
}

int fsync(int fd)
{
	struct file *f = file_of(fd);
	if (!f)
		return (int)glue_ret(-EBADF);
	int r = f->ops->fsync ? f->ops->fsync(f) : 0;
	file_put(f);
	return (int)glue_ret(r);
}

int fdatasync(int fd)
{
	return fsync(fd);
}

/*
 * Linux's sendfile(): count bytes of in_fd, from *offset (which is then
 * advanced) or from its file position (likewise), written to out_fd.
 * Chunks go through a buffer on the caller's stack, so a server sending
 * files holds no buffers of its own for them (nginx with "sendfile on").  A
 * chunk is read only after the previous one was written whole: a
 * non-blocking socket that takes part of one ends the call, and the bytes it
 * took are what the call returns.
 */
#define SENDFILE_CHUNK 16384

/*
 * Bytes of in that never change nor go away (an initrd file) go to an
 * output that can refer to them (a TCP socket) without any copy: TCP keeps
 * pointing at them until they are acknowledged.  -ENOSYS if either side
 * cannot; then the copying loop below does the work.
 */
static ssize_t sendfile_stable(struct file *out, struct file *in, off_t pos, size_t count)
{
	if (!in->ops->stable || !out->ops->write_stable)
		return -ENOSYS;
	size_t done = 0;
	while (done < count) {
		size_t n = count - done;
		const void *p = in->ops->stable(in, pos + (off_t)done, &n);
		if (!p)
			return done ? (ssize_t)done : -ENOSYS; /* the end, or written since */
		ssize_t put = out->ops->write_stable(out, p, n);
		if (put <= 0)
			return done ? (ssize_t)done : put;
		done += (size_t)put;
		if ((size_t)put < n)
			break;
	}
	return (ssize_t)done;
}

static ssize_t sendfile_chunks(struct file *out, struct file *in, off_t pos, size_t count)
{
	char buf[SENDFILE_CHUNK];
	size_t done = 0;
	while (done < count) {
		size_t want = count - done < sizeof(buf) ? count - done : sizeof(buf);
		ssize_t got = in->ops->pread(in, buf, want, pos + (off_t)done);
		if (got <= 0)
			return done ? (ssize_t)done : got; /* end of file, or its error */
		ssize_t put = out->ops->write(out, buf, (size_t)got);
		if (put <= 0)
			return done ? (ssize_t)done : put;
		done += (size_t)put;
		if (put < got)
			break;
	}
	return (ssize_t)done;
}

ssize_t sendfile(int out_fd, int in_fd, off_t *offset, size_t count)
{
	struct file *out = file_of(out_fd), *in = file_of(in_fd);
	ssize_t r;
	off_t pos = 0;
	if (!out || !in)
		r = -EBADF;
	else if (!can_read(in) || !can_write(out) || !out->ops->write)
		r = -EBADF;
	else if (!in->ops->pread || (out->flags & O_APPEND))
		r = -EINVAL; /* as Linux: in_fd must be a file that can be read at an offset */
	else if (offset && *offset < 0)
		r = -EINVAL;
	else if (!offset && (pos = in->ops->lseek ? in->ops->lseek(in, 0, SEEK_CUR) : -ESPIPE) < 0)
		r = pos;
	else {
		if (offset)
			pos = *offset;
		size_t n = count < 0x7ffff000 ? count : 0x7ffff000;
		r = sendfile_stable(out, in, pos, n);
		if (r == -ENOSYS)
			r = sendfile_chunks(out, in, pos, n);
		if (r > 0 && offset)
			*offset = pos + r;
		else if (r > 0)
			in->ops->lseek(in, pos + r, SEEK_SET);
	}
	if (out)
		file_put(out);
	if (in)
		file_put(in);
	return glue_ret(r);
}
