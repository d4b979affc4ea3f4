/*
 * kernel/vm.c over fake RAM (see shim/fake_ram.h), with the real pmem.c
 * handing out the page-table pages.  The tables are checked by walking them
 * from the CR3 value the cpu.h shim recorded.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <kernel/cpu.h>
#include <kernel/mm.h>
#include <kernel/irq.h>
#include "check.h"
#include "fake_ram.h"

/* The x86_64 bits the test looks at (SDM vol. 3, 4.5): the kernel's own. */
#include "../../kernel/vm_priv.h"

#define RAM	   ((uintptr_t)fake_ram)
#define RAM_END	   (RAM + FAKE_RAM_SIZE)
#define TEXT	   (RAM + FAKE_TEXT)
#define TEXT_END   (RAM + FAKE_TEXT_END)
#define RODATA	   (RAM + FAKE_RODATA)
#define RODATA_END (RAM + FAKE_RODATA_END)
#define MMIO	   0xfeb00000UL /* never touched: only its table entries */

/* Rights as the test expects to find them in a leaf entry. */
#define RW  (PTE_W | PTE_NX)
#define RX  0ULL
#define RO  PTE_NX
#define DEV (PTE_W | PTE_NX | PTE_PCD | PTE_PWT)

static struct boot_info bi;
static int bad_upper; /* upper-level entries that restrict what the leaf allows */

/*
 * Walks the tables like the MMU.  Returns the entry that maps va and its
 * level (0: 4 KiB page, 1: 2 MiB page), or 0 when va is not mapped.
 */
static uint64_t leaf(uintptr_t va, int *level)
{
	const uint64_t *table = (const uint64_t *)(uintptr_t)cpu_shim.cr3;
	for (int l = 3; l >= 0; l--) {
		uint64_t e = table[(va >> (12 + 9 * l)) & 511];
		if (!(e & PTE_P))
			return 0;
		if (l == 0 || (e & PTE_PS)) {
			*level = l;
			return e;
		}
		bad_upper += !(e & PTE_W) || (e & PTE_NX);
		table = (const uint64_t *)(uintptr_t)(e & PTE_ADDR);
	}
	return 0;
}

/* 1 if va is identity-mapped at `level` with exactly the rights in `want`. */
static int mapped_as(uintptr_t va, int level, uint64_t want)
{
	int l = -1;
	uint64_t e = leaf(va, &l);
	uint64_t mask = l == 1 ? ~(uint64_t)(LARGE - 1) : ~(uint64_t)(PAGE_SIZE - 1);
	uint64_t rights = e & (PTE_W | PTE_NX | PTE_PCD | PTE_PWT);
	return e && l == level && (e & PTE_ADDR & mask) == (va & mask) && rights == want;
}

static int unmapped(uintptr_t va)
{
	int l;
	return leaf(va, &l) == 0 && vm_is_mapped(va) == 0;
}

/* Before vm_init the boot tables are live: the low 4 GiB, identity-mapped. */
static void test_is_mapped_before_init(void)
{
	CHECK_EQ(vm_is_mapped(0x1000), 1);
	CHECK_EQ(vm_is_mapped(RAM), 1);
	CHECK_EQ(vm_is_mapped(1ULL << 32), 0);
}

static void test_init(void)
{
	memset(&bi, 0, sizeof(bi));
	bi.ram[0].base = RAM;
	bi.ram[0].size = FAKE_RAM_SIZE;
	bi.nr_ram = 1;
	CHECK_EQ(pmem_init(&bi), 0);
	CHECK_EQ(vm_init(&bi), 0);
	CHECK(cpu_shim.cr3 != 0 && (cpu_shim.cr3 & (PAGE_SIZE - 1)) == 0);
	CHECK(cpu_shim.cr3 >= RAM && cpu_shim.cr3 < RAM_END); /* from pmem */
}

