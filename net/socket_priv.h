/*
 * What net/socket*.c share: a file's lwIP socket number, lwIP's errno as a
 * negative return, and the "non-blocking connect in progress" mark.
 */
#ifndef NET_SOCKET_PRIV_H
#define NET_SOCKET_PRIV_H

#include <errno.h>
#include <stdint.h>
#include <fs/file.h>

static inline int sock_of(const struct file *f)
{
	return (int)(intptr_t)f->priv;
}

/* lwIP returned -1 and set errno: turn it into -ERRNO. */
static inline long lwip_err(long r)
{
	return r < 0 ? -(errno ? errno : EIO) : r;
}

/*
 * lwIP reports a reset during the handshake as ECONNRESET, and for a
 * non-blocking connect it reports it later through SO_ERROR, when it no
 * longer knows the handshake was going on.  connect() marks the socket when
 * it returns EINPROGRESS; getsockopt(SO_ERROR) turns ECONNRESET into
 * ECONNREFUSED while the mark is there, and drops the mark once the outcome
 * is known.
 */
void netsock_mark_connecting(const struct file *f, int on);
int netsock_connecting(const struct file *f);

#endif
