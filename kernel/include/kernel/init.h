/*
 * Boot-time hooks of optional components.
 *
 * A component that needs to run code at boot registers it with
 * TORO_INITCALL(fn); kernel_main() calls every linked initcall once, in link
 * order, after the scheduler is set up and before the main thread starts.
 * Because components are static libraries, an initcall runs only if its
 * component is in the image (something referenced it).  Initcalls run on the
 * boot stack with interrupts disabled, must not sleep, and must not rely on
 * one another's order; a negative return is logged and boot goes on.
 */
#ifndef KERNEL_INIT_H
#define KERNEL_INIT_H

struct toro_initcall {
	const char *name;
	int (*fn)(void); /* 0 or -ERRNO */
};

#define TORO_INITCALL(fn_)                                                                         \
	static const struct toro_initcall __toro_initcall_##fn_                                    \
	    __attribute__((used, section("toro_initcalls"), aligned(8))) = {#fn_, fn_}

/* With toro.bootstats: prints memory figures (free, stack pages) at exit. */
void kernel_exit_stats(void);

#endif
