/*
 * Program start: the kernel calls toro_app_start() on the main thread's
 * stack once memory and the command line are ready.
 */
#include <stdlib.h>
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

void toro_app_start(int argc, char **argv, char **envp)
{
	environ = envp;
	fd_init_console(); /* descriptors 0, 1 and 2 */
	atexit(__libc_fini_array);
	__libc_init_array();
	exit(main(argc, argv, envp));
}
