/*
 * kernel/pmem.c over fake RAM (see shim/fake_ram.h): the image sits 2 MiB +
 * 12 KiB into it, so pmem sees two ranges, a small one below the image
 * (an "extra") and the core above it.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <kernel/mm.h>
#include <kernel/irq.h>
#include "check.h"
#include "fake_ram.h"

#define RAM	     ((uintptr_t)fake_ram)
#define RAM_END	     (RAM + FAKE_RAM_SIZE)
#define IMAGE	     (RAM + FAKE_TEXT)
#define IMAGE_END    (RAM + PAGE_ALIGN_UP(FAKE_IMAGE_END))
#define MODULE	     (RAM + (16 << 20) + 100) /* an "initrd" that is not page-aligned */
#define MODULE_SIZE  5000
#define MODULE_PAGES (RAM + (16 << 20)), (RAM + (16 << 20) + 2 * PAGE_SIZE)
#define NR_PAGES     (FAKE_RAM_SIZE / PAGE_SIZE)

static struct boot_info bi;

/* Boot info with the fake RAM; dirty RAM so that zeroing shows. */
static void setup(int with_module)
{
	memset(&bi, 0, sizeof(bi));
	memset(fake_ram, 0xa5, FAKE_RAM_SIZE);
	bi.ram[0].base = 0; /* all below 1 MiB: pmem must drop it, and never touch it */
	bi.ram[0].size = 0x9f000;
	bi.ram[1].base = RAM;
	bi.ram[1].size = FAKE_RAM_SIZE;
	bi.nr_ram = 2;
	if (with_module) {
		bi.modules[0].base = MODULE;
		bi.modules[0].size = MODULE_SIZE;
		bi.nr_modules = 1;
	}
}

static int page_is_zero(const void *p)
{
	const unsigned char *b = p;
	for (size_t i = 0; i < PAGE_SIZE; i++)
		if (b[i])
			return 0;
	return 1;
}

static int overlaps(uintptr_t a, uintptr_t a_end, uintptr_t b, uintptr_t b_end)
{
	return a < b_end && b < a_end;
}

static void test_init_fails(void)
{
	memset(&bi, 0, sizeof(bi));
	CHECK_EQ(pmem_init(&bi), -ENOMEM); /* no RAM */
	bi.ram[0].base = 0x1000;
	bi.ram[0].size = 0x9e000;
	bi.nr_ram = 1;
	CHECK_EQ(pmem_init(&bi), -ENOMEM); /* only low memory */
	bi.ram[0].base = 1ULL << 32;
	bi.ram[0].size = 1ULL << 30;
	CHECK_EQ(pmem_init(&bi), -ENOMEM); /* only above 4 GiB */
	bi.ram[0].base = IMAGE;
	bi.ram[0].size = FAKE_IMAGE_END - FAKE_TEXT;
	CHECK_EQ(pmem_init(&bi), -ENOMEM); /* only the image */
	bi.ram[0].base = RAM + 0x800;
	bi.ram[0].size = 0x1000;
	CHECK_EQ(pmem_init(&bi), -ENOMEM); /* not one whole page */
}

static void test_init_layout(void)
{
	setup(0);
	/* a bigger range above 4 GiB counts in the total but cannot be the core */
	bi.ram[2].base = 1ULL << 32;
	bi.ram[2].size = 1ULL << 36;
	bi.nr_ram = 3;
	CHECK_EQ(pmem_init(&bi), 0);
	CHECK_EQ(pmem_total_bytes(), FAKE_RAM_SIZE - (IMAGE_END - IMAGE) + (1ULL << 36));
	CHECK_EQ((uintptr_t)pmem_sbrk(0), IMAGE_END); /* the core is the part above the image */
	setup(0);
	CHECK_EQ(pmem_init(&bi), 0);
	CHECK_EQ(pmem_total_bytes(), FAKE_RAM_SIZE - (IMAGE_END - IMAGE));
	CHECK_EQ(pmem_free_bytes(), pmem_total_bytes());
	setup(1);
	CHECK_EQ(pmem_init(&bi), 0);
	CHECK_EQ(pmem_total_bytes(), FAKE_RAM_SIZE - (IMAGE_END - IMAGE) - 2 * PAGE_SIZE);
	CHECK_EQ((uintptr_t)pmem_sbrk(0), RAM + (16 << 20) + 2 * PAGE_SIZE); /* the largest */
}

