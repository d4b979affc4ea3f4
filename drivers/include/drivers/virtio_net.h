/*
 * virtio-net devices, as a network stack sees them (the driver is
 * drivers/virtio/net.c).
 *
 * The driver binds every virtio-net device at boot and only moves frames:
 * the stack lends it receive buffers and gets them back filled, and hands it
 * frames to send as lists of segments, each frame with a cookie that comes
 * back once the device is done with its memory.  Usage (net/netif_virtio.c):
 *
 *   struct vnet *v = vnet_get(0);                // NULL: no such device
 *   vnet_mac(v, mac);
 *   vnet_rx_post(v, bufs, n);                    // fill the receive ring
 *   vnet_start(v, wake, arg);                    // wake(arg): interrupt context
 *
 *   // after wake(), in a thread (the device's interrupts stay off till rearm):
 *   while (vnet_tx_reclaim(v, &cookie) == 0)  release(cookie);
 *   while ((err = vnet_rx_take(v, &buf, &frame, &len)) != -EAGAIN && err != -EIO)
 *           if (err == 0) deliver(buf, frame, len);   // buf is the stack's again
 *   vnet_rx_post(v, new_bufs, vnet_rx_space(v));  // refill after each batch
 *   if (vnet_rearm(v) == 1) process again;        // else sleep until wake()
 *
 *   vnet_tx_send(v, segs, n, cookie);             // any time; -ENOSPC: ring full
 *
 * Calls on one device must be serialized by the caller (the stack's lock);
 * each call keeps the device's interrupt handler out by itself.  Everything
 * the device reports is checked: a bad frame is dropped, counted in the
 * statistics and its buffer reused; a device that breaks the ring protocol
 * makes every call return -EIO (never a crash or a spin).
 */
#ifndef DRIVERS_VIRTIO_NET_H
#define DRIVERS_VIRTIO_NET_H

#include <stdint.h>

/* Devices the driver binds at most. */
#define VNET_MAX_DEVICES 4
/* Largest frame either way: Ethernet header, 1500 bytes of payload, a VLAN tag. */
#define VNET_FRAME_MAX 1518
/* Largest frame vnet_tx_send_tcp() takes for the device to segment: a 64 KiB IP packet. */
#define VNET_GSO_FRAME_MAX (14 + 65535)
/* Smallest frame the driver hands on: an Ethernet header. */
#define VNET_FRAME_MIN 14
/* A receive buffer holds the virtio header (up to 12 bytes) and a largest frame. */
#define VNET_RXBUF_MIN (12 + VNET_FRAME_MAX)
/* Segments one frame to send may have. */
#define VNET_TX_SEGS_MAX 15

struct vnet;

/* A receive buffer the stack lends the driver: part of the stack's own object. */
struct vnet_rxbuf {
	uint8_t *data; /* guest-physical == virtual; the device writes header and frame here */
	uint32_t size; /* bytes at data, at least VNET_RXBUF_MIN */
};

/* One piece of a frame to send. */
struct vnet_seg {
	const void *data;
	uint32_t len; /* not 0 */
};

/* Counters, for diagnostics and tests; they only grow. */
struct vnet_stats {
	uint64_t rx_frames, rx_bytes; /* handed to the stack */
	uint64_t rx_bad_len;          /* dropped: shorter than a header, longer than a frame */
	uint64_t rx_bad_bufs;         /* dropped: num_buffers not 1 (too big for our buffers) */
	uint64_t tx_frames, tx_bytes; /* queued to the device */
	uint64_t tx_gso;              /* of those, frames the device segments (TSO) */
	uint64_t tx_ring_full;        /* vnet_tx_send() said -ENOSPC */
	uint64_t interrupts;          /* queue and configuration interrupts */
};

/* The i-th device bound at boot, or NULL. */
struct vnet *vnet_get(unsigned i);
/* Its name, e.g. "virtio-pci 00:02.0". */
const char *vnet_name(const struct vnet *v);
/* Its MAC address: from the configuration space, else a random local one. */
void vnet_mac(const struct vnet *v, uint8_t mac[6]);
/* 1 if the link is up (always, unless the device reports link status). */
int vnet_link_up(struct vnet *v);
/* 1 (and *up) if the link status changed since the last call, else 0. */
int vnet_link_poll(struct vnet *v, int *up);

/*
 * Starts delivering events: wake(arg) runs in interrupt context when the
 * device used buffers or changed its configuration, and the device's
 * interrupts then stay off until vnet_rearm().  vnet_start() also calls
 * wake(arg) once itself, for a first round that ends in vnet_rearm().
 * 0, or -EBUSY if already started.
 */
