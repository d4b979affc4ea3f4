/* File system statistics (POSIX <sys/statvfs.h>; newlib has none). */
#ifndef TORO_SYS_STATVFS_H
#define TORO_SYS_STATVFS_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

struct statvfs {
	unsigned long f_bsize;  /* preferred I/O size */
	unsigned long f_frsize; /* the unit of f_blocks, f_bfree, f_bavail */
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	fsfilcnt_t f_favail;
	unsigned long f_fsid;
	unsigned long f_flag; /* ST_* */
	unsigned long f_namemax;
};

#define ST_RDONLY 1
#define ST_NOSUID 2

int statvfs(const char *__restrict __path, struct statvfs *__restrict __buf);
int fstatvfs(int __fd, struct statvfs *__buf);

#ifdef __cplusplus
}
#endif

#endif
