/* Small POSIX surface of the foundation: ENOSYS, getentropy, getpid. */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include "vmtest.h"

int main(void)
{
	errno = 0;
	CHECK("fork-enosys", 1, fork() == -1 && errno == ENOSYS);
	errno = 0;
	CHECK("fork-enosys-again", 2, fork() == -1 && errno == ENOSYS);
	unsigned char a[32] = {0}, b[32] = {0};
	CHECK("getentropy", 3, getentropy(a, sizeof(a)) == 0 && getentropy(b, sizeof(b)) == 0);
	CHECK("getentropy-differs", 4, memcmp(a, b, sizeof(a)) != 0);
	CHECK("getentropy-too-big", 5, getentropy(a, 257) == -1 && errno == EIO);
	CHECK("arc4random", 6, arc4random() != arc4random() || arc4random() != arc4random());
	CHECK("getpid", 7, getpid() > 0);
	CHECK("isatty", 8, isatty(1) == 1);
	CHECK("write-bad-fd", 9, write(42, "x", 1) == -1 && errno == EBADF);
	CHECK("write", 10, write(1, "raw write\n", 10) == 10);
	return vmtest_success();
}
