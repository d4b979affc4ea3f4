/*
 * The FUSE wire protocol, version 7.31, as virtio-fs carries it (virtio
 * 1.2, 5.11; the protocol is Linux's include/uapi/linux/fuse.h).  Spec
 * structs and bits only; little-endian, as the guest.  A request is a
 * fuse_in_header, the opcode's argument and names (NUL-terminated); a
 * reply is a fuse_out_header and, unless error is set, the opcode's result.
 * Errors are negated Linux errno values.
 */
#ifndef DRIVERS_FUSE_REG_H
#define DRIVERS_FUSE_REG_H

#include <stdint.h>

#define FUSE_KERNEL_VERSION       7
#define FUSE_KERNEL_MINOR_VERSION 31
#define FUSE_ROOT_ID              1

enum fuse_opcode {
	FUSE_LOOKUP = 1,
	FUSE_FORGET = 2, /* no reply */
	FUSE_GETATTR = 3,
	FUSE_SETATTR = 4,
	FUSE_READLINK = 5,
	FUSE_SYMLINK = 6,
	FUSE_MKDIR = 9,
	FUSE_UNLINK = 10,
	FUSE_RMDIR = 11,
	FUSE_RENAME = 12,
	FUSE_LINK = 13,
	FUSE_OPEN = 14,
	FUSE_READ = 15,
	FUSE_WRITE = 16,
	FUSE_STATFS = 17,
	FUSE_RELEASE = 18,
	FUSE_FSYNC = 20,
	FUSE_FLUSH = 25,
	FUSE_INIT = 26,
	FUSE_OPENDIR = 27,
	FUSE_READDIR = 28,
	FUSE_RELEASEDIR = 29,
	FUSE_CREATE = 35,
	FUSE_RENAME2 = 45, /* protocol 7.23 */
};

/* fuse_init_in/out flags */
#define FUSE_ASYNC_READ     (1u << 0)
#define FUSE_ATOMIC_O_TRUNC (1u << 3)
#define FUSE_BIG_WRITES     (1u << 5)
#define FUSE_MAX_PAGES      (1u << 22)

/* fuse_setattr_in.valid */
#define FATTR_MODE      (1u << 0)
#define FATTR_UID       (1u << 1)
#define FATTR_GID       (1u << 2)
#define FATTR_SIZE      (1u << 3)
#define FATTR_ATIME     (1u << 4)
#define FATTR_MTIME     (1u << 5)
#define FATTR_FH        (1u << 6)
#define FATTR_ATIME_NOW (1u << 7)
#define FATTR_MTIME_NOW (1u << 8)

#define FUSE_FSYNC_FDATASYNC (1u << 0)

/* The largest error a reply may carry (Linux's MAX_ERRNO). */
#define FUSE_ERRNO_MAX 4095

struct fuse_in_header {
	uint32_t len; /* the whole request */
	uint32_t opcode;
	uint64_t unique; /* echoed by the reply */
	uint64_t nodeid;
	uint32_t uid, gid, pid;
	uint32_t padding;
};

struct fuse_out_header {
	uint32_t len; /* the whole reply */
	int32_t error;
	uint64_t unique;
};

struct fuse_attr {
	uint64_t ino;
	uint64_t size;
	uint64_t blocks;
	uint64_t atime, mtime, ctime;
	uint32_t atimensec, mtimensec, ctimensec;
	uint32_t mode;
	uint32_t nlink;
	uint32_t uid, gid;
	uint32_t rdev;
	uint32_t blksize;
	uint32_t padding;
};

struct fuse_entry_out {
	uint64_t nodeid; /* 0: a negative entry (no such name) */
	uint64_t generation;
	uint64_t entry_valid, attr_valid;
	uint32_t entry_valid_nsec, attr_valid_nsec;
	struct fuse_attr attr;
};

struct fuse_forget_in {
	uint64_t nlookup;
};

struct fuse_getattr_in {
	uint32_t getattr_flags;
	uint32_t dummy;
	uint64_t fh;
};

struct fuse_attr_out {
	uint64_t attr_valid;
	uint32_t attr_valid_nsec;
	uint32_t dummy;
	struct fuse_attr attr;
};

