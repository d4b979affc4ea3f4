/*
 * setsockopt/getsockopt: Linux levels and names to lwIP's.  Options lwIP
 * lacks but programs set as tuning hints (SO_SNDBUF, SO_RCVBUF without
 * LWIP_SO_RCVBUF, SO_REUSEPORT, ...) are accepted and ignored, because
 * failing would stop servers that only meant to tune; SO_SNDBUF reads back
 * lwIP's send buffer size.
 */
#include <errno.h>
#include <string.h>
#include "lwip/sockets.h"
#include <fs/file.h>
#include <net/socket.h>
#include "socket_abi.h"
#include "socket_priv.h"

#define IGNORED (-1)


/* Maps (level, name) to lwIP's; returns 0, IGNORED, or -ENOPROTOOPT. */
static int opt_map(int level, int name, int *llevel, int *lname)
{
	static const struct {
		int level, name, llevel, lname;
	} map[] = {
		{LNX_SOL_SOCKET, LNX_SO_REUSEADDR, SOL_SOCKET, SO_REUSEADDR},
		{LNX_SOL_SOCKET, LNX_SO_KEEPALIVE, SOL_SOCKET, SO_KEEPALIVE},
		{LNX_SOL_SOCKET, LNX_SO_BROADCAST, SOL_SOCKET, SO_BROADCAST},
		{LNX_SOL_SOCKET, LNX_SO_TYPE, SOL_SOCKET, SO_TYPE},
		{LNX_SOL_SOCKET, LNX_SO_ERROR, SOL_SOCKET, SO_ERROR},
		{LNX_SOL_SOCKET, LNX_SO_ACCEPTCONN, SOL_SOCKET, SO_ACCEPTCONN},
		{LNX_SOL_SOCKET, LNX_SO_RCVTIMEO, SOL_SOCKET, SO_RCVTIMEO},
		{LNX_SOL_SOCKET, LNX_SO_SNDTIMEO, SOL_SOCKET, SO_SNDTIMEO},
		{LNX_SOL_SOCKET, LNX_SO_LINGER, SOL_SOCKET, SO_LINGER},
		{LNX_SOL_SOCKET, LNX_SO_RCVBUF, SOL_SOCKET, SO_RCVBUF},
		{LNX_SOL_SOCKET, LNX_SO_SNDBUF, SOL_SOCKET, IGNORED},
		{LNX_SOL_SOCKET, LNX_SO_REUSEPORT, SOL_SOCKET, IGNORED},
		{LNX_SOL_SOCKET, LNX_SO_RCVLOWAT, SOL_SOCKET, IGNORED},
		{LNX_SOL_SOCKET, LNX_SO_SNDLOWAT, SOL_SOCKET, IGNORED},
		{LNX_IPPROTO_TCP, LNX_TCP_NODELAY, IPPROTO_TCP, TCP_NODELAY},
		{LNX_IPPROTO_TCP, LNX_TCP_KEEPIDLE, IPPROTO_TCP, TCP_KEEPIDLE},
		{LNX_IPPROTO_TCP, LNX_TCP_KEEPINTVL, IPPROTO_TCP, TCP_KEEPINTVL},
		{LNX_IPPROTO_TCP, LNX_TCP_KEEPCNT, IPPROTO_TCP, TCP_KEEPCNT},
		{LNX_IPPROTO_TCP, LNX_TCP_MAXSEG, IPPROTO_TCP, IGNORED},
		{LNX_IPPROTO_IPV6, 26 /* IPV6_V6ONLY */, LNX_IPPROTO_IPV6, IGNORED},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (map[i].level == level && map[i].name == name) {
			*llevel = map[i].llevel;
			*lname = map[i].lname;
			return map[i].lname == IGNORED ? IGNORED : 0;
		}
	}
	return -ENOPROTOOPT;
}

int netsock_setsockopt(struct file *f, int level, int name, const void *val, uint32_t len)
{
	int ll, ln, m = opt_map(level, name, &ll, &ln);
	if (m == -ENOPROTOOPT)
		return m;
	if (!val || len < sizeof(int))
		return -EINVAL;
	if (m == IGNORED)
		return 0;
	return (int)lwip_err(lwip_setsockopt(sock_of(f), ll, ln, val, len));
}

/* SO_ERROR of a socket whose non-blocking connect may still be going on. */
static void so_error_after_connect(struct file *f, int *err)
{
	struct pollfd p = {sock_of(f), POLLOUT, 0};
	if (*err == ECONNRESET)
		*err = ECONNREFUSED;
	/* Writable without an error: connected (in SYN_SENT it is not writable). */
	if (*err || (lwip_poll(&p, 1, 0) == 1 && p.revents == POLLOUT))
		netsock_mark_connecting(f, 0);
}

int netsock_getsockopt(struct file *f, int level, int name, void *val, uint32_t *len)
{
	int ll, ln, m = opt_map(level, name, &ll, &ln);
	if (m == -ENOPROTOOPT)
		return m;
	if (*len < sizeof(int))
		return -EINVAL;
	if (m == IGNORED) {
		int v = name == LNX_SO_SNDBUF ? TCP_SND_BUF : 0;
		memcpy(val, &v, sizeof(v));
		*len = sizeof(v);
		return 0;
	}
	socklen_t l = *len;
	int r = lwip_getsockopt(sock_of(f), ll, ln, val, &l);
	*len = l; /* SO_TYPE needs no mapping: SOCK_STREAM/SOCK_DGRAM agree */
	if (r == 0 && level == LNX_SOL_SOCKET && name == LNX_SO_ERROR && netsock_connecting(f))
		so_error_after_connect(f, val);
	return (int)lwip_err(r);
}
