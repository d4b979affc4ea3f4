/*
 * lwIP's configuration for Toro (lwIP 2.1.3, see cmake/lwip.cmake).
 *
 * lwIP runs as ordinary threads in the image: the tcpip thread owns the
 * stack, application threads call the socket API and take the core lock
 * themselves (LWIP_TCPIP_CORE_LOCKING).  Memory comes from the heap, so the
 * only limits are RAM and the socket table (MEMP_NUM_NETCONN).
 *
 * Applications see this file through lwip/opt.h: it must not include kernel
 * headers, and every choice that changes a type or a constant seen by the
 * caller (timeval, fd_set, O_NONBLOCK, errno) is made once, here or in
 * arch/cc.h.
 */
#ifndef TORO_LWIPOPTS_H
#define TORO_LWIPOPTS_H

/* ---- threads and locking -------------------------------------------------- */
#define NO_SYS                        0
#define SYS_LIGHTWEIGHT_PROT          1 /* sys_arch_protect: interrupts off */
#define LWIP_TCPIP_CORE_LOCKING       1
/* TCP checksums of frames out of a virtio-net that offloads them are the device's (net/netif_virtio.c) */
#define LWIP_CHECKSUM_CTRL_PER_NETIF 1
#define LWIP_TCPIP_CORE_LOCKING_INPUT 0 /* the netif hands packets to the tcpip thread */
#define TCPIP_THREAD_NAME             "tcpip"
#define TCPIP_THREAD_STACKSIZE        (64 * 1024)
#define TCPIP_THREAD_PRIO             16 /* THREAD_PRIO_DEFAULT: shares the CPU round-robin */
#define TCPIP_MBOX_SIZE               512
#define DEFAULT_THREAD_STACKSIZE      (64 * 1024)
#define DEFAULT_THREAD_PRIO           16

/* Checked at run time: see sys_check_core_locking() in net/sys_arch.c. */
void sys_check_core_locking(void);
#define LWIP_ASSERT_CORE_LOCKED() sys_check_core_locking()

/* ---- memory: everything from the heap ---------------------------------------- */
#define MEM_LIBC_MALLOC 1
#define MEMP_MEM_MALLOC 1
#define MEM_ALIGNMENT   8
/*
 * With MEMP_MEM_MALLOC the MEMP_NUM_* figures below are not pool sizes; they
 * only satisfy lwIP's sanity checks.  MEMP_NUM_NETCONN is real: it sizes the
 * socket table, and fd_set must cover it (FD_SETSIZE 1024, from
 * libc-glue/include/sys/select.h; lwIP's sockets.h checks).
 */
#define MEMP_NUM_NETCONN        1024
#define MEMP_NUM_TCP_PCB        1024
#define MEMP_NUM_TCP_PCB_LISTEN 64
#define MEMP_NUM_UDP_PCB        64
#define MEMP_NUM_RAW_PCB        16
#define MEMP_NUM_SYS_TIMEOUT    (LWIP_NUM_SYS_TIMEOUT_INTERNAL + 16)

/* ---- protocols ---------------------------------------------------------------- */
#define LWIP_IPV4       1
#define LWIP_IPV6       0 /* the sources are built; only this switch is off */
#define LWIP_ARP        1
#define LWIP_ETHERNET   1
#define LWIP_ICMP       1
#define LWIP_RAW        1
#define LWIP_UDP        1
#define LWIP_TCP        1
#define LWIP_IGMP       0
#define LWIP_DHCP       1
#define LWIP_DNS        1
#define DNS_MAX_SERVERS 2
#define IP_REASSEMBLY   1
#define IP_FRAG         1

/* ---- TCP ------------------------------------------------------------------------ */
#define TCP_MSS        1460
#define LWIP_WND_SCALE 1
#define TCP_RCV_SCALE  2 /* up to 256 KiB windows */
#define TCP_WND        (64 * 1024)
#define TCP_SND_BUF    (64 * 1024)
/* lwIP wants at least 2 * TCP_SND_BUF / TCP_MSS segments in the queue. */
#define TCP_SND_QUEUELEN                   ((4 * TCP_SND_BUF + TCP_MSS - 1) / TCP_MSS)
#define MEMP_NUM_TCP_SEG                   TCP_SND_QUEUELEN
#define TCP_QUEUE_OOSEQ                    1
/*
 * net/patches/0002: segments of up to 44 MSS (64240 bytes) where the
 * virtio-net device cuts them itself (HOST_TSO4, net/netif_virtio.c).
 */
