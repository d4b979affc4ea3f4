/*
 * fsbench: file throughput on one directory, POSIX calls only, so the same
 * source builds as a Toro image (x86_64-toro-gcc) and as a static Linux
 * binary (gcc -static) for the Linux VM.  bench/files.sh runs it on a
 * virtio-fs mount in both.
 *
 *   fsbench DIR write MIB       write DIR/fsbench.dat (MIB MiB), fsync, close
 *   fsbench DIR read MIB        read it back (a fresh boot: no guest cache)
 *   fsbench DIR small N SECS    create+write 4 KiB+close N files in
 *                               DIR/small, or as many as fit in SECS
 *
 * Output, one line per figure (anything else on the console is ignored):
 *   fsbench write MBps 123.4 bytes 268435456 secs 2.174
 *   fsbench small files_per_s 456.7 files 2000 secs 4.379
 * and "fsbench error ..." on failure (exit status 1).
 *
 * Reads and writes are 1 MiB calls so that the file system sees large
 * requests (stdio would split them into its small buffer).  Every 4 KiB
 * block carries its file offset followed by a fixed pseudo-random pattern;
 * the read checks both, so a short, misplaced or garbled read fails instead
 * of looking fast.  Only the file system calls are timed: filling and
 * checking the buffers (slow under TCG, the same on both sides) is not.
 * MBps means 10^6 bytes per second.
 */
#define _POSIX_C_SOURCE 200809L
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define CHUNK (1u << 20) /* bytes per read()/write() call */
#define BLOCK 4096u      /* each carries its offset in its first 8 bytes */
#define SMALL 4096u      /* bytes per small file */

static unsigned char pattern[CHUNK]; /* the file's content minus the stamps */
static unsigned char buf[CHUNK];
static double io_secs; /* time spent inside timed calls */

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void fail(const char *what, const char *path)
{
	printf("fsbench error %s %s: %s\n", what, path, strerror(errno));
	exit(1);
}

static void pattern_init(void)
{
	uint64_t x = 0x9e3779b97f4a7c15u; /* xorshift64: cheap, not periodic per block */
	for (size_t i = 0; i < CHUNK; i += 8) {
		x ^= x << 13;
		x ^= x >> 7;
		x ^= x << 17;
		memcpy(pattern + i, &x, 8);
	}
}

/* buf = the pattern, each block stamped with its file offset */
static void chunk_fill(uint64_t off)
{
	memcpy(buf, pattern, CHUNK);
	for (size_t b = 0; b < CHUNK; b += BLOCK) {
		uint64_t o = off + b;
		memcpy(buf + b, &o, 8);
	}
}

/* 0 if buf's first len bytes are what chunk_fill(off) wrote */
static int chunk_check(uint64_t off, size_t len)
{
	for (size_t b = 0; b < len; b += BLOCK) {
		uint64_t o;
		size_t n = len - b < BLOCK ? len - b : BLOCK;
		memcpy(&o, buf + b, 8);
		if (n < 8 || o != off + b || memcmp(buf + b + 8, pattern + b + 8, n - 8) != 0)
			return -1;
	}
	return 0;
}

static void report(const char *test, const char *unit, double value, const char *count_name,
                   uint64_t count)
{
	printf("fsbench %s %s %.1f %s %llu secs %.3f\n", test, unit, value, count_name,
	       (unsigned long long)count, io_secs);
}

static void test_write(const char *path, uint64_t size)
{
	double t = now();
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0)
		fail("open", path);
	io_secs += now() - t;
	for (uint64_t off = 0; off < size; off += CHUNK) {
		size_t len = size - off < CHUNK ? (size_t)(size - off) : CHUNK;
		chunk_fill(off);
		t = now();
		ssize_t n = write(fd, buf, len);
		io_secs += now() - t;
		if (n != (ssize_t)len)
			fail(n < 0 ? "write" : "short write", path);
	}
	t = now();
	if (fsync(fd) != 0)
		fail("fsync", path);
	if (close(fd) != 0)
		fail("close", path);
	io_secs += now() - t;
	report("write", "MBps", (double)size / io_secs / 1e6, "bytes", size);
}

