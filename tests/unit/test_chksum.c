/*
 * net/chksum.c against the plainest Internet checksum (lwIP's algorithm 1:
 * big-endian 16-bit words, folded, returned in host order), for every start
 * alignment and many lengths, on random bytes and on the all-ones and
 * all-zero patterns where the folding's edge cases live.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"

uint16_t toro_chksum(const void *data, int len);

static uint16_t reference(const uint8_t *p, int len)
{
	uint32_t acc = 0;
	for (; len > 1; p += 2, len -= 2)
		acc += (uint32_t)(p[0] << 8 | p[1]);
	if (len > 0)
		acc += (uint32_t)p[0] << 8;
	while (acc >> 16)
		acc = (acc >> 16) + (acc & 0xffff);
	return (uint16_t)(acc >> 8 | acc << 8); /* lwip_htons on a little-endian host */
}

static void check_buffer(const uint8_t *buf, const char *what)
{
	for (int off = 0; off < 8; off++) {
		for (int len = 0; len <= 300; len++) {
			CHECK_EQ(toro_chksum(buf + off, len), reference(buf + off, len));
			if (toro_chksum(buf + off, len) != reference(buf + off, len))
				fprintf(stderr, "\t%s: offset %d length %d\n", what, off, len);
		}
		for (int len = 1400; len <= 1520; len += 7)
			CHECK_EQ(toro_chksum(buf + off, len), reference(buf + off, len));
		CHECK_EQ(toro_chksum(buf + off, 65000), reference(buf + off, 65000));
	}
}

int main(void)
{
	static uint8_t buf[65536];
	srand(1);
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = (uint8_t)rand();
	check_buffer(buf, "random");
	memset(buf, 0xff, sizeof(buf));
	check_buffer(buf, "ones");
	memset(buf, 0, sizeof(buf));
	check_buffer(buf, "zeros");
	CHECK_EQ(toro_chksum(buf, -1), 0);
	return check_summary("chksum");
}