#define TCP_TSO                            1
#define TCP_TSO_SEG_MAX                    (44 * TCP_MSS)
#define TCP_LISTEN_BACKLOG                 1
#define TCP_DEFAULT_LISTEN_BACKLOG         255
#define LWIP_TCP_KEEPALIVE                 1
#define LWIP_RANDOMIZE_INITIAL_LOCAL_PORTS 1
/* Initial sequence numbers from the kernel's random source, not a counter. */
#define LWIP_HOOK_TCP_ISN(lip, lport, rip, rport) LWIP_RAND()

/* ---- interfaces -------------------------------------------------------------------- */
#define LWIP_NETIF_LOOPBACK        1
#define LWIP_HAVE_LOOPIF           1 /* lo0, 127.0.0.1, up from lwip_init() */
#define LWIP_NETIF_STATUS_CALLBACK 1
#define LWIP_NETIF_LINK_CALLBACK   1
#define LWIP_NETIF_HOSTNAME        1

/* ---- sequential API and sockets --------------------------------------------------- */
#define LWIP_NETCONN 1
#define LWIP_SOCKET  1
/* No macros named socket(), read(), close()...: libc-glue provides those. */
#define LWIP_COMPAT_SOCKETS                   0
#define LWIP_POSIX_SOCKETS_IO_NAMES           0
#define LWIP_DONT_PROVIDE_BYTEORDER_FUNCTIONS 1
#define LWIP_SOCKET_OFFSET                    0
#define LWIP_SOCKET_SELECT                    1
#define LWIP_SOCKET_POLL                      1
/* net/patches/0001: wakes Toro's poll/select/epoll when a socket changes */
void netsock_event(int s);
#define LWIP_HOOK_SOCKET_EVENT(s)             netsock_event(s)
/* No ARP probe of a DHCP offer: it costs ~1 s of boot, and the virtual
   networks we run on (QEMU user net, cloud VPCs) hand out unique addresses. */
#define DHCP_DOES_ARP_CHECK                   0
#define LWIP_SO_RCVTIMEO                      1
#define LWIP_SO_SNDTIMEO                      1
#define LWIP_SO_RCVBUF                        1
#define RECV_BUFSIZE_DEFAULT                  (256 * 1024) /* per UDP/raw socket */
#define SO_REUSE                              1
#define LWIP_FIONREAD_LINUXMODE               1
#define LWIP_TIMEVAL_PRIVATE                  0 /* struct timeval is newlib's */
/*
 * Debian's "port" patch (for the Hurd, whose sockaddr has no sa_len) turns
 * sockets.c's sa_len accesses into these macros and defines them in its own
 * headers only.  With lwIP's sockets.h they mean what upstream wrote.
 */
#define IP4ADDR_SOCKADDR_SET_LEN(sin)  ((sin)->sin_len = sizeof(struct sockaddr_in))
#define IP6ADDR_SOCKADDR_SET_LEN(sin6) ((sin6)->sin6_len = sizeof(struct sockaddr_in6))
#define IPADDR_SOCKADDR_GET_LEN(addr)  ((addr)->sa.sa_len)
/* Messages queued per connection before lwIP holds data back (flow control). */
#define DEFAULT_TCP_RECVMBOX_SIZE 128
#define DEFAULT_UDP_RECVMBOX_SIZE 128
#define DEFAULT_RAW_RECVMBOX_SIZE 64
#define DEFAULT_ACCEPTMBOX_SIZE   TCP_DEFAULT_LISTEN_BACKLOG

/* ---- errno: newlib's, per thread through __getreent() ------------------------------ */
/*
 * lwIP tests "#ifdef LWIP_PROVIDE_ERRNO": it must stay undefined, not 0.
 * LWIP_ERRNO_STDINCLUDE rather than LWIP_ERRNO_INCLUDE <errno.h>: once
 * errno.h is in, "errno" is a macro and <errno.h> would expand inside the
 * #include.
 */
#undef LWIP_PROVIDE_ERRNO
#define LWIP_ERRNO_STDINCLUDE 1

/* ---- diagnostics: no statistics, no debug output, assertions on ------------------- */
/* LWIP_DEBUG and LWIP_NOASSERT are tested with #ifdef: both stay undefined. */
#define LWIP_STATS         0
#define LWIP_STATS_DISPLAY 0

#endif
