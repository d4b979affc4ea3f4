#include <stdio.h>
#include <string.h>

void greet(const char *who);

int main(int argc, char **argv)
{
	greet(argc > 1 ? argv[1] : "nobody");
	if (argc < 2 || strcmp(argv[1], "cmake") != 0)
		return 1;
	printf("SUCCESS\n");
	return 0;
}
