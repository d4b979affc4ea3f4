/*
 * Names in the tree: unlink, rmdir, remove, rename (and renameat2), link,
 * symlink, readlink, and the current directory (getcwd, chdir, fchdir,
 * realpath).  newlib's rename() would link and unlink (not atomic): this
 * one replaces it.  remove() is in remove.c, for the linker's sake.
 */
#define _GNU_SOURCE /* renameat2() and RENAME_* */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <fs/vfs.h>
#include "glue.h"

int unlinkat(int dirfd, const char *path, int flags)
{
	return (int)glue_ret(vfs_unlinkat(dirfd, path, flags));
}

int unlink(const char *path)
{
	return unlinkat(AT_FDCWD, path, 0);
}

int rmdir(const char *path)
{
	return unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
}

_Static_assert(RENAME_NOREPLACE == VFS_RENAME_NOREPLACE && RENAME_EXCHANGE == VFS_RENAME_EXCHANGE,
               "the VFS takes renameat2()'s flags as they are");

/* The VFS refuses unknown flags, both at once, and RENAME_WHITEOUT. */
int renameat2(int olddirfd, const char *oldpath, int newdirfd, const char *newpath,
              unsigned int flags)
{
	return (int)glue_ret(vfs_renameat(olddirfd, oldpath, newdirfd, newpath, flags));
}

int renameat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath)
{
	return renameat2(olddirfd, oldpath, newdirfd, newpath, 0);
}

int rename(const char *oldpath, const char *newpath)
{
	return renameat(AT_FDCWD, oldpath, AT_FDCWD, newpath);
}

int linkat(int olddirfd, const char *oldpath, int newdirfd, const char *newpath, int flags)
{
	return (int)glue_ret(vfs_linkat(olddirfd, oldpath, newdirfd, newpath, flags));
}

int link(const char *oldpath, const char *newpath)
{
	return linkat(AT_FDCWD, oldpath, AT_FDCWD, newpath, 0);
}

int symlinkat(const char *target, int dirfd, const char *path)
{
	return (int)glue_ret(vfs_symlinkat(target, dirfd, path));
}

int symlink(const char *target, const char *path)
{
	return symlinkat(target, AT_FDCWD, path);
}

ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	if (!buf)
		return glue_ret(-EFAULT);
	return glue_ret(vfs_readlinkat(dirfd, path, buf, size));
}

ssize_t readlink(const char *path, char *buf, size_t size)
{
	return readlinkat(AT_FDCWD, path, buf, size);
}

int chdir(const char *path)
{
	if (!path)
		return (int)glue_ret(-EFAULT);
	if (!path[0])
		return (int)glue_ret(-ENOENT);
	return (int)glue_ret(vfs_chdir(AT_FDCWD, path));
}

int fchdir(int fd)
{
	return (int)glue_ret(vfs_chdir(fd, ""));
}

/* buf NULL (with size 0: any size) is allocated, as glibc does. */
char *getcwd(char *buf, size_t size)
{
	char *mine = NULL;
	if (!buf) {
		size = size ? size : PATH_MAX;
		if (!(buf = mine = malloc(size))) {
			errno = ENOMEM;
			return NULL;
		}
	} else if (size == 0) {
		errno = EINVAL;
		return NULL;
	}
	int err = vfs_getcwd(buf, size);
	if (err < 0) {
		free(mine);
		glue_ret(err);
		return NULL;
	}
	return buf;
}

char *realpath(const char *path, char *resolved)
{
	if (!path) {
		errno = EINVAL;
		return NULL;
	}
	char *out = resolved ? resolved : malloc(PATH_MAX);
	if (!out) {
		errno = ENOMEM;
		return NULL;
	}
	int err = vfs_realpath(path, out);
	if (err < 0) {
		if (!resolved)
			free(out);
		glue_ret(err);
		return NULL;
	}
	return out;
}
