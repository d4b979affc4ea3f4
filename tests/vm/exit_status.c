/*
 * Exit statuses: argv[1] says how to end ("return N", "exit N", "abort",
 * "atexit", "big").
 */
#include <string.h>
#include <unistd.h>
#include "vmtest.h"

static void bye(void)
{
	printf("atexit handler ran\n");
	fflush(stdout);
	_exit(7);
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return 1;
	if (strcmp(argv[1], "return") == 0)
		return atoi(argv[2]);
	if (strcmp(argv[1], "exit") == 0)
		exit(atoi(argv[2]));
	if (strcmp(argv[1], "abort") == 0)
		abort();
	if (strcmp(argv[1], "atexit") == 0) {
		atexit(bye);
		return 0;
	}
	if (strcmp(argv[1], "big") == 0)
		exit(255);
	return 2;
}
