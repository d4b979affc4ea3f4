/* <sys/vfs.h>: Linux's statfs(), as a thin view of statvfs()
 * (libc-glue/statfs.c). */
#ifndef TORO_SYS_VFS_H
#define TORO_SYS_VFS_H

#include <sys/types.h>
#include <sys/statvfs.h>

#ifdef __cplusplus
extern "C" {
#endif

struct statfs {
	long f_type;  /* always 0: Toro does not name file system types */
	long f_bsize; /* preferred I/O size */
	fsblkcnt_t f_blocks;
	fsblkcnt_t f_bfree;
	fsblkcnt_t f_bavail;
	fsfilcnt_t f_files;
	fsfilcnt_t f_ffree;
	struct {
		int __val[2];
	} f_fsid;
	long f_namelen;
	long f_frsize;
	long f_flags; /* ST_* */
	long f_spare[4];
};

/* Return 0, or -1 with errno as statvfs()/fstatvfs(). */
int statfs(const char *__path, struct statfs *__buf);
int fstatfs(int __fd, struct statfs *__buf);

#ifdef __cplusplus
}
#endif

#endif
