/* What the host shims let a test inspect. */
#ifndef UNIT_SHIM_H
#define UNIT_SHIM_H

#include <stddef.h>

/* Everything console_write() got since the last reset, NUL-terminated. */
const char *console_shim_text(void);
size_t console_shim_len(void);
void console_shim_reset(void);

#endif
