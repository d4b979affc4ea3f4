/*
 * File I/O from several threads at once:  files_threads DIR NTHREADS.
 * Each thread writes its own file in odd-sized pieces with a pattern of
 * its own, reads it back and checks it; meanwhile all of them pread one
 * shared file at random offsets.  On virtio-fs this keeps several requests
 * in flight together, each thread sleeping on its own reply.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmtest.h"

#define FILE_SIZE   (192 * 1024)
#define SHARED_SIZE (256 * 1024)
#define ROUNDS      3
#define MAX_THREADS 16

static const char *dir;
static int errors[MAX_THREADS];

static unsigned char pattern(int t, size_t i)
{
	return (unsigned char)(i * 7 + (size_t)t * 31 + (i >> 9));
}

static int write_own(int t, const char *path, unsigned char *buf)
{
	int fd = open(path, O_RDWR | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		return 1;
	for (size_t i = 0; i < FILE_SIZE; i++)
		buf[i] = pattern(t, i);
	size_t done = 0, piece = 1000 + (size_t)t * 333;
	while (done < FILE_SIZE) {
		size_t n = FILE_SIZE - done < piece ? FILE_SIZE - done : piece;
		if (write(fd, buf + done, n) != (ssize_t)n)
			return close(fd), 2;
		done += n;
	}
	return fsync(fd) == 0 && close(fd) == 0 ? 0 : 3;
}

static int read_own(int t, const char *path, unsigned char *buf)
{
	memset(buf, 0, FILE_SIZE);
	int fd = open(path, O_RDONLY);
	size_t got = 0;
	ssize_t n;
	while (fd >= 0 && (n = read(fd, buf + got, FILE_SIZE + 1 - got)) > 0)
		got += (size_t)n;
	if (fd < 0 || close(fd) < 0 || got != FILE_SIZE)
		return 4;
	for (size_t i = 0; i < FILE_SIZE; i++)
		if (buf[i] != pattern(t, i))
			return 5;
	return 0;
}

static int read_shared(unsigned seed)
{
	char path[256];
	unsigned char buf[4096];
	snprintf(path, sizeof(path), "%s/shared", dir);
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return 6;
	for (int i = 0; i < 32; i++) {
		seed = seed * 1103515245 + 12345;
		size_t off = seed % (SHARED_SIZE - sizeof(buf));
		if (pread(fd, buf, sizeof(buf), (off_t)off) != sizeof(buf))
			return close(fd), 7;
		for (size_t j = 0; j < sizeof(buf); j++)
			if (buf[j] != (unsigned char)((off + j) % 253))
				return close(fd), 8;
	}
	return close(fd) == 0 ? 0 : 9;
}

static void *worker(void *arg)
{
	int t = (int)(intptr_t)arg;
	char path[256];
	unsigned char *buf = malloc(FILE_SIZE + 1);
	snprintf(path, sizeof(path), "%s/thread%d", dir, t);
	int err = buf ? 0 : 10;
	for (int r = 0; r < ROUNDS && !err; r++) {
		err = write_own(t, path, buf);
		if (!err)
			err = read_shared((unsigned)(t * 1000 + r));
		if (!err)
			err = read_own(t, path, buf);
	}
	if (!err && unlink(path) < 0)
		err = 11;
	free(buf);
	errors[t] = err;
	return NULL;
}

static int make_shared(void)
{
	char path[256];
	static unsigned char buf[SHARED_SIZE];
	for (size_t i = 0; i < SHARED_SIZE; i++)
		buf[i] = (unsigned char)(i % 253);
	snprintf(path, sizeof(path), "%s/shared", dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	return fd >= 0 && write(fd, buf, sizeof(buf)) == sizeof(buf) && close(fd) == 0;
}

int main(int argc, char **argv)
{
	dir = argc > 1 ? argv[1] : "/tmp/threads";
	int n = argc > 2 ? atoi(argv[2]) : 4;
	pthread_t th[MAX_THREADS];
	CHECK("args", 1, n >= 1 && n <= MAX_THREADS);
	CHECK("mkdir", 2, mkdir(dir, 0755) == 0 || errno == EEXIST);
	CHECK("shared-file", 3, make_shared());
	int ok = 1;
	for (int t = 0; t < n; t++)
		ok &= pthread_create(&th[t], NULL, worker, (void *)(intptr_t)t) == 0;
	CHECK("threads-started", 4, ok);
	for (int t = 0; t < n; t++)
		ok &= pthread_join(th[t], NULL) == 0;
	CHECK("threads-joined", 5, ok);
	for (int t = 0; t < n; t++)
		if (errors[t])
			printf("thread %d: error %d\n", t, errors[t]);
	for (int t = 0; t < n; t++)
		ok &= errors[t] == 0;
	CHECK("threads-io", 6, ok);
	printf("%d threads, %d rounds of %d KiB each: data intact\n", n, ROUNDS, FILE_SIZE / 1024);
	return vmtest_success();
}
