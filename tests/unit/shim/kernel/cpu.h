/*
 * Host stand-in for kernel/include/kernel/cpu.h: the same API without the
 * privileged instructions.  tests/unit/shim comes before kernel/include on
 * the include path, so the real sources pick this file up.
 *
 * Port writes and INVLPGs are counted, port reads return all ones (no device),
 * MSRs read 0, CPUID reports nothing, and CR3 writes are recorded in
 * cpu_shim.cr3 so a test can walk the page tables the real code built.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>
#include <stdlib.h>
#include <time.h>

struct cpu_shim {
	uint64_t cr3;		      /* last value given to write_cr3() */
	unsigned long nr_port_writes; /* outb/outw/outl calls */
	uint16_t last_port;
	uint32_t last_port_value;
	unsigned long nr_invlpg;
	uintptr_t last_invlpg;
};
extern struct cpu_shim cpu_shim; /* in shim/cpu.c */

static inline void cpu_shim_port_write(uint16_t port, uint32_t v)
{
	cpu_shim.nr_port_writes++;
	cpu_shim.last_port = port;
	cpu_shim.last_port_value = v;
}

static inline void outb(uint16_t port, uint8_t v)
{
	cpu_shim_port_write(port, v);
}

static inline void outw(uint16_t port, uint16_t v)
{
	cpu_shim_port_write(port, v);
}

static inline void outl(uint16_t port, uint32_t v)
{
	cpu_shim_port_write(port, v);
}

static inline uint8_t inb(uint16_t port)
{
	return 0xff; /* what an empty ISA port reads as */
}

static inline uint16_t inw(uint16_t port)
{
	return 0xffff;
}

static inline uint32_t inl(uint16_t port)
{
	return 0xffffffff;
}

/* A 1 GHz "TSC": the host's monotonic clock in nanoseconds. */
static inline uint64_t rdtsc(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

static inline uint64_t rdmsr(uint32_t msr)
{
	return 0;
}

static inline void wrmsr(uint32_t msr, uint64_t v)
{
}

static inline void cpuid(uint32_t leaf, uint32_t sub, uint32_t r[4])
{
	r[0] = r[1] = r[2] = r[3] = 0;
}

static inline uint64_t read_cr2(void)
{
	return 0;
}

static inline uint64_t read_cr3(void)
{
	return cpu_shim.cr3;
}

static inline void write_cr3(uint64_t v)
{
	cpu_shim.cr3 = v;
}

static inline void invlpg(uintptr_t va)
{
	cpu_shim.nr_invlpg++;
	cpu_shim.last_invlpg = va;
}

static inline void cpu_relax(void)
{
}

__attribute__((noreturn)) static inline void cpu_halt_forever(void)
{
	abort();
}

/* Returns 0: the shim has no RDRAND. */
int cpu_rdrand64(uint64_t *out);

#endif
