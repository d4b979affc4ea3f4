/*
 * Terminal attributes.  The console is a UART with no line discipline:
 * there is no terminal to configure, so every descriptor answers ENOTTY.
 */
#include <errno.h>
#include <fcntl.h>
#include <termios.h>
#include "glue.h"

static int termios_check(int fd)
{
	return fcntl(fd, F_GETFD) < 0 ? -EBADF : -ENOTTY;
}

int tcgetattr(int fd, struct termios *t)
{
	(void)t;
	return (int)glue_ret(termios_check(fd));
}

int tcsetattr(int fd, int action, const struct termios *t)
{
	(void)action, (void)t;
	return (int)glue_ret(termios_check(fd));
}

speed_t cfgetispeed(const struct termios *t)
{
	return t->c_ispeed;
}

speed_t cfgetospeed(const struct termios *t)
{
	return t->c_ospeed;
}

int cfsetispeed(struct termios *t, speed_t speed)
{
	t->c_ispeed = speed;
	return 0;
}

int cfsetospeed(struct termios *t, speed_t speed)
{
	t->c_ospeed = speed;
	return 0;
}
