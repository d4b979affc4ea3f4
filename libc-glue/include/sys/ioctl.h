/* ioctl(2) and the requests Toro understands (Linux values). */
#ifndef TORO_SYS_IOCTL_H
#define TORO_SYS_IOCTL_H

#ifdef __cplusplus
extern "C" {
#endif

#define FIONREAD   0x541b
#define FIONBIO	   0x5421
#define FIOCLEX	   0x5451
#define FIONCLEX   0x5450
#define FIOASYNC   0x5452 /* no SIGIO in Toro: ioctl() refuses it */
#define TIOCGWINSZ 0x5413

struct winsize {
	unsigned short ws_row, ws_col, ws_xpixel, ws_ypixel;
};

int ioctl(int fd, unsigned long request, ...);

#ifdef __cplusplus
}
#endif

#endif
