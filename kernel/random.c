/*
 * Entropy: RDSEED/RDRAND when the CPU has them.  Without either we fall back
 * to a TSC-seeded generator and say so once: such a VM must not be trusted
 * with keys.
 */
#include <string.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/random.h>

int cpu_rdrand64(uint64_t *out)
{
	uint32_t r[4];
	cpuid(1, 0, r);
	if (!(r[2] & (1u << 30)))
		return 0;
	for (int i = 0; i < 16; i++) {
		unsigned char ok;
		__asm__ volatile("rdrand %0; setc %1" : "=r"(*out), "=qm"(ok));
		if (ok)
			return 1;
	}
	return 0;
}

static uint64_t weak_next(void)
{
	static uint64_t state;
	static int warned;
	if (!warned) {
		warned = 1;
		kprintf("toro: no RDRAND; random numbers are predictable\n");
	}
	state += rdtsc() + 0x9e3779b97f4a7c15ULL; /* splitmix64 */
	uint64_t z = state;
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void random_bytes(void *buf, size_t len)
{
	unsigned char *p = buf;
	while (len) {
		uint64_t w;
		if (!cpu_rdrand64(&w))
			w = weak_next();
		size_t n = len < sizeof(w) ? len : sizeof(w);
		memcpy(p, &w, n);
		p += n;
		len -= n;
	}
}
