/*
 * The kernel command line: "KERNEL-OPTIONS -- PROGRAM ARGS".
 *
 * Before "--", a word is a kernel option if a linked component registered
 * its name with CMDLINE_OPTION(); any other KEY=VALUE goes to the program's
 * environment; anything else is reported as unknown.  After "--", words are
 * the program's argv[1..].  Words may be double-quoted, with \" and \\ escapes.
 * QEMU's microvm appends "virtio_mmio.device=..." at the very end, after the
 * program's arguments: such words are taken as kernel options wherever they
 * stand.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <stddef.h>
#include <stdint.h>

struct cmdline_option {
	const char *name; /* "toro.bootstats", or "ip" for "ip=..." */
	/* value is NULL for a bare word; returns 0 or -EINVAL */
	int (*handler)(const char *value);
};

#define CMDLINE_OPTION(name_, handler_)                                                            \
	static const struct cmdline_option __cmdline_opt_##handler_                                \
		__attribute__((used, section("toro_cmdline_opts"), aligned(8))) = {name_, handler_}

/*
 * Splits buf in place into words.  Returns the number of words, or -E2BIG
 * when there are more than max, or -EINVAL for an unterminated quote.
 */
int cmdline_split(char *buf, char **words, int max);

struct cmdline_result {
	char **argv; /* program arguments (argv[0] is set by the caller) */
	int argc;
	char **envp; /* NULL-terminated */
	int envc;
	int nr_unknown; /* words reported as unknown */
	int nr_bad; /* options whose handler returned an error */
};

/*
 * Classifies words against the options table [opts, opts+nr_opts).  argv and
 * envp must each have room for nwords+2 entries.  Calls the handlers.
 */
void cmdline_classify(char **words, int nwords, const struct cmdline_option *opts, size_t nr_opts,
		      struct cmdline_result *res);

/* Parses "64k", "2M", "1G", "0x1000" or plain bytes, nothing after; 0 or -EINVAL. */
int cmdline_parse_size(const char *s, unsigned long *out);
/* A decimal or 0x-hex number at *s, advancing *s past it; 0 or -EINVAL. */
int cmdline_scan_number(const char **s, uint64_t *out);
/* The same with an optional K, M or G suffix. */
int cmdline_scan_size(const char **s, uint64_t *out);

#endif
