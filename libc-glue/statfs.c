/* Linux's statfs()/fstatfs() (<sys/vfs.h>) over statvfs(). */
#include <string.h>
#include <sys/vfs.h>

static void statfs_from_statvfs(const struct statvfs *v, struct statfs *s)
{
	memset(s, 0, sizeof(*s));
	s->f_bsize = (long)v->f_bsize;
	s->f_frsize = (long)v->f_frsize;
	s->f_blocks = v->f_blocks;
	s->f_bfree = v->f_bfree;
	s->f_bavail = v->f_bavail;
	s->f_files = v->f_files;
	s->f_ffree = v->f_ffree;
	s->f_namelen = (long)v->f_namemax;
	s->f_flags = (long)v->f_flag;
}

int statfs(const char *path, struct statfs *buf)
{
	struct statvfs v;
	if (statvfs(path, buf ? &v : NULL) < 0)
		return -1;
	statfs_from_statvfs(&v, buf);
	return 0;
}

int fstatfs(int fd, struct statfs *buf)
{
	struct statvfs v;
	if (fstatvfs(fd, buf ? &v : NULL) < 0)
		return -1;
	statfs_from_statvfs(&v, buf);
	return 0;
}
