/*
 * The Internet checksum for lwIP (LWIP_CHKSUM, lwipopts.h): every TCP
 * segment received is summed in software (and every one sent, unless the
 * NIC offloads it), so it is the receive path's hottest loop.  lwIP's own
 * routines add 16 or 32 bits at a time with a carry test each; this one adds
 * 32-bit words into a 64-bit accumulator, which cannot overflow for any
 * frame, eight words a round, and folds once at the end.
 *
 * Same contract as lwIP's lwip_standard_chksum(): the non-inverted sum of
 * the 16-bit words in memory order (host order), any alignment, any length.
 */
#include <stdint.h>
#include <string.h>

uint16_t toro_chksum(const void *data, int len); /* as declared in lwipopts.h */

uint16_t toro_chksum(const void *data, int len)
{
	const uint8_t *p = data;
	uint64_t sum = 0;
	int odd = (uintptr_t)p & 1;
	if (len <= 0)
		return 0;
	/* An odd start: the first byte is the high half of a word (swapped back below). */
	if (odd) {
		sum = (uint64_t)*p++ << 8;
		len--;
	}
	while (len >= 32) {
		uint32_t w[8];
		memcpy(w, p, sizeof(w));
		sum += (uint64_t)w[0] + w[1] + w[2] + w[3] + w[4] + w[5] + w[6] + w[7];
		p += 32;
		len -= 32;
	}
	while (len >= 4) {
		uint32_t w;
		memcpy(&w, p, sizeof(w));
		sum += w;
		p += 4;
		len -= 4;
	}
	if (len >= 2) {
		uint16_t h;
		memcpy(&h, p, sizeof(h));
		sum += h;
		p += 2;
		len -= 2;
	}
	if (len)
		sum += *p; /* the low half of a last, partial word */
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffffffff) + (sum >> 32);
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	if (odd)
		sum = ((sum & 0xff) << 8) | (sum >> 8);
	return (uint16_t)sum;
}
