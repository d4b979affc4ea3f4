/*
 * Exit statuses of a Toro VM, as tools/toro-run returns them.
 *
 * The guest writes one byte to QEMU's isa-debug-exit port, so a program's
 * own status passes through unchanged up to TORO_STATUS_MAX_PROGRAM; larger
 * values (exit(255), exit(-1)) are reported as TORO_STATUS_MAX_PROGRAM with a
 * console note.  The values above it are reserved.  tools/toro-run keeps its
 * own copy of this table: change both together.
 *
 * On the wire the guest writes status + 1, so QEMU exits with 2 * status + 3:
 * that keeps a guest "exit(0)" (QEMU status 3) apart from QEMU's own failure
 * (status 1) and from a reset with -no-reboot (status 0).
 */
#ifndef KERNEL_STATUS_H
#define KERNEL_STATUS_H

#define TORO_STATUS_MAX_PROGRAM 119
#define TORO_STATUS_ABORT	121 /* abort() */
#define TORO_STATUS_PANIC	122 /* CPU exception, KASSERT, stack smashing, panic() */
#define TORO_STATUS_RESET	123 /* launcher: the VM reset or triple-faulted */
#define TORO_STATUS_TIMEOUT	124 /* launcher: --timeout expired */
#define TORO_STATUS_LAUNCHER	125 /* launcher: bad options or QEMU failed to start */

#endif
