/*
 * Local APIC (xAPIC, memory-mapped), IOAPIC and the legacy 8259 PICs.
 * QEMU q35 and microvm put the IOAPIC at 0xfec00000 and the LAPIC at
 * 0xfee00000 (the LAPIC base is read from its MSR anyway).
 *
 * The LAPIC timer runs in TSC-deadline mode when the CPU has it (CPUID.1:ECX
 * bit 24), else in one-shot mode with a count calibrated against the TSC.
 */
#include <errno.h>
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/mm.h>
#include <kernel/time.h>

#define MSR_APIC_BASE	   0x1b
#define MSR_TSC_DEADLINE   0x6e0
#define IOAPIC_BASE	   0xfec00000UL

/* LAPIC registers (Intel SDM vol. 3, table 11-1) */
#define LAPIC_TPR	 0x080
#define LAPIC_EOI	 0x0b0
#define LAPIC_SVR	 0x0f0
#define LAPIC_LVT_TIMER	 0x320
#define LAPIC_TIMER_INIT 0x380
#define LAPIC_TIMER_CUR	 0x390
#define LAPIC_TIMER_DIV	 0x3e0

#define SVR_ENABLE	  0x100
#define LVT_MASKED	  (1u << 16)
#define LVT_TSC_DEADLINE  (2u << 17)
#define TIMER_DIV_1	  0xb

/* IOAPIC (82093AA data sheet) */
#define IOAPIC_REGSEL 0x00
#define IOAPIC_WIN    0x10
#define IOAPIC_VER    0x01
#define IOAPIC_REDTBL 0x10
#define RTE_MASKED    (1u << 16)
#define RTE_LEVEL     (1u << 15)
#define RTE_ACTIVE_LOW (1u << 13)

static volatile uint32_t *lapic;
static volatile uint32_t *ioapic;
static unsigned ioapic_pins;
static int tsc_deadline_mode;
static uint64_t lapic_ticks_per_ms, tsc_per_ms;

static uint32_t lapic_read(unsigned reg)
{
	return lapic[reg / 4];
}

static void lapic_write(unsigned reg, uint32_t v)
{
	lapic[reg / 4] = v;
}

static void ioapic_write(unsigned reg, uint32_t v)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	ioapic[IOAPIC_WIN / 4] = v;
}

static uint32_t ioapic_read(unsigned reg)
{
	ioapic[IOAPIC_REGSEL / 4] = reg;
	return ioapic[IOAPIC_WIN / 4];
}

/* Remaps the 8259s away from the exception vectors, then masks every line. */
static void pic_disable(void)
{
	outb(0x20, 0x11);
	outb(0xa0, 0x11);
	outb(0x21, 0x20);
	outb(0xa1, 0x28);
	outb(0x21, 0x04);
	outb(0xa1, 0x02);
	outb(0x21, 0x01);
	outb(0xa1, 0x01);
	outb(0x21, 0xff);
	outb(0xa1, 0xff);
}

/* One-shot mode: LAPIC timer ticks per TSC tick, measured over ~1 ms. */
static void lapic_timer_calibrate(void)
{
	const char *src;
	tsc_per_ms = time_tsc_hz(&src) / 1000;
	lapic_write(LAPIC_TIMER_DIV, TIMER_DIV_1);
	lapic_write(LAPIC_LVT_TIMER, LVT_MASKED | IRQ_VECTOR_TIMER);
	lapic_write(LAPIC_TIMER_INIT, 0xffffffff);
	uint64_t t0 = rdtsc();
	while (rdtsc() - t0 < tsc_per_ms)
		cpu_relax();
	lapic_ticks_per_ms = 0xffffffffu - lapic_read(LAPIC_TIMER_CUR);
	lapic_write(LAPIC_TIMER_INIT, 0);
	if (!lapic_ticks_per_ms)
		lapic_ticks_per_ms = 1;
	lapic_write(LAPIC_LVT_TIMER, IRQ_VECTOR_TIMER);
}

