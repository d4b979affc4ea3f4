/*
 * syslog(3) without a log daemon: each message becomes one console line,
 * "IDENT[PID]: MESSAGE", written with one write() to stderr.
 */
#include <stdarg.h>
#include <stdio.h>
#include <syslog.h>
#include <unistd.h>

#define SYSLOG_LINE_MAX 1024

static const char *syslog_ident;
static int syslog_option;
static int syslog_mask = 0xff;

void openlog(const char *ident, int option, int facility)
{
	(void)facility;
	syslog_ident = ident;
	syslog_option = option;
}

void closelog(void)
{
	syslog_ident = NULL;
	syslog_option = 0;
}

int setlogmask(int mask)
{
	int old = syslog_mask;
	if (mask)
		syslog_mask = mask;
	return old;
}

void vsyslog(int priority, const char *fmt, va_list ap)
{
	char line[SYSLOG_LINE_MAX];
	int n;
	if (!(syslog_mask & LOG_MASK(LOG_PRI(priority))))
		return;
	const char *ident = syslog_ident ? syslog_ident : "toro";
	if (syslog_option & LOG_PID)
		n = snprintf(line, sizeof(line), "%s[%d]: ", ident, (int)getpid());
	else
		n = snprintf(line, sizeof(line), "%s: ", ident);
	if (n < 0 || n >= (int)sizeof(line) - 1)
		return;
	int m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		return;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2; /* truncated: still one whole line */
	line[n++] = '\n';
	(void)write(STDERR_FILENO, line, (size_t)n);
}

void syslog(int priority, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsyslog(priority, fmt, ap);
	va_end(ap);
}
