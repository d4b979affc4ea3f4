/*
 * Directory streams over getdents64() (fs/vfs.h: vfs_getdents): opendir,
 * readdir, telldir/seekdir (the file offset of a directory is the cookie
 * of its next entry), scandir.  A DIR is not locked: POSIX lets one stream
 * serve one thread at a time.
 */
#include <dirent.h>
#include <errno.h>
#include <stddef.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fs/file.h>
#include <fs/vfs.h>
#include "glue.h"

#define DIR_BUF  4096
#define NAME_OFF offsetof(struct vfs_dirent64, d_name)

struct __toro_dir {
	int fd;
	size_t pos, end; /* records in buf[pos, end) are not returned yet */
	long loc;        /* telldir(): the cookie after the last entry returned */
	struct dirent ent;
	char buf[DIR_BUF] __attribute__((aligned(8)));
};

ssize_t getdents64(int fd, void *buf, size_t count)
{
	struct file *f = fd_get(fd);
	if (!f)
		return glue_ret(-EBADF);
	ssize_t r = buf ? vfs_getdents(f, buf, count) : -EFAULT;
	file_put(f);
	return glue_ret(r);
}

DIR *fdopendir(int fd)
{
	struct file *f = fd_get(fd);
	int err = !f ? -EBADF : !vfs_file_is_dir(f) ? -ENOTDIR : 0;
	if (f)
		file_put(f);
	DIR *d = err ? NULL : calloc(1, sizeof(*d));
	if (!d) {
		glue_ret(err ? err : -ENOMEM);
		return NULL;
	}
	d->fd = fd;
	d->loc = lseek(fd, 0, SEEK_CUR);
	return d;
}

DIR *opendir(const char *name)
{
	int fd = open(name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return NULL;
	DIR *d = fdopendir(fd);
	if (!d) {
		int e = errno;
		close(fd);
		errno = e;
	}
	return d;
}

int closedir(DIR *d)
{
	if (!d)
		return (int)glue_ret(-EBADF);
	int r = close(d->fd);
	free(d);
	return r;
}

int dirfd(DIR *d)
{
	return d->fd;
}

/* The next record, refilling the buffer; NULL at the end or on an error (errno). */
static const struct vfs_dirent64 *next_record(DIR *d)
{
	if (d->pos >= d->end) {
		ssize_t n = getdents64(d->fd, d->buf, sizeof(d->buf));
		if (n <= 0)
			return NULL;
		d->pos = 0;
		d->end = (size_t)n;
	}
	const struct vfs_dirent64 *r = (const void *)(d->buf + d->pos);
	if (r->d_reclen < NAME_OFF + 1 || r->d_reclen > d->end - d->pos) {
		errno = EIO; /* cannot happen: the VFS builds these */
		return NULL;
	}
	d->pos += r->d_reclen;
	return r;
}

struct dirent *readdir(DIR *d)
{
	const struct vfs_dirent64 *r = next_record(d);
	if (!r)
		return NULL;
	size_t len = strnlen(r->d_name, r->d_reclen - NAME_OFF);
	if (len >= sizeof(d->ent.d_name))
		len = sizeof(d->ent.d_name) - 1;
	d->ent.d_ino = r->d_ino;
	d->ent.d_off = r->d_off;
	d->ent.d_reclen = sizeof(d->ent);
	d->ent.d_type = r->d_type;
	memcpy(d->ent.d_name, r->d_name, len);
	d->ent.d_name[len] = '\0';
	d->loc = (long)r->d_off;
	return &d->ent;
}

int readdir_r(DIR *d, struct dirent *entry, struct dirent **result)
{
	int saved = errno;
	errno = 0;
	struct dirent *e = readdir(d);
	int err = errno;
	errno = saved;
	if (!e) {
		*result = NULL;
		return err;
	}
	memcpy(entry, e, sizeof(*entry));
	*result = entry;
	return 0;
}

void seekdir(DIR *d, long loc)
{
	if (lseek(d->fd, loc, SEEK_SET) < 0)
		return;
	d->pos = d->end = 0;
	d->loc = loc;
}

void rewinddir(DIR *d)
{
	seekdir(d, 0);
}

long telldir(DIR *d)
{
	return d->loc;
}

int alphasort(const struct dirent **a, const struct dirent **b)
{
	return strcoll((*a)->d_name, (*b)->d_name);
}

static int scandir_add(struct dirent ***list, size_t *n, size_t *cap, const struct dirent *e)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 16;
		struct dirent **l = realloc(*list, c * sizeof(*l));
		if (!l)
			return -ENOMEM;
		*list = l;
		*cap = c;
	}
	struct dirent *copy = malloc(sizeof(*copy));
	if (!copy)
		return -ENOMEM;
	memcpy(copy, e, sizeof(*copy));
	(*list)[(*n)++] = copy;
	return 0;
}

int scandir(const char *dir, struct dirent ***namelist, int (*filter)(const struct dirent *),
            int (*compar)(const struct dirent **, const struct dirent **))
{
	DIR *d = opendir(dir);
	if (!d)
		return -1;
	struct dirent **list = NULL, *e;
	size_t n = 0, cap = 0;
	int err = 0;
	errno = 0;
	while (!err && (e = readdir(d)) != NULL)
		if (!filter || filter(e))
			err = scandir_add(&list, &n, &cap, e);
	if (!err)
		err = -errno;
	closedir(d);
	if (err || n > 0x7fffffff) {
		while (n)
			free(list[--n]);
		free(list);
		return (int)glue_ret(err ? err : -EOVERFLOW);
	}
	if (compar)
		qsort(list, n, sizeof(*list), (int (*)(const void *, const void *))compar);
	*namelist = list;
	return (int)n;
}
