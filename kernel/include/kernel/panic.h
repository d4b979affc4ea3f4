/* Fatal errors: panic(), KASSERT(), backtraces, and ending the VM. */
#ifndef KERNEL_PANIC_H
#define KERNEL_PANIC_H

#include <stdint.h>

/* Prints the message and a backtrace, then ends the VM with TORO_STATUS_PANIC. */
void panic(const char *fmt, ...) __attribute__((noreturn, format(printf, 1, 2)));

/* Always on; cond must have no side effects. */
#define KASSERT(cond)                                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			panic("assertion failed: %s at %s:%d", #cond, __FILE__, __LINE__);         \
	} while (0)

/* The caller's saved frame pointer: where a backtrace from here goes on. */
#define backtrace_caller_frame() (*(uintptr_t *)__builtin_frame_address(0))

/*
 * Prints "  #n 0xADDR func+0xoff" lines walking the frame-pointer chain from
 * rbp.  rsp, if not 0, is the stack pointer at rip: when rip is a function's
 * first instruction its frame is not built yet, and the caller is at *rsp.
 */
void backtrace_print(uintptr_t rip, uintptr_t rbp, uintptr_t rsp);

/*
 * Looks up the function containing addr in the image's own symbol table.
 * Returns its name and sets *offset, or returns NULL.
 */
const char *ksym_lookup(uintptr_t addr, uintptr_t *offset);

/* Ends the VM with the given status (see kernel/status.h). */
void machine_exit(int status) __attribute__((noreturn));

#endif
