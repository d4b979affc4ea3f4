/*
 * Networking: lwIP started on Toro's threads.
 *
 * Usage:
 *   net_init();                       // once or many times, from any thread
 *   int s = lwip_socket(AF_INET, SOCK_STREAM, 0);   // lwIP's socket API
 *
 * net_init() starts lwIP's tcpip thread, the loopback interface (lo0,
 * 127.0.0.1) and an interface per virtio-net device (en1, en2, ...: lwIP
 * numbers all interfaces together, lo0 is 0).  The first is the default
 * route; its address comes from the kernel options below, or from DHCP (the
 * others always use DHCP).
 *
 * Kernel options (before "--" on the command line):
 *   ip=A.B.C.D/PREFIX  static IPv4 address and prefix length (0..32)
 *   ip=dhcp            ask DHCP (the default when ip= is absent)
 *   gw=A.B.C.D         default gateway
 *   dns=A.B.C.D        DNS server
 * A malformed value is reported on the console at boot and ignored.
 */
#ifndef NET_NET_H
#define NET_NET_H

#include <stdint.h>

/*
 * Starts lwIP and the network devices if they are not running yet, and
 * waits until its tcpip thread is up and the default interface (if there is
 * one) has an address: at once with ip=, else up to 10 s for DHCP (after
 * which it goes on, logging it once; the lease may still come).  Thread-safe and
 * idempotent.  Returns 0, or -EIO if the loopback interface is not up
 * afterwards.  (Out of memory while starting is fatal: lwIP has no way to
 * undo a half-done start.)
 */
int net_init(void);

/* The IPv4 settings from the kernel command line.  Addresses are in network
 * byte order (as in struct in_addr); 0 means "not given". */
struct net_config {
	uint32_t addr;    /* ip=; 0 means DHCP */
	uint32_t netmask; /* from the prefix of ip= */
	int prefix;       /* 0..32, or -1 when ip= is absent or "dhcp" */
	uint32_t gateway; /* gw= */
	uint32_t dns;     /* dns= */
};

/* The settings parsed at boot; never NULL, never changes after boot. */
const struct net_config *net_config(void);

/*
 * What the default interface has now, in the same form: address,
 * netmask and prefix, gateway, first DNS server.  0, -ENODEV (no network
 * device, or net_init() not called) or -EAGAIN (no address yet; *out zeroed).
 */
int net_ipv4_current(struct net_config *out);

#endif
