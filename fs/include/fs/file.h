/*
 * Open files and the descriptor table, shared by the console, pipes,
 * eventfds, epoll instances, sockets and (later) VFS files.
 *
 * A struct file is reference-counted; each descriptor holds one reference.
 * An object that can become ready (readable, writable) calls file_notify()
 * when its state changes; poll, select and epoll register a struct
 * poll_entry on the file to hear about it.
 *
 * Usage:
 *   struct file *f = file_alloc(&my_ops, O_RDWR, priv);
 *   int fd = fd_install(f, 0, 0);     // the table takes the reference
 *   ...
 *   struct file *g = fd_get(fd);      // +1 reference, or NULL (EBADF)
 *   file_put(g);
 *
 * Every function returns 0/a count, or -ERRNO; pointers are NULL on error.
 */
#ifndef FS_FILE_H
#define FS_FILE_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

struct file;
struct stat;

/* Readiness bits: the values of POLLIN etc. in <poll.h>. */
#define FILE_POLLIN   0x001
#define FILE_POLLPRI  0x002
#define FILE_POLLOUT  0x004
#define FILE_POLLERR  0x008
#define FILE_POLLHUP  0x010
#define FILE_POLLNVAL 0x020
#define FILE_POLLRDHUP 0x2000 /* the peer shut its writing side (Linux's value) */

struct file_ops {
	/* Each is optional; a missing one makes the call fail with the errno POSIX gives. */
	ssize_t (*read)(struct file *f, void *buf, size_t len);
	ssize_t (*write)(struct file *f, const void *buf, size_t len);
	ssize_t (*pread)(struct file *f, void *buf, size_t len, off_t off);
	ssize_t (*pwrite)(struct file *f, const void *buf, size_t len, off_t off);
	/* Bytes at off that never change nor go away, or NULL (struct vnode_ops). */
	const void *(*stable)(struct file *f, off_t off, size_t *len);
	/* write() from such bytes: may keep referring to them instead of copying. */
	ssize_t (*write_stable)(struct file *f, const void *buf, size_t len);
	off_t (*lseek)(struct file *f, off_t off, int whence);
	int (*fstat)(struct file *f, struct stat *st);
	/* Readiness now: FILE_POLL* bits. */
	unsigned (*poll)(struct file *f);
	int (*ioctl)(struct file *f, unsigned long req, void *arg);
	/* O_NONBLOCK or O_APPEND changed (f->flags already updated). */
	int (*setfl)(struct file *f);
	int (*fsync)(struct file *f);
	/* The last reference is gone: free priv. */
	void (*release)(struct file *f);
};

struct poll_entry;

struct file {
	const struct file_ops *ops;
	int flags; /* O_ACCMODE bits, O_APPEND, O_NONBLOCK */
	int refs;
	off_t pos;
	void *priv;
	struct poll_entry *pollers; /* who wants file_notify() */
};

/*
 * A registration for readiness changes; wake runs with interrupts off.  If
 * detach is set, the file calls it when its last reference goes, and detach
 * must remove the entry (file_poll_remove).
 */
struct poll_entry {
	struct poll_entry *next;
	struct file *file;
	void (*wake)(struct poll_entry *e, unsigned events);
	void (*detach)(struct poll_entry *e);
	void *ctx;
};

struct file *file_alloc(const struct file_ops *ops, int flags, void *priv);
void file_get(struct file *f);
void file_put(struct file *f);
/* Tells pollers that events may have become true. Any context. */
void file_notify(struct file *f, unsigned events);
void file_poll_add(struct file *f, struct poll_entry *e);
void file_poll_remove(struct file *f, struct poll_entry *e);
/* Current readiness, FILE_POLL* bits (a file without ->poll is always ready). */
unsigned file_poll(struct file *f);

/* Descriptor flags */
#define FD_FLAG_CLOEXEC 1

#define FD_MAX 65536

/*
 * Installs f at the lowest free descriptor >= min_fd; returns it, or -EMFILE.
 * Takes over the caller's reference on success.
 */
int fd_install(struct file *f, int min_fd, int fdflags);
/* Installs f at exactly fd, closing what was there; 0 or -EBADF. */
int fd_install_at(struct file *f, int fd, int fdflags);
/* The file at fd with a new reference, or NULL. */
struct file *fd_get(int fd);
/* 0 or -EBADF. */
int fd_close(int fd);
int fd_get_flags(int fd);
int fd_set_flags(int fd, int fdflags);

/* Creates the console descriptors 0, 1 and 2 if they are not there. */
void fd_init_console(void);
int file_is_console(const struct file *f);
/* A new open file on the console (/dev/console, /dev/tty), or NULL. */
struct file *console_file_new(int flags);

#endif
