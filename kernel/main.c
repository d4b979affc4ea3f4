/*
 * kernel_main: from the boot protocol's hand-off to the application's main().
 * Order: console, traps, boot info, memory, page tables, command line,
 * interrupts, the scheduler, the linked components' initcalls; then the boot
 * context becomes the idle thread and the "main" thread runs toro_app_start().
 */
#include <errno.h>
#include <kernel/boot.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/init.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/panic.h>
#include <kernel/time.h>
#include <kernel/thread.h>
#include <kernel/trap.h>
#include "sched_priv.h"

#define MAX_WORDS 512
/* Backed on first touch (kstack.c): like Linux's 8 MiB, it costs only what is used. */
#define DEFAULT_MAIN_STACK (8UL << 20)

struct boot_info boot_info;

static char *words[MAX_WORDS];
static char *app_argv[MAX_WORDS + 2];
static char *app_envp[MAX_WORDS + 2];
static unsigned long main_stack_size = DEFAULT_MAIN_STACK;
static struct cmdline_result cmdline;
static int bootstats;

extern const struct cmdline_option __start_toro_cmdline_opts[], __stop_toro_cmdline_opts[];
extern const struct toro_initcall __start_toro_initcalls[], __stop_toro_initcalls[];
/* The toolchain defines this to the output file's name; see tools/toro-ksyms. */
extern const char toro_program_name[] __attribute__((weak));

static int opt_bootstats(const char *value)
{
	bootstats = 1;
	return value ? -EINVAL : 0;
}
CMDLINE_OPTION("toro.bootstats", opt_bootstats);

static int opt_stack(const char *value)
{
	unsigned long v;
	if (cmdline_parse_size(value, &v) < 0 || v < THREAD_STACK_MIN || v > (1UL << 30))
		return -EINVAL;
	main_stack_size = v;
	return 0;
}
CMDLINE_OPTION("toro.stack", opt_stack);

static void parse_cmdline(struct cmdline_result *res)
{
	int n = cmdline_split(boot_info.cmdline, words, MAX_WORDS);
	if (n < 0) {
		kprintf("toro: cannot parse the command line (%s)\n",
			n == -E2BIG ? "too many words" : "unterminated quote");
		n = 0;
	}
	res->argv = app_argv + 1;
	res->envp = app_envp;
	size_t nopts = (size_t)(__stop_toro_cmdline_opts - __start_toro_cmdline_opts);
	cmdline_classify(words, n, __start_toro_cmdline_opts, nopts, res);
	app_argv[0] = (char *)(toro_program_name ? toro_program_name : "a.out");
}

static void print_bootstats(uint64_t tsc_main)
{
	const char *src;
	uint64_t hz = time_tsc_hz(&src);
	uint64_t cycles = tsc_main - boot_tsc_entry;
	kprintf("toro: bootstats: entry-to-main %lu cycles = %lu us (tsc %lu Hz from %s), "
	        "memory %lu KiB, free %lu KiB, stack pages backed %lu\n",
	        cycles, time_tsc_to_ns(cycles) / 1000, hz, src, pmem_total_bytes() >> 10,
	        pmem_free_bytes() >> 10, kstack_committed_pages());
}

void kernel_exit_stats(void)
{
	if (bootstats)
		kprintf("toro: exitstats: free %lu KiB, stack pages backed %lu (peak %lu)\n",
		        pmem_free_bytes() >> 10, kstack_committed_pages(), kstack_committed_peak());
}

/* The linked components' boot hooks (kernel/init.h), in link order. */
static void run_initcalls(void)
{
	for (const struct toro_initcall *c = __start_toro_initcalls; c < __stop_toro_initcalls; c++) {
		int err = c->fn();
		if (err < 0)
			kprintf("toro: %s failed (%d)\n", c->name, err);
	}
}

static void main_thread(void *arg)
{
	uint64_t tsc_main = rdtsc();
	if (bootstats)
		print_bootstats(tsc_main);
	toro_app_start(cmdline.argc + 1, app_argv, app_envp);
}

void kernel_main(void)
{
	console_init();
	trap_init();
	int err = boot_pvh_parse(boot_info_paddr, &boot_info);
	if (err < 0)
		panic("the loader's PVH start info is missing or malformed");
	if (pmem_init(&boot_info) < 0)
		panic("no usable RAM below 4 GiB");
	if ((err = vm_init(&boot_info)) < 0)
		panic("cannot build the page tables (%d)", err);
	parse_cmdline(&cmdline);
	if ((err = irq_init()) < 0)
		panic("cannot set up the interrupt controllers (%d)", err);
	sched_init();
	run_initcalls();
	struct thread *main;
	struct thread_attr attr = {main_stack_size, THREAD_PRIO_DEFAULT, 1, "main"};
	if (thread_create(&main, main_thread, NULL, &attr) < 0)
		panic("no memory for a %lu KiB main stack (toro.stack=)", main_stack_size >> 10);
	sched_idle_loop();
}
