/*
 * The tree the kernel builds at boot.  argv[1] says what to check:
 *   initrd   the archive of make-initrd.sh is visible under "/": contents,
 *            modes, times, symlinks, directories; it is writable; and
 *            sendfile() of an initrd file to TCP (sent by reference while
 *            the file is untouched, copied once it was written) is exact
 *   dev      /dev: null, zero, random/urandom (prints 16 bytes as
 *            "urandom: HEX" for a check across two boots), console, tty,
 *            stdin/stdout/stderr
 *   bad      a malformed initrd was given: the root is an empty ramfs that
 *            still works
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netinet/in.h>
#include <pthread.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmtest.h"

static int file_is(const char *path, const char *text)
{
	char buf[256];
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf));
	close(fd);
	return n == (ssize_t)strlen(text) && memcmp(buf, text, (size_t)n) == 0;
}

static int big_ok(void)
{
	static unsigned char buf[300001];
	int fd = open("/data/big.bin", O_RDONLY);
	size_t got = 0;
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf + got, sizeof(buf) - got)) > 0)
		got += (size_t)n;
	close(fd);
	if (got != 300000)
		return 0;
	for (size_t i = 0; i < got; i++)
		if (buf[i] != i % 251)
			return 0;
	return 1;
}

static int dir_has(const char *dir, const char *const *names, int n)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int found = 0, total = 0;
	while (d && (e = readdir(d)) != NULL) {
		total++;
		for (int i = 0; i < n; i++)
			found += strcmp(e->d_name, names[i]) == 0;
	}
	if (d)
		closedir(d);
	return d && found == n && total == n + 2;
}

/* ---- sendfile() of an initrd file over TCP loopback ---------------------- */

struct sink {
	int fd;
	size_t want;
	unsigned char *buf;
	size_t got;
};

static void *sink_read(void *arg)
{
	struct sink *k = arg;
	while (k->got < k->want) {
		ssize_t r = read(k->fd, k->buf + k->got, k->want - k->got);
		if (r <= 0)
			break;
		k->got += (size_t)r;
	}
	return NULL;
}

/* len bytes of path from off, sent with sendfile() to a TCP peer: what it got. */
static int sendfile_tcp(const char *path, off_t off, size_t len, unsigned char *out)
{
	int l = socket(AF_INET, SOCK_STREAM, 0), c = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	if (l < 0 || c < 0 || bind(l, (struct sockaddr *)&a, sizeof(a)) < 0 || listen(l, 1) < 0 ||
	    getsockname(l, (struct sockaddr *)&a, &alen) < 0 ||
	    connect(c, (struct sockaddr *)&a, sizeof(a)) < 0)
		return 0;
	struct sink k = {.fd = accept(l, NULL, NULL), .want = len, .buf = out};
	pthread_t t;
	int in = open(path, O_RDONLY);
	if (k.fd < 0 || in < 0 || pthread_create(&t, NULL, sink_read, &k) != 0)
		return 0;
	size_t sent = 0;
	while (sent < len) {
		ssize_t r = sendfile(c, in, &off, len - sent);
		if (r <= 0)
			break;
		sent += (size_t)r;
	}
	pthread_join(t, NULL);
	close(in);
	close(c);
	close(k.fd);
	close(l);
	return sent == len && k.got == len;
}

static int sendfile_initrd(void)
{
	enum { SIZE = 300000 };
	static unsigned char got[SIZE + 1];
	/* Untouched: from the boot module, by reference. */
	if (!sendfile_tcp("/data/big.bin", 0, SIZE, got))
		return 0;
	for (size_t i = 0; i < SIZE; i++)
		if (got[i] != i % 251)
			return 0;
	if (!sendfile_tcp("/data/big.bin", 123457, 1000, got))
		return 0;
	for (size_t i = 0; i < 1000; i++)
		if (got[i] != (123457 + i) % 251)
			return 0;
	/* Written: now a copy of its own, which sendfile() copies in turn. */
	int fd = open("/data/big.bin", O_WRONLY);
	if (fd < 0 || pwrite(fd, "\xff", 1, 5) != 1 || write(fd, "!", 1) != 1 || close(fd) != 0)
		return 0;
	if (!sendfile_tcp("/data/big.bin", 0, SIZE, got))
		return 0;
	for (size_t i = 0; i < SIZE; i++)
		if (got[i] != (i == 5 ? 0xff : i == 0 ? '!' : i % 251))
			return 0;
	return 1;
}

