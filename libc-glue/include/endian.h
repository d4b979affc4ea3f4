/*
 * glibc's <endian.h>: byte-order constants and the htobe/htole/betoh/letoh
 * conversions, over newlib's <machine/endian.h>.  x86_64 is little-endian.
 */
#ifndef TORO_ENDIAN_H
#define TORO_ENDIAN_H

#include <stdint.h>
#include <machine/endian.h>

#define __LITTLE_ENDIAN _LITTLE_ENDIAN
#define __BIG_ENDIAN    _BIG_ENDIAN
#define __PDP_ENDIAN    _PDP_ENDIAN
#define __BYTE_ORDER    _BYTE_ORDER

#ifndef LITTLE_ENDIAN
#define LITTLE_ENDIAN _LITTLE_ENDIAN
#define BIG_ENDIAN    _BIG_ENDIAN
#define PDP_ENDIAN    _PDP_ENDIAN
#define BYTE_ORDER    _BYTE_ORDER
#endif

#define htobe16(x) __builtin_bswap16((uint16_t)(x))
#define htobe32(x) __builtin_bswap32((uint32_t)(x))
#define htobe64(x) __builtin_bswap64((uint64_t)(x))
#define htole16(x) ((uint16_t)(x))
#define htole32(x) ((uint32_t)(x))
#define htole64(x) ((uint64_t)(x))
#define be16toh(x) __builtin_bswap16((uint16_t)(x))
#define be32toh(x) __builtin_bswap32((uint32_t)(x))
#define be64toh(x) __builtin_bswap64((uint64_t)(x))
#define le16toh(x) ((uint16_t)(x))
#define le32toh(x) ((uint32_t)(x))
#define le64toh(x) ((uint64_t)(x))

#endif
