/* Kernel command-line parsing: pure functions, unit-tested on the host. */
#include <errno.h>
#include <string.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_split(char *buf, char **words, int max)
{
	int n = 0;
	char *in = buf, *out = buf;
	for (;;) {
		while (is_space(*in))
			in++;
		if (!*in)
			return n;
		if (n == max)
			return -E2BIG;
		words[n++] = out;
		int quoted = 0;
		while (*in && (quoted || !is_space(*in))) {
			if (*in == '"') {
				quoted = !quoted;
				in++;
			} else if (quoted && *in == '\\' && (in[1] == '"' || in[1] == '\\')) {
				*out++ = in[1];
				in += 2;
			} else {
				*out++ = *in++;
			}
		}
		if (quoted)
			return -EINVAL;
		/* out never passes in, so the terminator cannot clobber unread input */
		int at_end = !*in;
		*out++ = '\0';
		if (at_end)
			return n;
		in++;
	}
}

static const struct cmdline_option *find_option(const char *word, const struct cmdline_option *opts,
						size_t nr, const char **value)
{
	const char *eq = strchr(word, '=');
	size_t len = eq ? (size_t)(eq - word) : strlen(word);
	for (size_t i = 0; i < nr; i++) {
		if (strlen(opts[i].name) == len && memcmp(opts[i].name, word, len) == 0) {
			*value = eq ? eq + 1 : NULL;
			return &opts[i];
		}
	}
	return NULL;
}

/* Returns 1 if word looks like an environment assignment NAME=VALUE. */
static int is_assignment(const char *word)
{
	const char *eq = strchr(word, '=');
	if (!eq || eq == word)
		return 0;
	for (const char *p = word; p < eq; p++) {
		char c = *p;
		int ok = c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
			 (p > word && c >= '0' && c <= '9');
		if (!ok)
			return 0;
	}
	return 1;
}

/* QEMU microvm appends these after everything, program arguments included. */
static int is_qemu_appended(const char *w)
{
	return strncmp(w, "virtio_mmio.device=", 19) == 0;
}

static void apply_option(const struct cmdline_option *opt, const char *word, const char *value,
			 struct cmdline_result *res)
{
	if (opt->handler(value) < 0) {
		kprintf("toro: bad value in kernel option '%s'\n", word);
		res->nr_bad++;
	}
}

void cmdline_classify(char **words, int nwords, const struct cmdline_option *opts, size_t nr_opts,
		      struct cmdline_result *res)
{
	int program = 0;
	res->argc = res->envc = res->nr_unknown = res->nr_bad = 0;
	for (int i = 0; i < nwords; i++) {
		const char *w = words[i], *value;
		const struct cmdline_option *opt = find_option(w, opts, nr_opts, &value);
		if (!program && strcmp(w, "--") == 0) {
			program = 1;
		} else if (opt && (!program || is_qemu_appended(w))) {
			apply_option(opt, w, value, res);
		} else if (program && is_qemu_appended(w)) {
			continue; /* a device for a driver this image does not carry */
		} else if (program) {
			res->argv[res->argc++] = words[i];
		} else if (is_assignment(w)) {
			res->envp[res->envc++] = words[i];
		} else {
			kprintf("toro: unknown kernel option '%s' (program arguments go after --)\n", w);
			res->nr_unknown++;
		}
	}
	res->argv[res->argc] = NULL;
	res->envp[res->envc] = NULL;
}

static int digit_value(char c, unsigned base)
{
	int d = -1;
	if (c >= '0' && c <= '9')
		d = c - '0';
	else if (c >= 'a' && c <= 'f')
		d = c - 'a' + 10;
	else if (c >= 'A' && c <= 'F')
		d = c - 'A' + 10;
	return d >= 0 && (unsigned)d < base ? d : -1;
}

int cmdline_scan_number(const char **s, uint64_t *out)
{
	const char *p = *s;
	unsigned base = 10;
	uint64_t v = 0;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	const char *first = p;
	for (int d; (d = digit_value(*p, base)) >= 0; p++) {
		if (v > (UINT64_MAX - (unsigned)d) / base)
			return -EINVAL;
		v = v * base + (unsigned)d;
	}
	if (p == first)
		return -EINVAL;
	*s = p;
	*out = v;
	return 0;
}

int cmdline_scan_size(const char **s, uint64_t *out)
{
	if (cmdline_scan_number(s, out) < 0)
		return -EINVAL;
	unsigned shift;
	switch (**s) {
	case 'k':
	case 'K':
		shift = 10;
		break;
	case 'm':
	case 'M':
		shift = 20;
		break;
	case 'g':
	case 'G':
		shift = 30;
		break;
	default:
		return 0;
	}
	if (*out > (UINT64_MAX >> shift))
		return -EINVAL;
	(*s)++;
	*out <<= shift;
	return 0;
}

int cmdline_parse_size(const char *s, unsigned long *out)
{
	uint64_t v;
	if (!s || cmdline_scan_size(&s, &v) < 0 || *s)
		return -EINVAL;
	*out = v;
	return 0;
}
