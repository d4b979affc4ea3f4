/* State behind the host cpu.h and irq.h shims. */
#include <kernel/cpu.h>
#include <kernel/irq.h>

struct cpu_shim cpu_shim;
struct irq_shim irq_shim = {.enabled = 1};

int cpu_rdrand64(uint64_t *out)
{
	return 0;
}
