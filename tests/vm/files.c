/*
 * The POSIX file API on one directory tree: files, append, truncate,
 * rename (and renameat2's flags), unlink, directories, readdir, symlinks,
 * hard links, *at calls, the current directory, times and modes, mmap,
 * sendfile, stdio, and the errno of each error case.  argv[1] is the directory to
 * work in (created; default /tmp/files): the ramfs root, or a virtio-fs
 * mount.  At the end it leaves BASE/keep for a host-side check
 * (tests/vm/files-host-check.sh).
 */
#define _GNU_SOURCE /* renameat2() */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <sys/time.h>
#include <unistd.h>
#include "vmtest.h"

static char base[256];
static char pbuf[4][PATH_MAX];

/* BASE/name in one of four rotating buffers. */
static const char *P(const char *name)
{
	static int i;
	char *b = pbuf[i++ & 3];
	snprintf(b, PATH_MAX, "%s/%s", base, name);
	return b;
}

#define ERRNO_IS(call, e) ((call) == -1 && errno == (e))

static int write_file(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return -1;
	ssize_t n = write(fd, text, strlen(text));
	return close(fd) == 0 && n == (ssize_t)strlen(text) ? 0 : -1;
}

/* 1 if path holds exactly text. */
static int file_is(const char *path, const char *text)
{
	char buf[512];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

static off_t size_of(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 ? st.st_size : -1;
}

static int mkdir_p(const char *path)
{
	char buf[PATH_MAX];
	snprintf(buf, sizeof(buf), "%s", path);
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(buf, 0755) < 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return mkdir(buf, 0755) < 0 && errno != EEXIST ? -1 : 0;
}

static void test_create_read(void)
{
	CHECK("create-write", 1, write_file(P("a.txt"), "hello world\n") == 0);
	struct stat st;
	CHECK("stat-size", 2,
	      stat(P("a.txt"), &st) == 0 && st.st_size == 12 && S_ISREG(st.st_mode));
	CHECK("read-back", 3, file_is(P("a.txt"), "hello world\n"));
	int fd = open(P("a.txt"), O_RDONLY);
	char c[4];
	CHECK("read-eof", 4, fd >= 0 && lseek(fd, 0, SEEK_END) == 12 && read(fd, c, 4) == 0);
	CHECK("write-rdonly-ebadf", 5, ERRNO_IS(write(fd, "x", 1), EBADF));
	close(fd);
	CHECK("excl-eexist", 6,
	      ERRNO_IS(open(P("a.txt"), O_CREAT | O_EXCL | O_WRONLY, 0644), EEXIST) &&
	          ERRNO_IS(open(P("nope"), O_RDONLY), ENOENT));
	CHECK("read-closed-ebadf", 7, ERRNO_IS(read(fd, c, 1), EBADF));
}

static void test_append_seek(void)
{
	int fd = open(P("a.txt"), O_WRONLY | O_APPEND);
	CHECK("append-open", 8, fd >= 0);
	CHECK("append-1", 9, lseek(fd, 0, SEEK_SET) == 0 && write(fd, "more\n", 5) == 5);
	CHECK("append-pos", 10, lseek(fd, 0, SEEK_CUR) == 17);
	close(fd);
	CHECK("append-content", 11, file_is(P("a.txt"), "hello world\nmore\n"));
	fd = open(P("a.txt"), O_RDWR);
	char buf[8] = {0};
	CHECK("pwrite", 12, pwrite(fd, "HELLO", 5, 0) == 5 && lseek(fd, 0, SEEK_CUR) == 0);
	CHECK("pread", 13, pread(fd, buf, 5, 0) == 5 && memcmp(buf, "HELLO", 5) == 0);
	CHECK("seek-cur", 14,
	      lseek(fd, 6, SEEK_SET) == 6 && lseek(fd, 2, SEEK_CUR) == 8 &&
	          ERRNO_IS(lseek(fd, -100, SEEK_CUR), EINVAL));
	CHECK("hole", 15,
	      pwrite(fd, "Z", 1, 100) == 1 && size_of(P("a.txt")) == 101 &&
	          pread(fd, buf, 4, 50) == 4 && memcmp(buf, "\0\0\0\0", 4) == 0);
	close(fd);
}

static void test_truncate(void)
{
	CHECK("truncate-shrink", 16, truncate(P("a.txt"), 5) == 0 && file_is(P("a.txt"), "HELLO"));
	int fd = open(P("a.txt"), O_RDWR);
	char buf[20];
	CHECK("ftruncate-grow", 17, ftruncate(fd, 20) == 0 && size_of(P("a.txt")) == 20);
	CHECK("grow-zeros", 18, pread(fd, buf, 20, 0) == 20 && buf[5] == 0 && buf[19] == 0);
	close(fd);
	fd = open(P("a.txt"), O_RDONLY);
	CHECK("ftruncate-rdonly", 19, (ERRNO_IS(ftruncate(fd, 0), EBADF) || errno == EINVAL));
	close(fd);
	fd = open(P("a.txt"), O_WRONLY | O_TRUNC);
	CHECK("o-trunc", 20, fd >= 0 && size_of(P("a.txt")) == 0);
	close(fd);
	CHECK("truncate-dir-eisdir", 21, ERRNO_IS(truncate(base, 0), EISDIR));
}

static void test_rename_unlink(void)
{
	CHECK("rename-setup", 22,
	      write_file(P("old"), "old\n") == 0 && write_file(P("new"), "new\n") == 0);
	CHECK("rename-replace", 23, rename(P("old"), P("new")) == 0);
	CHECK("rename-content", 24,
	      file_is(P("new"), "old\n") && ERRNO_IS(access(P("old"), F_OK), ENOENT));
	CHECK("rename-missing", 25,
	      ERRNO_IS(rename(P("old"), P("x")), ENOENT) && rename(P("new"), P("new")) == 0 &&
	          file_is(P("new"), "old\n"));
	int fd = open(P("new"), O_RDONLY);
	CHECK("unlink", 26,
	      unlink(P("new")) == 0 && ERRNO_IS(stat(P("new"), &(struct stat){0}), ENOENT));
	char buf[8];
	CHECK("read-after-unlink", 27,
	      fd >= 0 && read(fd, buf, 8) == 4 && memcmp(buf, "old\n", 4) == 0);
	close(fd);
	CHECK("unlink-again", 28, ERRNO_IS(unlink(P("new")), ENOENT));
	CHECK("rename-exdev", 29,
	      write_file(P("x"), "x") == 0 && ERRNO_IS(rename(P("x"), "/dev/x"), EXDEV));
	CHECK("remove", 30,
	      remove(P("x")) == 0 && ERRNO_IS(access(P("x"), F_OK), ENOENT) &&
	          mkdir(P("rd"), 0755) == 0 && remove(P("rd")) == 0);
}

/*
 * Exit statuses stop at 119, so these checks share 118: each prints its
 * own name and line.
 */
static void test_renameat2(void)
{
	int d = open(base, O_RDONLY | O_DIRECTORY);
	CHECK("rename2-setup", 118,
	      d >= 0 && write_file(P("r2a"), "a") == 0 && write_file(P("r2b"), "b") == 0);
	CHECK("noreplace-eexist", 118,
	      ERRNO_IS(renameat2(d, "r2a", d, "r2b", RENAME_NOREPLACE), EEXIST) &&
	          file_is(P("r2a"), "a") && file_is(P("r2b"), "b"));
	CHECK("noreplace-new", 118,
	      renameat2(d, "r2a", d, "r2c", RENAME_NOREPLACE) == 0 && file_is(P("r2c"), "a") &&
	          ERRNO_IS(access(P("r2a"), F_OK), ENOENT));
	CHECK("exchange", 118,
	      renameat2(d, "r2b", d, "r2c", RENAME_EXCHANGE) == 0 && file_is(P("r2b"), "a") &&
	          file_is(P("r2c"), "b"));
	CHECK("exchange-enoent", 118,
	      ERRNO_IS(renameat2(d, "r2b", d, "r2a", RENAME_EXCHANGE), ENOENT) &&
	          file_is(P("r2b"), "a") && ERRNO_IS(access(P("r2a"), F_OK), ENOENT));
	CHECK("rename2-einval", 118,
	      ERRNO_IS(renameat2(d, "r2b", d, "r2c", RENAME_NOREPLACE | RENAME_EXCHANGE), EINVAL) &&
	          ERRNO_IS(renameat2(d, "r2b", d, "r2c", 8), EINVAL) &&
	          ERRNO_IS(renameat2(d, "r2b", d, "r2c", RENAME_WHITEOUT), EINVAL) &&
	          file_is(P("r2b"), "a") && file_is(P("r2c"), "b"));
	CHECK("exchange-dir", 118,
	      mkdir(P("r2d"), 0755) == 0 && write_file(P("r2d/in"), "in") == 0 &&
	          renameat2(d, "r2d", d, "r2b", RENAME_EXCHANGE) == 0 &&
	          file_is(P("r2b/in"), "in") && file_is(P("r2d"), "a"));
	CHECK("rename2-cleanup", 118,
	      unlink(P("r2b/in")) == 0 && rmdir(P("r2b")) == 0 && unlink(P("r2c")) == 0 &&
	          unlink(P("r2d")) == 0 && close(d) == 0);
}

static void test_dirs(void)
{
	CHECK("mkdir", 31, mkdir(P("d"), 0755) == 0);
	struct stat st;
	CHECK("mkdir-stat", 32, stat(P("d"), &st) == 0 && S_ISDIR(st.st_mode));
	CHECK("mkdir-eexist", 33,
	      ERRNO_IS(mkdir(P("d"), 0755), EEXIST) && ERRNO_IS(mkdir(P("no/such"), 0755), ENOENT));
	CHECK("dir-file", 34, write_file(P("d/f"), "f") == 0);
	CHECK("rmdir-enotempty", 35, ERRNO_IS(rmdir(P("d")), ENOTEMPTY));
	CHECK("rmdir-enotdir", 36,
	      ERRNO_IS(rmdir(P("d/f")), ENOTDIR) && ERRNO_IS(unlink(P("d")), EISDIR));
	CHECK("open-dir-wr-eisdir", 37, ERRNO_IS(open(P("d"), O_WRONLY), EISDIR));
	CHECK("file-as-dir-enotdir", 38, ERRNO_IS(open(P("d/f/x"), O_RDONLY), ENOTDIR));
	CHECK("trailing-slash-enotdir", 39, ERRNO_IS(stat(P("d/f/"), &st), ENOTDIR));
	int fd = open(P("d"), O_RDONLY);
	char c;
	CHECK("read-dir-eisdir", 40, fd >= 0 && ERRNO_IS(read(fd, &c, 1), EISDIR));
	close(fd);
	CHECK("o-directory-enotdir", 41, ERRNO_IS(open(P("d/f"), O_RDONLY | O_DIRECTORY), ENOTDIR));
	CHECK("rename-dir", 42, rename(P("d"), P("d2")) == 0 && file_is(P("d2/f"), "f"));
	CHECK("rename-into-self", 43, ERRNO_IS(rename(P("d2"), P("d2/sub")), EINVAL));
	CHECK("rmdir", 44,
	      unlink(P("d2/f")) == 0 && rmdir(P("d2")) == 0 &&
	          ERRNO_IS(access(P("d2"), F_OK), ENOENT));
	CHECK("rmdir-dot", 45, ERRNO_IS(rmdir(P(".")), EINVAL));
}

#define NFILES 50

static int count_entries(DIR *d, int *dots, unsigned char *seen)
{
	struct dirent *e;
	int n = 0;
	*dots = 0;
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) {
			(*dots)++;
			continue;
		}
		int i;
		if (sscanf(e->d_name, "f%d", &i) == 1 && i >= 0 && i < NFILES &&
		    e->d_type == DT_REG)
			seen[i]++;
		n++;
	}
	return n;
}

