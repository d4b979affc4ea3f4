/*
 * Program start: the kernel calls toro_app_start() on the main thread's
 * stack once memory and the command line are ready.
 */
#include <stdlib.h>
#include <string.h>
#include <fs/file.h>
#include <kernel/boot.h>

extern char **environ;
extern int main(int argc, char **argv, char **envp);
extern void __libc_init_array(void);
extern void __libc_fini_array(void);

/* newlib's __libc_init_array() calls these; the linker script has no crti/crtn. */
void _init(void)
{
}

void _fini(void)
{
}

/*
 * POSIX lets a program write to its argument strings (setproctitle() does);
 * the kernel's argv[0] is the image name in read-only data, so it gets a
 * writable copy.
 */
static char argv0[256];

void toro_app_start(int argc, char **argv, char **envp)
{
	if (argc > 0 && argv[0]) {
		strncpy(argv0, argv[0], sizeof(argv0) - 1);
		argv[0] = argv0;
	}
	environ = envp;
	fd_init_console(); /* descriptors 0, 1 and 2 */
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
