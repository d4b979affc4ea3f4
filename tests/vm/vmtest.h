/*
 * In-VM test helpers.  A test prints "TEST <name>: OK|FAILED" per check and
 * "SUCCESS" at the end; a failed check exits at once with its own code, so
 * the status names the check that failed.
 */
#ifndef TESTS_VM_VMTEST_H
#define TESTS_VM_VMTEST_H

#include <stdio.h>
#include <stdlib.h>

#define CHECK(name, code, cond)                                                                    \
	do {                                                                                       \
		int ok_ = (cond);                                                                  \
		printf("TEST %s: %s\n", (name), ok_ ? "OK" : "FAILED");                            \
		if (!ok_) {                                                                        \
			printf("  at %s:%d: %s\n", __FILE__, __LINE__, #cond);                     \
			fflush(stdout);                                                            \
			exit(code);                                                                \
		}                                                                                  \
	} while (0)

/* CHECK for loops: prints only when the check fails. */
#define CHECK_QUIET(name, code, cond)                                                              \
	do {                                                                                       \
		if (!(cond))                                                                       \
			CHECK(name, code, 0);                                                      \
	} while (0)

static inline int vmtest_success(void)
{
	printf("SUCCESS\n");
	fflush(stdout);
	return 0;
}

#endif
