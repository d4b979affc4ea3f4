/*
 * mmap() in one identity-mapped address space: a mapping is page-aligned
 * heap memory.  Anonymous mappings (MAP_PRIVATE or MAP_SHARED: there is one
 * process) come zeroed; a file mapping is a private copy read at mmap()
 * time, so MAP_SHARED is refused when writable (changes could not reach
 * the file) and PROT_EXEC always (the heap is never executable: W^X).
 * MAP_FIXED is refused: nothing else may be placed at a chosen address.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <kernel/sync.h>
#include "glue.h"

#define PAGE 4096UL

struct mapping {
	struct mapping *next;
	void *addr;
	size_t len;
};

static struct kmutex map_lock = KMUTEX_INIT;
static struct mapping *maps;

static int map_check(size_t len, int prot, int flags, int fd, off_t off)
{
	int type = flags & (MAP_SHARED | MAP_PRIVATE);
	if (len == 0 || len > SIZE_MAX - PAGE || (type != MAP_SHARED && type != MAP_PRIVATE))
		return -EINVAL;
	if (prot & ~(PROT_READ | PROT_WRITE | PROT_EXEC))
		return -EINVAL;
	if (prot & PROT_EXEC)
		return -EACCES;
	if (flags & MAP_FIXED)
		return -ENOMEM;
	if (!(flags & MAP_ANONYMOUS) && ((off & (off_t)(PAGE - 1)) || off < 0))
		return -EINVAL;
	if (!(flags & MAP_ANONYMOUS) && type == MAP_SHARED && (prot & PROT_WRITE))
		return -ENODEV;
	return 0;
}

/* Copies the file's bytes from off; past its end the mapping reads as zeros. */
static int map_fill(void *p, size_t len, int fd, off_t off)
{
	struct stat st;
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fstat(fd, &st) < 0)
		return -EBADF;
	if ((fl & O_ACCMODE) == O_WRONLY)
		return -EACCES;
	if (!S_ISREG(st.st_mode))
		return -ENODEV;
	size_t done = 0;
	while (done < len) {
		ssize_t n = pread(fd, (char *)p + done, len - done, off + (off_t)done);
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return 0;
}

static int map_record(void *p, size_t len)
{
	struct mapping *m = malloc(sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->addr = p;
	m->len = len;
	kmutex_lock(&map_lock);
	m->next = maps;
	maps = m;
	kmutex_unlock(&map_lock);
	return 0;
}

void *mmap(void *addr, size_t len, int prot, int flags, int fd, off_t off)
{
	void *p = NULL;
	int err = map_check(len, prot, flags, fd, off);
	len = (len + PAGE - 1) & ~(PAGE - 1);
	if (err == 0 && posix_memalign(&p, PAGE, len) != 0)
		err = -ENOMEM;
	if (err == 0) {
		memset(p, 0, len);
		if (!(flags & MAP_ANONYMOUS))
			err = map_fill(p, len, fd, off);
	}
	if (err == 0)
		err = map_record(p, len);
	if (err < 0) {
		free(p);
		glue_ret(err);
		return MAP_FAILED;
	}
	return p;
}

/* Frees mappings that [addr, addr+len) covers whole; parts of one stay mapped. */
int munmap(void *addr, size_t len)
{
	uintptr_t a = (uintptr_t)addr;
	if ((a & (PAGE - 1)) || len == 0 || len > UINTPTR_MAX - a)
		return (int)glue_ret(-EINVAL);
	struct mapping *gone = NULL;
	kmutex_lock(&map_lock);
	for (struct mapping **pp = &maps; *pp;) {
		struct mapping *m = *pp;
		uintptr_t s = (uintptr_t)m->addr;
		if (s >= a && s + m->len <= a + len) {
			*pp = m->next;
			m->next = gone;
			gone = m;
		} else {
			pp = &m->next;
		}
	}
	kmutex_unlock(&map_lock);
	while (gone) {
		struct mapping *m = gone;
		gone = m->next;
		free(m->addr);
		free(m);
	}
	return 0;
}

/* Every mapping is readable and writable memory already. */
int mprotect(void *addr, size_t len, int prot)
{
	return (int)glue_ret(prot & PROT_EXEC ? -EACCES : 0);
}

int msync(void *addr, size_t len, int flags)
{
	return 0;
}

int madvise(void *addr, size_t len, int advice)
{
	return 0;
}

int posix_madvise(void *addr, size_t len, int advice)
{
	return 0;
}

int mlock(const void *addr, size_t len)
{
	return 0;
}

int munlock(const void *addr, size_t len)
{
	return 0;
}
