/*
 * Time: a calibrated TSC for the monotonic clock, the wall clock read once
 * from kvmclock or the CMOS RTC.  Calibration happens on first use, so a
 * program that never asks for time does not pay for it at boot.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <stdint.h>

/* Nanoseconds since an arbitrary point at boot; never goes back. */
uint64_t time_monotonic_ns(void);
/* Nanoseconds since the Unix epoch. */
uint64_t time_realtime_ns(void);
/* Sets the wall clock so that now == ns. */
void time_set_realtime_ns(uint64_t ns);
/* TSC ticks per second, and where the figure came from ("kvmclock", "pit", ...). */
uint64_t time_tsc_hz(const char **source);
/* The monotonic time at which the TSC read tsc. */
uint64_t time_tsc_to_monotonic_ns(uint64_t tsc);
/* The TSC value at which time_monotonic_ns() reaches ns. */
uint64_t time_ns_to_tsc(uint64_t ns);
/* Converts a TSC delta to nanoseconds. */
uint64_t time_tsc_to_ns(uint64_t ticks);
/* Waits at least ns nanoseconds (busy wait until the scheduler exists). */
void time_delay_ns(uint64_t ns);

/* Converts civil UTC time to seconds since the epoch (pure; unit-tested). */
int64_t time_civil_to_unix(int year, int month, int day, int hour, int min, int sec);

#endif
