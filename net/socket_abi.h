/*
 * Linux's socket ABI as seen by applications (libc-glue/include/sys/socket.h,
 * netinet/in.h), restated here because this side of the bridge includes
 * lwIP's headers, whose names clash with the libc ones.  Keep in sync.
 */
#ifndef NET_SOCKET_ABI_H
#define NET_SOCKET_ABI_H

#include <stddef.h>
#include <stdint.h>

#define LNX_AF_INET  2
#define LNX_AF_INET6 10

#define LNX_SOL_SOCKET 1
#define LNX_IPPROTO_IP 0
#define LNX_IPPROTO_TCP 6
#define LNX_IPPROTO_IPV6 41

#define LNX_SO_REUSEADDR  2
#define LNX_SO_TYPE	  3
#define LNX_SO_ERROR	  4
#define LNX_SO_BROADCAST  6
#define LNX_SO_SNDBUF	  7
#define LNX_SO_RCVBUF	  8
#define LNX_SO_KEEPALIVE  9
#define LNX_SO_LINGER	  13
#define LNX_SO_REUSEPORT  15
#define LNX_SO_RCVLOWAT	  18
#define LNX_SO_SNDLOWAT	  19
#define LNX_SO_RCVTIMEO	  20
#define LNX_SO_SNDTIMEO	  21
#define LNX_SO_ACCEPTCONN 30

#define LNX_TCP_NODELAY	  1
#define LNX_TCP_MAXSEG	  2
#define LNX_TCP_KEEPIDLE  4
#define LNX_TCP_KEEPINTVL 5
#define LNX_TCP_KEEPCNT	  6

#define LNX_MSG_OOB	 0x01
#define LNX_MSG_PEEK	 0x02
#define LNX_MSG_TRUNC	 0x20
#define LNX_MSG_DONTWAIT 0x40
#define LNX_MSG_WAITALL	 0x100
#define LNX_MSG_NOSIGNAL 0x4000
#define LNX_MSG_MORE	 0x8000

struct lnx_sockaddr_in {
	uint16_t sin_family;
	uint16_t sin_port;
	uint32_t sin_addr;
	uint8_t sin_zero[8];
};

struct lnx_iovec {
	void *iov_base;
	size_t iov_len;
};

struct lnx_msghdr {
	void *msg_name;
	uint32_t msg_namelen;
	struct lnx_iovec *msg_iov;
	size_t msg_iovlen;
	void *msg_control;
	size_t msg_controllen;
	int msg_flags;
};

#endif
