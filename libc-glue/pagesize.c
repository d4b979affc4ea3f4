/* getpagesize(): the BSD spelling of sysconf(_SC_PAGESIZE). */
#include <unistd.h>

int getpagesize(void)
{
	return (int)sysconf(_SC_PAGESIZE);
}