/* read() until the chunk is full or the file ends: a short read is legal */
static size_t read_full(int fd, const char *path)
{
	size_t got = 0;
	while (got < CHUNK) {
		double t = now();
		ssize_t n = read(fd, buf + got, CHUNK - got);
		io_secs += now() - t;
		if (n < 0)
			fail("read", path);
		if (n == 0)
			break;
		got += (size_t)n;
	}
	return got;
}

static void test_read(const char *path, uint64_t size)
{
	double t = now();
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		fail("open", path);
	io_secs += now() - t;
	uint64_t off = 0;
	for (;;) {
		size_t n = read_full(fd, path);
		if (n == 0)
			break;
		if (off + n > size || chunk_check(off, n) != 0) {
			printf("fsbench error %s: wrong data in the MiB at offset %llu\n", path,
			       (unsigned long long)off);
			exit(1);
		}
		off += n;
	}
	t = now();
	if (close(fd) != 0)
		fail("close", path);
	io_secs += now() - t;
	errno = EIO;
	if (off != size)
		fail("file shorter than expected", path);
	report("read", "MBps", (double)size / io_secs / 1e6, "bytes", size);
}

/* removes DIR/small/f* (count files) and the directory; not timed */
static void small_clean(const char *dir, unsigned count)
{
	char p[4096];
	for (unsigned i = 0; i < count; i++) {
		snprintf(p, sizeof(p), "%s/f%06u", dir, i);
		unlink(p);
	}
	rmdir(dir);
}

static void test_small(const char *top, unsigned count, double secs)
{
	char dir[2048], p[4096]; /* p: dir + "/f" + a number always fits */
	if (snprintf(dir, sizeof(dir), "%s/small", top) >= (int)sizeof(dir)) {
		errno = ENAMETOOLONG;
		fail("mkdir", top);
	}
	small_clean(dir, count); /* leftovers of an interrupted run */
	if (mkdir(dir, 0755) != 0)
		fail("mkdir", dir);
	memcpy(buf, pattern, SMALL);
	double t0 = now();
	unsigned done = 0;
	while (done < count && now() - t0 < secs) {
		snprintf(p, sizeof(p), "%s/f%06u", dir, done);
		int fd = open(p, O_WRONLY | O_CREAT | O_EXCL, 0644);
		if (fd < 0)
			fail("open", p);
		if (write(fd, buf, SMALL) != (ssize_t)SMALL)
			fail("write", p);
		if (close(fd) != 0)
			fail("close", p);
		done++;
	}
	io_secs = now() - t0;
	/* every file exists with its size (a sample: each stat is a round trip) */
	for (unsigned i = 0; i < done; i += done / 20 + 1) {
		struct stat st;
		snprintf(p, sizeof(p), "%s/f%06u", dir, i);
		errno = EIO;
		if (stat(p, &st) != 0 || st.st_size != SMALL)
			fail("small file missing or wrong size", p);
	}
	report("small", "files_per_s", done / io_secs, "files", done);
	small_clean(dir, done);
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: fsbench DIR write|read MIB | fsbench DIR small N SECS\n");
		return 2;
	}
	const char *dir = argv[1], *test = argv[2];
	char path[4096];
	snprintf(path, sizeof(path), "%s/fsbench.dat", dir);
	pattern_init();
	setvbuf(stdout, NULL, _IOLBF, 0);
	uint64_t mib = strtoull(argv[3], NULL, 10);
	if (strcmp(test, "write") == 0 && mib > 0)
		test_write(path, mib << 20);
	else if (strcmp(test, "read") == 0 && mib > 0)
		test_read(path, mib << 20);
	else if (strcmp(test, "small") == 0 && argc >= 5 && mib > 0)
		test_small(dir, (unsigned)mib, atof(argv[4]));
	else {
		fprintf(stderr, "fsbench: bad arguments\n");
		return 2;
	}
	return 0;
}
