/* <sys/statfs.h>: the same as <sys/vfs.h> on Linux. */
#include <sys/vfs.h>
