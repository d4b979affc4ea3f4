/*
 * Network interface names (POSIX <net/if.h>) and a minimal struct ifreq.
 * Toro has no interface-name lookup (lwIP's netifs are not exposed by name
 * to programs): if_nametoindex() returns 0 and if_indextoname() NULL, both
 * with errno ENXIO, which is what programs see on Linux for an unknown name.
 */
#ifndef TORO_NET_IF_H
#define TORO_NET_IF_H

#include <sys/socket.h>

#define IFNAMSIZ    16
#define IF_NAMESIZE IFNAMSIZ

#define IFF_UP       0x1
#define IFF_LOOPBACK 0x8
#define IFF_RUNNING  0x40

struct if_nameindex {
	unsigned int if_index; /* 1, 2, ...; 0 ends the array */
	char *if_name;
};

/* Linux's layout for the fields programs use; no ioctl takes it today. */
struct ifreq {
	char ifr_name[IFNAMSIZ];
	union {
		struct sockaddr ifru_addr;
		short ifru_flags;
		int ifru_ivalue;
		int ifru_mtu;
		char ifru_pad[24];
	} ifr_ifru;
};
#define ifr_addr    ifr_ifru.ifru_addr
#define ifr_flags   ifr_ifru.ifru_flags
#define ifr_ifindex ifr_ifru.ifru_ivalue
#define ifr_mtu     ifr_ifru.ifru_mtu

/* Returns 0 with errno ENXIO: no interface is known by name. */
unsigned int if_nametoindex(const char *name);
/* Returns NULL with errno ENXIO. */
char *if_indextoname(unsigned int index, char *name);
/* Returns NULL with errno ENOSYS. */
struct if_nameindex *if_nameindex(void);
/* Frees what if_nameindex() returned (a no-op on NULL). */
void if_freenameindex(struct if_nameindex *list);

#endif
