/*
 * The POSIX file API over the VFS (fs/vfs.h): open and creat, the stat
 * family, truncation, access, permissions, owners, times, statvfs, mkdir
 * and umask.  Names and directories are in path.c, directory streams in
 * dir.c.  Each call turns the VFS's -ERRNO into errno here.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>
#include <utime.h>
#include <fs/file.h>
#include <fs/vfs.h>
#include "glue.h"

#define NSEC 1000000000L

static mode_t file_umask = 022;

mode_t umask(mode_t mask)
{
	return __atomic_exchange_n(&file_umask, mask & 0777, __ATOMIC_RELAXED);
}

static mode_t umask_apply(mode_t mode)
{
	return mode & ~__atomic_load_n(&file_umask, __ATOMIC_RELAXED) & 07777;
}

/*
 * Every image that opens files carries the virtio-fs client, so that its
 * fs=TAG:/path mounts work: this reference pulls fs/virtiofs.c (which
 * registers the option) and with it the driver out of their libraries.
 * Images that never call the file API carry none of it.
 */
extern const char virtiofs_linked[];
const char *const toro_file_api_uses_virtiofs = virtiofs_linked;

int openat(int dirfd, const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	struct file *f;
	int err = vfs_openat(dirfd, path, flags, umask_apply(mode), &f);
	if (err < 0)
		return (int)glue_ret(err);
	int fd = fd_install(f, 0, (flags & O_CLOEXEC) ? FD_FLAG_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	return (int)glue_ret(fd);
}

int open(const char *path, int flags, ...)
{
	mode_t mode = 0;
	if (flags & O_CREAT) {
		va_list ap;
		va_start(ap, flags);
		mode = (mode_t)va_arg(ap, int);
		va_end(ap);
	}
	return openat(AT_FDCWD, path, flags, mode);
}

int creat(const char *path, mode_t mode)
{
	return openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_TRUNC, mode);
}

int mkdirat(int dirfd, const char *path, mode_t mode)
{
	return (int)glue_ret(vfs_mkdirat(dirfd, path, umask_apply(mode)));
}

int mkdir(const char *path, mode_t mode)
{
	return mkdirat(AT_FDCWD, path, mode);
}

/* Regular files only: there are no device nodes or fifos to make. */
int mknod(const char *path, mode_t mode, dev_t dev)
{
	if ((mode & S_IFMT) != S_IFREG && (mode & S_IFMT) != 0)
		return (int)glue_ret(-EPERM);
	int fd = openat(AT_FDCWD, path, O_WRONLY | O_CREAT | O_EXCL, mode & 07777);
	return fd < 0 ? -1 : close(fd);
}

int mkfifo(const char *path, mode_t mode)
{
	return glue_enosys("mkfifo");
}

int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	if (!st || !path)
		return (int)glue_ret(-EFAULT);
	if ((flags & AT_EMPTY_PATH) && !path[0] && dirfd != AT_FDCWD)
		return fstat(dirfd, st); /* any descriptor, not only a VFS file */
	struct vattr va;
	int err = vfs_statat(dirfd, path, flags, &va);
	if (err == 0)
		vfs_vattr_to_stat(&va, st);
	return (int)glue_ret(err);
}

int stat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, 0);
}

int lstat(const char *path, struct stat *st)
{
	return fstatat(AT_FDCWD, path, st, AT_SYMLINK_NOFOLLOW);
}

int truncate(const char *path, off_t len)
{
	return (int)glue_ret(vfs_truncateat(AT_FDCWD, path, len));
}

/* Runs fn on the VFS file at fd with a reference held. */
static int with_file(int fd, int (*fn)(struct file *f, void *arg), void *arg)
{
	struct file *f = fd_get(fd);
	if (!f)
		return -EBADF;
	int r = fn(f, arg);
	file_put(f);
	return r;
}

static int do_ftruncate(struct file *f, void *arg)
{
	return vfs_file_truncate(f, *(off_t *)arg);
}

int ftruncate(int fd, off_t len)
{
	return (int)glue_ret(with_file(fd, do_ftruncate, &len));
}

int faccessat(int dirfd, const char *path, int mode, int flags)
{
	if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW))
		return (int)glue_ret(-EINVAL);
	return (int)glue_ret(vfs_accessat(dirfd, path, mode, flags));
}

int access(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, 0);
}

int eaccess(const char *path, int mode)
{
	return faccessat(AT_FDCWD, path, mode, AT_EACCESS);
}

struct setattr_args {
	struct vattr va;
	unsigned mask;
};

static int do_fsetattr(struct file *f, void *arg)
{
	struct setattr_args *a = arg;
	return vfs_file_setattr(f, &a->va, a->mask);
}

static int fsetattr(int fd, struct setattr_args *a)
{
	return (int)glue_ret(with_file(fd, do_fsetattr, a));
}

int fchmodat(int dirfd, const char *path, mode_t mode, int flags)
{
	struct vattr va = {.mode = mode & 07777};
	return (int)glue_ret(vfs_setattrat(dirfd, path, flags, &va, VATTR_MODE));
}

int chmod(const char *path, mode_t mode)
{
	return fchmodat(AT_FDCWD, path, mode, 0);
}

int fchmod(int fd, mode_t mode)
{
	struct setattr_args a = {.va = {.mode = mode & 07777}, .mask = VATTR_MODE};
	return fsetattr(fd, &a);
}

