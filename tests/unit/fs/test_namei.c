/*
 * Path lookup (fs/namei.c) through the real VFS over a ramfs: ".", "..",
 * repeated and trailing slashes, symlinks (relative, absolute, chains up to
 * VFS_SYMLOOP_MAX, loops), ENAMETOOLONG, ENOTDIR, the current directory,
 * directory descriptors, renames (renameat2's flags too) and mount
 * crossing.  At the end every reference the walks took must be back: the
 * root's count is what it was.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fs/file.h>
#include <fs/vfs.h>
#include "check.h"
#include "ramfs.h"
#include "vfs_priv.h"

/* An initrd of one file, whose bytes stay where they are (borrowed). */
static char module_bytes[5000];

int initrd_load(struct vnode *root)
{
	for (size_t i = 0; i < sizeof(module_bytes); i++)
		module_bytes[i] = (char)('a' + i % 26);
	return ramfs_add_borrowed(root, "borrowed.bin", S_IFREG | 0644, module_bytes,
				  sizeof(module_bytes), 0);
}

int devfs_mount(const char *path)
{
	return 0;
}

static int mkfile(const char *path, const char *text)
{
	struct file *f;
	int err = vfs_openat(AT_FDCWD, path, O_CREAT | O_WRONLY | O_EXCL, 0644, &f);
	if (err < 0)
		return err;
	ssize_t n = f->ops->write(f, text, strlen(text));
	file_put(f);
	return n == (ssize_t)strlen(text) ? 0 : -EIO;
}

static const char *real(const char *path)
{
	static char out[VFS_PATH_MAX];
	int err = vfs_realpath(path, out);
	if (err < 0)
		snprintf(out, sizeof(out), "error %d", err);
	return out;
}

static int stat_err(int dirfd, const char *path, int flags)
{
	struct vattr va;
	return vfs_statat(dirfd, path, flags, &va);
}

static void build_tree(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/a", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/a/b", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/a/b/c", 0755), 0);
	CHECK_EQ(mkfile("/a/file", "x"), 0);
	CHECK_EQ(vfs_symlinkat("b", AT_FDCWD, "/a/ln-rel"), 0);
	CHECK_EQ(vfs_symlinkat("/a/b/c", AT_FDCWD, "/a/ln-abs"), 0);
	CHECK_EQ(vfs_symlinkat("../a/file", AT_FDCWD, "/a/ln-dot"), 0);
	CHECK_EQ(vfs_symlinkat("missing", AT_FDCWD, "/a/dangling"), 0);
	CHECK_EQ(vfs_symlinkat("loop", AT_FDCWD, "/a/loop"), 0);
}

static void test_normalize(void)
{
	CHECK_STR(real("/"), "/");
	CHECK_STR(real("///"), "/");
	CHECK_STR(real("/a//b/./c/"), "/a/b/c");
	CHECK_STR(real("/../../a/b/.."), "/a");
	CHECK_STR(real("/a/b/c/../../.."), "/");
	CHECK_STR(real("/a/./././b//"), "/a/b");
	CHECK_EQ(stat_err(AT_FDCWD, "", 0), -ENOENT);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/file/", 0), -ENOTDIR);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/file/x", 0), -ENOTDIR);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/file/..", 0), -ENOTDIR);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/nope/x", 0), -ENOENT);
}

static void test_symlinks(void)
{
	struct vattr va;
	CHECK_STR(real("/a/ln-rel/c"), "/a/b/c");
	CHECK_STR(real("/a/ln-abs/.."), "/a/b"); /* the link first, then ".." */
	CHECK_STR(real("/a/ln-dot"), "/a/file");
	CHECK_STR(real("/a/ln-rel/"), "/a/b");
	CHECK_EQ(stat_err(AT_FDCWD, "/a/dangling", 0), -ENOENT);
	CHECK_EQ(vfs_statat(AT_FDCWD, "/a/dangling", AT_SYMLINK_NOFOLLOW, &va), 0);
	CHECK_EQ(va.mode & S_IFMT, S_IFLNK);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/loop", 0), -ELOOP);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/loop", AT_SYMLINK_NOFOLLOW), 0);
	CHECK_EQ(stat_err(AT_FDCWD, "/a/loop/x", AT_SYMLINK_NOFOLLOW), -ELOOP);
}

/* /chain/NAME0 -> NAME1 -> ... -> NAMEn -> /a/file: n + 1 links. */
static void make_chain(const char *name, int n)
{
	char path[64], target[64];
	for (int i = 0; i <= n; i++) {
		snprintf(path, sizeof(path), "/chain/%s%d", name, i);
		if (i == n)
			snprintf(target, sizeof(target), "/a/file");
		else
			snprintf(target, sizeof(target), "%s%d", name, i + 1);
		CHECK_EQ(vfs_symlinkat(target, AT_FDCWD, path), 0);
	}
}

