/*
 * A thread's SSE registers survive what the kernel does behind its back:
 * stack page faults (the handler backs the page and clears it with
 * memset()), timer interrupts and switches to other threads that use SSE
 * themselves.  The kernel saves SSE state only when it switches threads,
 * so anything it runs in between (a fault handler, an interrupt, the
 * memcpy()/memset() they call) must leave the registers alone.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <time.h>
#include "vmtest.h"

#define PAGES 16

/*
 * Loads a pattern into xmm0..xmm15, touches PAGES fresh stack pages below
 * the stack pointer (each a fault the kernel handles), spins a while
 * (timer interrupts, other threads), and stores the registers back.
 */
static void sse_across_faults(const uint64_t *pat, uint64_t *out, unsigned long spins)
{
	__asm__ volatile("movdqu 0(%[p]), %%xmm0\n\tmovdqu 16(%[p]), %%xmm1\n\t"
	                 "movdqu 32(%[p]), %%xmm2\n\tmovdqu 48(%[p]), %%xmm3\n\t"
	                 "movdqu 64(%[p]), %%xmm4\n\tmovdqu 80(%[p]), %%xmm5\n\t"
	                 "movdqu 96(%[p]), %%xmm6\n\tmovdqu 112(%[p]), %%xmm7\n\t"
	                 "movdqu 128(%[p]), %%xmm8\n\tmovdqu 144(%[p]), %%xmm9\n\t"
	                 "movdqu 160(%[p]), %%xmm10\n\tmovdqu 176(%[p]), %%xmm11\n\t"
	                 "movdqu 192(%[p]), %%xmm12\n\tmovdqu 208(%[p]), %%xmm13\n\t"
	                 "movdqu 224(%[p]), %%xmm14\n\tmovdqu 240(%[p]), %%xmm15\n\t"
	                 /* below the stack pointer: nothing lives there (no red zone) */
	                 "mov %%rsp, %%rax\n\t"
	                 "mov %[pages], %%ecx\n"
	                 "1:\n\tsub $4096, %%rax\n\t"
	                 "movb $1, -256(%%rax)\n\t"
	                 "dec %%ecx\n\tjnz 1b\n\t"
	                 "mov %[spins], %%rcx\n"
	                 "2:\n\tpause\n\tdec %%rcx\n\tjnz 2b\n\t"
	                 "movdqu %%xmm0, 0(%[o])\n\tmovdqu %%xmm1, 16(%[o])\n\t"
	                 "movdqu %%xmm2, 32(%[o])\n\tmovdqu %%xmm3, 48(%[o])\n\t"
	                 "movdqu %%xmm4, 64(%[o])\n\tmovdqu %%xmm5, 80(%[o])\n\t"
	                 "movdqu %%xmm6, 96(%[o])\n\tmovdqu %%xmm7, 112(%[o])\n\t"
	                 "movdqu %%xmm8, 128(%[o])\n\tmovdqu %%xmm9, 144(%[o])\n\t"
	                 "movdqu %%xmm10, 160(%[o])\n\tmovdqu %%xmm11, 176(%[o])\n\t"
	                 "movdqu %%xmm12, 192(%[o])\n\tmovdqu %%xmm13, 208(%[o])\n\t"
	                 "movdqu %%xmm14, 224(%[o])\n\tmovdqu %%xmm15, 240(%[o])\n\t"
	                 :
	                 : [p] "r"(pat), [o] "r"(out), [pages] "i"(PAGES), [spins] "r"(spins)
	                 : "rax", "rcx", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5",
	                   "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13",
	                   "xmm14", "xmm15");
}

static volatile int stop;

/* Another thread that keeps its own SSE registers busy, waking every 100 us. */
static void *noise(void *arg)
{
	(void)arg;
	char a[4096], b[4096];
	struct timespec ts = {0, 100000};
	while (!stop) {
		memset(a, 0x5a, sizeof(a));
		memcpy(b, a, sizeof(b));
		nanosleep(&ts, NULL);
	}
	return NULL;
}

static void *worker(void *arg)
{
	uint64_t pat[32], out[32];
	unsigned seed = (unsigned)(uintptr_t)arg;
	for (int i = 0; i < 32; i++)
		pat[i] = 0x0123456789abcdefULL * (uint64_t)(i + seed) ^ ((uint64_t)seed << 40);
	memset(out, 0, sizeof(out));
	sse_across_faults(pat, out, 2000000);
	return (void *)(uintptr_t)(memcmp(pat, out, sizeof(pat)) == 0);
}

int main(void)
{
	pthread_t n, w[4];
	pthread_attr_t big;
	pthread_attr_init(&big);
	pthread_attr_setstacksize(&big, (PAGES + 8) * 4096);
	CHECK("noise-thread", 2, pthread_create(&n, NULL, noise, NULL) == 0);
	int ok = 1;
	for (int round = 0; round < 3; round++) {
		for (int i = 0; i < 4; i++)
			CHECK_QUIET("worker", 3,
			            pthread_create(&w[i], &big, worker,
			                           (void *)(uintptr_t)(round * 4 + i + 1)) == 0);
		for (int i = 0; i < 4; i++) {
			void *r;
			pthread_join(w[i], &r);
			ok &= r == (void *)1;
		}
	}
	stop = 1;
	pthread_join(n, NULL);
	CHECK("sse-registers-kept", 4, ok);
	return vmtest_success();
}
