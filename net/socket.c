/*
 * Sockets as files over lwIP's socket API.  Each struct file holds an lwIP
 * socket number; a table maps numbers back to files so that lwIP's event
 * hook (net/patches/0001) can wake poll/select/epoll waiters.
 *
 * lwIP's own blocking and non-blocking behaviour is used as is: the file's
 * O_NONBLOCK is mirrored onto the lwIP socket.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "lwip/sockets.h"
#include "lwip/netdb.h"
#include "lwip/api.h"
#include "lwip/priv/sockets_priv.h"
#include "lwip/tcp.h"
#include "lwip/tcpip.h"
#include <fs/file.h>
#include <kernel/irq.h>
#include <net/net.h>
#include <net/socket.h>
#include "socket_abi.h"
#include "socket_priv.h"

static struct file *by_socket[MEMP_NUM_NETCONN]; /* changed with interrupts off */
static unsigned char connecting[MEMP_NUM_NETCONN]; /* see socket_priv.h */

void netsock_mark_connecting(const struct file *f, int on)
{
	connecting[sock_of(f) - LWIP_SOCKET_OFFSET] = (unsigned char)on;
}

int netsock_connecting(const struct file *f)
{
	return connecting[sock_of(f) - LWIP_SOCKET_OFFSET];
}


void netsock_event(int s)
{
	if (s < LWIP_SOCKET_OFFSET || s >= LWIP_SOCKET_OFFSET + MEMP_NUM_NETCONN)
		return;
	unsigned long flags = irq_save(); /* the file cannot be released meanwhile */
	struct file *f = by_socket[s - LWIP_SOCKET_OFFSET];
	if (f)
		file_notify(f, FILE_POLLIN | FILE_POLLOUT | FILE_POLLERR);
	irq_restore(flags);
}

static ssize_t sock_read(struct file *f, void *buf, size_t len)
{
	return lwip_err(lwip_recv(sock_of(f), buf, len, 0));
}

static ssize_t sock_write(struct file *f, const void *buf, size_t len)
{
	return lwip_err(lwip_send(sock_of(f), buf, len, 0));
}

/*
 * The bytes never change nor go away (file_ops.write_stable): TCP refers to
 * them until they are acknowledged instead of copying them (lwIP's
 * MSG_NOCOPY, net/patches/0003).
 */
static ssize_t sock_write_stable(struct file *f, const void *buf, size_t len)
{
	return lwip_err(lwip_send(sock_of(f), buf, len, MSG_NOCOPY));
}

/*
 * Whether a TCP peer has sent its FIN: Linux's POLLRDHUP, which nginx
 * relies on once it has seen it work (without it, nginx re-reads every
 * connection in a loop of posted events that starves epoll_wait).
 */
static int peer_shut_write(int s)
{
	struct lwip_sock *sock = lwip_socket_dbg_get_socket(s);
	if (!sock || !sock->conn || NETCONNTYPE_GROUP(netconn_type(sock->conn)) != NETCONN_TCP)
		return 0;
	int mine = sys_core_locked_by_me();
	if (!mine)
		LOCK_TCPIP_CORE();
	const struct tcp_pcb *pcb = sock->conn->pcb.tcp;
	int shut = pcb && (pcb->state == CLOSE_WAIT || pcb->state == CLOSING ||
	                   pcb->state == LAST_ACK || pcb->state == TIME_WAIT);
	if (!mine)
		UNLOCK_TCPIP_CORE();
	return shut;
}

static unsigned sock_poll(struct file *f)
{
	struct pollfd p = {sock_of(f), POLLIN | POLLOUT, 0};
	if (lwip_poll(&p, 1, 0) < 0)
		return FILE_POLLERR;
	/* an end of stream is readable: only then can the peer have shut */
	int rdhup = (p.revents & POLLIN) && peer_shut_write(sock_of(f));
	return ((p.revents & POLLIN) ? FILE_POLLIN : 0) | ((p.revents & POLLOUT) ? FILE_POLLOUT : 0) |
	       ((p.revents & POLLERR) ? FILE_POLLERR : 0) | ((p.revents & POLLHUP) ? FILE_POLLHUP : 0) |
	       (rdhup ? FILE_POLLRDHUP : 0);
}

static int sock_ioctl(struct file *f, unsigned long req, void *arg)
{
	if (req != 0x541b) /* Linux FIONREAD */
		return -ENOTTY;
	return (int)lwip_err(lwip_ioctl(sock_of(f), FIONREAD, arg));
}

static int sock_setfl(struct file *f)
{
	int nb = (f->flags & O_NONBLOCK) ? O_NONBLOCK : 0;
	return (int)lwip_err(lwip_fcntl(sock_of(f), F_SETFL, nb));
}

static int sock_fstat(struct file *f, struct stat *st)
{
	memset(st, 0, sizeof(*st));
	st->st_mode = S_IFSOCK | 0777;
	return 0;
}

static void sock_release(struct file *f)
{
	int s = sock_of(f);
	unsigned long flags = irq_save();
	by_socket[s - LWIP_SOCKET_OFFSET] = NULL;
	irq_restore(flags);
	connecting[s - LWIP_SOCKET_OFFSET] = 0;
	lwip_close(s);
}

static const struct file_ops sock_ops = {
	.read = sock_read,
	.write = sock_write,
	.write_stable = sock_write_stable,
	.poll = sock_poll,
	.ioctl = sock_ioctl,
	.setfl = sock_setfl,
	.fstat = sock_fstat,
	.release = sock_release,
};

int netsock_is(const struct file *f)
{
	return f->ops == &sock_ops;
}

/* Wraps lwIP socket s in a file; closes s on failure. */
int netsock_wrap(int s, int nonblock, struct file **out)
{
	struct file *f = file_alloc(&sock_ops, O_RDWR | (nonblock ? O_NONBLOCK : 0),
				    (void *)(intptr_t)s);
	if (!f) {
		lwip_close(s);
		return -ENOMEM;
	}
	if (nonblock)
		lwip_fcntl(s, F_SETFL, O_NONBLOCK);
	unsigned long flags = irq_save();
	by_socket[s - LWIP_SOCKET_OFFSET] = f;
	irq_restore(flags);
	*out = f;
	return 0;
}

int netsock_create(int domain, int type, int protocol, int nonblock, struct file **out)
{
	if (domain != LNX_AF_INET)
		return -EAFNOSUPPORT;
	if (type != SOCK_STREAM && type != SOCK_DGRAM)
		return type == SOCK_RAW ? -EPROTONOSUPPORT : -EINVAL;
	int err = net_init();
	if (err < 0)
		return err;
	int s = lwip_socket(AF_INET, type, protocol);
	if (s < 0)
		return (int)lwip_err(s);
	return netsock_wrap(s, nonblock, out);
}
