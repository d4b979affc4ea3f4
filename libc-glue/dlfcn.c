/* Dynamic loading: a Toro image is one static executable with no loader. */
#include <dlfcn.h>
#include <stddef.h>

static char *dl_error; /* the last failure, cleared when read */

void *dlopen(const char *file, int mode)
{
	(void)file, (void)mode;
	dl_error = "dlopen: a Toro image cannot load shared objects";
	return NULL;
}

void *dlsym(void *handle, const char *name)
{
	(void)handle, (void)name;
	dl_error = "dlsym: no symbols are exported (static image)";
	return NULL;
}

int dlclose(void *handle)
{
	(void)handle;
	dl_error = "dlclose: invalid handle";
	return -1;
}

char *dlerror(void)
{
	char *e = dl_error;
	dl_error = NULL;
	return e;
}

int dladdr(const void *addr, Dl_info *info)
{
	(void)addr, (void)info;
	return 0;
}