/* What vm_init must have made of the fake RAM page at va. */
static uint64_t expected_rights(uintptr_t va)
{
	if (va >= TEXT && va < TEXT_END)
		return RX;
	if (va >= RODATA && va < RODATA_END)
		return RO;
	return RW;
}

/* The 2 MiB holding the image is split into 4 KiB pages; the rest is not. */
static int expected_level(uintptr_t va)
{
	return (va & ~(LARGE - 1)) == (TEXT & ~(LARGE - 1)) ? 0 : 1;
}

static void test_layout(void)
{
	CHECK(unmapped(0));
	CHECK(unmapped(PAGE_SIZE - 1));
	CHECK(vm_is_mapped(PAGE_SIZE) == 0); /* never mapped: not RAM */
	CHECK(unmapped(RAM_END));
	CHECK(unmapped(RAM - 1));
	CHECK(unmapped(1ULL << 40));
	int bad = 0;
	for (uintptr_t va = RAM; va < RAM_END; va += PAGE_SIZE)
		bad += !mapped_as(va, expected_level(va), expected_rights(va)) ||
		       vm_is_mapped(va) != 1;
	CHECK_EQ(bad, 0);
	CHECK(mapped_as(TEXT, 0, RX));
	CHECK(mapped_as(TEXT_END - 1, 0, RX));
	CHECK(mapped_as(RODATA, 0, RO));
	CHECK(mapped_as(TEXT - 1, 0, RW)); /* the 4 KiB pages around the image */
	CHECK(mapped_as(RODATA_END, 0, RW));
	CHECK(mapped_as(RAM + (8 << 20), 1, RW)); /* an untouched 2 MiB stretch */
	CHECK_EQ(bad_upper, 0);
}

static void test_unmap_splits(void)
{
	uintptr_t big = RAM + (10 << 20), hole = big + 5 * PAGE_SIZE;
	CHECK(mapped_as(hole, 1, RW));
	CHECK_EQ(vm_unmap(hole + 10, 1), 0); /* the page holding [hole+10, hole+11) */
	CHECK_EQ(cpu_shim.last_invlpg, hole);
	CHECK(unmapped(hole));
	CHECK(unmapped(hole + PAGE_SIZE - 1));
	int bad = 0;
	for (uintptr_t va = big; va < big + LARGE; va += PAGE_SIZE)
		bad += va != hole && !mapped_as(va, 0, RW);
	CHECK_EQ(bad, 0);
	CHECK(mapped_as(big + LARGE, 1, RW)); /* the neighbours stay large */
	CHECK(mapped_as(big - 1, 1, RW));
	/* across a 2 MiB boundary: both sides split */
	uintptr_t edge = RAM + (14 << 20);
	CHECK_EQ(vm_unmap(edge - PAGE_SIZE, 2 * PAGE_SIZE), 0);
	CHECK(unmapped(edge - PAGE_SIZE) && unmapped(edge));
	CHECK(mapped_as(edge - 2 * PAGE_SIZE, 0, RW) && mapped_as(edge + PAGE_SIZE, 0, RW));
	/* and back, with other rights */
	CHECK_EQ(vm_map(edge - PAGE_SIZE, 2 * PAGE_SIZE, VM_READ), 0);
	CHECK(mapped_as(edge - PAGE_SIZE, 0, RO) && mapped_as(edge, 0, RO));
	CHECK_EQ(bad_upper, 0);
}

static void test_mmio(void)
{
	CHECK_EQ(vm_map_mmio(MMIO + 0x10, PAGE_SIZE), 0); /* straddles two pages */
	CHECK(mapped_as(MMIO, 0, DEV));
	CHECK(mapped_as(MMIO + PAGE_SIZE, 0, DEV));
	CHECK(unmapped(MMIO + 2 * PAGE_SIZE));
	CHECK(unmapped(MMIO - PAGE_SIZE));
	CHECK_EQ(vm_map_mmio(0xc0000000UL, LARGE + PAGE_SIZE), 0);
	CHECK(mapped_as(0xc0000000UL, 1, DEV));
	CHECK(mapped_as(0xc0000000UL + LARGE, 0, DEV));
	CHECK(unmapped(0xc0000000UL + LARGE + PAGE_SIZE));
	CHECK_EQ(bad_upper, 0);
}

