/* printf of ints, floats and strings, through newlib's stdio to the console. */
#include <stdint.h>
#include <string.h>
#include "vmtest.h"

int main(void)
{
	char buf[128];
	snprintf(buf, sizeof(buf), "%d %u %x %lld %s", -42, 42u, 0xbeefu, -1234567890123LL, "str");
	CHECK("printf-ints", 1, strcmp(buf, "-42 42 beef -1234567890123 str") == 0);
	snprintf(buf, sizeof(buf), "%.3f %e %g", 3.14159, 12345.678, 0.0001);
	CHECK("printf-floats", 2, strcmp(buf, "3.142 1.234568e+04 0.0001") == 0);
	snprintf(buf, sizeof(buf), "%-5s|%5s|%05d|%jd", "ab", "cd", 42, (intmax_t)INT64_MIN);
	CHECK("printf-width", 3, strcmp(buf, "ab   |   cd|00042|-9223372036854775808") == 0);
	printf("Hello, %s! %d %.2f\n", "world", 7, 2.5);
	fprintf(stderr, "stderr works\n");
	return vmtest_success();
}
