/*
 * A tiny assertion helper for the host unit tests.  Include it from exactly
 * one file per test program: the counters are static.
 *
 *	CHECK(p != NULL);
 *	CHECK_EQ(pmem_free_bytes(), start);
 *	CHECK_STR(buf, "-42");
 *	return check_summary("pmem");	// from main(): non-zero if anything failed
 */
#ifndef UNIT_CHECK_H
#define UNIT_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_count;
static int check_failed;

static void check_fail(const char *file, int line, const char *expr)
{
	check_failed++;
	fprintf(stderr, "%s:%d: CHECK failed: %s\n", file, line, expr);
}

/* Evaluates cond exactly once. */
#define CHECK(cond)                                                                                \
	do {                                                                                       \
		check_count++;                                                                     \
		if (!(cond))                                                                       \
			check_fail(__FILE__, __LINE__, #cond);                                     \
	} while (0)

/* Integers of any width up to 64 bits; prints both values on failure. */
#define CHECK_EQ(a, b)                                                                             \
	do {                                                                                       \
		unsigned long long a_ = (unsigned long long)(a), b_ = (unsigned long long)(b);     \
		check_count++;                                                                     \
		if (a_ != b_) {                                                                    \
			check_fail(__FILE__, __LINE__, #a " == " #b);                              \
			fprintf(stderr, "\t0x%llx (%lld) != 0x%llx (%lld)\n", a_, (long long)a_,   \
				b_, (long long)b_);                                                \
		}                                                                                  \
	} while (0)

#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		check_count++;                                                                     \
		if (!a_ || !b_ || strcmp(a_, b_) != 0) {                                           \
			check_fail(__FILE__, __LINE__, #a " == " #b);                              \
			fprintf(stderr, "\t\"%s\" != \"%s\"\n", a_ ? a_ : "(null)",                \
				b_ ? b_ : "(null)");                                               \
		}                                                                                  \
	} while (0)

/* Prints one line and returns main()'s exit status. */
static int check_summary(const char *name)
{
	printf("unit.%s: %d checks, %d failed\n", name, check_count, check_failed);
	return check_failed ? 1 : 0;
}

#endif
