/* State behind the host cpu.h shim. */
#include <kernel/cpu.h>

struct cpu_shim cpu_shim;

int cpu_rdrand64(uint64_t *out)
{
	return 0;
}
