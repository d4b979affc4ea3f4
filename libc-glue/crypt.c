/* crypt(): no password hashing in Toro yet; ENOSYS, logged once.
 * TODO: needed only by programs that check passwords (nginx auth_basic). */
#include <crypt.h>
#include <stddef.h>
#include "glue.h"

char *crypt(const char *key, const char *salt)
{
	(void)key, (void)salt;
	glue_enosys("crypt");
	return NULL;
}
