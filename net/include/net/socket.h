/*
 * Sockets as files: the bridge between the POSIX socket calls (libc-glue,
 * Linux ABI) and lwIP's socket API.  Addresses, levels, option names and
 * flags are Linux's values; this layer translates them for lwIP.
 *
 * Every function returns >= 0 or -ERRNO.
 */
#ifndef NET_SOCKET_H
#define NET_SOCKET_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct file;


/* type is SOCK_STREAM or SOCK_DGRAM, without SOCK_NONBLOCK/SOCK_CLOEXEC. */
int netsock_create(int domain, int type, int protocol, int nonblock, struct file **out);
int netsock_is(const struct file *f);
/* Wraps lwIP socket s in a new file (closing s on failure). */
int netsock_wrap(int s, int nonblock, struct file **out);
int netsock_bind(struct file *f, const void *addr, uint32_t len);
int netsock_listen(struct file *f, int backlog);
/* *len is in/out as for accept(); addr may be NULL. */
int netsock_accept(struct file *f, void *addr, uint32_t *len, int nonblock, struct file **out);
int netsock_connect(struct file *f, const void *addr, uint32_t len);
ssize_t netsock_sendto(struct file *f, const void *buf, size_t len, int flags, const void *to,
		       uint32_t tolen);
ssize_t netsock_recvfrom(struct file *f, void *buf, size_t len, int flags, void *from,
			 uint32_t *fromlen);
/* msg is a Linux struct msghdr (<sys/socket.h>). */
ssize_t netsock_sendmsg(struct file *f, const void *msg, int flags);
ssize_t netsock_recvmsg(struct file *f, void *msg, int flags);
int netsock_shutdown(struct file *f, int how);
int netsock_setsockopt(struct file *f, int level, int name, const void *val, uint32_t len);
int netsock_getsockopt(struct file *f, int level, int name, void *val, uint32_t *len);
/* peer: 0 for getsockname, 1 for getpeername. */
int netsock_getname(struct file *f, int peer, void *addr, uint32_t *len);
/* IPv4 address of name (dotted or a DNS name), network byte order. */
int netsock_resolve(const char *name, uint32_t *addr);

/* lwIP's LWIP_HOOK_SOCKET_EVENT (net/patches/0001): socket s may be ready. */
void netsock_event(int s);

#endif