static void test_readdir(void)
{
	CHECK("readdir-mkdir", 46, mkdir(P("r"), 0755) == 0);
	char name[64];
	int ok = 1;
	for (int i = 0; i < NFILES; i++) {
		snprintf(name, sizeof(name), "r/f%d", i);
		ok &= write_file(P(name), "") == 0;
	}
	CHECK("readdir-create", 47, ok);
	DIR *d = opendir(P("r"));
	unsigned char seen[NFILES] = {0};
	int dots;
	CHECK("opendir", 48, d != NULL);
	CHECK("readdir-all", 49, count_entries(d, &dots, seen) == NFILES && dots == 2);
	ok = 1;
	for (int i = 0; i < NFILES; i++)
		ok &= seen[i] == 1;
	CHECK("readdir-each-once", 50, ok);
	rewinddir(d);
	CHECK("rewinddir", 51, count_entries(d, &dots, seen) == NFILES);
	rewinddir(d);
	struct dirent *e;
	int removed = 0;
	while ((e = readdir(d)) != NULL) /* remove while reading, as rm -r does */
		if (e->d_name[0] == 'f' && unlinkat(dirfd(d), e->d_name, 0) == 0)
			removed++;
	CHECK("readdir-unlink", 52, removed == NFILES && closedir(d) == 0 && rmdir(P("r")) == 0);
	CHECK("opendir-enotdir", 53,
	      write_file(P("nd"), "") == 0 && !opendir(P("nd")) && errno == ENOTDIR);
	CHECK("opendir-enoent", 54, !opendir(P("missing")) && errno == ENOENT);
}

