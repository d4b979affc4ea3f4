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

#endif