static unsigned owner_mask(uid_t uid, gid_t gid)
{
	return (uid != (uid_t)-1 ? VATTR_UID : 0) | (gid != (gid_t)-1 ? VATTR_GID : 0);
}

int fchownat(int dirfd, const char *path, uid_t uid, gid_t gid, int flags)
{
	struct vattr va = {.uid = uid, .gid = gid};
	return (int)glue_ret(vfs_setattrat(dirfd, path, flags, &va, owner_mask(uid, gid)));
}

int chown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, 0);
}

int lchown(const char *path, uid_t uid, gid_t gid)
{
	return fchownat(AT_FDCWD, path, uid, gid, AT_SYMLINK_NOFOLLOW);
}

int fchown(int fd, uid_t uid, gid_t gid)
{
	struct setattr_args a = {.va = {.uid = uid, .gid = gid}, .mask = owner_mask(uid, gid)};
	return fsetattr(fd, &a);
}

/* times[2] as utimensat() takes them (NULL: both now) into a setattr. */
static int times_to_attr(const struct timespec *ts, struct setattr_args *a)
{
	memset(a, 0, sizeof(*a));
	if (!ts) {
		a->mask = VATTR_ATIME_NOW | VATTR_MTIME_NOW;
		return 0;
	}
	for (int i = 0; i < 2; i++) {
		unsigned now = i ? VATTR_MTIME_NOW : VATTR_ATIME_NOW,
		         set = i ? VATTR_MTIME : VATTR_ATIME;
		if (ts[i].tv_nsec == UTIME_OMIT)
			continue;
		if (ts[i].tv_nsec == UTIME_NOW) {
			a->mask |= now;
			continue;
		}
		if (ts[i].tv_nsec < 0 || ts[i].tv_nsec >= NSEC)
			return -EINVAL;
		*(i ? &a->va.mtime : &a->va.atime) = ts[i];
		a->mask |= set;
	}
	return 0;
}

int utimensat(int dirfd, const char *path, const struct timespec *ts, int flags)
{
	struct setattr_args a;
	int err = times_to_attr(ts, &a);
	if (err == 0 && !path) /* Linux: utimensat(fd, NULL, ...) is futimens */
		return fsetattr(dirfd, &a);
	if (err == 0)
		err = vfs_setattrat(dirfd, path, flags, &a.va, a.mask);
	return (int)glue_ret(err);
}

int futimens(int fd, const struct timespec *ts)
{
	struct setattr_args a;
	int err = times_to_attr(ts, &a);
	return err < 0 ? (int)glue_ret(err) : fsetattr(fd, &a);
}

/* struct timeval[2] (NULL: now) as timespecs; -EINVAL for bad microseconds. */
static int tv_to_ts(const struct timeval *tv, struct timespec *ts)
{
	for (int i = 0; tv && i < 2; i++) {
		if (tv[i].tv_usec < 0 || tv[i].tv_usec >= 1000000)
			return -EINVAL;
		ts[i].tv_sec = tv[i].tv_sec;
		ts[i].tv_nsec = tv[i].tv_usec * 1000;
	}
	return 0;
}

static int utimes_at(int dirfd, const char *path, const struct timeval *tv, int flags)
{
	struct timespec ts[2];
	int err = tv_to_ts(tv, ts);
	return err < 0 ? (int)glue_ret(err) : utimensat(dirfd, path, tv ? ts : NULL, flags);
}

int utimes(const char *path, const struct timeval *tv)
{
	return utimes_at(AT_FDCWD, path, tv, 0);
}

int lutimes(const char *path, const struct timeval *tv)
{
	return utimes_at(AT_FDCWD, path, tv, AT_SYMLINK_NOFOLLOW);
}

int futimes(int fd, const struct timeval *tv)
{
	struct timespec ts[2];
	int err = tv_to_ts(tv, ts);
	return err < 0 ? (int)glue_ret(err) : futimens(fd, tv ? ts : NULL);
}

int utime(const char *path, const struct utimbuf *t)
{
	if (!t)
		return utimensat(AT_FDCWD, path, NULL, 0);
	struct timespec ts[2] = {{t->actime, 0}, {t->modtime, 0}};
	return utimensat(AT_FDCWD, path, ts, 0);
}

static void statfs_to_statvfs(const struct vfs_statfs *s, struct statvfs *b)
{
	memset(b, 0, sizeof(*b));
	b->f_bsize = s->bsize;
	b->f_frsize = s->frsize ? s->frsize : s->bsize;
	b->f_blocks = s->blocks;
	b->f_bfree = s->bfree;
	b->f_bavail = s->bavail;
	b->f_files = s->files;
	b->f_ffree = b->f_favail = s->ffree;
	b->f_fsid = (unsigned long)s->fsid;
	b->f_flag = (s->flags & VFS_ST_RDONLY) ? ST_RDONLY : 0;
	b->f_namemax = s->namemax;
}

int statvfs(const char *path, struct statvfs *buf)
{
	struct vfs_statfs s;
	int err = buf ? vfs_statfsat(AT_FDCWD, path, &s) : -EFAULT;
	if (err == 0)
		statfs_to_statvfs(&s, buf);
	return (int)glue_ret(err);
}

static int do_fstatfs(struct file *f, void *arg)
{
	return vfs_file_statfs(f, arg);
}

int fstatvfs(int fd, struct statvfs *buf)
{
	struct vfs_statfs s;
	int err = buf ? with_file(fd, do_fstatfs, &s) : -EFAULT;
	if (err == 0)
		statfs_to_statvfs(&s, buf);
	return (int)glue_ret(err);
}
