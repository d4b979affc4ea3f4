/* kernel/cmdline.c: splitting, classifying and size parsing. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <kernel/cmdline.h>
#include "check.h"
#include "unit_shim.h"

#define MAX_WORDS 16

/* Splits a copy of line; the words point into *buf, which the caller frees. */
static int split(const char *line, char **buf, char **words, int max)
{
	*buf = strdup(line);
	return cmdline_split(*buf, words, max);
}

static void test_split_spaces(void)
{
	char *buf, *w[MAX_WORDS];
	CHECK_EQ(split("  a bc\t\td\r\n", &buf, w, MAX_WORDS), 3);
	CHECK_STR(w[0], "a");
	CHECK_STR(w[1], "bc");
	CHECK_STR(w[2], "d");
	free(buf);
	CHECK_EQ(split("", &buf, w, MAX_WORDS), 0);
	free(buf);
	CHECK_EQ(split(" \t\n ", &buf, w, MAX_WORDS), 0);
	free(buf);
}

static void test_split_quotes(void)
{
	char *buf, *w[MAX_WORDS];
	CHECK_EQ(split("say \"hello  world\" x", &buf, w, MAX_WORDS), 3);
	CHECK_STR(w[0], "say");
	CHECK_STR(w[1], "hello  world");
	CHECK_STR(w[2], "x");
	free(buf);
	/* quotes join with what touches them; "" is an empty word */
	CHECK_EQ(split("a\"b c\"d \"\" e", &buf, w, MAX_WORDS), 3);
	CHECK_STR(w[0], "ab cd");
	CHECK_STR(w[1], "");
	CHECK_STR(w[2], "e");
	free(buf);
}

static void test_split_escapes(void)
{
	char *buf, *w[MAX_WORDS];
	/* \" and \\ inside quotes; a backslash is literal elsewhere */
	CHECK_EQ(split("\"a\\\"b\" \"c\\\\d\" e\\f \"g\\h\" \"\\\"\"", &buf, w, MAX_WORDS), 5);
	CHECK_STR(w[0], "a\"b");
	CHECK_STR(w[1], "c\\d");
	CHECK_STR(w[2], "e\\f");
	CHECK_STR(w[3], "g\\h");
	CHECK_STR(w[4], "\"");
	free(buf);
}

static void test_split_errors(void)
{
	char *buf, *w[MAX_WORDS];
	CHECK_EQ(split("\"abc", &buf, w, MAX_WORDS), -EINVAL);
	free(buf);
	CHECK_EQ(split("a \"b c", &buf, w, MAX_WORDS), -EINVAL);
	free(buf);
	/* an escaped quote does not close */
	CHECK_EQ(split("\"a\\\"", &buf, w, MAX_WORDS), -EINVAL);
	free(buf);
	CHECK_EQ(split("a b c", &buf, w, 3), 3);
	free(buf);
	CHECK_EQ(split("a b c   ", &buf, w, 3), 3); /* trailing blanks are no word */
	free(buf);
	CHECK_EQ(split("a b c d", &buf, w, 3), -E2BIG);
	free(buf);
	CHECK_EQ(split("a", &buf, w, 0), -E2BIG);
	free(buf);
}

/* What the test options' handlers saw. */
static struct {
	int flag_calls, size_calls, ip_calls, mmio_calls;
	unsigned long size;
	const char *ip, *mmio;
} seen;

static int opt_flag(const char *value)
{
	seen.flag_calls++;
	return value ? -EINVAL : 0;
}

static int opt_size(const char *value)
{
	seen.size_calls++;
	return cmdline_parse_size(value, &seen.size);
}

static int opt_ip(const char *value)
{
	seen.ip_calls++;
	seen.ip = value;
	return value ? 0 : -EINVAL;
}

static int opt_mmio(const char *value)
{
	seen.mmio_calls++;
	seen.mmio = value;
	return 0;
}

static const struct cmdline_option opts[] = {
    {"toro.flag", opt_flag},
    {"toro.size", opt_size},
    {"ip", opt_ip},
    {"virtio_mmio.device", opt_mmio},
};
#define NR_OPTS (sizeof(opts) / sizeof(opts[0]))

/* One classification run with its own storage. */
struct classified {
	char *buf;
	char *words[MAX_WORDS];
	char *argv[MAX_WORDS + 2];
	char *envp[MAX_WORDS + 2];
	struct cmdline_result res;
};

static int classify(struct classified *c, const char *line)
{
	memset(&seen, 0, sizeof(seen));
	memset(c, 0, sizeof(*c));
	console_shim_reset();
	int n = split(line, &c->buf, c->words, MAX_WORDS);
	if (n < 0)
		return n;
	c->res.argv = c->argv;
	c->res.envp = c->envp;
	/* stale values must be overwritten */
	c->res.argc = c->res.envc = c->res.nr_unknown = c->res.nr_bad = 99;
	cmdline_classify(c->words, n, opts, NR_OPTS, &c->res);
	return n;
}

