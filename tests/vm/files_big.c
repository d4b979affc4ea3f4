/*
 * Sizes: files_big DIR [MB] [ENTRIES].
 *   - ENTRIES files (default 10000) made in DIR/many, listed with readdir
 *     (each name once), then removed, and the directory with them;
 *   - a file of MB megabytes (default 100) written in 1 MiB pieces from a
 *     generator, read back and checked; its SHA-256 is printed as
 *     "sha256 HEX" for the host to compare with sha256sum.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmtest.h"

#define PIECE (1 << 20)

struct sha256 {
	uint32_t h[8];
	uint64_t len;
	unsigned char buf[64];
	size_t used;
};

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void sha_block(struct sha256 *s, const unsigned char *p)
{
	uint32_t w[64], v[8];
	for (int i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | p[4 * i + 1] << 16 | p[4 * i + 2] << 8 |
		       p[4 * i + 3];
	for (int i = 16; i < 64; i++)
		w[i] = w[i - 16] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       w[i - 7] + (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(v, s->h, sizeof(v));
	for (int i = 0; i < 64; i++) {
		uint32_t t1 = v[7] + (ROR(v[4], 6) ^ ROR(v[4], 11) ^ ROR(v[4], 25)) +
		              ((v[4] & v[5]) ^ (~v[4] & v[6])) + K[i] + w[i];
		uint32_t t2 = (ROR(v[0], 2) ^ ROR(v[0], 13) ^ ROR(v[0], 22)) +
		              ((v[0] & v[1]) ^ (v[0] & v[2]) ^ (v[1] & v[2]));
		memmove(v + 1, v, 7 * sizeof(v[0]));
		v[4] += t1;
		v[0] = t1 + t2;
	}
	for (int i = 0; i < 8; i++)
		s->h[i] += v[i];
}

static void sha_init(struct sha256 *s)
{
	static const uint32_t h0[8] = {0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	                               0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19};
	memset(s, 0, sizeof(*s));
	memcpy(s->h, h0, sizeof(h0));
}

static void sha_add(struct sha256 *s, const unsigned char *p, size_t n)
{
	s->len += n;
	while (n) {
		size_t k = 64 - s->used < n ? 64 - s->used : n;
		memcpy(s->buf + s->used, p, k);
		s->used += k, p += k, n -= k;
		if (s->used == 64) {
			sha_block(s, s->buf);
			s->used = 0;
		}
	}
}

static void sha_hex(struct sha256 *s, char out[65])
{
	uint64_t bits = s->len * 8;
	unsigned char pad = 0x80, len[8];
	sha_add(s, &pad, 1);
	pad = 0;
	while (s->used != 56)
		sha_add(s, &pad, 1);
	for (int i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha_add(s, len, 8);
	for (int i = 0; i < 8; i++)
		sprintf(out + 8 * i, "%08x", (unsigned)s->h[i]);
}

static void fill(unsigned char *buf, size_t n, uint64_t *x)
{
	for (size_t i = 0; i < n; i += 8) { /* xorshift64 */
		*x ^= *x << 13, *x ^= *x >> 7, *x ^= *x << 17;
		memcpy(buf + i, x, 8);
	}
}

static int many_entries(const char *dir, int n)
{
	char path[640];
	int ok = 1;
	for (int i = 0; i < n && ok; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		int fd = open(path, O_CREAT | O_WRONLY | O_EXCL, 0644);
		ok = fd >= 0 && close(fd) == 0;
	}
	CHECK("create-entries", 3, ok);
	unsigned char *seen = calloc((size_t)n, 1);
	DIR *d = opendir(dir);
	struct dirent *e;
	int count = 0, i;
	while (d && (e = readdir(d)) != NULL)
		if (sscanf(e->d_name, "f%d", &i) == 1 && i >= 0 && i < n && !seen[i]++)
			count++;
	CHECK("readdir-entries", 4, d && closedir(d) == 0 && count == n);
	for (i = 0; i < n && ok; i++) {
		snprintf(path, sizeof(path), "%s/f%05d", dir, i);
		ok = unlink(path) == 0;
	}
	free(seen);
	CHECK("unlink-entries", 5, ok && rmdir(dir) == 0);
	return count;
}

static void big_file(const char *path, int mb, char hex[65])
{
	unsigned char *buf = malloc(PIECE), *back = malloc(PIECE);
	struct sha256 s;
	uint64_t x = 88172645463325252ULL;
	int fd = open(path, O_CREAT | O_TRUNC | O_WRONLY, 0644), ok = fd >= 0 && buf && back;
	sha_init(&s);
	for (int i = 0; i < mb && ok; i++) {
		fill(buf, PIECE, &x);
		sha_add(&s, buf, PIECE);
		ok = write(fd, buf, PIECE) == PIECE;
	}
	CHECK("big-write", 6, ok && fsync(fd) == 0 && close(fd) == 0);
	sha_hex(&s, hex);
	fd = open(path, O_RDONLY);
	x = 88172645463325252ULL;
	ok = fd >= 0;
	for (int i = 0; i < mb && ok; i++) {
		fill(buf, PIECE, &x);
		ok = read(fd, back, PIECE) == PIECE && memcmp(buf, back, PIECE) == 0;
	}
	CHECK("big-read-back", 7, ok && read(fd, back, 1) == 0 && close(fd) == 0);
	free(buf);
	free(back);
}

int main(int argc, char **argv)
{
	const char *dir = argc > 1 ? argv[1] : "/tmp/big";
	int mb = argc > 2 ? atoi(argv[2]) : 100, n = argc > 3 ? atoi(argv[3]) : 10000;
	char path[512], hex[65];
	CHECK("mkdir", 1, mkdir(dir, 0755) == 0 || errno == EEXIST);
	snprintf(path, sizeof(path), "%s/many", dir);
	CHECK("mkdir-many", 2, mkdir(path, 0755) == 0);
	printf("%d entries made, listed and removed\n", many_entries(path, n));
	snprintf(path, sizeof(path), "%s/big.bin", dir);
	big_file(path, mb, hex);
	printf("sha256 %s\n", hex);
	return vmtest_success();
}
