/* Path strings: dirname() and glibc's get_current_dir_name(). */
#define _GNU_SOURCE
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* POSIX dirname(): modifies path; "." for NULL, "" or a name with no '/'. */
char *dirname(char *path)
{
	static char dot[] = ".";
	if (!path || !*path)
		return dot;
	char *end = path + strlen(path) - 1;
	while (end > path && *end == '/') /* trailing slashes */
		end--;
	while (end > path && *end != '/') /* the last component */
		end--;
	if (*end != '/')
		return dot;
	while (end > path && *end == '/') /* slashes before it */
		end--;
	end[1] = '\0';
	return path;
}

/* A malloc()ed copy of the working directory, or NULL with errno. */
char *get_current_dir_name(void)
{
	char buf[PATH_MAX];
	if (!getcwd(buf, sizeof(buf)))
		return NULL;
	return strdup(buf);
}
