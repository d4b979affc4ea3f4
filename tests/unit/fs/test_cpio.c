/*
 * fs/cpio.c: well-formed newc archives, and malformed ones that must give
 * -EINVAL with a reason and never read outside the buffer.  Every archive
 * is parsed from an exact-size heap copy so that ASan sees any overread.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "check.h"
#include "cpio.h"

struct arc {
	char *buf;
	size_t len, cap;
};

static void put(struct arc *a, const void *p, size_t n)
{
	if (a->len + n > a->cap) {
		a->cap = (a->len + n) * 2;
		a->buf = realloc(a->buf, a->cap);
	}
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void pad4(struct arc *a)
{
	while (a->len & 3)
		put(a, "", 1);
}

/* One entry; namesize and filesize as given (they may lie). */
static void entry_raw(struct arc *a, const char *name, unsigned mode, const void *data, size_t len,
                      unsigned namesize, unsigned filesize)
{
	char hdr[111];
	snprintf(hdr, sizeof(hdr), "070701%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x", 7,
	         mode, 0, 0, 1, 1600000000, filesize, 0, 0, 0, 0, namesize, 0);
	put(a, hdr, 110);
	put(a, name, strlen(name) + 1);
	pad4(a);
	put(a, data ? data : "", len);
	pad4(a);
}

static void entry(struct arc *a, const char *name, unsigned mode, const char *data)
{
	size_t len = data ? strlen(data) : 0;
	entry_raw(a, name, mode, data, len, (unsigned)strlen(name) + 1, (unsigned)len);
}

static void trailer(struct arc *a)
{
	entry(a, "TRAILER!!!", 0, NULL);
}

struct seen {
	int n;
	char names[8][32];
	char data[8][32];
	unsigned mode[8];
};

static int collect(void *ctx, const struct cpio_entry *e)
{
	struct seen *s = ctx;
	if (s->n < 8) {
		snprintf(s->names[s->n], 32, "%s", e->name);
		snprintf(s->data[s->n], 32, "%.*s", (int)e->size, (const char *)e->data);
		s->mode[s->n] = e->mode;
	}
	s->n++;
	return 0;
}

/* Parses an exact-size copy of buf[0, len). */
static int parse(const char *buf, size_t len, struct seen *s, struct cpio_error *err)
{
	char *copy = malloc(len ? len : 1);
	memcpy(copy, buf, len);
	memset(s, 0, sizeof(*s));
	int r = cpio_parse(copy, len, collect, s, err);
	free(copy);
	return r;
}

static struct arc sample(void)
{
	struct arc a = {0};
	entry(&a, ".", 040755, NULL);
	entry(&a, "etc", 040755, NULL);
	entry(&a, "etc/app.conf", 0100644, "port=8080\n");
	entry(&a, "etc/link", 0120777, "app.conf");
	trailer(&a);
	return a;
}

static void test_good(void)
{
	struct arc a = sample();
	struct seen s;
	struct cpio_error err = {0};
	CHECK_EQ(parse(a.buf, a.len, &s, &err), 0);
	CHECK_EQ(s.n, 4);
	CHECK_STR(s.names[2], "etc/app.conf");
	CHECK_STR(s.data[2], "port=8080\n");
	CHECK_EQ(s.mode[3], 0120777);
	CHECK_STR(s.data[3], "app.conf");
	/* zero padding after the trailer, then a second archive */
	put(&a, "\0\0\0\0\0\0\0\0", 8);
	entry(&a, "second", 0100600, "2");
	trailer(&a);
	put(&a, "\0\0\0\0", 4);
	CHECK_EQ(parse(a.buf, a.len, &s, &err), 0);
	CHECK_EQ(s.n, 5);
	CHECK_STR(s.names[4], "second");
	free(a.buf);
}

/* Every cut of a good archive fails cleanly, except after its trailer. */
static void test_every_prefix(void)
{
	struct arc a = sample();
	struct seen s;
	struct cpio_error err;
	size_t trailer_end = a.len;
	for (size_t n = 0; n < a.len; n++) {
		err.why = NULL;
		int r = parse(a.buf, n, &s, &err);
		/* the trailer's own padding may be cut off: then it still parses */
		if (r == 0) {
			CHECK(n > trailer_end - 4);
			continue;
		}
		CHECK_EQ(r, -EINVAL);
		CHECK(err.why != NULL);
		CHECK(err.offset <= n);
	}
	free(a.buf);
}

static void expect_bad(struct arc *a, const char *why_part)
{
	struct seen s;
	struct cpio_error err = {0};
	CHECK_EQ(parse(a->buf, a->len, &s, &err), -EINVAL);
	CHECK(err.why && strstr(err.why, why_part));
	if (err.why && !strstr(err.why, why_part))
		fprintf(stderr, "\twhy: %s (wanted %s)\n", err.why, why_part);
	free(a->buf);
	memset(a, 0, sizeof(*a));
}

static void test_bad_fields(void)
{
	struct arc a = {0};
	entry_raw(&a, "x", 0100644, "abc", 3, 2, 0xffffffffu); /* filesize past the end */
	trailer(&a);
	expect_bad(&a, "past the end");
	entry_raw(&a, "x", 0100644, "", 0, 0, 0); /* namesize 0 */
	expect_bad(&a, "name size");
	entry_raw(&a, "x", 0100644, "", 0, 0x7fffffff, 0); /* namesize huge */
	expect_bad(&a, "name size");
	entry_raw(&a, "xyz", 0100644, "", 0, 2, 0); /* name longer than namesize says */
	trailer(&a);
	expect_bad(&a, "NUL");
	entry(&a, "x", 0100644, "1");
	a.buf[10] = 'g'; /* not a hex digit */
	expect_bad(&a, "hex");
	entry(&a, "x", 0100644, "1");
	a.buf[5] = '7'; /* 070707: the old binary-ish format */
	expect_bad(&a, "magic");
	put(&a, "\x1f\x8b\x08\x00", 4);
	put(&a,
	    "0123456789012345678901234567890123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789",
	    110);
	expect_bad(&a, "gzip");
	entry(&a, "x", 0100644, "1"); /* no trailer */
	expect_bad(&a, "TRAILER");
	put(&a, "short", 5);
	expect_bad(&a, "truncated");
}

static int stop_at_second(void *ctx, const struct cpio_entry *e)
{
	return ++*(int *)ctx == 2 ? 42 : 0;
}

static void test_callback_stops(void)
{
	struct arc a = sample();
	int n = 0;
	CHECK_EQ(cpio_parse(a.buf, a.len, stop_at_second, &n, NULL), 42);
	CHECK_EQ(n, 2);
	free(a.buf);
}

int main(void)
{
	test_good();
	test_every_prefix();
	test_bad_fields();
	test_callback_stops();
	return check_summary("fs-cpio");
}
