/*
 * panic(), backtraces symbolized from the image's own symbol table, and
 * machine_exit().
 *
 * The symbol table is the .ksyms section, which the linker script brackets
 * with __ksyms_start/__ksyms_end.  The toolchain links every image twice: the
 * first link has an empty .ksyms; tools/toro-ksyms turns that image's `nm`
 * output into the table and the second link places it after .rodata, which
 * leaves every function at the same address.
 */
#include <stdarg.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/status.h>

/* Layout of .ksyms (written by tools/toro-ksyms). */
struct ksym_header {
	uint64_t count;
};
struct ksym_entry {
	uint64_t addr;	   /* sorted ascending */
	uint32_t name_off; /* from the first byte after the entries */
	uint32_t reserved;
};

extern const char __ksyms_start[], __ksyms_end[];

#define BACKTRACE_MAX 24
#define ISA_DEBUG_EXIT_PORT 0xf4

const char *ksym_lookup(uintptr_t addr, uintptr_t *offset)
{
	size_t bytes = (size_t)(__ksyms_end - __ksyms_start);
	const struct ksym_header *h = (const void *)__ksyms_start;
	if (bytes < sizeof(*h) || h->count == 0 ||
	    h->count > (bytes - sizeof(*h)) / sizeof(struct ksym_entry))
		return NULL;
	const struct ksym_entry *e = (const void *)(h + 1);
	const char *names = (const char *)(e + h->count);
	if (addr < e[0].addr || addr >= (uintptr_t)__text_end)
		return NULL;
	size_t lo = 0, hi = h->count; /* find the last entry with addr <= target */
	while (hi - lo > 1) {
		size_t mid = lo + (hi - lo) / 2;
		if (e[mid].addr <= addr)
			lo = mid;
		else
			hi = mid;
	}
	if (names + e[lo].name_off >= __ksyms_end)
		return NULL;
	*offset = addr - e[lo].addr;
	return names + e[lo].name_off;
}

static void print_frame(int n, uintptr_t addr)
{
	uintptr_t off;
	const char *name = ksym_lookup(addr, &off);
	if (name)
		kprintf("  #%d 0x%lx %s+0x%lx\n", n, addr, name, off);
	else
		kprintf("  #%d 0x%lx ?\n", n, addr);
}

static int frame_readable(uintptr_t rbp)
{
	return rbp && !(rbp & 7) && vm_is_mapped(rbp) && vm_is_mapped(rbp + 8);
}

void backtrace_print(uintptr_t rip, uintptr_t rbp, uintptr_t rsp)
{
	uintptr_t off;
	int n = 1;
	kprintf("backtrace:\n");
	print_frame(0, rip);
	if (rsp && ksym_lookup(rip, &off) && off == 0 && frame_readable(rsp))
		print_frame(n++, *(const uintptr_t *)rsp - 1);
	for (; n < BACKTRACE_MAX && frame_readable(rbp); n++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		if (frame[1] == 0)
			break;
		/* return addresses point after the call: show the call itself */
		print_frame(n, frame[1] - 1);
		if (frame[0] <= rbp)
			break; /* frames must move up the stack */
		rbp = frame[0];
	}
}

void machine_exit(int status)
{
	/* QEMU isa-debug-exit exits with (value << 1) | 1; see kernel/status.h for the +1. */
	outl(ISA_DEBUG_EXIT_PORT, (uint32_t)status + 1);
	kprintf("toro: no isa-debug-exit device; resetting (status %d lost)\n", status);
	outb(0x64, 0xfe); /* i8042 reset; with -no-reboot QEMU exits */
	cpu_halt_forever();
}

void panic(const char *fmt, ...)
{
	static int nested;
	__asm__ volatile("cli");
	if (nested++)
		machine_exit(TORO_STATUS_PANIC);
	va_list ap;
	va_start(ap, fmt);
	kprintf("\ntoro: panic: ");
	kvprintf(fmt, ap);
	kprintf("\n");
	va_end(ap);
	/* start at the call to panic(): a noreturn call may be a function's last bytes */
	backtrace_print((uintptr_t)__builtin_return_address(0) - 1, backtrace_caller_frame(), 0);
	machine_exit(TORO_STATUS_PANIC);
}

/* Called by -fstack-protector code when a canary was overwritten. */
void __stack_chk_fail(void) __attribute__((noreturn));
void __stack_chk_fail(void)
{
	panic("stack smashing detected (stack-protector canary overwritten)");
}

/* Set from RDRAND by start64.S before any C runs. */
uintptr_t __stack_chk_guard;
