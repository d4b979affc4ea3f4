/* Random bytes for getentropy(), arc4random() and /dev/urandom. */
#ifndef KERNEL_RANDOM_H
#define KERNEL_RANDOM_H

#include <stddef.h>

/* Fills buf; never fails (see random.c for the fallback without RDRAND). */
void random_bytes(void *buf, size_t len);

#endif
