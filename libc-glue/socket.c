/*
 * BSD sockets: descriptor handling and errno around net/socket.c, which
 * does the work on lwIP.  A program that calls none of these carries no
 * network stack: this file is the only reference to it from the libc layer.
 */
#include <errno.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <fs/file.h>
#include <fs/pipe.h>
#include <net/socket.h>
#include "glue.h"

/* The socket file behind fd with a reference, or NULL with *err set. */
static struct file *sock_get(int fd, int *err)
{
	struct file *f = fd_get(fd);
	if (!f) {
		*err = -EBADF;
		return NULL;
	}
	if (!netsock_is(f)) {
		file_put(f);
		*err = -ENOTSOCK;
		return NULL;
	}
	return f;
}

static int install(struct file *f, int cloexec)
{
	int fd = fd_install(f, 0, cloexec ? FD_FLAG_CLOEXEC : 0);
	if (fd < 0)
		file_put(f);
	return fd;
}

int socket(int domain, int type, int protocol)
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct file *f;
	int err = netsock_create(domain, type & ~flags, protocol, flags & SOCK_NONBLOCK, &f);
	if (err < 0)
		return (int)glue_ret(err);
	return (int)glue_ret(install(f, flags & SOCK_CLOEXEC));
}

int socketpair(int domain, int type, int protocol, int sv[2])
{
	int flags = type & (SOCK_NONBLOCK | SOCK_CLOEXEC);
	if (!sv)
		return (int)glue_ret(-EFAULT);
	if (domain != AF_UNIX)
		return (int)glue_ret(-EAFNOSUPPORT);
	if ((type & ~flags) != SOCK_STREAM || (protocol != 0))
		return (int)glue_ret(-EPROTONOSUPPORT);
	struct file *a, *b;
	int err = socketpair_create(&a, &b, (flags & SOCK_NONBLOCK) ? O_NONBLOCK : 0);
	if (err < 0)
		return (int)glue_ret(err);
	int fa = install(a, flags & SOCK_CLOEXEC);
	if (fa < 0) {
		file_put(b);
		return (int)glue_ret(fa);
	}
	int fb = install(b, flags & SOCK_CLOEXEC);
	if (fb < 0) {
		fd_close(fa);
		return (int)glue_ret(fb);
	}
	sv[0] = fa;
	sv[1] = fb;
	return 0;
}

int accept4(int fd, struct sockaddr *addr, socklen_t *len, int flags)
{
	int err;
	if (flags & ~(SOCK_NONBLOCK | SOCK_CLOEXEC))
		return (int)glue_ret(-EINVAL);
	struct file *f = sock_get(fd, &err), *nf;
	if (!f)
		return (int)glue_ret(err);
	err = netsock_accept(f, addr, len, flags & SOCK_NONBLOCK, &nf);
	file_put(f);
	if (err < 0)
		return (int)glue_ret(err);
	return (int)glue_ret(install(nf, flags & SOCK_CLOEXEC));
}

int accept(int fd, struct sockaddr *addr, socklen_t *len)
{
	return accept4(fd, addr, len, 0);
}

/* Runs op on the socket at fd: the pattern of every call below. */
#define SOCK_CALL(fd, call)                                                                        \
	do {                                                                                       \
		int err_;                                                                          \
		struct file *f = sock_get(fd, &err_);                                              \
		if (!f)                                                                            \
			return glue_ret(err_);                                                     \
		long r_ = (call);                                                                  \
		file_put(f);                                                                       \
		return glue_ret(r_);                                                               \
	} while (0)

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	SOCK_CALL(fd, netsock_bind(f, addr, len));
}

int listen(int fd, int backlog)
{
	SOCK_CALL(fd, netsock_listen(f, backlog));
}

int connect(int fd, const struct sockaddr *addr, socklen_t len)
{
	SOCK_CALL(fd, netsock_connect(f, addr, len));
}

ssize_t sendto(int fd, const void *buf, size_t len, int flags, const struct sockaddr *to,
	       socklen_t tolen)
{
	SOCK_CALL(fd, netsock_sendto(f, buf, len, flags, to, tolen));
}

ssize_t send(int fd, const void *buf, size_t len, int flags)
{
	return sendto(fd, buf, len, flags, NULL, 0);
}

ssize_t recvfrom(int fd, void *buf, size_t len, int flags, struct sockaddr *from,
		 socklen_t *fromlen)
{
	SOCK_CALL(fd, netsock_recvfrom(f, buf, len, flags, from, fromlen));
}

ssize_t recv(int fd, void *buf, size_t len, int flags)
{
	return recvfrom(fd, buf, len, flags, NULL, NULL);
}

ssize_t sendmsg(int fd, const struct msghdr *msg, int flags)
{
	if (!msg || (msg->msg_iovlen && !msg->msg_iov))
		return glue_ret(-EFAULT);
	SOCK_CALL(fd, netsock_sendmsg(f, msg, flags));
}

ssize_t recvmsg(int fd, struct msghdr *msg, int flags)
{
	if (!msg || (msg->msg_iovlen && !msg->msg_iov))
		return glue_ret(-EFAULT);
	SOCK_CALL(fd, netsock_recvmsg(f, msg, flags));
}

int shutdown(int fd, int how)
{
	if (how < SHUT_RD || how > SHUT_RDWR)
		return (int)glue_ret(-EINVAL);
	SOCK_CALL(fd, netsock_shutdown(f, how));
}

int setsockopt(int fd, int level, int name, const void *val, socklen_t len)
{
	SOCK_CALL(fd, netsock_setsockopt(f, level, name, val, len));
}

int getsockopt(int fd, int level, int name, void *val, socklen_t *len)
{
	if (!val || !len)
		return (int)glue_ret(-EFAULT);
	SOCK_CALL(fd, netsock_getsockopt(f, level, name, val, len));
}

int getsockname(int fd, struct sockaddr *addr, socklen_t *len)
{
	if (!addr || !len)
		return (int)glue_ret(-EFAULT);
	SOCK_CALL(fd, netsock_getname(f, 0, addr, len));
}

int getpeername(int fd, struct sockaddr *addr, socklen_t *len)
{
	if (!addr || !len)
		return (int)glue_ret(-EFAULT);
	SOCK_CALL(fd, netsock_getname(f, 1, addr, len));
}