static void test_link_limit(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/chain", 0755), 0);
	make_chain("ok", VFS_SYMLOOP_MAX - 1);
	make_chain("over", VFS_SYMLOOP_MAX);
	CHECK_STR(real("/chain/ok0"), "/a/file");
	CHECK_EQ(stat_err(AT_FDCWD, "/chain/over0", 0), -ELOOP);
	CHECK_EQ(stat_err(AT_FDCWD, "/chain/over1", 0), 0);
}

static void test_lengths(void)
{
	char name[VFS_NAME_MAX + 3] = "/";
	memset(name + 1, 'n', VFS_NAME_MAX);
	CHECK_EQ(mkfile(name, ""), 0);
	strcat(name, "n");
	CHECK_EQ(mkfile(name, ""), -ENAMETOOLONG);
	CHECK_EQ(stat_err(AT_FDCWD, name, 0), -ENAMETOOLONG);
	static char path[VFS_PATH_MAX + 8];
	memset(path, '/', sizeof(path));
	memcpy(path + VFS_PATH_MAX - 2, "a", 2); /* VFS_PATH_MAX - 1 bytes and the NUL */
	CHECK_EQ(stat_err(AT_FDCWD, path, 0), 0);
	memcpy(path + VFS_PATH_MAX - 1, "a", 2); /* VFS_PATH_MAX bytes and the NUL */
	CHECK_EQ(stat_err(AT_FDCWD, path, 0), -ENAMETOOLONG);
	/* a link whose target plus the rest of the path is too long */
	static char target[1000];
	memset(target, '/', sizeof(target) - 2);
	target[sizeof(target) - 2] = 'a';
	target[sizeof(target) - 1] = '\0';
	CHECK_EQ(vfs_symlinkat(target, AT_FDCWD, "/long"), 0);
	CHECK_STR(real("/long"), "/a");
	memset(path, 0, sizeof(path));
	strcpy(path, "/long");
	for (int i = 0; i < 20; i++)
		strcat(path, "/./././.");
	CHECK_EQ(stat_err(AT_FDCWD, path, 0), -ENAMETOOLONG);
}

static void test_cwd_and_dirfd(void)
{
	char cwd[VFS_PATH_MAX];
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/a/ln-rel"), 0);
	CHECK_EQ(vfs_getcwd(cwd, sizeof(cwd)), 0);
	CHECK_STR(cwd, "/a/b");
	CHECK_EQ(stat_err(AT_FDCWD, "c", 0), 0);
	CHECK_STR(real("../file"), "/a/file");
	CHECK_EQ(vfs_getcwd(cwd, 4), -ERANGE);
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/a/file"), -ENOTDIR);
	struct file *d, *f;
	CHECK_EQ(vfs_openat(AT_FDCWD, "/a/b", O_RDONLY | O_DIRECTORY, 0, &d), 0);
	CHECK_EQ(vfs_openat(AT_FDCWD, "/a/file", O_RDONLY, 0, &f), 0);
	int dfd = fd_install(d, 3, 0), ffd = fd_install(f, 3, 0);
	CHECK_EQ(stat_err(dfd, "c", 0), 0);
	CHECK_EQ(stat_err(dfd, "../file", 0), 0);
	CHECK_EQ(stat_err(ffd, "x", 0), -ENOTDIR);
	CHECK_EQ(stat_err(999, "x", 0), -EBADF);
	CHECK_EQ(stat_err(999, "/a", 0), 0); /* an absolute path ignores dirfd */
	CHECK_EQ(stat_err(ffd, "", AT_EMPTY_PATH), 0);
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/"), 0);
	CHECK_EQ(vfs_chdir(dfd, ""), 0); /* fchdir */
	CHECK_EQ(vfs_getcwd(cwd, sizeof(cwd)), 0);
	CHECK_STR(cwd, "/a/b");
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/"), 0);
	CHECK_EQ(fd_close(dfd), 0);
	CHECK_EQ(fd_close(ffd), 0);
}

static void test_renames(void)
{
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/b", AT_FDCWD, "/a/b/c/b", 0), -EINVAL);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/file", AT_FDCWD, "/a/b", 0), -EISDIR);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/chain", AT_FDCWD, "/a", 0), -ENOTEMPTY);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/b", AT_FDCWD, "/a/file", 0), -ENOTDIR);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/b", AT_FDCWD, "/b2", 0), 0);
	CHECK_STR(real("/b2/c/.."), "/b2");
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/b2", AT_FDCWD, "/a/b", 0), 0);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/.", AT_FDCWD, "/x", 0), -EINVAL);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/a/.", AT_REMOVEDIR), -EINVAL);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/", AT_REMOVEDIR), -EBUSY);
}

