/*
 * Name resolution over lwIP's DNS client (net/socket.c: netsock_resolve),
 * IPv4 only; and the host's identity: gethostname, uname.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>
#include <net/socket.h>
#include "glue.h"

/* h_errno itself is lwIP's (its netdb.c defines it); we only set it. */

static const char toro_hostname[] = "toro";

/* One result: the address and the sockaddr it points to, in one block. */
struct ai_block {
	struct addrinfo ai;
	struct sockaddr_in sin;
};

static int parse_port(const char *service, int flags, uint16_t *port)
{
	if (!service) {
		*port = 0;
		return 0;
	}
	char *end;
	unsigned long v = strtoul(service, &end, 10);
	if (*service && !*end && v <= 65535) {
		*port = htons((uint16_t)v);
		return 0;
	}
	if (flags & AI_NUMERICSERV)
		return EAI_NONAME;
	struct servent *s = getservbyname(service, NULL);
	if (!s)
		return EAI_SERVICE;
	*port = (uint16_t)s->s_port;
	return 0;
}

static int lookup(const char *node, int flags, uint32_t *addr)
{
	if (!node) {
		*addr = htonl((flags & AI_PASSIVE) ? INADDR_ANY : INADDR_LOOPBACK);
		return 0;
	}
	if (strcmp(node, "localhost") == 0) {
		*addr = htonl(INADDR_LOOPBACK);
		return 0;
	}
	struct in_addr a;
	if (inet_aton(node, &a)) {
		*addr = a.s_addr;
		return 0;
	}
	uint8_t v6[16];
	if (inet_pton(AF_INET6, node, v6) == 1)
		return EAI_FAMILY; /* no IPv6 in the stack yet */
	if (flags & AI_NUMERICHOST)
		return EAI_NONAME;
	return netsock_resolve(node, addr) < 0 ? EAI_NONAME : 0;
}

static struct addrinfo *ai_new(uint32_t addr, uint16_t port, int socktype, int proto)
{
	struct ai_block *b = calloc(1, sizeof(*b));
	if (!b)
		return NULL;
	b->sin.sin_family = AF_INET;
	b->sin.sin_port = port;
	b->sin.sin_addr.s_addr = addr;
	b->ai.ai_family = AF_INET;
	b->ai.ai_socktype = socktype;
	b->ai.ai_protocol = proto;
	b->ai.ai_addrlen = sizeof(b->sin);
	b->ai.ai_addr = (struct sockaddr *)&b->sin;
	return &b->ai;
}

int getaddrinfo(const char *node, const char *service, const struct addrinfo *hints,
		struct addrinfo **res)
{
	struct addrinfo h = {0};
	if (hints)
		h = *hints;
	if (!res || (!node && !service))
		return EAI_NONAME;
	if (h.ai_family != AF_UNSPEC && h.ai_family != AF_INET) {
		/* errno as socket() would set it: callers that skip an address
		 * family the host lacks look at errno (Redis: bind * -::*) */
		errno = EAFNOSUPPORT;
		return EAI_FAMILY;
	}
	uint16_t port;
	uint32_t addr;
	int err = parse_port(service, h.ai_flags, &port);
	if (!err)
		err = lookup(node, h.ai_flags, &addr);
	if (err)
		return err;
	struct addrinfo *head = NULL, **tail = &head;
	static const int types[][2] = {{SOCK_STREAM, IPPROTO_TCP}, {SOCK_DGRAM, IPPROTO_UDP}};
	for (int i = 0; i < 2; i++) {
		if (h.ai_socktype && h.ai_socktype != types[i][0])
			continue;
		if (!(*tail = ai_new(addr, port, types[i][0], types[i][1]))) {
			freeaddrinfo(head);
			return EAI_MEMORY;
		}
		tail = &(*tail)->ai_next;
	}
	if (head && (h.ai_flags & AI_CANONNAME) && node)
		head->ai_canonname = strdup(node);
	*res = head;
	return head ? 0 : EAI_SOCKTYPE;
}

void freeaddrinfo(struct addrinfo *res)
{
	while (res) {
		struct addrinfo *next = res->ai_next;
		free(res->ai_canonname);
		free(res); /* the ai_block starts with the addrinfo */
		res = next;
	}
}

const char *gai_strerror(int err)
{
	switch (err) {
	case 0: return "Success";
	case EAI_BADFLAGS: return "Invalid flags";
	case EAI_NONAME: return "Name or service not known";
	case EAI_AGAIN: return "Temporary failure in name resolution";
	case EAI_FAIL: return "Non-recoverable failure in name resolution";
	case EAI_FAMILY: return "Address family not supported";
	case EAI_SOCKTYPE: return "Socket type not supported";
	case EAI_SERVICE: return "Service not supported for socket type";
	case EAI_MEMORY: return "Memory allocation failure";
	case EAI_SYSTEM: return "System error";
	case EAI_OVERFLOW: return "Argument buffer overflow";
	default: return "Unknown error";
	}
}

int getnameinfo(const struct sockaddr *sa, socklen_t salen, char *host, socklen_t hostlen,
		char *serv, socklen_t servlen, int flags)
{
	if (!sa || sa->sa_family != AF_INET || salen < sizeof(struct sockaddr_in))
		return EAI_FAMILY;
	const struct sockaddr_in *sin = (const struct sockaddr_in *)sa;
	if (flags & NI_NAMEREQD)
		return EAI_NONAME; /* no reverse DNS: only numeric answers */
	if (host && hostlen && !inet_ntop(AF_INET, &sin->sin_addr, host, hostlen))
		return EAI_OVERFLOW;
	if (serv && servlen &&
	    snprintf(serv, servlen, "%u", ntohs(sin->sin_port)) >= (int)servlen)
		return EAI_OVERFLOW;
	return 0;
}

struct hostent *gethostbyname(const char *name)
{
	static __thread struct hostent he;
	static __thread uint32_t addr;
	static __thread char *list[2];
	if (!name || lookup(name, 0, &addr) != 0) {
		h_errno = HOST_NOT_FOUND;
		return NULL;
	}
	list[0] = (char *)&addr;
	list[1] = NULL;
	he.h_name = (char *)name;
	he.h_aliases = &list[1];
	he.h_addrtype = AF_INET;
	he.h_length = 4;
	he.h_addr_list = list;
	return &he;
}

struct servent *getservbyname(const char *name, const char *proto)
{
	static const struct {
		const char *name;
		int port;
	} known[] = {{"http", 80}, {"https", 443}, {"redis", 6379}, {"domain", 53}};
	static __thread struct servent se;
	for (size_t i = 0; name && i < sizeof(known) / sizeof(known[0]); i++) {
		if (strcmp(name, known[i].name) == 0) {
			se.s_name = (char *)known[i].name;
			se.s_aliases = NULL;
			se.s_port = htons((uint16_t)known[i].port);
			se.s_proto = (char *)(proto ? proto : "tcp");
			return &se;
		}
	}
	return NULL;
}

int gethostname(char *name, size_t len)
{
	if (!name || len <= strlen(toro_hostname))
		return (int)glue_ret(!name ? -EFAULT : -ENAMETOOLONG);
	strcpy(name, toro_hostname);
	return 0;
}

int uname(struct utsname *u)
{
	if (!u)
		return (int)glue_ret(-EFAULT);
	memset(u, 0, sizeof(*u));
	strcpy(u->sysname, "Toro");
	strcpy(u->nodename, toro_hostname);
	strcpy(u->release, "0.1");
	strcpy(u->version, "Toro unikernel");
	strcpy(u->machine, "x86_64");
	return 0;
}