int vnet_start(struct vnet *v, void (*wake)(void *arg), void *arg);
/*
 * Turns interrupts back on: for received frames always, for sent ones only
 * while a frame waits for ring space (vnet_tx_send() returned -ENOSPC and
 * vnet_tx_reclaim() has returned nothing since).  Sent frames are otherwise
 * reclaimed in the next round or before the next send, as Linux's
 * virtio-net does: no interrupt per frame sent.  Returns 1 if work arrived
 * meanwhile (process again: its interrupt may have been suppressed), 0 if
 * idle (wait for wake()), or -EIO if the device is broken (give up on it).
 */
int vnet_rearm(struct vnet *v);

/* How many buffers vnet_rx_post() would take now. */
unsigned vnet_rx_space(const struct vnet *v);
/*
 * Offers n buffers to the device and notifies it.  Returns how many it
 * took (fewer once the ring is full), -EINVAL if a buffer is too small (none
 * taken after it), or -EIO if the device is broken.
 */
int vnet_rx_post(struct vnet *v, struct vnet_rxbuf *const *bufs, unsigned n);
/*
 * Takes the next received frame: sets *buf (the stack's again), *frame
 * (inside buf->data, after the virtio header) and *len, and returns 0.
 * Returns -EBADMSG if the next one was bad (dropped, counted, buffer offered
 * again: call again), -EAGAIN if nothing is pending, -EIO if the device is
 * broken.
 */
int vnet_rx_take(struct vnet *v, struct vnet_rxbuf **buf, uint8_t **frame, uint32_t *len);

/*
 * Queues a frame of n segments (1..VNET_TX_SEGS_MAX, VNET_FRAME_MIN to
 * VNET_FRAME_MAX bytes in all) and notifies the device.  The segments' memory
 * must stay as it is until vnet_tx_reclaim() gives cookie (not NULL) back.
 * Returns 0, -ENOSPC (ring full: reclaim, then retry or drop), -EINVAL or
 * -EIO (broken device).
 */
int vnet_tx_send(struct vnet *v, const struct vnet_seg *segs, unsigned n, void *cookie);
/* Whether the device computes checksums of frames sent with vnet_tx_send_csum(). */
int vnet_tx_csum(const struct vnet *v);
/*
 * As vnet_tx_send(), but the device computes the frame's TCP (offset 16) or
 * UDP (offset 6) checksum: the one's complement sum from byte start to the
 * end, stored at start + offset, where the caller has put the sum of the
 * pseudo-header.  start is 34-74 in steps of 4 (Ethernet + IPv4 header) and
 * within the first segment.  -EINVAL without the feature or for another start.
 */
int vnet_tx_send_csum(struct vnet *v, const struct vnet_seg *segs, unsigned n, unsigned start,
                      unsigned offset, void *cookie);
/* Whether vnet_tx_send_tcp() takes frames longer than the MTU (VIRTIO_NET_F_HOST_TSO4). */
int vnet_tx_tso(const struct vnet *v);
/*
 * As vnet_tx_send_csum() for a TCP/IPv4 frame, the driver reading the
 * offsets from the frame; and where its IP packet is longer than mtu (and
 * the device does TSO) the device cuts it into segments whose IP packets
 * take mtu bytes at most (the last may be shorter), up to VNET_GSO_FRAME_MAX
 * in all.  The frame: Ethernet, IPv4 (without options if it is to be cut)
 * and not a fragment, the IP total length exactly the rest of the frame, a
 * TCP header in segs[0]; no SYN, RST, URG or CWR if it is to be cut.  Its
 * checksum field holds the pseudo-header's sum with the TCP length of the
 * whole frame, as for vnet_tx_send_csum(): the device (Linux's
 * tcp_gso_segment() behind a tap) replaces that length per segment.  mtu:
 * 68 up to VNET_FRAME_MAX - 14.  -EINVAL for anything else or without
 * VIRTIO_NET_F_CSUM.
 */
int vnet_tx_send_tcp(struct vnet *v, const struct vnet_seg *segs, unsigned n, unsigned mtu,
                     void *cookie);
/* Takes the cookie of a sent frame: 0, -EAGAIN if none, -EIO if broken. */
int vnet_tx_reclaim(struct vnet *v, void **cookie);

/* A copy of the counters. */
void vnet_stats(const struct vnet *v, struct vnet_stats *out);

#endif
