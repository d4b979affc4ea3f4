/*
 * lwIP interfaces for the virtio-net devices (netif_virtio.c).  Private to
 * net/: net_init() calls these once lwIP runs, and through them the image
 * links the virtio-net driver, which nothing else references.
 */
#ifndef NET_NETIF_VIRTIO_H
#define NET_NETIF_VIRTIO_H

#include <stdint.h>
#include <net/net.h>

/*
 * Adds an interface (en1, en2, ...: lwIP numbers all interfaces together and
 * lo0 is 0) for every virtio-net device and brings it up.  The first is the
 * default interface and takes cfg's static address, gateway and DNS server,
 * or asks DHCP when cfg has no address; the others ask DHCP.  Call once,
 * without the lwIP core lock.  Returns the number of interfaces added.
 */
int netif_virtio_attach_all(const struct net_config *cfg);

/*
 * Waits until the default interface has an IPv4 address or the monotonic clock reaches
 * deadline_ns (0: do not wait).  Returns 1 if it has one, else 0.
 */
int netif_virtio_wait_addr(uint64_t deadline_ns);

#endif