struct fuse_setattr_in {
	uint32_t valid; /* FATTR_* */
	uint32_t padding;
	uint64_t fh;
	uint64_t size;
	uint64_t lock_owner;
	uint64_t atime, mtime, ctime;
	uint32_t atimensec, mtimensec, ctimensec;
	uint32_t mode;
	uint32_t unused4;
	uint32_t uid, gid;
	uint32_t unused5;
};

struct fuse_mkdir_in {
	uint32_t mode;
	uint32_t umask;
};

struct fuse_rename_in {
	uint64_t newdir;
};

struct fuse_rename2_in {
	uint64_t newdir;
	uint32_t flags; /* Linux's RENAME_* */
	uint32_t padding;
};

struct fuse_link_in {
	uint64_t oldnodeid;
};

struct fuse_open_in {
	uint32_t flags; /* Linux O_* */
	uint32_t unused;
};

struct fuse_create_in {
	uint32_t flags;
	uint32_t mode;
	uint32_t umask;
	uint32_t padding;
};

struct fuse_open_out {
	uint64_t fh;
	uint32_t open_flags;
	uint32_t padding;
};

struct fuse_release_in {
	uint64_t fh;
	uint32_t flags;
	uint32_t release_flags;
	uint64_t lock_owner;
};

struct fuse_flush_in {
	uint64_t fh;
	uint32_t unused;
	uint32_t padding;
	uint64_t lock_owner;
};

struct fuse_read_in {
	uint64_t fh;
	uint64_t offset;
	uint32_t size;
	uint32_t read_flags;
	uint64_t lock_owner;
	uint32_t flags;
	uint32_t padding;
};

struct fuse_write_in {
	uint64_t fh;
	uint64_t offset;
	uint32_t size;
	uint32_t write_flags;
	uint64_t lock_owner;
	uint32_t flags;
	uint32_t padding;
};

struct fuse_write_out {
	uint32_t size;
	uint32_t padding;
};

struct fuse_kstatfs {
	uint64_t blocks, bfree, bavail;
	uint64_t files, ffree;
	uint32_t bsize;
	uint32_t namelen;
	uint32_t frsize;
	uint32_t padding;
	uint32_t spare[6];
};

struct fuse_statfs_out {
	struct fuse_kstatfs st;
};

struct fuse_fsync_in {
	uint64_t fh;
	uint32_t fsync_flags;
	uint32_t padding;
};

struct fuse_init_in {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
};

struct fuse_init_out {
	uint32_t major;
	uint32_t minor;
	uint32_t max_readahead;
	uint32_t flags;
	uint16_t max_background;
	uint16_t congestion_threshold;
	uint32_t max_write;
	uint32_t time_gran;
	uint16_t max_pages;
	uint16_t map_alignment;
	uint32_t unused[8];
};

/* Before minor 23 the reply stopped after max_write. */
#define FUSE_COMPAT_22_INIT_OUT_SIZE 24

/* READDIR's result: these, each padded to 8 bytes. */
struct fuse_dirent {
	uint64_t ino;
	uint64_t off; /* the cookie to continue after this entry */
	uint32_t namelen;
	uint32_t type; /* DT_* */
	char name[];
};

#define FUSE_DIRENT_ALIGN(x) (((x) + 7) & ~(uint64_t)7)

/* virtio-fs device configuration (virtio 1.2, 5.11.4) */
#define VIRTIO_FS_TAG_LEN 36

struct virtio_fs_config {
	uint8_t tag[VIRTIO_FS_TAG_LEN]; /* UTF-8, NUL-padded, not NUL-terminated */
	uint32_t num_request_queues;
} __attribute__((packed));

_Static_assert(sizeof(struct fuse_in_header) == 40, "fuse_in_header");
_Static_assert(sizeof(struct fuse_attr) == 88, "fuse_attr");
_Static_assert(sizeof(struct fuse_entry_out) == 128, "fuse_entry_out");
_Static_assert(sizeof(struct fuse_rename2_in) == 16, "fuse_rename2_in");
_Static_assert(sizeof(struct fuse_attr_out) == 104, "fuse_attr_out");
_Static_assert(sizeof(struct fuse_setattr_in) == 88, "fuse_setattr_in");
_Static_assert(sizeof(struct fuse_read_in) == 40, "fuse_read_in");
_Static_assert(sizeof(struct fuse_init_out) == 64, "fuse_init_out");
_Static_assert(sizeof(struct fuse_statfs_out) == 80, "fuse_statfs_out");

#endif
