/*
 * Starting lwIP (net_init) and the network kernel options ip=, gw=, dns=.
 *
 * The options live here, next to net_init(), so that every image that uses
 * the network knows them and an image that does not reports them unknown.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include <kernel/cmdline.h>
#include <kernel/sync.h>
#include <net/net.h>

static struct net_config config = {0, 0, -1, 0, 0};

/* ---- kernel options ---------------------------------------------------------------- */

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Parses a decimal number of 1..3 digits up to max; returns the rest, or NULL. */
static const char *parse_small(const char *s, unsigned max, unsigned *out)
{
	unsigned v = 0;
	int n;
	for (n = 0; n < 3 && is_digit(*s); n++, s++)
		v = v * 10 + (unsigned)(*s - '0');
	if (n == 0 || is_digit(*s) || v > max)
		return NULL;
	*out = v;
	return s;
}

/* Parses "A.B.C.D" (decimal) into network byte order; returns the rest, or NULL. */
static const char *parse_ipv4(const char *s, uint32_t *out)
{
	uint8_t b[4];
	for (int i = 0; i < 4; i++) {
		unsigned v;
		if (i > 0 && *s++ != '.')
			return NULL;
		if (!(s = parse_small(s, 255, &v)))
			return NULL;
		b[i] = (uint8_t)v;
	}
	memcpy(out, b, sizeof(b));
	return s;
}

/* The netmask of a prefix length, in network byte order. */
static uint32_t prefix_to_netmask(unsigned prefix)
{
	uint32_t host = prefix ? ~0u << (32 - prefix) : 0;
	return __builtin_bswap32(host); /* little-endian host: arch/cc.h checks */
}

/* ip=A.B.C.D/PREFIX or ip=dhcp */
static int opt_ip(const char *value)
{
	uint32_t addr;
	unsigned prefix;
	const char *s;
	if (value && strcmp(value, "dhcp") == 0) {
		config.addr = config.netmask = 0;
		config.prefix = -1;
		return 0;
	}
	if (!value || !(s = parse_ipv4(value, &addr)) || *s++ != '/' ||
	    !(s = parse_small(s, 32, &prefix)) || *s != '\0' || addr == 0)
		return -EINVAL;
	config.addr = addr;
	config.prefix = (int)prefix;
	config.netmask = prefix_to_netmask(prefix);
	return 0;
}
CMDLINE_OPTION("ip", opt_ip);

/* A whole value that is one address: 0 and *out set, or -EINVAL. */
static int parse_ipv4_option(const char *value, uint32_t *out)
{
	uint32_t addr;
	const char *s;
	if (!value || !(s = parse_ipv4(value, &addr)) || *s != '\0')
		return -EINVAL;
	*out = addr;
	return 0;
}

static int opt_gw(const char *value)
{
	return parse_ipv4_option(value, &config.gateway);
}
CMDLINE_OPTION("gw", opt_gw);

static int opt_dns(const char *value)
{
	return parse_ipv4_option(value, &config.dns);
}
CMDLINE_OPTION("dns", opt_dns);

const struct net_config *net_config(void)
{
	return &config;
}

/* ---- starting lwIP --------------------------------------------------------------------- */

static struct kmutex init_lock = KMUTEX_INIT;
static int started;

/* Runs on the tcpip thread once it is about to take messages. */
static void tcpip_ready(void *arg)
{
	ksem_post(arg);
}

/* Core-locked: lwip_init() has added and raised lo0. */
static int loopback_is_up(void)
{
	LOCK_TCPIP_CORE();
	struct netif *lo = netif_find("lo0");
	int up = lo && netif_is_up(lo) && netif_is_link_up(lo);
	UNLOCK_TCPIP_CORE();
	return up;
}

int net_init(void)
{
	kmutex_lock(&init_lock);
	if (!started) {
		struct ksem ready;
		ksem_init(&ready, 0);
		tcpip_init(tcpip_ready, &ready);
		ksem_wait(&ready, 0);
		started = 1;
	}
	kmutex_unlock(&init_lock);
	return loopback_is_up() ? 0 : -EIO;
}
