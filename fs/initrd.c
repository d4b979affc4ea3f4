/*
 * The initrd: boot module 0 (QEMU -initrd, toro-run --initrd) is a newc
 * cpio archive unpacked into the root ramfs when the tree is built.
 * Regular files keep their contents in the module's memory (which the page
 * allocator never hands out) until they are first written.
 *
 * A malformed archive stops the unpacking with one line saying what and
 * where; entries before it stay.  Entries the ramfs cannot hold (device
 * nodes, fifos, names with "..") are skipped with a line each.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <kernel/boot.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include "cpio.h"
#include "ramfs.h"
#include "vfs_priv.h"

struct initrd_ctx {
	int files, dirs, links, skipped;
	char path[VFS_PATH_MAX];
	char target[VFS_PATH_MAX];
};

/* "/" + name without leading "./" and "/"; -ENAMETOOLONG, -EINVAL for "..". */
static int entry_path(const struct cpio_entry *e, char *out)
{
	const char *n = e->name;
	for (;;) {
		if (n[0] == '/')
			n++;
		else if (n[0] == '.' && n[1] == '/')
			n += 2;
		else
			break;
	}
	if (n[0] == '.' && n[1] == '\0')
		n++;
	size_t len = strlen(n);
	if (len + 2 > VFS_PATH_MAX)
		return -ENAMETOOLONG;
	out[0] = '/';
	memcpy(out + 1, n, len + 1);
	for (const char *p = out; (p = strstr(p, "..")) != NULL; p += 2)
		if (p[-1] == '/' && (p[2] == '/' || p[2] == '\0'))
			return -EINVAL;
	while (len > 0 && out[len] == '/') /* "dir/" */
		out[len--] = '\0';
	return 0;
}

static void set_times(const char *path, const struct cpio_entry *e)
{
	struct vattr va = {.mode = e->mode & 07777};
	va.mtime.tv_sec = va.atime.tv_sec = e->mtime;
	vfs_setattrat(AT_FDCWD, path, AT_SYMLINK_NOFOLLOW, &va,
	              VATTR_MODE | VATTR_MTIME | VATTR_ATIME);
}

/* Creates the directories above path; returns the last '/' in it. */
static char *make_parents(char *path, int *err)
{
	char *slash = strrchr(path, '/');
	*err = 0;
	if (slash != path) {
		*slash = '\0';
		*err = vfs_mkdir_parents(path);
		*slash = '/';
	}
	return slash;
}

static int add_file(struct initrd_ctx *c, const struct cpio_entry *e)
{
	int err;
	char *slash = make_parents(c->path, &err);
	struct walk *w = err ? NULL : walk_alloc();
	if (!err && !w)
		err = -ENOMEM;
	if (!err) {
		*slash = '\0';
		err = walk_path(w, AT_FDCWD, slash == c->path ? "/" : c->path, WALK_FOLLOW);
		*slash = '/';
	}
	if (!err && w->vn->ops != &ramfs_ops)
		err = -EXDEV;
	if (!err) {
		err = ramfs_add_borrowed(w->vn, slash + 1, e->mode, e->data, e->size, e->mtime);
		if (err == -EEXIST &&
		    vfs_unlinkat(AT_FDCWD, c->path, 0) == 0) /* a later copy wins */
			err = ramfs_add_borrowed(w->vn, slash + 1, e->mode, e->data, e->size,
			                         e->mtime);
	}
	if (w) {
		walk_done(w);
		walk_free(w);
	}
	c->files += err == 0;
	return err;
}

static int add_symlink(struct initrd_ctx *c, const struct cpio_entry *e)
{
	if (e->size == 0 || e->size >= VFS_PATH_MAX || memchr(e->data, 0, e->size))
		return -EINVAL;
	memcpy(c->target, e->data, e->size);
	c->target[e->size] = '\0';
	int err;
	make_parents(c->path, &err);
	if (err == 0)
		err = vfs_symlinkat(c->target, AT_FDCWD, c->path);
	c->links += err == 0;
	return err;
}

static int add_dir(struct initrd_ctx *c, const struct cpio_entry *e)
{
	int err = vfs_mkdir_parents(c->path);
	if (err == 0)
		set_times(c->path, e);
	c->dirs += err == 0;
	return err;
}

static int initrd_entry(void *arg, const struct cpio_entry *e)
{
	struct initrd_ctx *c = arg;
	int err = entry_path(e, c->path);
	if (err == 0 && strcmp(c->path, "/") == 0)
		return 0; /* "." is the root itself */
	if (err == 0) {
		switch (e->mode & S_IFMT) {
		case S_IFDIR:
			err = add_dir(c, e);
			break;
		case S_IFREG:
			err = add_file(c, e);
			break;
		case S_IFLNK:
			err = add_symlink(c, e);
			break;
		default:
			err = -ENOTSUP;
		}
	}
	if (err == -ENOSPC || err == -ENOMEM) {
		kprintf("initrd: %s: out of memory\n", e->name);
		return -ENOSPC;
	}
	if (err < 0) {
		kprintf("initrd: %s: skipped (%s)\n", e->name,
		        err == -ENOTSUP        ? "device nodes, fifos and sockets are not supported"
		        : err == -ENAMETOOLONG ? "name too long"
		        : err == -EINVAL       ? "bad name or link target"
		                               : "cannot create it");
		c->skipped++;
	}
	return 0;
}

/* 1 if every page of [base, base+size) is mapped RAM. */
static int module_mapped(uint64_t base, uint64_t size)
{
	if (base + size < base)
		return 0;
	for (uint64_t p = PAGE_ALIGN_DOWN(base); p < base + size; p += PAGE_SIZE)
		if (!vm_is_mapped((uintptr_t)p))
			return 0;
	return 1;
}

int initrd_load(struct vnode *root)
{
	if (boot_info.nr_modules < 1)
		return 0;
	const struct boot_module *m = &boot_info.modules[0];
	if (!module_mapped(m->base, m->size)) {
		kprintf("initrd: module at 0x%llx (%llu bytes) is not in RAM; ignored\n",
		        (unsigned long long)m->base, (unsigned long long)m->size);
		return -EINVAL;
	}
	static struct initrd_ctx ctx; /* boot runs once; VFS_PATH_MAX buffers off the stack */
	struct cpio_error perr = {NULL, 0};
	int err = cpio_parse((const void *)(uintptr_t)m->base, m->size, initrd_entry, &ctx, &perr);
	if (err == -EINVAL && perr.why)
		kprintf("initrd: malformed archive at byte %zu: %s (%d entries loaded before it)\n",
		        perr.offset, perr.why, ctx.files + ctx.dirs + ctx.links);
	return err;
}
