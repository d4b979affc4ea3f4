/*
 * LZ4 block decoding, for the self-unpacking image (tools/toro-pack): no
 * allocation, no library, every read and write checked against its buffer.
 */
#ifndef TORO_PACK_LZ4_H
#define TORO_PACK_LZ4_H

#include <stddef.h>
#include <stdint.h>

/*
 * Decodes the LZ4 block src[0..src_len) into dst[0..dst_cap): the number of
 * bytes written, or -1 if the block is malformed or does not fit.
 */
long lz4_block_decode(const uint8_t *src, size_t src_len, uint8_t *dst, size_t dst_cap);

#endif
