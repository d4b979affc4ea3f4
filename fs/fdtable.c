/*
 * The descriptor table: one per image (there is one process).  It grows on
 * demand up to FD_MAX; a kernel mutex serializes changes.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fs/file.h>
#include <kernel/sync.h>

struct fd_slot {
	struct file *file;
	int flags; /* FD_FLAG_* */
};

static struct kmutex fd_lock = KMUTEX_INIT;
static struct fd_slot *slots;
static int nr_slots;

static int grow_to(int n)
{
	if (n <= nr_slots)
		return 0;
	if (n > FD_MAX)
		return -EMFILE;
	int want = nr_slots ? nr_slots : 64;
	while (want < n)
		want *= 2;
	if (want > FD_MAX)
		want = FD_MAX;
	struct fd_slot *s = realloc(slots, (size_t)want * sizeof(*s));
	if (!s)
		return -ENOMEM;
	memset(s + nr_slots, 0, (size_t)(want - nr_slots) * sizeof(*s));
	slots = s;
	nr_slots = want;
	return 0;
}

int fd_install(struct file *f, int min_fd, int fdflags)
{
	if (min_fd < 0 || min_fd >= FD_MAX)
		return -EINVAL;
	kmutex_lock(&fd_lock);
	int fd = min_fd;
	while (fd < nr_slots && slots[fd].file)
		fd++;
	int err = grow_to(fd + 1);
	if (err == 0) {
		slots[fd].file = f;
		slots[fd].flags = fdflags;
	}
	kmutex_unlock(&fd_lock);
	return err < 0 ? err : fd;
}

int fd_install_at(struct file *f, int fd, int fdflags)
{
	if (fd < 0 || fd >= FD_MAX)
		return -EBADF;
	kmutex_lock(&fd_lock);
	int err = grow_to(fd + 1);
	struct file *old = NULL;
	if (err == 0) {
		old = slots[fd].file;
		slots[fd].file = f;
		slots[fd].flags = fdflags;
	}
	kmutex_unlock(&fd_lock);
	if (old)
		file_put(old);
	return err;
}

struct file *fd_get(int fd)
{
	struct file *f = NULL;
	kmutex_lock(&fd_lock);
	if (fd >= 0 && fd < nr_slots && slots[fd].file) {
		f = slots[fd].file;
		file_get(f);
	}
	kmutex_unlock(&fd_lock);
	return f;
}

int fd_close(int fd)
{
	struct file *f = NULL;
	kmutex_lock(&fd_lock);
	if (fd >= 0 && fd < nr_slots) {
		f = slots[fd].file;
		slots[fd].file = NULL;
	}
	kmutex_unlock(&fd_lock);
	if (!f)
		return -EBADF;
	file_put(f);
	return 0;
}

int fd_get_flags(int fd)
{
	int r = -EBADF;
	kmutex_lock(&fd_lock);
	if (fd >= 0 && fd < nr_slots && slots[fd].file)
		r = slots[fd].flags;
	kmutex_unlock(&fd_lock);
	return r;
}

int fd_set_flags(int fd, int fdflags)
{
	int r = -EBADF;
	kmutex_lock(&fd_lock);
	if (fd >= 0 && fd < nr_slots && slots[fd].file) {
		slots[fd].flags = fdflags;
		r = 0;
	}
	kmutex_unlock(&fd_lock);
	return r;
}
