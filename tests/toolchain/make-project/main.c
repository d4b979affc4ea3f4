#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include "util.h"

static void *work(void *arg)
{
	*(double *)arg = sqrt(util_square(3.0) + util_square(4.0));
	return NULL;
}

int main(void)
{
	double r = 0;
	pthread_t t;
	pthread_create(&t, NULL, work, &r);
	pthread_join(t, NULL);
	printf("hypot %.1f\n", r);
	if (r != 5.0)
		return 1;
	printf("SUCCESS\n");
	return 0;
}
