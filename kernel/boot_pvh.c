/*
 * PVH start info (xen/include/public/arch-x86/hvm/start_info.h), version 1:
 * the memory map, the command line and modules.  Every field comes from the
 * loader and is checked before use.
 */
#include <errno.h>
#include <string.h>
#include <kernel/boot.h>
#include <kernel/console.h>

#define HVM_START_MAGIC 0x336ec578
#define HVM_MEMMAP_TYPE_RAM 1
#define PVH_MAX_MEMMAP 128

struct hvm_start_info {
	uint32_t magic;
	uint32_t version;
	uint32_t flags;
	uint32_t nr_modules;
	uint64_t modlist_paddr;
	uint64_t cmdline_paddr;
	uint64_t rsdp_paddr;
	uint64_t memmap_paddr; /* version >= 1 */
	uint32_t memmap_entries;
	uint32_t reserved;
};

struct hvm_modlist_entry {
	uint64_t paddr;
	uint64_t size;
	uint64_t cmdline_paddr;
	uint64_t reserved;
};

struct hvm_memmap_table_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
	uint32_t reserved;
};

/* The boot page tables map only the first 4 GiB: nothing above is readable yet. */
static int boot_readable(uint64_t paddr, uint64_t len)
{
	return paddr != 0 && paddr < (1ULL << 32) && len <= (1ULL << 32) - paddr;
}

static void copy_cmdline(uint64_t paddr, struct boot_info *bi)
{
	bi->cmdline[0] = '\0';
	if (!boot_readable(paddr, 1))
		return;
	const char *src = (const char *)(uintptr_t)paddr;
	size_t n = 0;
	while (n < BOOT_CMDLINE_MAX - 1 && boot_readable(paddr + n, 1) && src[n])
		n++;
	memcpy(bi->cmdline, src, n);
	bi->cmdline[n] = '\0';
	if (src[n])
		kprintf("toro: command line longer than %d bytes, truncated\n", BOOT_CMDLINE_MAX - 1);
}

static void read_modules(const struct hvm_start_info *si, struct boot_info *bi)
{
	uint32_t n = si->nr_modules;
	if (n > BOOT_MAX_MODULES) {
		kprintf("toro: %u boot modules, using the first %d\n", n, BOOT_MAX_MODULES);
		n = BOOT_MAX_MODULES;
	}
	if (n && !boot_readable(si->modlist_paddr, n * sizeof(struct hvm_modlist_entry)))
		return;
	const struct hvm_modlist_entry *m = (const void *)(uintptr_t)si->modlist_paddr;
	for (uint32_t i = 0; i < n; i++) {
		if (m[i].size == 0 || m[i].paddr + m[i].size < m[i].paddr)
			continue;
		bi->modules[bi->nr_modules].base = m[i].paddr;
		bi->modules[bi->nr_modules].size = m[i].size;
		bi->nr_modules++;
	}
}

int boot_pvh_parse(uint64_t paddr, struct boot_info *bi)
{
	if (!boot_readable(paddr, sizeof(struct hvm_start_info)))
		return -EINVAL;
	const struct hvm_start_info *si = (const void *)(uintptr_t)paddr;
	if (si->magic != HVM_START_MAGIC || si->version < 1)
		return -EINVAL;
	uint32_t n = si->memmap_entries;
	if (n > PVH_MAX_MEMMAP || !boot_readable(si->memmap_paddr, n * 24ULL))
		return -EINVAL;
	const struct hvm_memmap_table_entry *e = (const void *)(uintptr_t)si->memmap_paddr;
	bi->nr_ram = 0;
	for (uint32_t i = 0; i < n; i++) {
		if (e[i].type != HVM_MEMMAP_TYPE_RAM)
			continue;
		if (mem_ranges_add(bi->ram, &bi->nr_ram, BOOT_MAX_RANGES, e[i].addr, e[i].size) < 0)
			kprintf("toro: memory map has too many ranges, some RAM unused\n");
	}
	copy_cmdline(si->cmdline_paddr, bi);
	read_modules(si, bi);
	bi->rsdp = si->rsdp_paddr;
	return bi->nr_ram ? 0 : -EINVAL;
}
