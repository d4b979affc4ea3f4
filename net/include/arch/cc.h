/*
 * lwIP's compiler and platform glue for Toro (x86_64, gcc, newlib).
 *
 * Seen by applications that include lwIP headers, so no kernel headers here:
 * the hooks below are functions in net/sys_arch.c.
 *
 * The newlib headers are included first on purpose, so that lwIP's
 * lwip/sockets.h finds newlib's struct timeval, fd_set (FD_SETSIZE 1024, from
 * libc-glue/include/sys/select.h), in_addr_t and O_NONBLOCK instead of
 * defining its own: lwIP and its callers then agree whatever order they
 * include headers in.
 */
#ifndef TORO_LWIP_ARCH_CC_H
#define TORO_LWIP_ARCH_CC_H

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdint.h>
#include <machine/endian.h>
#include <sys/select.h> /* even in strict C modes, where sys/types.h skips it */
#include <sys/time.h>
#include <sys/types.h>

/*
 * newlib's <machine/endian.h> names BYTE_ORDER only when __BSD_VISIBLE; in a
 * strict POSIX program lwIP's arch.h has defined LITTLE_ENDIAN (1234, as
 * newlib's _LITTLE_ENDIAN) and BYTE_ORDER comes from newlib's private name.
 */
#ifndef BYTE_ORDER
#define BYTE_ORDER _BYTE_ORDER
#endif
#if BYTE_ORDER != LITTLE_ENDIAN
#error "Toro's lwIP port expects a little-endian newlib"
#endif

#define LWIP_NO_CTYPE_H 0

/*
 * newlib's limits.h lacks POSIX's SSIZE_MAX; without it lwIP would typedef
 * ssize_t as int, against newlib's long.
 */
#ifndef SSIZE_MAX
#define SSIZE_MAX LONG_MAX
#endif

/* A random 32-bit number from the kernel (RDRAND). */
uint32_t sys_arch_rand(void);
#define LWIP_RAND() sys_arch_rand()

/* Prints through the kernel console (kprintf). */
void sys_arch_diag(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define LWIP_PLATFORM_DIAG(x)                                                                      \
	do {                                                                                       \
		sys_arch_diag x;                                                                   \
	} while (0)

/* An lwIP assertion is a kernel panic with the message, file and line. */
void sys_arch_assert(const char *msg, const char *file, int line) __attribute__((noreturn));
#define LWIP_PLATFORM_ASSERT(x) sys_arch_assert((x), __FILE__, __LINE__)

/*
 * printf formats for lwIP's diagnostics, in what kprintf understands (it has
 * no "h"/"hh" modifiers; u8_t/u16_t are promoted to int anyway).
 */
#define X8_F  "02x"
#define U16_F "u"
#define S16_F "d"
#define X16_F "x"
#define U32_F "u"
#define S32_F "d"
#define X32_F "x"
#define SZT_F "zu"

#endif
