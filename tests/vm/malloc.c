/* The heap: many sizes, frees in random order, exhaustion returns NULL. */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include "vmtest.h"

#define N 4000

static uint32_t rng = 12345;
static uint32_t rnd(void)
{
	rng = rng * 1103515245 + 12345;
	return rng >> 8;
}

static void *ptrs[N];
static size_t sizes[N];

static int fill_and_check(void)
{
	for (int i = 0; i < N; i++) {
		sizes[i] = 1 + rnd() % (i % 10 == 0 ? 65536 : 512);
		ptrs[i] = malloc(sizes[i]);
		if (!ptrs[i])
			return 0;
		memset(ptrs[i], i & 0xff, sizes[i]);
	}
	for (int i = 0; i < N; i++)
		for (size_t j = 0; j < sizes[i]; j += 97)
			if (((unsigned char *)ptrs[i])[j] != (i & 0xff))
				return 0;
	return 1;
}

static void free_random_order(void)
{
	for (int i = N - 1; i > 0; i--) {
		int j = (int)(rnd() % (uint32_t)(i + 1));
		void *t = ptrs[i];
		ptrs[i] = ptrs[j];
		ptrs[j] = t;
	}
	for (int i = 0; i < N; i++)
		free(ptrs[i]);
}

int main(void)
{
	CHECK("fill", 1, fill_and_check());
	free_random_order();
	CHECK("refill", 2, fill_and_check());
	free_random_order();

	void *p = calloc(1000, 8);
	int zero = 1;
	for (int i = 0; p && i < 8000; i++)
		zero &= ((char *)p)[i] == 0;
	CHECK("calloc-zeroed", 3, p && zero);
	p = realloc(p, 100000);
	CHECK("realloc-grow", 4, p != NULL);
	free(p);
	void *a = NULL;
	CHECK("posix_memalign", 5, posix_memalign(&a, 4096, 1000) == 0 && ((uintptr_t)a & 4095) == 0);
	free(a);
	errno = 0;
	volatile size_t huge = SIZE_MAX / 2;
	CHECK("calloc-overflow", 6, calloc(huge, 4) == NULL);

	/* exhaust the heap with 1 MiB blocks, then give it all back */
	void **blocks = malloc(4096 * sizeof(void *));
	int n = 0;
	while (n < 4096 && (blocks[n] = malloc(1 << 20)) != NULL)
		n++;
	printf("allocated %d MiB before malloc returned NULL\n", n);
	CHECK("exhaustion-null", 7, n > 0 && n < 4096);
	CHECK("exhaustion-enomem", 8, errno == ENOMEM);
	while (n)
		free(blocks[--n]);
	free(blocks);
	void *after = malloc(1 << 20);
	CHECK("usable-after-exhaustion", 9, after != NULL);
	free(after);
	return vmtest_success();
}
