/*
 * lwIP's operating-system types for Toro (implemented in net/sys_arch.c).
 *
 * Each handle points to a heap object that wraps a kernel primitive (ksem,
 * kmutex, a ring of two ksems).  The struct types stay opaque so that
 * applications including lwIP headers never see kernel headers.  NULL is the
 * invalid handle.
 */
#ifndef TORO_LWIP_ARCH_SYS_ARCH_H
#define TORO_LWIP_ARCH_SYS_ARCH_H

struct sys_arch_sem;
struct sys_arch_mutex;
struct sys_arch_mbox;

typedef struct sys_arch_sem *sys_sem_t;
typedef struct sys_arch_mutex *sys_mutex_t;
/* Whether the calling thread holds lwIP's core lock. */
int sys_core_locked_by_me(void);
typedef struct sys_arch_mbox *sys_mbox_t;
typedef void *sys_thread_t;       /* the kernel's struct thread * */
typedef unsigned long sys_prot_t; /* the interrupt flag sys_arch_protect() saw */

#define SYS_MBOX_NULL NULL
#define SYS_SEM_NULL  NULL

#define sys_sem_valid(s) ((s) != NULL && *(s) != NULL)
#define sys_sem_set_invalid(s)                                                                     \
	do {                                                                                       \
		if (s)                                                                             \
			*(s) = NULL;                                                               \
	} while (0)
#define sys_mutex_valid(m) ((m) != NULL && *(m) != NULL)
#define sys_mutex_set_invalid(m)                                                                   \
	do {                                                                                       \
		if (m)                                                                             \
			*(m) = NULL;                                                               \
	} while (0)
#define sys_mbox_valid(b) ((b) != NULL && *(b) != NULL)
#define sys_mbox_set_invalid(b)                                                                    \
	do {                                                                                       \
		if (b)                                                                             \
			*(b) = NULL;                                                               \
	} while (0)

#endif