static void test_sbrk(void)
{
	setup(0);
	CHECK_EQ(pmem_init(&bi), 0);
	size_t start = pmem_free_bytes(), core = RAM_END - IMAGE_END;
	char *base = pmem_sbrk(0);
	CHECK(pmem_sbrk(-1) == NULL); /* below the core */
	CHECK(pmem_sbrk(INTPTR_MIN) == NULL);
	CHECK(pmem_sbrk(INTPTR_MAX) == NULL);
	CHECK(pmem_sbrk((intptr_t)core + 1) == NULL);
	CHECK(pmem_sbrk(4096) == base);
	CHECK(pmem_sbrk(10) == base + 4096);
	CHECK_EQ(pmem_free_bytes(), start - 4106);
	CHECK(pmem_sbrk(-4106) == base + 4106);
	CHECK(pmem_sbrk(0) == base);
	CHECK(pmem_sbrk((intptr_t)core) == base); /* all of it */
	CHECK(pmem_sbrk(1) == NULL);
	char *p = pmem_alloc_pages(1); /* the core is full: an extra serves */
	CHECK(p && (uintptr_t)p < IMAGE);
	pmem_free_pages(p, 1);
	CHECK(pmem_sbrk(-(intptr_t)core) == base + core);
	CHECK_EQ(pmem_free_bytes(), start);
}

static void test_pages_top_down(void)
{
	setup(0);
	CHECK_EQ(pmem_init(&bi), 0);
	size_t start = pmem_free_bytes();
	char *p1 = pmem_alloc_pages(1), *p2 = pmem_alloc_pages(1), *p3 = pmem_alloc_pages(3);
	CHECK((uintptr_t)p1 == RAM_END - PAGE_SIZE);
	CHECK((uintptr_t)p2 == RAM_END - 2 * PAGE_SIZE);
	CHECK((uintptr_t)p3 == RAM_END - 5 * PAGE_SIZE);
	CHECK(page_is_zero(p1) && page_is_zero(p2));
	CHECK(page_is_zero(p3) && page_is_zero(p3 + PAGE_SIZE) && page_is_zero(p3 + 2 * PAGE_SIZE));
	CHECK_EQ(pmem_free_bytes(), start - 5 * PAGE_SIZE);
	pmem_free_pages(p3, 3);
	pmem_free_pages(p2, 1);
	pmem_free_pages(p1, 1);
	CHECK_EQ(pmem_free_bytes(), start);
	CHECK((uintptr_t)pmem_alloc_pages(1) == RAM_END - PAGE_SIZE); /* the top is back */
}

static void test_reuse(void)
{
	setup(0);
	CHECK_EQ(pmem_init(&bi), 0);
	size_t start = pmem_free_bytes();
	char *a = pmem_alloc_pages(1), *b = pmem_alloc_pages(1), *c = pmem_alloc_pages(1);
	memset(a, 0x77, PAGE_SIZE);
	pmem_free_pages(a, 1); /* not the lowest: goes on the free list */
	CHECK_EQ(pmem_free_bytes(), start - 2 * PAGE_SIZE);
	char *d = pmem_alloc_pages(1);
	CHECK(d == a);
	CHECK(page_is_zero(d)); /* the list's header is gone too */
	pmem_free_pages(b, 1);
	char *e = pmem_alloc_pages(4); /* b's single page is too small */
	CHECK(e == c - 4 * PAGE_SIZE);
	char *f = pmem_alloc_pages(1);
	/* the free list comes before the core */
	CHECK(f == b);
	char *g = pmem_alloc_pages(1); /* keeps e from being the lowest */
	CHECK(g == e - PAGE_SIZE);
	/* a 4-page run on the list hands out its tail first */
	pmem_free_pages(e, 4);
	char *h = pmem_alloc_pages(1);
	CHECK(h == e + 3 * PAGE_SIZE);
	char *i = pmem_alloc_pages(3);
	CHECK(i == e);
	CHECK(page_is_zero(i) && page_is_zero(h));
	irq_shim.enabled = 0; /* called with interrupts off: they stay off */
	char *j = pmem_alloc_pages(1);
	pmem_free_pages(j, 1);
	CHECK(!irq_shim.enabled && j != NULL);
	irq_shim.enabled = 1;
	CHECK(pmem_alloc_pages(0) == NULL);
	CHECK(pmem_alloc_pages(SIZE_MAX) == NULL);
	CHECK(pmem_alloc_pages(SIZE_MAX / PAGE_SIZE) == NULL);
	CHECK(pmem_alloc_pages(NR_PAGES) == NULL);
	pmem_free_pages(NULL, 1);
	pmem_free_pages(i, 3);
	pmem_free_pages(h, 1);
	pmem_free_pages(g, 1);
	pmem_free_pages(f, 1);
	pmem_free_pages(d, 1);
	pmem_free_pages(c, 1);
	CHECK_EQ(pmem_free_bytes(), start);
}

