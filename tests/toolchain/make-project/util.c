#include "util.h"

double util_square(double x)
{
	return x * x;
}
