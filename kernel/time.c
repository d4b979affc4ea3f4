/*
 * Clocks.  The TSC frequency comes, in order of preference, from kvmclock,
 * the hypervisor timing leaf (CPUID 0x40000010), CPUID 0x15, or a short
 * measurement against PIT channel 0.  The wall clock comes from kvmclock or
 * the CMOS RTC.  Both are found on first use.
 */
#include <kernel/console.h>
#include <kernel/cpu.h>
#include <kernel/irq.h>
#include <kernel/time.h>

#define NSEC_PER_SEC 1000000000ULL

#define MSR_KVM_WALL_CLOCK_NEW	0x4b564d00
#define MSR_KVM_SYSTEM_TIME_NEW 0x4b564d01
#define KVM_FEATURE_CLOCKSOURCE2 (1u << 3)

#define PIT_HZ	     1193182ULL
#define PIT_CH0	     0x40
#define PIT_CMD	     0x43
#define PIT_CAL_TICKS 2386 /* 2 ms */

/* pvclock ABI (Linux arch/x86/include/asm/pvclock-abi.h) */
struct pvclock_vcpu_time_info {
	uint32_t version; /* odd while the host updates */
	uint32_t pad0;
	uint64_t tsc_timestamp;
	uint64_t system_time;
	uint32_t tsc_to_system_mul;
	int8_t tsc_shift;
	uint8_t flags;
	uint8_t pad[2];
} __attribute__((packed));

struct pvclock_wall_clock {
	uint32_t version;
	uint32_t sec;
	uint32_t nsec;
} __attribute__((packed));

static struct {
	int ready;
	uint64_t hz;
	uint64_t mult; /* ns = (ticks * mult) >> 32 */
	uint64_t tsc_base;
	uint64_t real_base_ns; /* realtime at tsc_base */
	const char *source;
} clk;

static int kvm_clock_present(void)
{
	uint32_t r[4];
	cpuid(0x40000000, 0, r);
	if (r[1] != 0x4b4d564b || r[2] != 0x564b4d56 || r[3] != 0x4d) /* "KVMKVMKVM\0\0\0" */
		return 0;
	cpuid(0x40000001, 0, r);
	return (r[0] & KVM_FEATURE_CLOCKSOURCE2) != 0;
}

/* Reads kvmclock once: TSC frequency and the wall clock at this moment. */
static int kvmclock_read(uint64_t *hz, uint64_t *real_ns)
{
	static struct pvclock_vcpu_time_info ti __attribute__((aligned(64)));
	static struct pvclock_wall_clock wc __attribute__((aligned(64)));
	if (!kvm_clock_present())
		return 0;
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, (uintptr_t)&ti | 1);
	wrmsr(MSR_KVM_WALL_CLOCK_NEW, (uintptr_t)&wc);
	uint32_t v;
	uint64_t sys;
	do {
		v = __atomic_load_n(&ti.version, __ATOMIC_ACQUIRE);
		sys = ti.system_time + (((rdtsc() - ti.tsc_timestamp) *
					 (unsigned __int128)ti.tsc_to_system_mul) >> 32);
		/* the acquire loads order the reads of the record before the re-check */
	} while ((v & 1) || v != __atomic_load_n(&ti.version, __ATOMIC_ACQUIRE));
	wrmsr(MSR_KVM_SYSTEM_TIME_NEW, 0);
	if (!ti.tsc_to_system_mul)
		return 0;
	uint64_t f = (NSEC_PER_SEC << 32) / ti.tsc_to_system_mul;
	*hz = ti.tsc_shift < 0 ? f << -ti.tsc_shift : f >> ti.tsc_shift;
	*real_ns = (uint64_t)wc.sec * NSEC_PER_SEC + wc.nsec + sys;
	return 1;
}

static uint64_t cpuid_tsc_hz(const char **source)
{
	uint32_t r[4];
	cpuid(0x40000000, 0, r);
	if (r[0] >= 0x40000010 && r[0] < 0x40010000) {
		cpuid(0x40000010, 0, r);
		if (r[0]) {
			*source = "cpuid-0x40000010";
			return (uint64_t)r[0] * 1000;
		}
	}
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2]) {
			*source = "cpuid-0x15";
			return (uint64_t)r[2] * r[1] / r[0];
		}
	}
	return 0;
}

static uint16_t pit_read(void)
{
	outb(PIT_CMD, 0x00); /* latch channel 0 */
	uint8_t lo = inb(PIT_CH0);
	return (uint16_t)(lo | inb(PIT_CH0) << 8);
}