static struct {
	char *p;
	size_t n;
} allocs[NR_PAGES];
static unsigned char owned[NR_PAGES]; /* by page of fake RAM */

/*
 * Allocates runs of 1..max_run pages until nothing is left, checking each:
 * aligned, in RAM, zeroed, clear of the image, the module, the heap
 * [core, brk) and every earlier run.  Returns how many runs it got; *pages
 * is their page count, *extra how many pages came from below the core.
 */
static int exhaust(uintptr_t core, size_t max_run, size_t *pages, size_t *extra)
{
	uintptr_t brk = (uintptr_t)pmem_sbrk(0);
	int nr = 0, bad = 0;
	*pages = *extra = 0;
	for (size_t n = 1;; n = n % max_run + 1) {
		char *p = pmem_alloc_pages(n);
		if (!p && n > 1)
			p = pmem_alloc_pages(n = 1);
		if (!p)
			break;
		uintptr_t a = (uintptr_t)p, end = a + n * PAGE_SIZE;
		bad += (a & (PAGE_SIZE - 1)) || a < RAM || end > RAM_END;
		bad += overlaps(a, end, IMAGE, IMAGE_END) || overlaps(a, end, MODULE_PAGES);
		bad += overlaps(a, end, core, brk);
		for (size_t k = 0; k < n && !bad; k++) {
			size_t pg = (a - RAM) / PAGE_SIZE + k;
			bad += owned[pg]++ != 0 || !page_is_zero(p + k * PAGE_SIZE);
			memset(p + k * PAGE_SIZE, 0xcc, PAGE_SIZE);
		}
		if (a < core)
			*extra += n;
		allocs[nr].p = p;
		allocs[nr++].n = n;
		*pages += n;
	}
	CHECK_EQ(bad, 0);
	return nr;
}

static void free_all(int nr, int backwards)
{
	for (int k = 0; k < nr; k++) {
		int j = backwards ? nr - 1 - k : k;
		pmem_free_pages(allocs[j].p, allocs[j].n);
		for (size_t q = 0; q < allocs[j].n; q++)
			owned[((uintptr_t)allocs[j].p - RAM) / PAGE_SIZE + q] = 0;
	}
}

static int heap_intact(const unsigned char *h, size_t len)
{
	for (size_t i = 0; i < len; i++)
		if (h[i] != 0x5a)
			return 0;
	return 1;
}

static void test_exhaust(void)
{
	setup(1);
	CHECK_EQ(pmem_init(&bi), 0);
	size_t start = pmem_free_bytes(), heap_len = (1 << 20) + 123, pages1, pages2, extra;
	/* below the core: the range under the image and the one under the module */
	size_t extra_pages = (IMAGE - RAM + (16 << 20) - (IMAGE_END - RAM)) / PAGE_SIZE;
	unsigned char *heap = pmem_sbrk((intptr_t)heap_len);
	CHECK(heap != NULL);
	memset(heap, 0x5a, heap_len);

	int nr = exhaust((uintptr_t)heap, 5, &pages1, &extra);
	/* the core ran out: the pages came down to the break, and the extras served */
	CHECK(pmem_sbrk(PAGE_SIZE) == NULL);
	CHECK_EQ(extra, extra_pages);
	CHECK(pmem_free_bytes() < PAGE_SIZE); /* what is left is the break's partial page */
	CHECK_EQ(pages1 * PAGE_SIZE + heap_len + pmem_free_bytes(), start);
	CHECK(heap_intact(heap, heap_len));
	free_all(nr, 0); /* oldest first: most runs go on the free list */
	CHECK_EQ(pmem_free_bytes(), start - heap_len);

	/* again, single pages: the free list must give back exactly as much */
	nr = exhaust((uintptr_t)heap, 1, &pages2, &extra);
	CHECK_EQ(pages2, pages1);
	CHECK_EQ(extra, extra_pages);
	CHECK(heap_intact(heap, heap_len));
	free_all(nr, 1);
	CHECK(pmem_sbrk(-(intptr_t)heap_len) == heap + heap_len);
	CHECK_EQ(pmem_free_bytes(), start);
}

/* Each test must leave interrupts as it found them: enabled. */
#define RUN(test)                                                                                  \
	do {                                                                                       \
		test();                                                                            \
		CHECK(irq_shim.enabled);                                                           \
	} while (0)

int main(void)
{
	RUN(test_init_fails);
	RUN(test_init_layout);
	RUN(test_sbrk);
	RUN(test_pages_top_down);
	RUN(test_reuse);
	RUN(test_exhaust);
	return check_summary("pmem");
}
