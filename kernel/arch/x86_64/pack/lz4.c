/*
 * LZ4 block format: a run of sequences, each a token (literal count in the
 * high nibble, match length - 4 in the low one, 15 meaning "more bytes
 * follow, each added, until one is not 255"), the literals, then a 2-byte
 * little-endian offset back into the output and the match.  The last
 * sequence has literals only.  A match that overlaps its own output (offset
 * below its length) repeats a pattern and is copied byte by byte; the rest
 * goes through memcpy (no header: the unpacker's own is "rep movsb").
 */
#include "lz4.h"

#define MIN_MATCH 4

/* Adds the extension bytes of a length of 15; 0 if the input ends first. */
static int length_ext(const uint8_t **ip, const uint8_t *end, size_t *len)
{
	uint8_t b;
	do {
		if (*ip >= end)
			return 0;
		b = *(*ip)++;
		*len += b;
	} while (b == 255);
	return 1;
}

long lz4_block_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap)
{
	const uint8_t *ip = src, *end = src + src_len;
	size_t out = 0;
	while (ip < end) {
		uint8_t token = *ip++;
		size_t lit = token >> 4;
		if (lit == 15 && !length_ext(&ip, end, &lit))
			return -1;
		if (lit > (size_t)(end - ip) || lit > dst_cap - out)
			return -1;
		__builtin_memcpy(dst + out, ip, lit);
		out += lit;
		ip += lit;
		if (ip == end)
			return (long)out; /* the last sequence: literals only */
		if (end - ip < 2)
			return -1;
		size_t off = (size_t)ip[0] | (size_t)ip[1] << 8;
		ip += 2;
		if (off == 0 || off > out)
			return -1;
		size_t len = token & 15;
		if (len == 15 && !length_ext(&ip, end, &len))
			return -1;
		len += MIN_MATCH;
		if (len > dst_cap - out)
			return -1;
		if (off >= len) {
			__builtin_memcpy(dst + out, dst + out - off, len);
			out += len;
		} else {
			for (size_t i = 0; i < len; i++, out++)
				dst[out] = dst[out - off];
		}
	}
	return -1; /* an empty block, or one that ends after a match */
}