static int lapic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE) & ~0xfffULL;
	if (vm_map_mmio(base, PAGE_SIZE) < 0)
		return -ENOMEM;
	lapic = (volatile uint32_t *)(uintptr_t)base;
	lapic_write(LAPIC_TPR, 0);
	lapic_write(LAPIC_SVR, SVR_ENABLE | IRQ_VECTOR_SPURIOUS);
	uint32_t r[4];
	cpuid(1, 0, r);
	tsc_deadline_mode = (r[2] >> 24) & 1;
	/* one-shot mode is calibrated on first use: a program with no timers skips it */
	lapic_write(LAPIC_LVT_TIMER, tsc_deadline_mode ? LVT_TSC_DEADLINE | IRQ_VECTOR_TIMER
						       : LVT_MASKED | IRQ_VECTOR_TIMER);
	return 0;
}

static int ioapic_init(void)
{
	if (vm_map_mmio(IOAPIC_BASE, PAGE_SIZE) < 0)
		return -ENOMEM;
	ioapic = (volatile uint32_t *)IOAPIC_BASE;
	uint32_t ver = ioapic_read(IOAPIC_VER);
	if (ver == 0xffffffff)
		return -ENODEV;
	ioapic_pins = ((ver >> 16) & 0xff) + 1;
	for (unsigned i = 0; i < ioapic_pins; i++) {
		ioapic_write(IOAPIC_REDTBL + 2 * i, RTE_MASKED);
		ioapic_write(IOAPIC_REDTBL + 2 * i + 1, 0);
	}
	return 0;
}

int irq_init(void)
{
	pic_disable();
	int err = lapic_init();
	if (err < 0)
		return err;
	if (ioapic_init() < 0) {
		kprintf("toro: no IOAPIC at 0x%lx; line interrupts unavailable\n", IOAPIC_BASE);
		ioapic = NULL;
	}
	return 0;
}

int ioapic_route(unsigned gsi, int vector, int mode)
{
	if (!ioapic || gsi >= ioapic_pins || vector < IRQ_VECTOR_FIRST_DEVICE ||
	    vector > IRQ_VECTOR_LAST_DEVICE)
		return -EINVAL;
	uint32_t lo = (uint32_t)vector;
	if (mode == IRQ_LEVEL_LOW)
		lo |= RTE_LEVEL | RTE_ACTIVE_LOW;
	else if (mode == IRQ_LEVEL_HIGH)
		lo |= RTE_LEVEL;
	ioapic_write(IOAPIC_REDTBL + 2 * gsi + 1, 0); /* destination: APIC ID 0 */
	ioapic_write(IOAPIC_REDTBL + 2 * gsi, lo);
	return 0;
}

void msi_compose(int vector, uint64_t *addr, uint32_t *data)
{
	*addr = 0xfee00000ULL; /* destination APIC ID 0, physical mode */
	*data = (uint32_t)vector; /* fixed delivery, edge */
}

void lapic_eoi(void)
{
	lapic_write(LAPIC_EOI, 0);
}

void lapic_timer_arm(uint64_t deadline)
{
	if (tsc_deadline_mode) {
		wrmsr(MSR_TSC_DEADLINE, deadline);
		return;
	}
	if (!deadline) {
		lapic_write(LAPIC_TIMER_INIT, 0);
		return;
	}
	if (!lapic_ticks_per_ms)
		lapic_timer_calibrate();
	uint64_t now = rdtsc();
	uint64_t dt = deadline > now ? deadline - now : 1;
	uint64_t ticks = (uint64_t)(((unsigned __int128)dt * lapic_ticks_per_ms) / tsc_per_ms);
	if (ticks == 0)
		ticks = 1;
	if (ticks > 0xffffffffu)
		ticks = 0xffffffffu; /* fires early; the scheduler re-arms */
	lapic_write(LAPIC_TIMER_INIT, (uint32_t)ticks);
}
