/*
 * newlib's <sys/select.h> with FD_SETSIZE 1024, as on Linux, instead of 64:
 * lwIP's select works on socket numbers below MEMP_NUM_NETCONN (1024, see
 * net/include/lwipopts.h), and programs written for Linux assume 1024.
 * A program may still define its own FD_SETSIZE before any header.
 */
#ifndef TORO_SYS_SELECT_H
#define TORO_SYS_SELECT_H

#ifndef FD_SETSIZE
#define FD_SETSIZE 1024
#endif

#include_next <sys/select.h>

/*
 * newlib's FD_ISSET yields the bit itself as a long (1L << 32 for fd 32),
 * which a program storing it in an int, as glibc's 0-or-1 allows, truncates
 * to 0: descriptors 32-63 of each word would never look ready.  Yield 0 or 1.
 */
#undef FD_ISSET
#define FD_ISSET(n, p) (((p)->fds_bits[(n) / NFDBITS] & (1UL << ((n) % NFDBITS))) != 0)

#endif
