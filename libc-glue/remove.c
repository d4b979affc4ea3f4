/*
 * remove(), which newlib's would do with unlink() alone (no directories).
 * Its own object file, with the _remove_r() newlib's tmpfile() calls: if
 * this file is linked, newlib's remove.o (which defines both) never is,
 * and if that one was linked first, nothing pulls this one in.
 */
#include <errno.h>
#include <fcntl.h>
#include <reent.h>
#include <stdio.h>
#include <fs/vfs.h>
#include "glue.h"

int remove(const char *path)
{
	int err = vfs_unlinkat(AT_FDCWD, path, 0);
	if (err == -EISDIR)
		err = vfs_unlinkat(AT_FDCWD, path, AT_REMOVEDIR);
	return (int)glue_ret(err);
}

int _remove_r(struct _reent *r, const char *path)
{
	int ret = remove(path);
	if (ret < 0)
		r->_errno = errno;
	return ret;
}
