/* Socket calls that carry addresses: Linux sockaddr_in <-> lwIP's. */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#include <fs/file.h>
#include <net/net.h>
#include <net/socket.h>
#include "socket_abi.h"
#include "socket_priv.h"


/* Linux -> lwIP; -EINVAL or -EAFNOSUPPORT for what lwIP cannot take. */
static int addr_in(const void *addr, uint32_t len, struct sockaddr_in *out)
{
	struct lnx_sockaddr_in a;
	if (!addr || len < sizeof(uint16_t))
		return -EINVAL;
	memcpy(&a.sin_family, addr, sizeof(uint16_t));
	if (a.sin_family != LNX_AF_INET)
		return -EAFNOSUPPORT;
	if (len < sizeof(a))
		return -EINVAL;
	memcpy(&a, addr, sizeof(a));
	memset(out, 0, sizeof(*out));
	out->sin_len = sizeof(*out);
	out->sin_family = AF_INET;
	out->sin_port = a.sin_port;
	out->sin_addr.s_addr = a.sin_addr;
	return 0;
}

/* lwIP -> Linux into a caller buffer of *len bytes; *len becomes the full size. */
static void addr_out(const struct sockaddr_in *in, void *addr, uint32_t *len)
{
	struct lnx_sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = LNX_AF_INET;
	a.sin_port = in->sin_port;
	a.sin_addr = in->sin_addr.s_addr;
	if (addr && len)
		memcpy(addr, &a, *len < sizeof(a) ? *len : sizeof(a));
	if (len)
		*len = sizeof(a);
}

int netsock_bind(struct file *f, const void *addr, uint32_t len)
{
	struct sockaddr_in sa;
	int err = addr_in(addr, len, &sa);
	if (err < 0)
		return err;
	return (int)lwip_err(lwip_bind(sock_of(f), (struct sockaddr *)&sa, sizeof(sa)));
}

int netsock_listen(struct file *f, int backlog)
{
	if (backlog < 0 || backlog > 0xff)
		backlog = 0xff; /* lwIP's backlog is a u8 */
	return (int)lwip_err(lwip_listen(sock_of(f), backlog));
}

int netsock_accept(struct file *f, void *addr, uint32_t *len, int nonblock, struct file **out)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int s = lwip_accept(sock_of(f), (struct sockaddr *)&sa, &salen);
	if (s < 0)
		return (int)lwip_err(s);
	if (addr || len)
		addr_out(&sa, addr, len);
	return netsock_wrap(s, nonblock, out);
}

int netsock_connect(struct file *f, const void *addr, uint32_t len)
{
	struct sockaddr_in sa;
	int err = addr_in(addr, len, &sa);
	if (err < 0)
		return err;
	int r = (int)lwip_err(lwip_connect(sock_of(f), (struct sockaddr *)&sa, sizeof(sa)));
	netsock_mark_connecting(f, r == -EINPROGRESS);
	/* lwIP reports a reset (RST) during the handshake as ECONNRESET; POSIX says refused */
	return r == -ECONNRESET ? -ECONNREFUSED : r;
}

int netsock_getname(struct file *f, int peer, void *addr, uint32_t *len)
{
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	int r = peer ? lwip_getpeername(sock_of(f), (struct sockaddr *)&sa, &salen)
		     : lwip_getsockname(sock_of(f), (struct sockaddr *)&sa, &salen);
	if (r < 0)
		return (int)lwip_err(r);
	addr_out(&sa, addr, len);
	return 0;
}

static int msg_flags_in(int lnx)
{
	int f = 0;
	f |= (lnx & LNX_MSG_PEEK) ? MSG_PEEK : 0;
	f |= (lnx & LNX_MSG_DONTWAIT) ? MSG_DONTWAIT : 0;
	f |= (lnx & LNX_MSG_WAITALL) ? MSG_WAITALL : 0;
	f |= (lnx & LNX_MSG_MORE) ? MSG_MORE : 0;
	return f; /* MSG_NOSIGNAL: there are no signals to suppress */
}

ssize_t netsock_sendto(struct file *f, const void *buf, size_t len, int flags, const void *to,
		       uint32_t tolen)
{
	if (flags & LNX_MSG_OOB)
		return -EOPNOTSUPP;
	if (!to)
		return lwip_err(lwip_send(sock_of(f), buf, len, msg_flags_in(flags)));
	struct sockaddr_in sa;
	int err = addr_in(to, tolen, &sa);
	if (err < 0)
		return err;
	return lwip_err(lwip_sendto(sock_of(f), buf, len, msg_flags_in(flags),
				    (struct sockaddr *)&sa, sizeof(sa)));
}

ssize_t netsock_recvfrom(struct file *f, void *buf, size_t len, int flags, void *from,
			 uint32_t *fromlen)
{
	if (flags & LNX_MSG_OOB)
		return -EOPNOTSUPP;
	struct sockaddr_in sa;
	socklen_t salen = sizeof(sa);
	memset(&sa, 0, sizeof(sa));
	ssize_t r = lwip_recvfrom(sock_of(f), buf, len, msg_flags_in(flags),
				  (struct sockaddr *)&sa, &salen);
	if (r >= 0 && from && fromlen)
		addr_out(&sa, from, fromlen);
	return lwip_err(r);
}

ssize_t netsock_sendmsg(struct file *f, const void *m, int flags)
{
	const struct lnx_msghdr *msg = m;
	ssize_t done = 0;
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		const struct lnx_iovec *v = &msg->msg_iov[i];
		ssize_t r = netsock_sendto(f, v->iov_base, v->iov_len, flags, msg->msg_name,
					   msg->msg_namelen);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < v->iov_len)
			break;
	}
	return done;
}

ssize_t netsock_recvmsg(struct file *f, void *m, int flags)
{
	struct lnx_msghdr *msg = m;
	ssize_t done = 0;
	msg->msg_controllen = 0;
	msg->msg_flags = 0;
	for (size_t i = 0; i < msg->msg_iovlen; i++) {
		struct lnx_iovec *v = &msg->msg_iov[i];
		ssize_t r = netsock_recvfrom(f, v->iov_base, v->iov_len,
					     done ? flags | LNX_MSG_DONTWAIT : flags,
					     done ? NULL : msg->msg_name, &msg->msg_namelen);
		if (r < 0)
			return done ? done : r;
		done += r;
		if ((size_t)r < v->iov_len)
			break;
	}
	return done;
}

int netsock_shutdown(struct file *f, int how)
{
	return (int)lwip_err(lwip_shutdown(sock_of(f), how));
}

int netsock_resolve(const char *name, uint32_t *addr)
{
	struct in_addr a;
	if (inet_aton(name, &a)) {
		*addr = a.s_addr;
		return 0;
	}
	int err = net_init();
	if (err < 0)
		return err;
	struct addrinfo hints, *res = NULL;
	memset(&hints, 0, sizeof(hints));
	hints.ai_family = AF_INET;
	if (lwip_getaddrinfo(name, NULL, &hints, &res) != 0 || !res)
		return -ENOENT;
	*addr = ((struct sockaddr_in *)res->ai_addr)->sin_addr.s_addr;
	lwip_freeaddrinfo(res);
	return 0;
}
