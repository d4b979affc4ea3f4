/* The user and group databases and the process identity.
 *
 * A Toro image is one program with no users: it runs as root (uid 0), and
 * the databases hold root and nobody/nogroup, the names daemons such as nginx
 * look up when they mean to drop privileges.  There is nothing to drop to:
 * setuid()/setgid()/initgroups() succeed and record the ids getuid() etc.
 * report, but grant or remove nothing. */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <string.h>
#include <unistd.h>

static char *no_members[] = {NULL};

static struct passwd users[] = {
    {.pw_name = "root",
     .pw_passwd = "x",
     .pw_uid = 0,
     .pw_gid = 0,
     .pw_gecos = "root",
     .pw_dir = "/",
     .pw_shell = "/bin/sh"},
    {.pw_name = "nobody",
     .pw_passwd = "x",
     .pw_uid = 65534,
     .pw_gid = 65534,
     .pw_gecos = "nobody",
     .pw_dir = "/",
     .pw_shell = "/bin/sh"},
};

static struct group groups[] = {
    {.gr_name = "root", .gr_passwd = "x", .gr_gid = 0, .gr_mem = no_members},
    {.gr_name = "nogroup", .gr_passwd = "x", .gr_gid = 65534, .gr_mem = no_members},
    {.gr_name = "nobody", .gr_passwd = "x", .gr_gid = 65534, .gr_mem = no_members},
};

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static uid_t cur_uid, cur_euid;
static gid_t cur_gid, cur_egid;

struct passwd *getpwnam(const char *name)
{
	for (size_t i = 0; name && i < NELEM(users); i++)
		if (strcmp(users[i].pw_name, name) == 0)
			return &users[i];
	return NULL; /* not found: errno unchanged, as POSIX allows */
}

struct passwd *getpwuid(uid_t uid)
{
	for (size_t i = 0; i < NELEM(users); i++)
		if (users[i].pw_uid == uid)
			return &users[i];
	return NULL;
}

struct group *getgrnam(const char *name)
{
	for (size_t i = 0; name && i < NELEM(groups); i++)
		if (strcmp(groups[i].gr_name, name) == 0)
			return &groups[i];
	return NULL;
}

struct group *getgrgid(gid_t gid)
{
	for (size_t i = 0; i < NELEM(groups); i++)
		if (groups[i].gr_gid == gid)
			return &groups[i];
	return NULL;
}

uid_t getuid(void)
{
	return cur_uid;
}

uid_t geteuid(void)
{
	return cur_euid;
}

gid_t getgid(void)
{
	return cur_gid;
}

gid_t getegid(void)
{
	return cur_egid;
}

int setuid(uid_t uid)
{
	cur_uid = cur_euid = uid;
	return 0;
}

int setgid(gid_t gid)
{
	cur_gid = cur_egid = gid;
	return 0;
}

int initgroups(const char *user, gid_t group)
{
	(void)user, (void)group;
	return 0;
}
