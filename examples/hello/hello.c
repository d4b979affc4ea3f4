/* The smallest Toro program: an unmodified hosted C hello world. */
#include <stdio.h>

int main(void)
{
	printf("Hello from Toro!\n");
	return 0;
}
