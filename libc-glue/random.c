/* getentropy(), behind newlib's arc4random(). */
#include <stddef.h>
#include <unistd.h>
#include <kernel/random.h>
#include "glue.h"

int getentropy(void *buf, size_t len)
{
	if (len > 256)
		return (int)glue_ret(-EIO); /* POSIX: at most 256 bytes per call */
	if (len && !buf)
		return (int)glue_ret(-EFAULT);
	random_bytes(buf, len);
	return 0;
}
