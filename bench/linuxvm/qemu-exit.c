/*
 * qemu-exit: end the Linux guest VM with a given status.
 *
 * Usage (inside the guest, as root): qemu-exit [STATUS]
 *
 * Writes STATUS to QEMU's isa-debug-exit device (iobase 0xf4), which makes
 * QEMU exit with code (STATUS << 1) | 1.  The host-side run.sh maps that back
 * to STATUS.  Because the host exit code is only 8 bits wide, STATUS is
 * clamped to 0..127.
 *
 * Before writing, the console ttys are drained (tcdrain) so the last output
 * of the benchmarked command is not lost in the UART FIFO.
 *
 * If the port write does not end the VM (no isa-debug-exit device, or ioperm
 * refused), fall back to reboot(POWER_OFF), then reboot(RESTART) which, under
 * `-no-reboot`, also makes QEMU exit (with code 0, status lost).
 *
 * Built statically by build.sh: gcc -static -O2 -o qemu-exit qemu-exit.c
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/io.h>
#include <sys/reboot.h>
#include <termios.h>
#include <unistd.h>

#define DEBUG_EXIT_PORT 0xf4

static void drain(void) {
    int fd;
    fflush(NULL);
    for (fd = 0; fd <= 2; fd++)
        if (isatty(fd))
            tcdrain(fd);
    fd = open("/dev/console", O_WRONLY | O_NOCTTY | O_NONBLOCK);
    if (fd >= 0) {
        tcdrain(fd);
        close(fd);
    }
}

int main(int argc, char **argv) {
    long n = 0;
    if (argc > 1)
        n = strtol(argv[1], NULL, 0);
    if (n < 0 || n > 127) {
        fprintf(stderr, "qemu-exit: status %ld out of 0..127, using 127\n", n);
        n = 127;
    }
    drain();
    if (ioperm(DEBUG_EXIT_PORT, 4, 1) == 0) {
        outb((unsigned char)n, DEBUG_EXIT_PORT);
        /* Still here: no isa-debug-exit device at this port. */
        usleep(100000);
    } else {
        perror("qemu-exit: ioperm");
    }
    fprintf(stderr, "qemu-exit: isa-debug-exit failed, powering off "
                    "(status %ld is lost)\n", n);
    drain();
    sync();
    reboot(RB_POWER_OFF);
    reboot(RB_AUTOBOOT);
    perror("qemu-exit: reboot");
    return 1;
}
