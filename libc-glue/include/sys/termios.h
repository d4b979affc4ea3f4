/*
 * Terminal attributes, for programs that put a terminal in raw mode (e.g.
 * linenoise).  Toro's console is a UART with no line discipline, so
 * tcgetattr() and tcsetattr() fail with ENOTTY (libc-glue/termios.c) and
 * such programs fall back to plain line input.  Values are Linux's.
 */
#ifndef TORO_SYS_TERMIOS_H
#define TORO_SYS_TERMIOS_H

typedef unsigned char cc_t;
typedef unsigned int speed_t;
typedef unsigned int tcflag_t;

#define NCCS 32
struct termios {
	tcflag_t c_iflag;
	tcflag_t c_oflag;
	tcflag_t c_cflag;
	tcflag_t c_lflag;
	cc_t c_line;
	cc_t c_cc[NCCS];
	speed_t c_ispeed;
	speed_t c_ospeed;
};

/* c_cc indices */
#define VINTR  0
#define VQUIT  1
#define VERASE 2
#define VKILL  3
#define VEOF   4
#define VTIME  5
#define VMIN   6

/* c_iflag */
#define IGNBRK 0000001
#define BRKINT 0000002
#define IGNPAR 0000004
#define PARMRK 0000010
#define INPCK  0000020
#define ISTRIP 0000040
#define INLCR  0000100
#define IGNCR  0000200
#define ICRNL  0000400
#define IXON   0002000
#define IXOFF  0010000

/* c_oflag */
#define OPOST 0000001
#define ONLCR 0000004

/* c_cflag */
#define CSIZE  0000060
#define CS5    0000000
#define CS6    0000020
#define CS7    0000040
#define CS8    0000060
#define CSTOPB 0000100
#define CREAD  0000200
#define PARENB 0000400
#define CLOCAL 0004000

/* c_lflag */
#define ISIG   0000001
#define ICANON 0000002
#define ECHO   0000010
#define ECHOE  0000020
#define ECHOK  0000040
#define ECHONL 0000100
#define NOFLSH 0000200
#define TOSTOP 0000400
#define IEXTEN 0100000

/* tcsetattr() actions */
#define TCSANOW   0
#define TCSADRAIN 1
#define TCSAFLUSH 2

#define B0      0000000
#define B9600   0000015
#define B38400  0000017
#define B115200 0010002

/* All return -1 with errno ENOTTY (EBADF for a closed descriptor). */
int tcgetattr(int fd, struct termios *t);
int tcsetattr(int fd, int action, const struct termios *t);
speed_t cfgetispeed(const struct termios *t);
speed_t cfgetospeed(const struct termios *t);
int cfsetispeed(struct termios *t, speed_t speed);
int cfsetospeed(struct termios *t, speed_t speed);

#endif
