/* Small glibc and XSI variables that programs built for Linux expect. */
#define _GNU_SOURCE /* program_invocation_name */
#include <errno.h>
#include <time.h>

/* The image's name, argv[0] (tools/toro-ksyms); absent in the first link. */
extern const char toro_program_name[] __attribute__((weak));

/* argv[0] has no '/': the short name is the same string. */
char *program_invocation_name = (char *)toro_program_name;
char *program_invocation_short_name = (char *)toro_program_name;

/* Toro keeps time in UTC. */
long timezone;
int daylight;