static void test_classify_mixed(void)
{
	struct classified c;
	CHECK_EQ(classify(&c, "toro.flag ip=10.0.0.2/24 HOME=/root toro.size=64k bogus -- arg1 "
			      "toro.flag X=1 \"two words\" virtio_mmio.device=512@0xfeb00000:5"),
		 11);
	CHECK_EQ(seen.flag_calls, 1); /* the one after -- is an argument */
	CHECK_EQ(seen.size_calls, 1);
	CHECK_EQ(seen.size, 65536);
	CHECK_EQ(seen.ip_calls, 1);
	CHECK_STR(seen.ip, "10.0.0.2/24");
	CHECK_EQ(seen.mmio_calls, 1);
	CHECK_STR(seen.mmio, "512@0xfeb00000:5");
	CHECK_EQ(c.res.envc, 1);
	CHECK_STR(c.envp[0], "HOME=/root");
	CHECK(c.envp[1] == NULL);
	CHECK_EQ(c.res.argc, 4);
	CHECK_STR(c.argv[0], "arg1");
	CHECK_STR(c.argv[1], "toro.flag");
	CHECK_STR(c.argv[2], "X=1");
	CHECK_STR(c.argv[3], "two words");
	CHECK(c.argv[4] == NULL);
	CHECK_EQ(c.res.nr_unknown, 1);
	CHECK_EQ(c.res.nr_bad, 0);
	CHECK(strstr(console_shim_text(), "unknown kernel option 'bogus'") != NULL);
	free(c.buf);
}

static void test_classify_bad_values(void)
{
	struct classified c;
	/* a handler error is counted and logged, and the rest goes on */
	CHECK_EQ(classify(&c, "toro.size=12q toro.flag=1 toro.flag= ip toro.size=2M"), 5);
	CHECK_EQ(seen.flag_calls, 2);
	CHECK_EQ(seen.ip_calls, 1);
	CHECK(seen.ip == NULL); /* a bare word has no value */
	CHECK_EQ(seen.size_calls, 2);
	CHECK_EQ(seen.size, 2UL << 20);
	CHECK_EQ(c.res.nr_bad, 4);
	CHECK_EQ(c.res.nr_unknown, 0);
	CHECK_EQ(c.res.argc, 0);
	CHECK_EQ(c.res.envc, 0);
	CHECK(strstr(console_shim_text(), "bad value in kernel option 'toro.size=12q'") != NULL);
	free(c.buf);
}

static void test_classify_words(void)
{
	struct classified c;
	/* only [A-Za-z_][A-Za-z0-9_]*= is an assignment; options match whole names */
	CHECK_EQ(classify(&c, "A1_=b _x= =x 1A=b A-B=c toro.flagx toro ip.x=1"), 8);
	CHECK_EQ(c.res.envc, 2);
	CHECK_STR(c.envp[0], "A1_=b");
	CHECK_STR(c.envp[1], "_x=");
	CHECK_EQ(c.res.nr_unknown, 6);
	CHECK_EQ(seen.flag_calls + seen.ip_calls, 0);
	free(c.buf);
	/* a second -- is an argument */
	CHECK_EQ(classify(&c, "-- a -- b"), 4);
	CHECK_EQ(c.res.argc, 3);
	CHECK_STR(c.argv[1], "--");
	free(c.buf);
	CHECK_EQ(classify(&c, ""), 0);
	CHECK_EQ(c.res.argc + c.res.envc + c.res.nr_unknown + c.res.nr_bad, 0);
	CHECK(c.argv[0] == NULL && c.envp[0] == NULL);
	free(c.buf);
}

static void check_size(const char *s, int err, unsigned long want)
{
	unsigned long v = 12345;
	int got = cmdline_parse_size(s, &v);
	CHECK_EQ(got, err);
	if (got != err)
		fprintf(stderr, "\tfor \"%s\"\n", s ? s : "(null)");
	CHECK_EQ(v, err ? 12345 : want); /* untouched on error */
}

static void test_parse_size(void)
{
	check_size("0", 0, 0);
	check_size("0k", 0, 0);
	check_size("4096", 0, 4096);
	check_size("64k", 0, 64UL << 10);
	check_size("64K", 0, 64UL << 10);
	check_size("2M", 0, 2UL << 20);
	check_size("2m", 0, 2UL << 20);
	check_size("1G", 0, 1UL << 30);
	check_size("1g", 0, 1UL << 30);
	check_size("17179869183G", 0, 17179869183UL << 30); /* the largest that fits */
	check_size("18446744073709551600", 0, 18446744073709551600UL);
	check_size(NULL, -EINVAL, 0);
	check_size("", -EINVAL, 0);
	check_size("k", -EINVAL, 0);
	check_size("-1", -EINVAL, 0);
	check_size(" 1", -EINVAL, 0);
	check_size("12q", -EINVAL, 0);
	check_size("1kb", -EINVAL, 0);
	check_size("1 ", -EINVAL, 0);
	check_size("17179869184G", -EINVAL, 0);
	check_size("18446744073709551616", -EINVAL, 0);
	check_size("99999999999999999999", -EINVAL, 0);
	check_size("18446744073709551615G", -EINVAL, 0);
	check_size("18014398509481984K", -EINVAL, 0);
}

int main(void)
{
	test_split_spaces();
	test_split_quotes();
	test_split_escapes();
	test_split_errors();
	test_classify_mixed();
	test_classify_bad_values();
	test_classify_words();
	test_parse_size();
	return check_summary("cmdline");
}
