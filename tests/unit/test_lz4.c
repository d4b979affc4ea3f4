/*
 * The self-unpacking image's LZ4 decoder (kernel/arch/x86_64/pack/lz4.c):
 * blocks made by the real `lz4` tool (the one tools/toro-pack uses) decode
 * back byte-exact; hand-made malformed blocks, every truncation and random
 * damage are refused or decode within bounds (ASan checks every access).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "../../kernel/arch/x86_64/pack/lz4.h"
#include "check.h"

#define LEGACY_MAGIC 0x184C2102u

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Compresses in with `lz4 -12 -l`; the first block (inputs are < 8 MiB). */
static uint8_t *lz4_tool(const uint8_t *in, size_t n, size_t *block_len)
{
	char src[] = "/tmp/unit-lz4.XXXXXX";
	int fd = mkstemp(src);
	FILE *f = fd >= 0 ? fdopen(fd, "wb") : NULL;
	if (!f || fwrite(in, 1, n, f) != n || fclose(f) != 0)
		return NULL;
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "lz4 -12 -l -c -q %s", src);
	FILE *p = popen(cmd, "r");
	static uint8_t out[1 << 22];
	size_t got = p ? fread(out, 1, sizeof(out), p) : 0;
	int st = p ? pclose(p) : -1;
	remove(src);
	if (st != 0 || got < 8 || le32(out) != LEGACY_MAGIC || le32(out + 4) != got - 8)
		return NULL;
	*block_len = got - 8;
	uint8_t *block = malloc(*block_len);
	memcpy(block, out + 8, *block_len);
	return block;
}

/* Decodes into a buffer of exactly cap bytes (so ASan sees any overflow). */
static long decode(const uint8_t *b, size_t len, size_t cap, uint8_t **out)
{
	*out = malloc(cap ? cap : 1);
	uint8_t *src = malloc(len ? len : 1); /* exact-size copy: overreads show */
	memcpy(src, b, len);
	long r = lz4_block_decode(src, len, *out, cap);
	free(src);
	return r;
}

static void roundtrip(const char *what, const uint8_t *in, size_t n)
{
	size_t len;
	uint8_t *block = lz4_tool(in, n, &len), *out;
	CHECK(block != NULL);
	if (!block) {
		fprintf(stderr, "\t%s: lz4 failed\n", what);
		return;
	}
	long r = decode(block, len, n, &out);
	CHECK_EQ(r, n);
	CHECK(r == (long)n && memcmp(out, in, n) == 0);
	free(out);
	/* One byte less room: refused, never written past. */
	if (n) {
		CHECK_EQ(decode(block, len, n - 1, &out), -1);
		free(out);
	}
	/* Every truncation: refused or shorter, within bounds. */
	for (size_t cut = 0; cut < len; cut += 1 + len / 512) {
		long t = decode(block, cut, n, &out);
		CHECK(t < (long)n);
		CHECK(t < 0 || memcmp(out, in, (size_t)t) == 0);
		free(out);
	}
	/* Random damage: any result, but inside the buffer. */
	srand(7);
	for (int i = 0; i < 300; i++) {
		uint8_t *bad = malloc(len);
		memcpy(bad, block, len);
		for (int k = 0; k < 3; k++)
			bad[(size_t)rand() % len] ^= (uint8_t)(1 + rand() % 255);
		long t = decode(bad, len, n, &out);
		CHECK(t >= -1 && t <= (long)n);
		free(out);
		free(bad);
	}
	free(block);
}

int main(void)
{
	enum { N = 300000 };
	static uint8_t in[N];
	srand(1);
	for (size_t i = 0; i < N; i++)
		in[i] = (uint8_t)rand();
	roundtrip("random", in, N);
	for (size_t i = 0; i < N; i++)
		in[i] = (uint8_t)"abcab"[i % 5]; /* overlapping matches: offset < length */
	roundtrip("pattern", in, N);
	for (size_t i = 0; i < N; i++)
		in[i] = (i / 1000) % 3 ? (uint8_t)(i * 31 / 7) : (uint8_t)rand();
	roundtrip("mixed", in, N);
	roundtrip("short", (const uint8_t *)"hello", 5);

	uint8_t *out;
	static const uint8_t empty[] = {0x00}; /* no literals, no match: nothing */
	CHECK_EQ(decode(empty, sizeof(empty), 0, &out), 0);
	free(out);
	CHECK_EQ(decode(empty, 0, 16, &out), -1); /* no block at all */
	free(out);
	/* Hand-made blocks. */
	static const uint8_t lits[] = {0x30, 'a', 'b', 'c'};
	CHECK_EQ(decode(lits, sizeof(lits), 3, &out), 3);
	CHECK(memcmp(out, "abc", 3) == 0);
	free(out);
	static const uint8_t rle[] = {0x1f, 'x', 1, 0, 0x00, 0x00}; /* x, then 19 x's, then end */
	CHECK_EQ(decode(rle, sizeof(rle), 64, &out), 20);
	free(out);
	static const uint8_t off0[] = {0x10, 'x', 0, 0, 0x00};
	CHECK_EQ(decode(off0, sizeof(off0), 64, &out), -1); /* offset 0 */
	free(out);
	static const uint8_t far[] = {0x10, 'x', 2, 0, 0x00};
	CHECK_EQ(decode(far, sizeof(far), 64, &out), -1); /* before the start */
	free(out);
	static const uint8_t longlit[] = {0xf0, 255, 255}; /* length runs off the end */
	CHECK_EQ(decode(longlit, sizeof(longlit), 1024, &out), -1);
	free(out);
	static const uint8_t endmatch[] = {0x14, 'x', 1, 0}; /* ends after a match */
	CHECK_EQ(decode(endmatch, sizeof(endmatch), 64, &out), -1);
	free(out);
	static const uint8_t halfoff[] = {0x10, 'x', 1};
	CHECK_EQ(decode(halfoff, sizeof(halfoff), 64, &out), -1);
	free(out);
	return check_summary("lz4");
}
