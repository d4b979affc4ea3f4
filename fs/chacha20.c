/* ChaCha20 block function (RFC 8439, 2.3) and the /dev/urandom generator. */
#include <string.h>
#include <kernel/random.h>
#include "chacha20.h"

#define ROTL(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
#define QR(a, b, c, d)                                                                             \
	do {                                                                                       \
		a += b, d ^= a, d = ROTL(d, 16);                                                   \
		c += d, b ^= c, b = ROTL(b, 12);                                                   \
		a += b, d ^= a, d = ROTL(d, 8);                                                    \
		c += d, b ^= c, b = ROTL(b, 7);                                                    \
	} while (0)

void chacha20_block(const uint32_t key[8], uint64_t counter, uint8_t out[64])
{
	static const uint32_t sigma[4] = {0x61707865, 0x3320646e, 0x79622d32, 0x6b206574};
	uint32_t in[16], x[16];
	memcpy(in, sigma, sizeof(sigma));
	memcpy(in + 4, key, 32);
	in[12] = (uint32_t)counter;
	in[13] = (uint32_t)(counter >> 32);
	in[14] = in[15] = 0;
	memcpy(x, in, sizeof(x));
	for (int i = 0; i < 10; i++) { /* 20 rounds: column then diagonal */
		QR(x[0], x[4], x[8], x[12]);
		QR(x[1], x[5], x[9], x[13]);
		QR(x[2], x[6], x[10], x[14]);
		QR(x[3], x[7], x[11], x[15]);
		QR(x[0], x[5], x[10], x[15]);
		QR(x[1], x[6], x[11], x[12]);
		QR(x[2], x[7], x[8], x[13]);
		QR(x[3], x[4], x[9], x[14]);
	}
	for (int i = 0; i < 16; i++) {
		uint32_t v = x[i] + in[i];
		out[4 * i] = (uint8_t)v;
		out[4 * i + 1] = (uint8_t)(v >> 8);
		out[4 * i + 2] = (uint8_t)(v >> 16);
		out[4 * i + 3] = (uint8_t)(v >> 24);
	}
}

static void rng_seed(struct chacha_rng *r)
{
	uint32_t fresh[8];
	random_bytes(fresh, sizeof(fresh));
	for (int i = 0; i < 8; i++)
		r->key[i] ^= fresh[i];
	memset(fresh, 0, sizeof(fresh));
	r->since_seed = 0;
	r->seeded = 1;
}

void chacha_rng_fill(struct chacha_rng *r, void *buf, size_t len)
{
	uint8_t block[64], *p = buf;
	if (!r->seeded || r->since_seed >= CHACHA_RESEED_BYTES)
		rng_seed(r);
	r->since_seed += len;
	while (len) {
		chacha20_block(r->key, r->counter++, block);
		size_t n = len < sizeof(block) ? len : sizeof(block);
		memcpy(p, block, n);
		p += n;
		len -= n;
	}
	chacha20_block(r->key, r->counter++, block); /* fast key erasure */
	memcpy(r->key, block, sizeof(r->key));
	memset(block, 0, sizeof(block));
}
