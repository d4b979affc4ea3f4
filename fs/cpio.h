/*
 * A reader of "newc" cpio archives (the initrd format; magic 070701, or
 * 070702 with checksums, which are not verified).  Every header field is
 * checked against the archive's bounds before use; the archive itself is
 * never written.
 */
#ifndef FS_CPIO_H
#define FS_CPIO_H

#include <stddef.h>
#include <stdint.h>

struct cpio_entry {
	const char *name; /* NUL-terminated, inside the archive */
	size_t namelen;   /* without the NUL */
	uint32_t ino, mode, uid, gid, nlink, mtime;
	uint32_t rdevmajor, rdevminor;
	const void *data; /* filesize bytes: contents, or a symlink's target */
	size_t size;
};

/* Called per entry; a nonzero return stops the walk and is returned. */
typedef int (*cpio_entry_fn)(void *ctx, const struct cpio_entry *e);

struct cpio_error {
	const char *why; /* what was wrong, e.g. "bad magic" */
	size_t offset;   /* where: the header's offset in the archive */
};

/*
 * Calls fn for each entry up to "TRAILER!!!" (and through further archives
 * concatenated after it, as Linux allows).  Returns 0, fn's nonzero value,
 * or -EINVAL for a malformed archive with *err filled in.
 */
int cpio_parse(const void *buf, size_t len, cpio_entry_fn fn, void *ctx, struct cpio_error *err);

#endif
