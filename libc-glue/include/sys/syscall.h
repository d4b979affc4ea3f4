/* <sys/syscall.h>: Linux system call numbers.  A Toro program calls the
 * kernel as functions, so there are none and no syscall(); the header exists
 * because Linux programs include it unconditionally (nginx does). */
#ifndef TORO_SYS_SYSCALL_H
#define TORO_SYS_SYSCALL_H
#endif
