/* <crypt.h>: password hashing (glibc/libxcrypt header; newlib has none).
 * Toro has no crypt implementation: crypt() fails with ENOSYS
 * (libc-glue/crypt.c). */
#ifndef TORO_CRYPT_H
#define TORO_CRYPT_H

#ifdef __cplusplus
extern "C" {
#endif

/* Returns NULL with errno ENOSYS. */
char *crypt(const char *__key, const char *__salt);

#ifdef __cplusplus
}
#endif

#endif
