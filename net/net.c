/*
 * Starting lwIP (net_init) and the network kernel options ip=, gw=, dns=.
 *
 * The options live here, next to net_init(), so that every image that uses
 * the network knows them and an image that does not reports them unknown.
 * net_init() also brings up the network devices (netif_virtio.c): that call
 * is what links the virtio-net driver into an image, so only images that
 * use the network carry it.
 */
#include <errno.h>
#include <stddef.h>
#include <string.h>
#include "lwip/dns.h"
#include "lwip/netif.h"
#include "lwip/tcpip.h"
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/sync.h>
#include <kernel/time.h>
#include <net/net.h>
#include "netif_virtio.h"

/* How long net_init() waits for the default interface's address (DHCP), at most. */
#define ADDR_WAIT_NS (10ULL * 1000 * 1000 * 1000)

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

static int devices; /* interfaces netif_virtio_attach_all() added */

/* Once, under init_lock: lwIP's thread, then the devices. */
static void net_start(void)
{
	struct ksem ready;
	ksem_init(&ready, 0);
	tcpip_init(tcpip_ready, &ready);
	ksem_wait(&ready, 0);
	devices = netif_virtio_attach_all(&config);
	started = 1;
}

int net_init(void)
{
	kmutex_lock(&init_lock);
	if (!started)
		net_start();
	kmutex_unlock(&init_lock);
	if (devices && !netif_virtio_wait_addr(time_monotonic_ns() + ADDR_WAIT_NS)) {
		static int warned;
		if (!warned++)
			kprintf("net: no address from DHCP yet; going on\n");
	}
	return loopback_is_up() ? 0 : -EIO;
}

/* ---- what the default interface has now -------------------------------------------- */

static int netmask_to_prefix(uint32_t mask)
{
	return __builtin_popcount(mask); /* contiguous masks only, as lwIP keeps them */
}

int net_ipv4_current(struct net_config *out)
{
	int err = -ENODEV;
	memset(out, 0, sizeof(*out));
	out->prefix = -1;
	if (!started)
		return err; /* no core lock before tcpip_init() */
	LOCK_TCPIP_CORE();
	struct netif *n = netif_default;
	if (n && !ip4_addr_isany_val(*netif_ip4_addr(n))) {
		out->addr = ip4_addr_get_u32(netif_ip4_addr(n));
		out->netmask = ip4_addr_get_u32(netif_ip4_netmask(n));
		out->prefix = netmask_to_prefix(out->netmask);
		out->gateway = ip4_addr_get_u32(netif_ip4_gw(n));
		out->dns = ip4_addr_get_u32(ip_2_ip4(dns_getserver(0)));
		err = 0;
	} else if (n) {
		err = -EAGAIN;
	}
	UNLOCK_TCPIP_CORE();
	return err;
}
