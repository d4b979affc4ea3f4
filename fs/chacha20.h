/*
 * A ChaCha20 (RFC 8439) random generator for /dev/urandom: keyed from the
 * kernel's random_bytes(), with fast key erasure (a fresh key after every
 * request, so earlier output cannot be recomputed from the state) and new
 * entropy mixed in every CHACHA_RESEED_BYTES.  Not locked: callers serialize.
 */
#ifndef FS_CHACHA20_H
#define FS_CHACHA20_H

#include <stddef.h>
#include <stdint.h>

#define CHACHA_RESEED_BYTES (1UL << 20)

struct chacha_rng {
	uint32_t key[8];
	uint64_t counter;
	size_t since_seed; /* bytes given out since entropy was mixed in */
	int seeded;
};

/* The 64-byte block for key, block counter and a zero nonce. */
void chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64]);
/* Fills buf with len random bytes. */
void chacha_rng_fill(struct chacha_rng *r, void *buf, size_t len);

#endif
