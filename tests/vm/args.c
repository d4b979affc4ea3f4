/* argv and environ come from the kernel command line. */
#include <string.h>
#include "vmtest.h"

extern char **environ;

int main(int argc, char **argv)
{
	for (int i = 0; i < argc; i++)
		printf("argv[%d] = '%s'\n", i, argv[i]);
	CHECK("argc", 1, argc == 4);
	CHECK("argv0", 2, strcmp(argv[0], "args.img") == 0);
	CHECK("argv1", 3, strcmp(argv[1], "one") == 0);
	CHECK("argv-quoted", 4, strcmp(argv[2], "two words") == 0);
	CHECK("argv-escaped", 5, strcmp(argv[3], "say \"hi\"") == 0);
	CHECK("argv-null", 6, argv[argc] == NULL);
	CHECK("getenv", 7, getenv("GREETING") && strcmp(getenv("GREETING"), "hello world") == 0);
	CHECK("getenv-missing", 8, getenv("NOT_SET") == NULL);
	CHECK("environ", 9, environ && environ[0] && strncmp(environ[0], "GREETING=", 9) == 0);
	CHECK("setenv", 10, setenv("NEW", "1", 1) == 0 && strcmp(getenv("NEW"), "1") == 0);
	return vmtest_success();
}