/* Counts TSC ticks over PIT_CAL_TICKS of the 1.193182 MHz PIT; 0 if no PIT. */
static uint64_t pit_tsc_hz(void)
{
	outb(PIT_CMD, 0x34); /* channel 0, lo/hi, mode 2, binary */
	outb(PIT_CH0, 0xff);
	outb(PIT_CH0, 0xff);
	uint16_t start = pit_read();
	uint64_t t0 = rdtsc();
	for (uint64_t spins = 0; spins < 100000000; spins++) {
		uint16_t now = pit_read();
		if ((uint16_t)(start - now) >= PIT_CAL_TICKS) {
			uint64_t dt = rdtsc() - t0;
			return dt * PIT_HZ / (uint16_t)(start - now);
		}
	}
	return 0;
}

static uint8_t cmos_read(uint8_t reg)
{
	outb(0x70, reg);
	return inb(0x71);
}

static int bcd(uint8_t v, int is_bcd)
{
	return is_bcd ? (v >> 4) * 10 + (v & 15) : v;
}

/* Wall clock from the CMOS RTC in UTC, or 0 if there is none. */
static uint64_t rtc_read_ns(void)
{
	for (int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		cpu_relax(); /* update in progress */
	uint8_t sec = cmos_read(0x00), min = cmos_read(0x02), hour = cmos_read(0x04);
	uint8_t day = cmos_read(0x07), mon = cmos_read(0x08), year = cmos_read(0x09);
	uint8_t regb = cmos_read(0x0b);
	if (regb == 0xff && sec == 0xff)
		return 0;
	int isbcd = !(regb & 0x04);
	int h = bcd(hour & 0x7f, isbcd);
	if (!(regb & 0x02) && (hour & 0x80))
		h = (h % 12) + 12; /* 12-hour mode, PM */
	int64_t t = time_civil_to_unix(2000 + bcd(year, isbcd), bcd(mon, isbcd), bcd(day, isbcd), h,
				       bcd(min, isbcd), bcd(sec, isbcd));
	return t > 0 ? (uint64_t)t * NSEC_PER_SEC : 0;
}

static void clock_setup(void)
{
	uint64_t real = 0;
	clk.tsc_base = rdtsc();
	if (kvmclock_read(&clk.hz, &real)) {
		clk.source = "kvmclock";
	} else {
		clk.hz = cpuid_tsc_hz(&clk.source);
		if (!clk.hz) {
			clk.hz = pit_tsc_hz();
			clk.source = "pit";
		}
		real = rtc_read_ns();
	}
	if (!clk.hz) {
		kprintf("toro: no way to calibrate the TSC; assuming 1 GHz\n");
		clk.hz = NSEC_PER_SEC;
		clk.source = "assumed";
	}
	clk.mult = (NSEC_PER_SEC << 32) / clk.hz;
	clk.real_base_ns = real;
	__atomic_store_n(&clk.ready, 1, __ATOMIC_RELEASE);
}

static void clock_ensure(void)
{
	if (__atomic_load_n(&clk.ready, __ATOMIC_ACQUIRE))
		return;
	/* one CPU: with interrupts off no other thread can set it up at the same time */
	unsigned long f = irq_save();
	if (!clk.ready)
		clock_setup();
	irq_restore(f);
}

uint64_t time_tsc_to_ns(uint64_t ticks)
{
	clock_ensure();
	return (uint64_t)(((unsigned __int128)ticks * clk.mult) >> 32);
}

uint64_t time_tsc_to_monotonic_ns(uint64_t tsc)
{
	clock_ensure();
	return tsc > clk.tsc_base ? time_tsc_to_ns(tsc - clk.tsc_base) : 0;
}

uint64_t time_ns_to_tsc(uint64_t ns)
{
	clock_ensure();
	return clk.tsc_base + (uint64_t)(((unsigned __int128)ns * clk.hz) / NSEC_PER_SEC);
}

uint64_t time_monotonic_ns(void)
{
	clock_ensure();
	return time_tsc_to_ns(rdtsc() - clk.tsc_base);
}

uint64_t time_realtime_ns(void)
{
	uint64_t mono = time_monotonic_ns(); /* sets the clock up, real_base_ns included */
	return clk.real_base_ns + mono;
}

void time_set_realtime_ns(uint64_t ns)
{
	uint64_t mono = time_monotonic_ns();
	clk.real_base_ns = ns - mono;
}

uint64_t time_tsc_hz(const char **source)
{
	clock_ensure();
	if (source)
		*source = clk.source;
	return clk.hz;
}

void time_delay_ns(uint64_t ns)
{
	uint64_t end = time_monotonic_ns() + ns;
	while (time_monotonic_ns() < end)
		cpu_relax();
}

int64_t time_civil_to_unix(int year, int month, int day, int hour, int min, int sec)
{
	/* days from civil, Howard Hinnant's algorithm */
	int y = year - (month <= 2);
	int era = (y >= 0 ? y : y - 399) / 400;
	int yoe = y - era * 400;
	int mp = (month + 9) % 12;
	int doy = (153 * mp + 2) / 5 + day - 1;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	int64_t days = (int64_t)era * 146097 + doe - 719468;
	return days * 86400 + hour * 3600 + min * 60 + sec;
}