static void test_symlinks(void)
{
	char buf[64];
	CHECK("symlink", 55, write_file(P("target"), "T") == 0 && symlink("target", P("ln")) == 0);
	ssize_t n = readlink(P("ln"), buf, sizeof(buf));
	CHECK("readlink", 56, n == 6 && memcmp(buf, "target", 6) == 0);
	struct stat st, lst;
	CHECK("stat-follows", 57,
	      stat(P("ln"), &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 1 &&
	          lstat(P("ln"), &lst) == 0 && S_ISLNK(lst.st_mode));
	CHECK("open-through-link", 58, file_is(P("ln"), "T"));
	CHECK("symlink-eexist", 59,
	      ERRNO_IS(symlink("x", P("ln")), EEXIST) &&
	          ERRNO_IS(readlink(P("target"), buf, sizeof(buf)), EINVAL));
	CHECK("dangling", 60,
	      symlink("nowhere", P("dang")) == 0 && ERRNO_IS(stat(P("dang"), &st), ENOENT));
	CHECK("loop-eloop", 61,
	      symlink("loop2", P("loop1")) == 0 && symlink("loop1", P("loop2")) == 0 &&
	          ERRNO_IS(open(P("loop1"), O_RDONLY), ELOOP));
	CHECK("nofollow-eloop", 62, ERRNO_IS(open(P("ln"), O_RDONLY | O_NOFOLLOW), ELOOP));
	CHECK("dir-link", 63,
	      mkdir(P("sd"), 0755) == 0 && symlink("sd", P("sdl")) == 0 &&
	          write_file(P("sdl/in"), "in") == 0 && file_is(P("sd/in"), "in"));
	CHECK("abs-link", 64, symlink(P("target"), P("abs")) == 0 && file_is(P("abs"), "T"));
	CHECK("unlink-link", 65, unlink(P("ln")) == 0 && file_is(P("target"), "T"));
}

static void test_links(void)
{
	struct stat a, b;
	CHECK("link", 66, link(P("target"), P("hard")) == 0);
	CHECK("link-nlink", 67,
	      stat(P("target"), &a) == 0 && stat(P("hard"), &b) == 0 && a.st_nlink == 2 &&
	          a.st_ino == b.st_ino);
	CHECK("link-eexist", 68,
	      ERRNO_IS(link(P("target"), P("hard")), EEXIST) && unlink(P("target")) == 0 &&
	          file_is(P("hard"), "T") && stat(P("hard"), &b) == 0 && b.st_nlink == 1);
	CHECK("link-dir-eperm", 69, ERRNO_IS(link(P("sd"), P("sd2")), EPERM));
}

static void test_names(void)
{
	char name[300];
	memset(name, 'n', 256);
	name[256] = '\0';
	CHECK("name-too-long", 70, ERRNO_IS(open(P(name), O_CREAT | O_WRONLY, 0644), ENAMETOOLONG));
	char *longp = malloc(PATH_MAX + 100);
	memset(longp, 'a', PATH_MAX + 99);
	for (int i = 50; i < PATH_MAX + 99; i += 50)
		longp[i] = '/';
	longp[0] = '/';
	longp[PATH_MAX + 99] = '\0';
	CHECK("path-too-long", 71, ERRNO_IS(stat(longp, &(struct stat){0}), ENAMETOOLONG));
	free(longp);
	struct stat a, b;
	char dotted[PATH_MAX];
	snprintf(dotted, sizeof(dotted), "%s//./sd/..//hard", base);
	CHECK("dots-slashes", 72,
	      stat(dotted, &a) == 0 && stat(P("hard"), &b) == 0 && a.st_ino == b.st_ino);
	char real[PATH_MAX], real2[PATH_MAX];
	CHECK("realpath", 73,
	      realpath(dotted, real) && realpath(P("hard"), real2) && strcmp(real, real2) == 0);
	CHECK("realpath-link", 74,
	      realpath(P("sdl"), real) && strcmp(real, realpath(P("sd"), real2)) == 0);
	CHECK("realpath-enoent", 75, !realpath(P("nope/x"), real) && errno == ENOENT);
}

static void test_cwd(void)
{
	char cwd[PATH_MAX], real[PATH_MAX];
	CHECK("chdir", 76,
	      chdir(base) == 0 && getcwd(cwd, sizeof(cwd)) && realpath(base, real) &&
	          strcmp(cwd, real) == 0);
	CHECK("relative-open", 77, file_is("hard", "T") && file_is("./sd/../hard", "T"));
	CHECK("chdir-sub", 78,
	      chdir("sdl") == 0 && getcwd(cwd, sizeof(cwd)) &&
	          strcmp(cwd + strlen(cwd) - 3, "/sd") == 0 && file_is("in", "in"));
	CHECK("chdir-dotdot", 79, chdir("..") == 0 && file_is("hard", "T"));
	int fd = open("sd", O_RDONLY | O_DIRECTORY);
	CHECK("fchdir", 80, fd >= 0 && fchdir(fd) == 0 && file_is("in", "in"));
	close(fd);
	CHECK("getcwd-erange", 81, !getcwd(cwd, 2) && errno == ERANGE);
	CHECK("chdir-enotdir", 82, ERRNO_IS(chdir(P("hard")), ENOTDIR));
	CHECK("chdir-root", 83,
	      chdir("/") == 0 && getcwd(cwd, sizeof(cwd)) && strcmp(cwd, "/") == 0);
}

static void test_at(void)
{
	int dfd = open(base, O_RDONLY | O_DIRECTORY);
	CHECK("at-open-dir", 84, dfd >= 0);
	int fd = openat(dfd, "at.txt", O_CREAT | O_WRONLY | O_TRUNC, 0600);
	CHECK("openat", 85, fd >= 0 && write(fd, "at", 2) == 2 && close(fd) == 0);
	struct stat st;
	CHECK("fstatat", 86, fstatat(dfd, "at.txt", &st, 0) == 0 && st.st_size == 2);
	CHECK("mkdirat", 87, mkdirat(dfd, "atd", 0700) == 0);
	CHECK("renameat", 88,
	      renameat(dfd, "at.txt", dfd, "atd/at2.txt") == 0 && file_is(P("atd/at2.txt"), "at"));
	CHECK("unlinkat", 89,
	      unlinkat(dfd, "atd/at2.txt", 0) == 0 && unlinkat(dfd, "atd", AT_REMOVEDIR) == 0);
	CHECK("fdcwd", 90, fstatat(AT_FDCWD, base, &st, 0) == 0 && S_ISDIR(st.st_mode));
	CHECK("at-ebadf", 91, ERRNO_IS(openat(12345, "x", O_RDONLY), EBADF));
	fd = open(P("hard"), O_RDONLY);
	CHECK("at-enotdir", 92, ERRNO_IS(openat(fd, "x", O_RDONLY), ENOTDIR));
	close(fd);
	close(dfd);
}

static void test_attrs(void)
{
	struct stat st;
	CHECK("chmod", 93,
	      chmod(P("hard"), 0600) == 0 && stat(P("hard"), &st) == 0 &&
	          (st.st_mode & 0777) == 0600);
	int fd = open(P("hard"), O_RDWR);
	CHECK("fchmod", 94,
	      fchmod(fd, 0640) == 0 && fstat(fd, &st) == 0 && (st.st_mode & 0777) == 0640);
	struct timeval tv[2] = {{1000000000, 0}, {1100000000, 500000}};
	CHECK("utimes", 95,
	      utimes(P("hard"), tv) == 0 && stat(P("hard"), &st) == 0 &&
	          st.st_mtime == 1100000000 && st.st_atime == 1000000000);
	struct timespec ts[2] = {{0, UTIME_OMIT}, {1200000000, 0}};
	CHECK("futimens", 96,
	      futimens(fd, ts) == 0 && fstat(fd, &st) == 0 && st.st_mtime == 1200000000 &&
	          st.st_atime == 1000000000);
	CHECK("fsync", 97, fsync(fd) == 0 && fdatasync(fd) == 0);
	close(fd);
	CHECK("access", 98,
	      access(P("hard"), R_OK | W_OK) == 0 && ERRNO_IS(access(P("nope"), F_OK), ENOENT) &&
	          ERRNO_IS(access(P("hard"), X_OK), EACCES));
	struct statvfs sv;
	CHECK("statvfs", 99, statvfs(base, &sv) == 0 && sv.f_bsize > 0 && sv.f_namemax >= 255);
	fd = open(P("hard"), O_RDONLY);
	CHECK("fstatvfs", 100, fstatvfs(fd, &sv) == 0 && sv.f_bsize > 0);
	int fd2 = dup(fd);
	char c;
	CHECK("dup-shares-offset", 101,
	      fd2 >= 0 && read(fd, &c, 1) == 1 && lseek(fd2, 0, SEEK_CUR) == 1);
	close(fd2);
	close(fd);
}

static void test_mmap(void)
{
	char *p = mmap(NULL, 3 * 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK("mmap-anon", 102,
	      p != MAP_FAILED && ((unsigned long)p & 4095) == 0 && p[0] == 0 &&
	          p[3 * 4096 - 1] == 0);
	p[5000] = 7;
	CHECK("munmap", 103, munmap(p, 3 * 4096) == 0);
	CHECK("mmap-file-setup", 104, write_file(P("m.txt"), "mapped file\n") == 0);
	int fd = open(P("m.txt"), O_RDONLY);
	p = mmap(NULL, 100, PROT_READ, MAP_PRIVATE, fd, 0);
	CHECK("mmap-file", 105,
	      p != MAP_FAILED && memcmp(p, "mapped file\n", 12) == 0 && p[12] == 0);
	munmap(p, 100);
	CHECK("mmap-shared-write-refused", 106,
	      mmap(NULL, 100, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0) == MAP_FAILED);
	CHECK("mmap-einval", 107,
	      mmap(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0) == MAP_FAILED &&
	          errno == EINVAL);
	close(fd);
}

/* Byte i of the sendfile test's file. */
static char sf_byte(size_t i)
{
	return (char)(i * 7 + i / 251);
}

static int sf_check(const char *buf, size_t from, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (buf[i] != sf_byte(from + i))
			return 0;
	return 1;
}

/* Reads exactly n bytes from a pipe into buf. */
static int read_all(int fd, char *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = read(fd, buf + got, n - got);
		if (r <= 0)
			return 0;
		got += (size_t)r;
	}
	return 1;
}

static void test_sendfile(void)
{
	enum { SIZE = 100000 }; /* more than a pipe holds, not a multiple of a chunk */
	static char data[SIZE], back[SIZE];
	for (size_t i = 0; i < SIZE; i++)
		data[i] = sf_byte(i);
	int in = open(P("sf.bin"), O_RDWR | O_CREAT | O_TRUNC, 0644), p[2];
	CHECK("sendfile-setup", 119,
	      in >= 0 && write(in, data, SIZE) == SIZE && pipe(p) == 0 &&
	          lseek(in, 1000, SEEK_SET) == 1000);
	/* With an offset: from there, *offset advanced, the file position untouched. */
	off_t off = 5;
	ssize_t n = sendfile(p[1], in, &off, 30000);
	CHECK("sendfile-offset", 120,
	      n == 30000 && off == 30005 && lseek(in, 0, SEEK_CUR) == 1000 &&
	          read_all(p[0], back, 30000) && sf_check(back, 5, 30000));
	/* Without: from the file position, which moves. */
	n = sendfile(p[1], in, NULL, 20000);
	CHECK("sendfile-position", 121,
	      n == 20000 && lseek(in, 0, SEEK_CUR) == 21000 && read_all(p[0], back, 20000) &&
	          sf_check(back, 1000, 20000));
	/* Past the end: what is there, then 0. */
	off = SIZE - 10;
	n = sendfile(p[1], in, &off, 1000);
	ssize_t end = sendfile(p[1], in, &off, 1000);
	CHECK("sendfile-eof", 122,
	      n == 10 && end == 0 && off == SIZE && read_all(p[0], back, 10) &&
	          sf_check(back, SIZE - 10, 10));
	/* A non-blocking pipe takes what fits, then EAGAIN; nothing is lost. */
	int fl = fcntl(p[1], F_GETFL);
	CHECK("sendfile-nonblock-setup", 123, fl >= 0 && fcntl(p[1], F_SETFL, fl | O_NONBLOCK) == 0);
	off = 0;
	n = sendfile(p[1], in, &off, SIZE);
	errno = 0;
	ssize_t again = sendfile(p[1], in, &off, SIZE);
	CHECK("sendfile-partial", 124,
	      n > 0 && n < SIZE && off == n && again == -1 && errno == EAGAIN &&
	          read_all(p[0], back, (size_t)n) && sf_check(back, 0, (size_t)n));
	off_t from = off;
	n = sendfile(p[1], in, &off, SIZE);
	CHECK("sendfile-rest", 125,
	      n > 0 && off == from + n && read_all(p[0], back, (size_t)n) &&
	          sf_check(back, (size_t)from, (size_t)n));
	/* Errors: bad descriptors, a pipe as the source, a negative offset. */
	off = -1;
	int wo = open(P("sf.bin"), O_WRONLY);
	CHECK("sendfile-errors", 126,
	      ERRNO_IS(sendfile(p[1], -1, NULL, 1), EBADF) &&
	          ERRNO_IS(sendfile(99, in, NULL, 1), EBADF) &&
	          ERRNO_IS(sendfile(p[1], wo, NULL, 1), EBADF) &&
	          ERRNO_IS(sendfile(p[0], in, NULL, 1), EBADF) &&
	          ERRNO_IS(sendfile(p[1], p[0], NULL, 1), EINVAL) &&
	          ERRNO_IS(sendfile(p[1], in, &off, 1), EINVAL) && sendfile(p[1], in, NULL, 0) == 0);
	close(wo);
	close(p[0]);
	close(p[1]);
	close(in);
	CHECK("sendfile-cleanup", 127, unlink(P("sf.bin")) == 0);
}

static void test_stdio(void)
{
	FILE *f = fopen(P("stdio.txt"), "w");
	CHECK("fopen", 108, f != NULL && fprintf(f, "line %d\n", 42) == 8 && fclose(f) == 0);
	char line[32];
	f = fopen(P("stdio.txt"), "r");
	CHECK("fgets", 109, f && fgets(line, sizeof(line), f) && strcmp(line, "line 42\n") == 0);
	fclose(f);
	f = fopen(P("stdio.txt"), "a+");
	CHECK("fopen-append", 110,
	      f && fputs("two\n", f) >= 0 && fclose(f) == 0 &&
	          file_is(P("stdio.txt"), "line 42\ntwo\n") && !fopen(P("nope"), "r") &&
	          errno == ENOENT);
	char tmpl[PATH_MAX];
	snprintf(tmpl, sizeof(tmpl), "%s/tmpXXXXXX", base);
	int fd = mkstemp(tmpl);
	FILE *t = tmpfile(); /* in /tmp, which the kernel makes */
	CHECK("mkstemp-tmpfile", 111,
	      fd >= 0 && close(fd) == 0 && unlink(tmpl) == 0 && t && fputs("x", t) >= 0 &&
	          fclose(t) == 0);
}

/* What the host checks after the VM is gone (files-host-check.sh). */
static void leave_for_host(void)
{
	char keep[PATH_MAX];
	snprintf(keep, sizeof(keep), "%s/keep", base);
	CHECK("keep-dir", 112, mkdir(keep, 0755) == 0 && mkdir(P("keep/sub"), 0755) == 0);
	CHECK("keep-hello", 113, write_file(P("keep/hello.txt"), "hello from toro\n") == 0);
	CHECK("keep-replace", 114,
	      write_file(P("keep/replaced.txt"), "old\n") == 0 &&
	          write_file(P("keep/tmp"), "new contents\n") == 0 &&
	          rename(P("keep/tmp"), P("keep/replaced.txt")) == 0);
	CHECK("keep-exchange", 118,
	      write_file(P("keep/swap-a"), "b\n") == 0 &&
	          write_file(P("keep/swap-b"), "a\n") == 0 &&
	          renameat2(AT_FDCWD, P("keep/swap-a"), AT_FDCWD, P("keep/swap-b"),
	                    RENAME_EXCHANGE) == 0);
	int ok = 1;
	char name[32];
	for (int i = 0; i < 3; i++) {
		snprintf(name, sizeof(name), "keep/sub/%d", i);
		ok &= write_file(P(name), name) == 0;
	}
	CHECK("keep-sub", 115, ok && symlink("hello.txt", P("keep/link")) == 0);
	int fd = open(P("keep/appended"), O_WRONLY | O_CREAT | O_APPEND, 0600);
	CHECK("keep-append", 116,
	      fd >= 0 && write(fd, "1\n", 2) == 2 && write(fd, "2\n", 2) == 2 && fsync(fd) == 0 &&
	          close(fd) == 0);
}

int main(int argc, char **argv)
{
	snprintf(base, sizeof(base), "%s", argc > 1 ? argv[1] : "/tmp/files");
	CHECK("base", 117, mkdir_p(base) == 0);
	test_create_read();
	test_append_seek();
	test_truncate();
	test_rename_unlink();
	test_renameat2();
	test_dirs();
	test_readdir();
	test_symlinks();
	test_links();
	test_names();
	test_cwd();
	test_at();
	test_attrs();
	test_mmap();
	test_sendfile();
	test_stdio();
	leave_for_host();
	return vmtest_success();
}
