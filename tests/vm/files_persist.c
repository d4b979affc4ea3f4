/*
 * Durability across boots, the way a service saves its state:
 *   files_persist write DIR   writes DIR/state.tmp, fsync()s it, renames it
 *                             over DIR/state (atomic replace), fsync()s the
 *                             directory, and ends the VM at once with _exit()
 *                             (no close, no stdio flush of the file)
 *   files_persist check DIR   a later boot: DIR/state holds the new data,
 *                             state.tmp is gone
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vmtest.h"

#define DATA "generation 2: saved with write, fsync, rename\n"

static char state[256], tmp[256];

static int do_write(const char *dir)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK("open-tmp", 1, fd >= 0);
	CHECK("write-tmp", 2, write(fd, DATA, strlen(DATA)) == (ssize_t)strlen(DATA));
	CHECK("fsync-tmp", 3, fsync(fd) == 0);
	CHECK("rename-over", 4, rename(tmp, state) == 0);
	int dfd = open(dir, O_RDONLY | O_DIRECTORY);
	CHECK("fsync-dir", 5, dfd >= 0 && fsync(dfd) == 0);
	printf("state saved\n");
	vmtest_success();
	_exit(0);
}

static int do_check(void)
{
	char buf[128] = {0};
	int fd = open(state, O_RDONLY);
	CHECK("open-state", 1, fd >= 0);
	CHECK("state-data", 2,
	      read(fd, buf, sizeof(buf)) == (ssize_t)strlen(DATA) && strcmp(buf, DATA) == 0);
	CHECK("tmp-gone", 3, access(tmp, F_OK) < 0 && errno == ENOENT);
	return vmtest_success();
}

int main(int argc, char **argv)
{
	if (argc < 3)
		return 99;
	snprintf(state, sizeof(state), "%s/state", argv[2]);
	snprintf(tmp, sizeof(tmp), "%s/state.tmp", argv[2]);
	return strcmp(argv[1], "write") == 0 ? do_write(argv[2]) : do_check();
}
