/* Calls with no implementation yet: ENOSYS, and their name logged once. */
#include <string.h>
#include <sys/stat.h>
#include <kernel/console.h>
#include "glue.h"

#define ENOSYS_LOG_MAX 64

int glue_enosys(const char *name)
{
	static const char *logged[ENOSYS_LOG_MAX];
	int i;
	for (i = 0; i < ENOSYS_LOG_MAX && logged[i]; i++)
		if (logged[i] == name || strcmp(logged[i], name) == 0)
			goto out;
	if (i < ENOSYS_LOG_MAX)
		logged[i] = name;
	kprintf("toro: %s is not implemented (ENOSYS)\n", name);
out:
	errno = ENOSYS;
	return -1;
}

int fork(void)
{
	return glue_enosys("fork");
}

int execve(const char *path, char *const argv[], char *const envp[])
{
	(void)path, (void)argv, (void)envp;
	return glue_enosys("execve");
}

int wait(int *status)
{
	(void)status;
	return glue_enosys("wait");
}
