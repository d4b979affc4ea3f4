/*
 * Memory mappings (POSIX <sys/mman.h>; newlib has none), with Linux's
 * values.  Toro has one identity-mapped address space, so mmap() gives
 * heap memory: anonymous mappings (private or shared: there is one
 * process) and private copies of files; a shared writable file mapping
 * and PROT_EXEC (W^X) are refused.  See libc-glue/mman.c.
 */
#ifndef TORO_SYS_MMAN_H
#define TORO_SYS_MMAN_H

#include <sys/types.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PROT_NONE  0x0
#define PROT_READ  0x1
#define PROT_WRITE 0x2
#define PROT_EXEC  0x4

#define MAP_SHARED    0x01
#define MAP_PRIVATE   0x02
#define MAP_FIXED     0x10
#define MAP_ANONYMOUS 0x20
#define MAP_ANON      MAP_ANONYMOUS
#define MAP_NORESERVE 0x4000
#define MAP_POPULATE  0x8000

#define MAP_FAILED ((void *)-1)

#define MS_ASYNC      1
#define MS_INVALIDATE 2
#define MS_SYNC       4

#define MADV_NORMAL     0
#define MADV_RANDOM     1
#define MADV_SEQUENTIAL 2
#define MADV_WILLNEED   3
#define MADV_DONTNEED   4

#define POSIX_MADV_NORMAL     MADV_NORMAL
#define POSIX_MADV_RANDOM     MADV_RANDOM
#define POSIX_MADV_SEQUENTIAL MADV_SEQUENTIAL
#define POSIX_MADV_WILLNEED   MADV_WILLNEED
#define POSIX_MADV_DONTNEED   MADV_DONTNEED

void *mmap(void *__addr, size_t __len, int __prot, int __flags, int __fd, off_t __off);
int munmap(void *__addr, size_t __len);
int mprotect(void *__addr, size_t __len, int __prot);
int msync(void *__addr, size_t __len, int __flags);
int madvise(void *__addr, size_t __len, int __advice);
int posix_madvise(void *__addr, size_t __len, int __advice);
int mlock(const void *__addr, size_t __len);
int munlock(const void *__addr, size_t __len);

#ifdef __cplusplus
}
#endif

#endif
