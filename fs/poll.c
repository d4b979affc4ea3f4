/* poll(): register on every file, check, sleep until a notification or the deadline. */
#include <errno.h>
#include <stdlib.h>
#include <fs/file.h>
#include <fs/poll.h>
#include <kernel/sync.h>

#define POLL_STACK_ENTRIES 16

struct poll_slot {
	struct poll_entry entry;
	struct file *file;
};

static void poll_wake(struct poll_entry *e, unsigned events)
{
	ksem_post(e->ctx);
}

static int poll_scan(struct fs_pollfd *fds, struct poll_slot *slots, size_t n)
{
	int ready = 0;
	for (size_t i = 0; i < n; i++) {
		if (!slots[i].file) {
			fds[i].revents = fds[i].fd < 0 ? 0 : FILE_POLLNVAL;
		} else {
			unsigned want = fds[i].events | FILE_POLLERR | FILE_POLLHUP;
			fds[i].revents = file_poll(slots[i].file) & want;
		}
		ready += fds[i].revents != 0;
	}
	return ready;
}

static void poll_attach(struct fs_pollfd *fds, struct poll_slot *slots, size_t n,
			struct ksem *wake)
{
	for (size_t i = 0; i < n; i++) {
		slots[i].file = fds[i].fd < 0 ? NULL : fd_get(fds[i].fd);
		if (!slots[i].file)
			continue;
		slots[i].entry.wake = poll_wake;
		slots[i].entry.detach = NULL; /* we hold a reference: the file outlives us */
		slots[i].entry.ctx = wake;
		file_poll_add(slots[i].file, &slots[i].entry);
	}
}

static void poll_detach(struct poll_slot *slots, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (!slots[i].file)
			continue;
		file_poll_remove(slots[i].file, &slots[i].entry);
		file_put(slots[i].file);
	}
}

int fs_poll(struct fs_pollfd *fds, size_t n, uint64_t deadline)
{
	struct poll_slot stack_slots[POLL_STACK_ENTRIES];
	struct poll_slot *slots = stack_slots;
	if (n > POLL_STACK_ENTRIES && !(slots = calloc(n, sizeof(*slots))))
		return -ENOMEM;
	struct ksem wake;
	ksem_init(&wake, 0);
	poll_attach(fds, slots, n, &wake);
	int ready;
	/* registered before the scan: a change after it posts the semaphore */
	while ((ready = poll_scan(fds, slots, n)) == 0 && deadline != 0) {
		if (ksem_wait(&wake, deadline == FS_WAIT_FOREVER ? 0 : deadline) < 0) {
			ready = poll_scan(fds, slots, n);
			break;
		}
	}
	poll_detach(slots, n);
	if (slots != stack_slots)
		free(slots);
	return ready;
}
