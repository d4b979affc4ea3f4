/*
 * W^X: writing to code and executing data both fault.  Which one runs is
 * chosen by argv[1] ("write-text" or "exec-data").
 */
#include <string.h>
#include "vmtest.h"

static unsigned char data_code[16] = {0xc3}; /* ret */

int main(int argc, char **argv)
{
	if (argc < 2)
		return 1;
	fflush(stdout);
	if (strcmp(argv[1], "write-text") == 0) {
		volatile unsigned char *text = (volatile unsigned char *)(void *)main;
		text[0] = 0x90;
	} else if (strcmp(argv[1], "exec-data") == 0) {
		void (*fn)(void) = (void (*)(void))(void *)data_code;
		fn();
	} else if (strcmp(argv[1], "write-rodata") == 0) {
		volatile char *s = (volatile char *)"constant";
		s[0] = 'X';
	}
	printf("no fault\n");
	return 2;
}
