/* lwIP's platform glue for the host build of unit.vnet-lwip-fuzz (glibc, gcc). */
#ifndef TEST_LWIP_HOST_ARCH_CC_H
#define TEST_LWIP_HOST_ARCH_CC_H

#include <stdio.h>
#include <stdlib.h>

#define LWIP_PLATFORM_DIAG(x) do { printf x; } while (0)
/* An lwIP assertion is a test failure: abort, so ASan prints the stack. */
#define LWIP_PLATFORM_ASSERT(x)                                                            \
	do {                                                                               \
		fprintf(stderr, "lwIP assertion \"%s\" at %s:%d\n", x, __FILE__, __LINE__);  \
		abort();                                                                   \
	} while (0)
#define LWIP_RAND() ((u32_t)random())

#endif
