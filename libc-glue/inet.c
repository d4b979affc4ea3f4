/* Address text conversions (IPv4 fully, IPv6 for inet_pton/ntop). */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include "glue.h"

const struct in6_addr in6addr_any = IN6ADDR_ANY_INIT;
const struct in6_addr in6addr_loopback = IN6ADDR_LOOPBACK_INIT;

/* Strict dotted quad: four decimal parts 0-255. */
static int parse_ipv4(const char *s, uint8_t out[4])
{
	for (int i = 0; i < 4; i++) {
		unsigned v = 0, digits = 0;
		while (*s >= '0' && *s <= '9' && digits < 4) {
			v = v * 10 + (unsigned)(*s++ - '0');
			digits++;
		}
		if (!digits || v > 255 || (digits > 1 && s[-(int)digits] == '0'))
			return 0;
		out[i] = (uint8_t)v;
		if (i < 3 && *s++ != '.')
			return 0;
	}
	return *s == '\0';
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)(c | 0x20);
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* RFC 4291 text form, with "::" and an optional trailing dotted quad. */
static int parse_ipv6(const char *s, uint8_t out[16])
{
	uint16_t w[8] = {0};
	int n = 0, gap = -1;
	if (s[0] == ':' && s[1] == ':') {
		gap = 0;
		s += 2;
	}
	while (*s && n < 8) {
		const char *start = s;
		unsigned v = 0;
		int d;
		while ((d = hexval(*s)) >= 0 && s - start < 4)
			v = v * 16 + (unsigned)d, s++;
		if (*s == '.' && n <= 6) {
			uint8_t q[4];
			if (!parse_ipv4(start, q))
				return 0;
			w[n++] = (uint16_t)(q[0] << 8 | q[1]);
			w[n++] = (uint16_t)(q[2] << 8 | q[3]);
			s = start + strlen(start);
			break;
		}
		if (s == start)
			return 0;
		w[n++] = (uint16_t)v;
		if (*s == ':' && s[1] == ':' && gap < 0) {
			gap = n;
			s += 2;
		} else if (*s == ':' && s[1]) {
			s++;
		} else if (*s) {
			return 0;
		}
	}
	if (*s || (gap < 0 && n != 8) || (gap >= 0 && n > 7))
		return 0;
	uint16_t full[8] = {0};
	int tail = gap < 0 ? 0 : n - gap;
	for (int i = 0; i < n - tail; i++)
		full[i] = w[i];
	for (int i = 0; i < tail; i++)
		full[8 - tail + i] = w[gap + i];
	for (int i = 0; i < 8; i++) {
		out[2 * i] = (uint8_t)(full[i] >> 8);
		out[2 * i + 1] = (uint8_t)full[i];
	}
	return 1;
}

int inet_pton(int af, const char *src, void *dst)
{
	if (af == AF_INET)
		return parse_ipv4(src, dst);
	if (af == AF_INET6)
		return parse_ipv6(src, dst);
	errno = EAFNOSUPPORT;
	return -1;
}

const char *inet_ntop(int af, const void *src, char *dst, socklen_t size)
{
	char buf[INET6_ADDRSTRLEN];
	const uint8_t *a = src;
	if (af == AF_INET) {
		snprintf(buf, sizeof(buf), "%u.%u.%u.%u", a[0], a[1], a[2], a[3]);
	} else if (af == AF_INET6) {
		char *p = buf;
		for (int i = 0; i < 8; i++)
			p += sprintf(p, i ? ":%x" : "%x", (unsigned)(a[2 * i] << 8 | a[2 * i + 1]));
	} else {
		errno = EAFNOSUPPORT;
		return NULL;
	}
	if (strlen(buf) >= size) {
		errno = ENOSPC;
		return NULL;
	}
	return strcpy(dst, buf);
}

int inet_aton(const char *cp, struct in_addr *inp)
{
	uint8_t a[4];
	if (!parse_ipv4(cp, a))
		return 0;
	memcpy(&inp->s_addr, a, 4);
	return 1;
}

in_addr_t inet_addr(const char *cp)
{
	struct in_addr a;
	return inet_aton(cp, &a) ? a.s_addr : INADDR_NONE;
}

char *inet_ntoa(struct in_addr in)
{
	static __thread char buf[INET_ADDRSTRLEN];
	return (char *)inet_ntop(AF_INET, &in, buf, sizeof(buf));
}
