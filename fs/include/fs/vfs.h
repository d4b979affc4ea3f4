/*
 * The virtual file system as the libc layer sees it: path operations on a
 * tree of mounted file systems, and open files that live in the shared
 * descriptor table (fs/file.h) next to the console, pipes and sockets.
 *
 * The tree is built on first use: a ramfs at "/" filled from the initrd
 * (boot module 0, a newc cpio archive), devfs at "/dev", then the boot
 * mounts other components registered (virtio-fs "fs=TAG:/path").
 *
 * Paths are resolved relative to dirfd (AT_FDCWD: the current directory)
 * unless they start with '/'.  Flags are newlib's O_* and AT_* values.
 * Every function returns 0, a count, or -ERRNO, as POSIX names the error:
 *   -ENOENT, -ENOTDIR, -EISDIR, -EEXIST, -ENOTEMPTY, -ELOOP (more than
 *   VFS_SYMLOOP_MAX symbolic links), -ENAMETOOLONG (a path of VFS_PATH_MAX
 *   bytes or more, a name longer than VFS_NAME_MAX), -EXDEV, -EBADF, ...
 *
 * Usage:
 *   struct file *f;
 *   int err = vfs_openat(AT_FDCWD, "/etc/app.conf", O_RDONLY, 0, &f);
 *   if (err == 0) fd = fd_install(f, 0, 0);   // f->ops->read() etc.
 */
#ifndef FS_VFS_H
#define FS_VFS_H

#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>
#include <time.h>

#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 16 /* newlib's value; it shows it to _GNU_SOURCE only */
#endif

struct file;

#define VFS_PATH_MAX    1024 /* bytes with the NUL: newlib's PATH_MAX */
#define VFS_NAME_MAX    255
#define VFS_SYMLOOP_MAX 40

/* Attributes of a node, wider than newlib's struct stat (16-bit st_ino). */
struct vattr {
	uint64_t dev; /* the mount's number */
	uint64_t ino;
	uint64_t size;   /* bytes */
	uint64_t blocks; /* 512-byte units */
	uint32_t mode;   /* S_IFMT type and permission bits */
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t rdev;    /* device nodes: major << 8 | minor */
	uint32_t blksize; /* preferred I/O size */
	struct timespec atime, mtime, ctime;
};

/* vfs_setattrat() and vnode setattr masks */
#define VATTR_MODE      0x01
#define VATTR_UID       0x02
#define VATTR_GID       0x04
#define VATTR_ATIME     0x08 /* va->atime */
#define VATTR_MTIME     0x10 /* va->mtime */
#define VATTR_ATIME_NOW 0x20 /* the current time, not va->atime */
#define VATTR_MTIME_NOW 0x40

struct vfs_statfs {
	uint64_t blocks, bfree, bavail; /* in frsize units */
	uint64_t files, ffree;
	uint32_t bsize, frsize, namemax;
	uint32_t flags; /* VFS_ST_* */
	uint64_t fsid;
};

#define VFS_ST_RDONLY 1

/* What vfs_getdents() stores: Linux's struct linux_dirent64. */
struct vfs_dirent64 {
	uint64_t d_ino;
	int64_t d_off; /* cookie of the next entry */
	uint16_t d_reclen;
	uint8_t d_type; /* DT_* (Linux values) */
	char d_name[];
};

#define VFS_DT_UNKNOWN 0
#define VFS_DT_FIFO    1
#define VFS_DT_CHR     2
#define VFS_DT_DIR     4
#define VFS_DT_BLK     6
#define VFS_DT_REG     8
#define VFS_DT_LNK     10
#define VFS_DT_SOCK    12

/* Opens (or with O_CREAT creates, mode less nothing: apply umask first). */
int vfs_openat(int dirfd, const char *path, int flags, uint32_t mode, struct file **out);

/* flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH (then path "" means dirfd). */
int vfs_statat(int dirfd, const char *path, int flags, struct vattr *va);
int vfs_mkdirat(int dirfd, const char *path, uint32_t mode);
/* flags: AT_REMOVEDIR for rmdir(). */
int vfs_unlinkat(int dirfd, const char *path, int flags);
/*
 * flags: 0 (replace a target of a compatible type), or one of these, Linux's
 * renameat2() values, which libc-glue passes through.  Others: -EINVAL.
 */
#define VFS_RENAME_NOREPLACE 1u /* -EEXIST if newpath exists */
#define VFS_RENAME_EXCHANGE  2u /* swap two existing names atomically; -ENOENT if one is missing */
int vfs_renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
                 unsigned flags);
/* flags: AT_SYMLINK_FOLLOW. */
int vfs_linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags);
int vfs_symlinkat(const char *target, int dirfd, const char *path);
/* Bytes stored (not NUL-terminated), or -EINVAL if path is no symlink. */
ssize_t vfs_readlinkat(int dirfd, const char *path, char *buf, size_t size);
/* mask: VATTR_*; flags: AT_SYMLINK_NOFOLLOW, AT_EMPTY_PATH. */
int vfs_setattrat(int dirfd, const char *path, int flags, const struct vattr *va, unsigned mask);
int vfs_truncateat(int dirfd, const char *path, off_t len);
int vfs_statfsat(int dirfd, const char *path, struct vfs_statfs *st);
/* mode: R_OK | W_OK | X_OK, or F_OK; flags: AT_SYMLINK_NOFOLLOW. */
int vfs_accessat(int dirfd, const char *path, int mode, int flags);

/* The current directory; path "" with dirfd a directory is fchdir(). */
int vfs_chdir(int dirfd, const char *path);
/* Copies the current directory's path; -ERANGE if size is too small. */
int vfs_getcwd(char *buf, size_t size);
/* The absolute path without ".", ".." or symlinks; out has VFS_PATH_MAX bytes. */
int vfs_realpath(const char *path, char *out);

struct stat;
/* newlib's struct stat from attributes. */
void vfs_vattr_to_stat(const struct vattr *va, struct stat *st);

/* Operations on open files; -EBADF (or -EINVAL) if f is no VFS file. */
int vfs_file_getattr(struct file *f, struct vattr *va);
int vfs_file_setattr(struct file *f, const struct vattr *va, unsigned mask);
int vfs_file_truncate(struct file *f, off_t len);
int vfs_file_statfs(struct file *f, struct vfs_statfs *st);
/* Directory entries from the file's position; 0 at the end, -EINVAL if size is too small. */
ssize_t vfs_getdents(struct file *f, void *buf, size_t size);
/* 1 if f is an open VFS directory. */
int vfs_file_is_dir(const struct file *f);

#endif
