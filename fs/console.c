/* The console as a file: descriptors 0, 1 and 2. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <kernel/console.h>
#include <kernel/thread.h>

#define CONSOLE_POLL_NS (1000 * 1000) /* input is polled: the UART has no IRQ wired yet */

static ssize_t console_read(struct file *f, void *buf, size_t len)
{
	char *p = buf;
	size_t n = 0;
	while (n < len) {
		int c = console_getc_nowait();
		if (c < 0) {
			if (n)
				break;
			if (f->flags & O_NONBLOCK)
				return -EAGAIN;
			thread_sleep_ns(CONSOLE_POLL_NS);
			continue;
		}
		p[n++] = (char)(c == '\r' ? '\n' : c);
		if (c == '\r' || c == '\n')
			break;
	}
	return (ssize_t)n;
}

static ssize_t console_file_write(struct file *f, const void *buf, size_t len)
{
	console_write(buf, len);
	return (ssize_t)len;
}

static int console_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFCHR | 0620;
	st->st_blksize = 1024;
	return 0;
}

static unsigned console_poll(struct file *f)
{
	return FILE_POLLOUT | (console_peek() ? FILE_POLLIN : 0);
}

static const struct file_ops console_ops = {
	.read = console_read,
	.write = console_file_write,
	.fstat = console_fstat,
	.poll = console_poll,
};

/* Used by isatty(). */
int file_is_console(const struct file *f)
{
	return f->ops == &console_ops;
}

struct file *console_file_new(int flags)
{
	return file_alloc(&console_ops, flags, NULL);
}

void fd_init_console(void)
{
	for (int fd = 0; fd < 3; fd++) {
		struct file *f = fd_get(fd);
		if (f) {
			file_put(f);
			continue;
		}
		f = file_alloc(&console_ops, fd == 0 ? O_RDONLY : O_WRONLY, NULL);
		if (f && fd_install_at(f, fd, 0) < 0)
			file_put(f);
	}
}
