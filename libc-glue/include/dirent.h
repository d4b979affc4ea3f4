/*
 * Directory streams.  newlib's <dirent.h> for this target stops at an
 * #error (its <sys/dirent.h> is a placeholder), so this one replaces it.
 * struct dirent has d_type (Linux's DT_* values) and a 64-bit d_ino that
 * matches st_ino (libc-glue/newlib/patches/0002).
 */
#ifndef TORO_DIRENT_H
#define TORO_DIRENT_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define DT_UNKNOWN 0
#define DT_FIFO    1
#define DT_CHR     2
#define DT_DIR     4
#define DT_BLK     6
#define DT_REG     8
#define DT_LNK     10
#define DT_SOCK    12

#define _DIRENT_HAVE_D_TYPE   1
#define _DIRENT_HAVE_D_OFF    1
#define _DIRENT_HAVE_D_RECLEN 1

#ifndef MAXNAMLEN
#define MAXNAMLEN 255
#endif

struct dirent {
	ino_t d_ino;
	off_t d_off; /* telldir() value after this entry */
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

/* What getdents64() stores (Linux's struct linux_dirent64). */
struct dirent64 {
	__uint64_t d_ino;
	__int64_t d_off;
	unsigned short d_reclen;
	unsigned char d_type;
	char d_name[256];
};

typedef struct __toro_dir DIR;

DIR *opendir(const char *__name);
DIR *fdopendir(int __fd);
struct dirent *readdir(DIR *__dir);
int readdir_r(DIR *__restrict __dir, struct dirent *__restrict __entry,
              struct dirent **__restrict __result);
void rewinddir(DIR *__dir);
int closedir(DIR *__dir);
int dirfd(DIR *__dir);
long telldir(DIR *__dir);
void seekdir(DIR *__dir, long __loc);
int scandir(const char *__dir, struct dirent ***__namelist, int (*__filter)(const struct dirent *),
            int (*__compar)(const struct dirent **, const struct dirent **));
int alphasort(const struct dirent **__a, const struct dirent **__b);
ssize_t getdents64(int __fd, void *__buf, size_t __count);

#ifdef __cplusplus
}
#endif

#endif