/* renameat2()'s flags on the ramfs: an exchanged directory's ".." and link counts follow it. */
static void test_rename_flags(void)
{
	struct vattr before, after, va;
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/x1", 0755), 0);
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/x1/sub", 0755), 0);
	CHECK_EQ(mkfile("/xf", "f"), 0);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/a/file", VFS_RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/xf", VFS_RENAME_NOREPLACE), -EEXIST);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/nope", VFS_RENAME_EXCHANGE), -ENOENT);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/a/file", 3), -EINVAL);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/a/file", 4), -EINVAL); /* whiteout */
	CHECK_EQ(vfs_statat(AT_FDCWD, "/a", 0, &before), 0);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/x1", AT_FDCWD, "/a/file", VFS_RENAME_EXCHANGE), 0);
	CHECK_STR(real("/a/file/sub/../.."), "/a");
	CHECK_EQ(vfs_statat(AT_FDCWD, "/x1", 0, &va), 0);
	CHECK(S_ISREG(va.mode));
	CHECK_EQ(vfs_statat(AT_FDCWD, "/a", 0, &after), 0);
	CHECK_EQ(after.nlink, before.nlink + 1); /* the directory's ".." */
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a", AT_FDCWD, "/a/file/sub", VFS_RENAME_EXCHANGE),
	         -EINVAL);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/file/sub", AT_FDCWD, "/a", VFS_RENAME_EXCHANGE),
	         -EINVAL);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/a/file", AT_FDCWD, "/x1", VFS_RENAME_EXCHANGE), 0);
	CHECK_EQ(vfs_statat(AT_FDCWD, "/a", 0, &after), 0);
	CHECK_EQ(after.nlink, before.nlink);
	CHECK_STR(real("/x1/sub/.."), "/x1");
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/xf", AT_FDCWD, "/x1/f", VFS_RENAME_NOREPLACE), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/x1/f", 0), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/x1/sub", AT_REMOVEDIR), 0);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/x1", AT_REMOVEDIR), 0);
}

static void test_mounts(void)
{
	struct mount *m;
	struct vnode *root;
	struct vattr a, b;
	CHECK_EQ(ramfs_new(&m, &root), 0);
	CHECK_EQ(vfs_mount(m, "/mnt/x", root), 0);
	CHECK_EQ(mkfile("/mnt/x/f", "in mount"), 0);
	CHECK_STR(real("/mnt/x/.."), "/mnt");
	CHECK_STR(real("/mnt/x/../x/f"), "/mnt/x/f");
	CHECK_EQ(vfs_statat(AT_FDCWD, "/mnt/x", 0, &a), 0);
	CHECK_EQ(vfs_statat(AT_FDCWD, "/mnt", 0, &b), 0);
	CHECK(a.dev != b.dev);
	CHECK_EQ(vfs_renameat(AT_FDCWD, "/mnt/x/f", AT_FDCWD, "/f", 0), -EXDEV);
	CHECK_EQ(vfs_linkat(AT_FDCWD, "/mnt/x/f", AT_FDCWD, "/f", 0), -EXDEV);
	CHECK_EQ(vfs_unlinkat(AT_FDCWD, "/mnt/x", AT_REMOVEDIR), -EBUSY);
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/mnt/x"), 0);
	CHECK_STR(real(".."), "/mnt");
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/"), 0);
}

static int root_refs(void)
{
	struct vnode *r = vfs_root_get();
	int n = r ? r->refs - 1 : -1;
	vnode_put(r);
	return n;
}

/*
 * A file still in the boot module: its bytes are offered by reference
 * (file_ops.stable) until the first write, which copies the whole file out
 * (a write in the middle once copied only the bytes up to it: ASan).
 */
static void test_borrowed(void)
{
	struct file *f;
	char buf[sizeof(module_bytes)];
	CHECK_EQ(vfs_openat(AT_FDCWD, "/borrowed.bin", O_RDWR, 0, &f), 0);
	size_t len = 100;
	CHECK(f->ops->stable(f, 10, &len) == module_bytes + 10 && len == 100);
	len = 1 << 20;
	CHECK(f->ops->stable(f, 4990, &len) == module_bytes + 4990 && len == 10);
	len = 1;
	CHECK(f->ops->stable(f, 5000, &len) == NULL);
	CHECK_EQ(f->ops->pwrite(f, "X", 1, 7), 1);
	len = 100;
	CHECK(f->ops->stable(f, 10, &len) == NULL); /* a copy now: may change */
	CHECK_EQ(f->ops->pread(f, buf, sizeof(buf), 0), sizeof(buf));
	CHECK(buf[7] == 'X' && buf[6] == 'g' && buf[8] == 'i' && buf[4999] == 'a' + 4999 % 26);
	CHECK(module_bytes[7] == 'h'); /* the module itself is untouched */
	file_put(f);
}

int main(void)
{
	CHECK_EQ(vfs_mkdirat(AT_FDCWD, "/tmp", 0755), -EEXIST); /* builds the tree, with /tmp */
	CHECK_EQ(vfs_chdir(AT_FDCWD, "/"), 0);                  /* the cwd holds "/" from now on */
	int refs = root_refs();
	build_tree();
	test_normalize();
	test_symlinks();
	test_link_limit();
	test_lengths();
	test_cwd_and_dirfd();
	test_renames();
	test_rename_flags();
	test_mounts();
	test_borrowed();
	CHECK_EQ(root_refs(), refs);
	struct vattr va;
	CHECK_EQ(vfs_statat(AT_FDCWD, "/a/file", 0, &va), 0);
	CHECK_EQ(va.nlink, 1);
	return check_summary("fs-namei");
}
