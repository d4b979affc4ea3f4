/* Unix-domain socket addresses (socket(AF_UNIX) returns EAFNOSUPPORT today). */
#ifndef TORO_SYS_UN_H
#define TORO_SYS_UN_H

#include <sys/socket.h>

struct sockaddr_un {
	sa_family_t sun_family;
	char sun_path[108];
};

#endif