static int check_initrd(void)
{
	struct stat st;
	char buf[64];
	CHECK("config-read", 1, file_is("/etc/app.conf", "name=toro\nport=8080\n"));
	CHECK("config-attrs", 2,
	      stat("/etc/app.conf", &st) == 0 && (st.st_mode & 07777) == 0644 &&
	          st.st_mtime == 1600000000 && st.st_size == 20);
	CHECK("empty-file", 3,
	      stat("/etc/empty", &st) == 0 && S_ISREG(st.st_mode) && st.st_size == 0);
	CHECK("big-file", 4, big_ok());
	CHECK("exec-mode", 5, stat("/bin/tool", &st) == 0 && (st.st_mode & 0777) == 0755);
	CHECK("dir-mode", 6,
	      stat("/data", &st) == 0 && S_ISDIR(st.st_mode) && (st.st_mode & 0777) == 0700);
	ssize_t n = readlink("/etc/link.conf", buf, sizeof(buf));
	CHECK("symlink", 7,
	      n == 8 && memcmp(buf, "app.conf", 8) == 0 &&
	          file_is("/etc/link.conf", "name=toro\nport=8080\n"));
	CHECK("abs-symlink", 8, file_is("/abs.conf", "name=toro\nport=8080\n"));
	CHECK("deep-dir", 9, file_is("/doc/deep/readme.txt", "deep\n"));
	static const char *const etc[] = {"app.conf", "empty", "link.conf"};
	CHECK("readdir-etc", 10, dir_has("/etc", etc, 3));
	int fd = open("/etc/app.conf", O_WRONLY | O_APPEND);
	CHECK("write-initrd-file", 11,
	      fd >= 0 && write(fd, "x=1\n", 4) == 4 && close(fd) == 0 &&
	          file_is("/etc/app.conf", "name=toro\nport=8080\nx=1\n"));
	fd = open("/etc/new.conf", O_WRONLY | O_CREAT | O_EXCL, 0600);
	CHECK("create-at-runtime", 12,
	      fd >= 0 && write(fd, "new\n", 4) == 4 && close(fd) == 0 &&
	          file_is("/etc/new.conf", "new\n"));
	CHECK("unlink-initrd-file", 13,
	      unlink("/bin/tool") == 0 && access("/bin/tool", F_OK) < 0 && big_ok());
	CHECK("dev-mounted", 14, stat("/dev/null", &st) == 0 && S_ISCHR(st.st_mode));
	CHECK("sendfile-initrd-tcp", 15, sendfile_initrd());
	return vmtest_success();
}

static int all_zero(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return 0;
	return 1;
}

static int check_dev(void)
{
	unsigned char a[64], b[64];
	struct stat st;
	int fd = open("/dev/null", O_RDWR);
	CHECK("null", 1,
	      fd >= 0 && read(fd, a, sizeof(a)) == 0 && write(fd, a, sizeof(a)) == sizeof(a));
	CHECK("null-stat", 2,
	      fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && st.st_rdev == ((1 << 8) | 3));
	close(fd);
	memset(a, 0xff, sizeof(a));
	fd = open("/dev/zero", O_RDONLY);
	CHECK("zero", 3, fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a) && all_zero(a, sizeof(a)));
	close(fd);
	fd = open("/dev/urandom", O_RDONLY);
	CHECK("urandom", 4,
	      fd >= 0 && read(fd, a, sizeof(a)) == sizeof(a) &&
	          read(fd, b, sizeof(b)) == sizeof(b) && memcmp(a, b, sizeof(a)) != 0 &&
	          !all_zero(a, sizeof(a)));
	close(fd);
	printf("urandom: ");
	for (int i = 0; i < 16; i++)
		printf("%02x", a[i]);
	printf("\n");
	fd = open("/dev/random", O_RDONLY);
	CHECK("random", 5, fd >= 0 && read(fd, b, 16) == 16 && memcmp(a, b, 16) != 0);
	close(fd);
	fd = open("/dev/console", O_WRONLY);
	CHECK("console", 6, fd >= 0 && write(fd, "console works\n", 14) == 14 && close(fd) == 0);
	fd = open("/dev/tty", O_RDWR);
	CHECK("tty", 7, fd >= 0 && isatty(fd) && close(fd) == 0);
	fflush(stdout);
	fd = open("/dev/stdout", O_WRONLY);
	CHECK("stdout", 8, fd >= 0 && write(fd, "via /dev/stdout\n", 16) == 16 && close(fd) == 0);
	fd = open("/dev/stderr", O_WRONLY);
	CHECK("stderr", 9, fd >= 0 && write(fd, "via /dev/stderr\n", 16) == 16 && close(fd) == 0);
	fd = open("/dev/stdin", O_RDONLY);
	CHECK("stdin", 10, fd >= 0 && fstat(fd, &st) == 0 && S_ISCHR(st.st_mode) && close(fd) == 0);
	static const char *const devs[] = {"null", "zero",  "random", "urandom", "console",
	                                   "tty",  "stdin", "stdout", "stderr"};
	CHECK("readdir-dev", 11, dir_has("/dev", devs, 9));
	CHECK("dev-no-create", 12, open("/dev/newfile", O_CREAT | O_WRONLY, 0644) < 0);
	CHECK("dev-enoent", 13, open("/dev/nothing", O_RDONLY) < 0 && errno == ENOENT);
	CHECK("root-dotdot", 14, stat("/dev/../dev/./null", &st) == 0 && S_ISCHR(st.st_mode));
	return vmtest_success();
}

static int check_bad(void)
{
	struct stat st;
	CHECK("root-exists", 1, stat("/", &st) == 0 && S_ISDIR(st.st_mode));
	int fd = open("/after-bad-initrd", O_CREAT | O_WRONLY, 0644);
	CHECK("root-writable", 2, fd >= 0 && write(fd, "ok", 2) == 2 && close(fd) == 0);
	CHECK("dev-still-there", 3, stat("/dev/zero", &st) == 0);
	return vmtest_success();
}

int main(int argc, char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "initrd";
	if (strcmp(mode, "dev") == 0)
		return check_dev();
	if (strcmp(mode, "bad") == 0)
		return check_bad();
	return check_initrd();
}
