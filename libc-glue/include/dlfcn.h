/*
 * Dynamic loading.  A Toro image is one static executable: dlopen() fails
 * (dlerror() says why) and dladdr() finds nothing (libc-glue/dlfcn.c).
 */
#ifndef TORO_DLFCN_H
#define TORO_DLFCN_H

#ifdef __cplusplus
extern "C" {
#endif

#define RTLD_LAZY     0x00001
#define RTLD_NOW      0x00002
#define RTLD_NOLOAD   0x00004
#define RTLD_DEEPBIND 0x00008
#define RTLD_GLOBAL   0x00100
#define RTLD_LOCAL    0
#define RTLD_NODELETE 0x01000
#define RTLD_DEFAULT  ((void *)0)
#define RTLD_NEXT     ((void *)-1l)

typedef struct {
	const char *dli_fname; /* file holding the symbol */
	void *dli_fbase;       /* its load address */
	const char *dli_sname; /* nearest symbol */
	void *dli_saddr;       /* its address */
} Dl_info;

/* NULL: there are no shared objects to load */
void *dlopen(const char *file, int mode);
/* NULL: no handle can exist */
void *dlsym(void *handle, const char *name);
/* -1: no handle can exist */
int dlclose(void *handle);
/* The last failure's message (once), or NULL */
char *dlerror(void);
/* 0: no information */
int dladdr(const void *addr, Dl_info *info);

#ifdef __cplusplus
}
#endif

#endif
