/*
 * Host stand-in for <kernel/cpu.h> for unit.virtio-pci-legacy: port I/O goes
 * to the fake legacy device in test_pci_legacy.c instead of reading all ones
 * (../../shim/kernel/cpu.h).  This directory comes first on that test's
 * include path; nothing else in the test needs the other instructions.
 */
#ifndef KERNEL_CPU_H
#define KERNEL_CPU_H

#include <stdint.h>

uint32_t fake_port_in(uint16_t port, unsigned width);
void fake_port_out(uint16_t port, unsigned width, uint32_t v);

static inline void outb(uint16_t port, uint8_t v)
{
	fake_port_out(port, 1, v);
}

static inline void outw(uint16_t port, uint16_t v)
{
	fake_port_out(port, 2, v);
}

static inline void outl(uint16_t port, uint32_t v)
{
	fake_port_out(port, 4, v);
}

static inline uint8_t inb(uint16_t port)
{
	return (uint8_t)fake_port_in(port, 1);
}

static inline uint16_t inw(uint16_t port)
{
	return (uint16_t)fake_port_in(port, 2);
}

static inline uint32_t inl(uint16_t port)
{
	return fake_port_in(port, 4);
}

static inline void cpu_relax(void)
{
}

#endif
