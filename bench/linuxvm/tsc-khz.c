/*
 * tsc-khz: print the host's TSC frequency in kHz (host-side helper).
 *
 * Under TCG, QEMU's guest RDTSC returns the host TSC, so the guest TSC runs at
 * the host rate. The guest kernel must be told that rate (tsc_early_khz=) on
 * microvm: there is no HPET or ACPI PM timer there, and calibration against
 * the PIT fails often under TCG, after which the kernel hangs at boot.
 *
 * Measures rdtsc against CLOCK_MONOTONIC_RAW over 5 x 40 ms, prints the median.
 * (On a VM host, CLOCK_MONOTONIC_RAW is itself TSC-based: this then gives the
 * host kernel's own tsc_khz.)
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <x86intrin.h>

static double now(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC_RAW, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int cmp(const void *a, const void *b) {
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* One (time, tsc) pair: the tightest of 20 clock/rdtsc/clock sandwiches, so
 * that a preemption between the reads does not skew it (loaded hosts). */
static void sample(double *t, uint64_t *c) {
    double best = 1e9;
    for (int i = 0; i < 20; i++) {
        double a = now();
        uint64_t x = __rdtsc();
        double b = now();
        if (b - a < best) {
            best = b - a;
            *t = (a + b) / 2;
            *c = x;
        }
    }
}

int main(void) {
    double khz[5];
    for (int i = 0; i < 5; i++) {
        double t0, t1;
        uint64_t c0, c1;
        sample(&t0, &c0);
        struct timespec d = {0, 40 * 1000 * 1000};
        nanosleep(&d, NULL);
        sample(&t1, &c1);
        khz[i] = (double)(c1 - c0) / (t1 - t0) / 1000.0;
    }
    qsort(khz, 5, sizeof khz[0], cmp);
    printf("%.0f\n", khz[2]);
    return 0;
}
