/*
 * <net/if.h>: interface names.  lwIP's interfaces are not visible to
 * programs by name, so every lookup fails the way Linux fails for a name
 * it does not know (ENXIO); programs that pass "0 = any interface" (IPv6
 * scope ids, SO_BINDTODEVICE fallbacks) keep working.
 */
#include <errno.h>
#include <net/if.h>
#include <stddef.h>

unsigned int if_nametoindex(const char *name)
{
	(void)name;
	errno = ENXIO;
	return 0;
}

char *if_indextoname(unsigned int index, char *name)
{
	(void)index;
	(void)name;
	errno = ENXIO;
	return NULL;
}

struct if_nameindex *if_nameindex(void)
{
	errno = ENOSYS;
	return NULL;
}

void if_freenameindex(struct if_nameindex *list)
{
	(void)list;
}
