/*
 * unit.string: libc-glue/string.c (included here, its functions renamed
 * test_*), under ASan.
 *
 * memcpy and memset: every length to 300 at every alignment to 15 (both
 * pointers for memcpy), the bytes right, and not one byte before or after
 * the destination touched.
 *
 * memcmp, against the host's: every length to 80 at every pair of alignments to 15,
 * equal, and differing at each position by each kind of byte (above and
 * below, high bit set or not); the blocks end where the compared bytes end,
 * so a read past either end stops the test.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

#define STRING_NAME(x) test_##x
#include "../../libc-glue/string.c"

static int sign(int v)
{
	return (v > 0) - (v < 0);
}

/* A block of off + n bytes: reading past its end is caught. */
static unsigned char *block(size_t off, size_t n)
{
	unsigned char *b = malloc(off + n + (off + n == 0));
	CHECK(b != NULL);
	return b;
}

static void test_copy_set(void)
{
	static unsigned char src[340], dst[340], want[340];
	unsigned long wrong = 0, runs = 0;
	for (size_t i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 37 + 11);
	for (size_t n = 0; n <= 300; n++) {
		for (size_t od = 0; od < 16; od++) {
			for (size_t os = 0; os < 16; os++) {
				memset(dst, 0xa5, sizeof(dst));
				memcpy(want, dst, sizeof(want));
				memcpy(want + 8 + od, src + os, n);
				CHECK(test_memcpy(dst + 8 + od, src + os, n) == dst + 8 + od);
				wrong += memcmp(dst, want, sizeof(dst)) != 0;
				runs++;
			}
			static const int vals[] = {0, 0x5a, 0xff, 0x1ab};
			for (size_t v = 0; v < 4; v++) {
				memset(dst, 0xa5, sizeof(dst));
				memcpy(want, dst, sizeof(want));
				memset(want + 8 + od, vals[v], n);
				CHECK(test_memset(dst + 8 + od, vals[v], n) == dst + 8 + od);
				wrong += memcmp(dst, want, sizeof(dst)) != 0;
				runs++;
			}
		}
	}
	CHECK(runs > 80000);
	CHECK_EQ(wrong, 0);
}

int main(void)
{
	test_copy_set();
	static const unsigned char vals[] = {0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff};
	unsigned char base[80];
	unsigned long compared = 0, wrong = 0;
	srand(7);
	for (size_t i = 0; i < sizeof(base); i++)
		base[i] = (unsigned char)rand();
	for (size_t n = 0; n <= sizeof(base); n++) {
		for (size_t oa = 0; oa < 16; oa++) {
			for (size_t ob = 0; ob < 16; ob++) {
				unsigned char *ba = block(oa, n), *bb = block(ob, n);
				unsigned char *pa = ba + oa, *pb = bb + ob;
				memcpy(pa, base, n);
				/* equal, then one byte different at each position */
				for (size_t at = 0; at <= n; at++) {
					for (size_t v = 0; v < sizeof(vals); v++) {
						memcpy(pb, base, n);
						if (at < n)
							pb[at] = vals[v];
						int want = sign(memcmp(pa, pb, n));
						wrong += sign(test_memcmp(pa, pb, n)) != want;
						wrong += sign(test_memcmp(pb, pa, n)) != -want;
						compared += 2;
						if (at == n)
							break; /* equal: one value is enough */
					}
				}
				free(ba);
				free(bb);
			}
		}
	}
	CHECK(compared > 1000000);
	CHECK_EQ(wrong, 0);
	/* a difference in the last word's first byte outweighs later ones */
	CHECK(test_memcmp("abcdefgh\x01\xff", "abcdefgh\x02\x00", 10) < 0);
	CHECK(test_memcmp("abcdefgZ", "abcdefga", 8) < 0);
	CHECK(test_memcmp("\x80", "\x7f", 1) > 0); /* bytes compare as unsigned */
	return check_summary("string");
}