/* A stack-region page that is mapped read-write, never executable, to RAM. */
static int backed(uintptr_t va)
{
	int l = -1;
	uint64_t e = leaf(va, &l);
	uint64_t pa = e & PTE_ADDR;
	return e && l == 0 && (e & (PTE_W | PTE_NX)) == (PTE_W | PTE_NX) && pa >= RAM &&
	       pa < RAM_END && vm_is_mapped(va);
}

#define PF_WRITE   0x2
#define PF_PRESENT 0x1

static void test_kstack(void)
{
	struct kstack warm, a, b;
	/* the first stack makes the region's directory and fills the fault reserve */
	CHECK_EQ(kstack_alloc(&warm, PAGE_SIZE, PAGE_SIZE, "warm"), 0);
	kstack_free(&warm);
	size_t start = pmem_free_bytes();
	CHECK_EQ(kstack_committed_pages(), 0);
	CHECK_EQ(kstack_alloc(&a, 16 * 1024 + 1, 2 * PAGE_SIZE, "a"), 0);
	CHECK_EQ(kstack_alloc(&b, 64 << 20, PAGE_SIZE, "b"), 0); /* more than the fake RAM */
	CHECK_EQ(a.size, 20 * 1024);
	CHECK_EQ(b.size, 64 << 20);
	CHECK_STR(a.owner, "a");
	uintptr_t ta = (uintptr_t)a.base + a.size, tb = (uintptr_t)b.base + b.size;
	CHECK(a.resv >= VM_STACK_BASE && (a.resv & (LARGE - 1)) == 0);
	CHECK_EQ(a.resv + a.resv_size, ta);
	CHECK((uintptr_t)a.base - a.resv >= (64 << 10));
	CHECK_EQ(b.resv, a.resv + a.resv_size); /* first fit, right above a */
	/* only the top is backed */
	CHECK(backed(ta - PAGE_SIZE) && backed(ta - 2 * PAGE_SIZE));
	CHECK(unmapped(ta - 3 * PAGE_SIZE) && unmapped((uintptr_t)a.base));
	CHECK(backed(tb - PAGE_SIZE) && unmapped(tb - 2 * PAGE_SIZE));
	CHECK(unmapped(a.resv) && unmapped((uintptr_t)a.base - 1));
	CHECK_EQ(kstack_committed_pages(), 3);
	/* data pages plus one page table each */
	CHECK_EQ(pmem_free_bytes(), start - 3 * PAGE_SIZE - 2 * PAGE_SIZE);
	CHECK(kstack_find_guard(a.resv) == &a);
	CHECK(kstack_find_guard((uintptr_t)a.base - 1) == &a);
	CHECK(kstack_find_guard((uintptr_t)b.base - 8) == &b);
	CHECK(kstack_find_guard((uintptr_t)a.base) == NULL);
	CHECK(kstack_find_guard(ta - 1) == NULL);

	/* first touch: backed from the reserve, which is refilled at once */
	CHECK_EQ(kstack_fault((uintptr_t)a.base + 8, PF_WRITE), 0);
	CHECK(backed((uintptr_t)a.base));
	CHECK_EQ(pmem_free_bytes(), start - 4 * PAGE_SIZE - 2 * PAGE_SIZE);
	/* a deep touch of b's big stack needs a new page table too */
	CHECK_EQ(kstack_fault((uintptr_t)b.base + 5, 0), 0);
	CHECK(backed((uintptr_t)b.base));
	CHECK_EQ(pmem_free_bytes(), start - 5 * PAGE_SIZE - 3 * PAGE_SIZE);
	/* not ours to back: guard pages, protection faults, other addresses */
	CHECK_EQ(kstack_fault((uintptr_t)a.base - 1, PF_WRITE), -EFAULT);
	CHECK_EQ(kstack_fault((uintptr_t)a.base, PF_WRITE | PF_PRESENT), -EFAULT);
	CHECK_EQ(kstack_fault(RAM + PAGE_SIZE, PF_WRITE), -EFAULT);
	CHECK_EQ(kstack_fault(VM_STACK_END - 8, PF_WRITE), -EFAULT);
	CHECK_EQ(kstack_committed_pages(), 5);

	/* for a device: identity memory as is; stack pages backed, top first */
	uint64_t pa = 0;
	CHECK_EQ(vm_virt_to_phys(RAM + 5, 100, &pa), 100);
	CHECK_EQ(pa, RAM + 5);
	uintptr_t buf = tb - 4 * PAGE_SIZE + 16; /* 3 untouched pages, then the backed top */
	long n = vm_virt_to_phys(buf, 3 * PAGE_SIZE, &pa);
	CHECK(n >= (long)(PAGE_SIZE - 16) && n <= (long)(3 * PAGE_SIZE));
	CHECK(backed(buf) && backed(buf + PAGE_SIZE) && backed(buf + 2 * PAGE_SIZE));
	CHECK_EQ(kstack_committed_pages(), 8);
	int l;
	CHECK_EQ(pa, (leaf(buf, &l) & PTE_ADDR) + 16);
	long total = 0;
	for (uintptr_t p = buf; total < (long)(3 * PAGE_SIZE); total += n, p += (uintptr_t)n) {
		n = vm_virt_to_phys(p, 3 * PAGE_SIZE - (size_t)total, &pa);
		CHECK(n > 0);
		if (n <= 0)
			break;
		CHECK_EQ(pa, (leaf(p, &l) & PTE_ADDR) + (p & (PAGE_SIZE - 1)));
	}
	CHECK_EQ(kstack_committed_pages(), 8);
	CHECK_EQ(vm_virt_to_phys((uintptr_t)a.base - 8, 16, &pa), -EFAULT); /* the guard */
	CHECK_EQ(vm_virt_to_phys(ta - 8, 16, &pa), -EFAULT);                /* past the top */

	kstack_free(&a);
	CHECK(kstack_find_guard(a.resv) == NULL);
	CHECK(unmapped(ta - PAGE_SIZE));
	CHECK(kstack_find_guard((uintptr_t)b.base - 1) == &b);
	kstack_free(&b);
	CHECK(unmapped(tb - PAGE_SIZE));
	CHECK_EQ(kstack_committed_pages(), 0);
	CHECK_EQ(pmem_free_bytes(), start);
	/* the addresses are reused */
	CHECK_EQ(kstack_alloc(&b, 8 * 1024, PAGE_SIZE, "again"), 0);
	CHECK_EQ(b.resv, a.resv);
	kstack_free(&b);
	CHECK_EQ(pmem_free_bytes(), start);
}

/* Freeing a stack that was never allocated trips a KASSERT (panic -> abort). */
static void test_kstack_free_unknown(void)
{
	struct kstack bogus = {.base = fake_ram + (4 << 20), .size = PAGE_SIZE, .owner = "bogus"};
	fflush(NULL);
	pid_t pid = fork();
	if (pid == 0) {
		kstack_free(&bogus);
		_exit(0);
	}
	int status = 0;
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
}

/* Each test must leave interrupts as it found them: enabled. */
#define RUN(test)                                                                                  \
	do {                                                                                       \
		test();                                                                            \
		CHECK(irq_shim.enabled);                                                           \
	} while (0)

int main(void)
{
	RUN(test_is_mapped_before_init);
	RUN(test_init);
	RUN(test_layout);
	RUN(test_unmap_splits);
	RUN(test_mmio);
	RUN(test_kstack);
	RUN(test_kstack_free_unknown);
	return check_summary("vm");
}
