/*
 * virtio-net hardware layout (virtio 1.2, 5.1 Network Device): feature bits,
 * the configuration space and the header in front of every frame.  Spec
 * structs and bits only; the driver is net.c.  Private to drivers/virtio.
 */
#ifndef DRIVERS_VIRTIO_NET_REG_H
#define DRIVERS_VIRTIO_NET_REG_H

#include <stdint.h>

/* 5.1.3 Feature bits (bit numbers, not masks) */
#define VIRTIO_NET_F_CSUM       0  /* device takes packets with partial checksums */
#define VIRTIO_NET_F_GUEST_CSUM 1  /* driver takes packets with partial checksums */
#define VIRTIO_NET_F_MTU        3  /* config.mtu is valid */
#define VIRTIO_NET_F_HOST_TSO4  11 /* device segments TCP/IPv4 frames (needs CSUM) */
#define VIRTIO_NET_F_MAC        5  /* config.mac is valid */
#define VIRTIO_NET_F_MRG_RXBUF  15 /* a received packet may span buffers */
#define VIRTIO_NET_F_STATUS     16 /* config.status is valid */
#define VIRTIO_NET_F_CTRL_VQ    17 /* a control queue exists */
/* 6.3 (legacy only): header and data need not be separate descriptors. */
#define VIRTIO_F_ANY_LAYOUT 27

/* 5.1.2 Virtqueues: receiveq1 and transmitq1 (no multiqueue here) */
#define VIRTIO_NET_RXQ 0
#define VIRTIO_NET_TXQ 1

/* 5.1.4 Device configuration layout: byte offsets of the fields we read */
#define VIRTIO_NET_CFG_MAC    0 /* u8 mac[6] */
#define VIRTIO_NET_CFG_STATUS 6 /* le16 status */

/* 5.1.4: config.status bits */
#define VIRTIO_NET_S_LINK_UP  1
#define VIRTIO_NET_S_ANNOUNCE 2

/*
 * 5.1.6 Device Operation: every packet starts with this header.  num_buffers
 * is there when VIRTIO_F_VERSION_1 or VIRTIO_NET_F_MRG_RXBUF was negotiated
 * (12 bytes), not otherwise (legacy, 10 bytes: 5.1.6.1).
 */
struct virtio_net_hdr {
	uint8_t flags;        /* VIRTIO_NET_HDR_F_* */
	uint8_t gso_type;     /* VIRTIO_NET_HDR_GSO_* */
	uint16_t hdr_len;     /* le16: headers' length, for GSO */
	uint16_t gso_size;    /* le16: segment size, for GSO */
	uint16_t csum_start;  /* le16: where checksumming starts, with NEEDS_CSUM */
	uint16_t csum_offset; /* le16: where the checksum goes, from csum_start */
	uint16_t num_buffers; /* le16: receive buffers this packet spans */
};

#define VIRTIO_NET_HDR_LEN        12 /* with num_buffers */
#define VIRTIO_NET_HDR_LEN_LEGACY 10 /* without */

#define VIRTIO_NET_HDR_F_NEEDS_CSUM 1
#define VIRTIO_NET_HDR_F_DATA_VALID 2
#define VIRTIO_NET_HDR_GSO_NONE     0
#define VIRTIO_NET_HDR_GSO_TCPV4    1 /* with HOST_TSO4: cut into gso_size segments */

#endif
