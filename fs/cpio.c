/*
 * newc cpio reader.  Layout of one entry (all numbers 8 hex digits):
 *   "070701" ino mode uid gid nlink mtime filesize devmajor devminor
 *   rdevmajor rdevminor namesize check    (110 bytes)
 *   name, namesize bytes with the NUL, padded so the data starts 4-aligned
 *   data, filesize bytes, padded to 4
 * The last entry is named "TRAILER!!!".
 */
#include <errno.h>
#include <string.h>
#include "cpio.h"

#define HDR_LEN   110
#define MAGIC_LEN 6
#define NR_FIELDS 13
#define TRAILER   "TRAILER!!!"

enum {
	F_INO,
	F_MODE,
	F_UID,
	F_GID,
	F_NLINK,
	F_MTIME,
	F_FILESIZE,
	F_DEVMAJOR,
	F_DEVMINOR,
	F_RDEVMAJOR,
	F_RDEVMINOR,
	F_NAMESIZE,
	F_CHECK
};

static int hex8(const char *p, uint32_t *out)
{
	uint32_t v = 0;
	for (int i = 0; i < 8; i++) {
		char c = p[i];
		unsigned d;
		if (c >= '0' && c <= '9')
			d = (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f')
			d = (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			d = (unsigned)(c - 'A' + 10);
		else
			return -1;
		v = v << 4 | d;
	}
	*out = v;
	return 0;
}

static size_t align4(size_t x)
{
	return (x + 3) & ~(size_t)3;
}

static int fail(struct cpio_error *err, const char *why, size_t off)
{
	if (err) {
		err->why = why;
		err->offset = off;
	}
	return -EINVAL;
}

static const char *header_check(const unsigned char *h, size_t avail, uint32_t *f)
{
	if (avail >= 2 && h[0] == 0x1f && h[1] == 0x8b)
		return "a gzip-compressed archive (unsupported: give the plain cpio)";
	if (avail < HDR_LEN)
		return "truncated header";
	if (memcmp(h, "070701", MAGIC_LEN) != 0 && memcmp(h, "070702", MAGIC_LEN) != 0)
		return "bad magic (not a newc cpio archive)";
	for (int i = 0; i < NR_FIELDS; i++)
		if (hex8((const char *)h + MAGIC_LEN + 8 * i, &f[i]) < 0)
			return "bad hex digit in header";
	return NULL;
}

/* Fills e from the entry at off; sets *next to the following entry. */
static const char *entry_read(const char *base, size_t len, size_t off, struct cpio_entry *e,
                              size_t *next)
{
	uint32_t f[NR_FIELDS];
	const char *why = header_check((const unsigned char *)base + off, len - off, f);
	if (why)
		return why;
	size_t name_off = off + HDR_LEN, namesize = f[F_NAMESIZE];
	if (namesize == 0 || namesize > len - name_off)
		return "name size out of bounds";
	if (base[name_off + namesize - 1] != '\0' || memchr(base + name_off, 0, namesize - 1))
		return "name not NUL-terminated where its size says";
	size_t data_off = align4(name_off + namesize);
	if (data_off > len || f[F_FILESIZE] > len - data_off)
		return "file data runs past the end of the archive";
	*e = (struct cpio_entry){
	    .name = base + name_off,
	    .namelen = namesize - 1,
	    .ino = f[F_INO],
	    .mode = f[F_MODE],
	    .uid = f[F_UID],
	    .gid = f[F_GID],
	    .nlink = f[F_NLINK],
	    .mtime = f[F_MTIME],
	    .rdevmajor = f[F_RDEVMAJOR],
	    .rdevminor = f[F_RDEVMINOR],
	    .data = base + data_off,
	    .size = f[F_FILESIZE],
	};
	*next = align4(data_off + e->size);
	if (*next > len)
		*next = len; /* the last entry's padding may be cut off */
	return NULL;
}

int cpio_parse(const void *buf, size_t len, cpio_entry_fn fn, void *ctx, struct cpio_error *err)
{
	const char *base = buf;
	size_t off = 0;
	int trailer_seen = 0;
	for (;;) {
		if (trailer_seen) /* zero padding, then maybe another archive */
			while (off < len && base[off] == '\0')
				off++;
		if (off >= len)
			return trailer_seen ? 0 : fail(err, "archive ends without " TRAILER, off);
		struct cpio_entry e;
		size_t next;
		const char *why = entry_read(base, len, off, &e, &next);
		if (why)
			return fail(err, why, off);
		trailer_seen = strcmp(e.name, TRAILER) == 0;
		if (!trailer_seen) {
			int r = fn(ctx, &e);
			if (r)
				return r;
		}
		off = next;
	}
}
