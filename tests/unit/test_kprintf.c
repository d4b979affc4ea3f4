/* kernel/kprintf.c: ksnprintf formatting and truncation, kprintf output. */
#include <limits.h>
#include <stdint.h>
#include <string.h>
#include <kernel/console.h>
#include "check.h"
#include "unit_shim.h"

/* Formats into a roomy buffer and compares; the return is the length. */
#define CHECK_FMT(want, ...)                                                                       \
	do {                                                                                       \
		char buf_[128];                                                                    \
		int n_ = ksnprintf(buf_, sizeof(buf_), __VA_ARGS__);                               \
		CHECK_STR(buf_, want);                                                             \
		CHECK_EQ(n_, strlen(want));                                                        \
	} while (0)

static void test_integers(void)
{
	CHECK_FMT("0", "%d", 0);
	CHECK_FMT("-42", "%d", -42);
	CHECK_FMT("-42", "%i", -42);
	CHECK_FMT("-2147483648", "%d", INT_MIN);
	CHECK_FMT("-9223372036854775808", "%ld", LONG_MIN);
	CHECK_FMT("9223372036854775807", "%lld", LLONG_MAX);
	CHECK_FMT("4294967295", "%u", UINT_MAX);
	CHECK_FMT("18446744073709551615", "%lu", ULONG_MAX);
	CHECK_FMT("123", "%zu", (size_t)123);
	CHECK_FMT("ff", "%x", 255);
	CHECK_FMT("ffffffff", "%x", UINT_MAX);
	CHECK_FMT("deadbeefcafe", "%lx", 0xdeadbeefcafeUL);
	CHECK_FMT("00000000000abcde", "%016lx", 0xabcdeUL);
	CHECK_FMT("ffffffffffffffff", "%016lx", ULONG_MAX);
	CHECK_FMT("   42", "%5d", 42);
	CHECK_FMT("  -42", "%5d", -42);
	CHECK_FMT("-0042", "%05d", -42);
	CHECK_FMT("12345", "%3d", 12345); /* width is a minimum */
}

static void test_strings_and_chars(void)
{
	const char *volatile null = NULL; /* hidden from gcc's -Wformat-overflow */
	CHECK_FMT("hi", "%s", "hi");
	CHECK_FMT("ab      |", "%-8s|", "ab");
	CHECK_FMT("      ab|", "%8s|", "ab");
	CHECK_FMT("abcdefghij|", "%-8s|", "abcdefghij");
	CHECK_FMT("(null)", "%s", null);
	CHECK_FMT("x", "%c", 'x');
	CHECK_FMT("100%", "%d%%", 100);
	/* gcc rightly objects to these formats; the kernel must still cope */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
	CHECK_FMT("a%qb", "a%qb"); /* unknown conversions are printed as they are */
	CHECK_FMT("abc", "abc%");  /* a lone % at the end is dropped */
#pragma GCC diagnostic pop
}

static void test_pointer(void)
{
	CHECK_FMT("0x0000000000000000", "%p", (void *)0);
	CHECK_FMT("0x00007fff12345678", "%p", (void *)0x7fff12345678UL);
}

static void test_truncation(void)
{
	char buf[8];
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(ksnprintf(buf, 4, "hello"), 5); /* the length it wanted */
	CHECK_STR(buf, "hel");
	CHECK_EQ(buf[4], 'Z'); /* nothing past size */
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(ksnprintf(buf, 1, "%d", 1234), 4);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'Z');
	memset(buf, 'Z', sizeof(buf));
	CHECK_EQ(ksnprintf(buf, 0, "%s", "abc"), 3); /* size 0 writes nothing */
	CHECK_EQ(buf[0], 'Z');
	CHECK_EQ(ksnprintf(NULL, 0, "%016lx", 1UL), 16);
	CHECK_EQ(ksnprintf(buf, sizeof(buf), "1234567"), 7); /* exactly fits */
	CHECK_STR(buf, "1234567");
	CHECK_EQ(ksnprintf(buf, sizeof(buf), "12345678"), 8); /* one too many */
	CHECK_STR(buf, "1234567");
}

static void test_kprintf_console(void)
{
	console_shim_reset();
	kprintf("x=%d %s\n", -7, "ok");
	CHECK_STR(console_shim_text(), "x=-7 ok\n");
	/* kprintf formats into 256 bytes: a longer line is cut, not overrun */
	char big[300];
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	console_shim_reset();
	kprintf("%s", big);
	CHECK_EQ(console_shim_len(), 255);
}

int main(void)
{
	test_integers();
	test_strings_and_chars();
	test_pointer();
	test_truncation();
	test_kprintf_console();
	return check_summary("kprintf");
}
