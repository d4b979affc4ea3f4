/*
 * Thread-specific data.  A key is an index into a table of PTHREAD_KEYS_MAX
 * slots; each slot has a sequence number, bumped on delete, and a thread's
 * value counts only if it was stored under the slot's current number.  So a
 * key that is deleted and created again starts out NULL in every thread
 * without visiting them.
 */
#include <errno.h>
#include "pthread_impl.h"

struct pthread_key_slot {
	int used;
	unsigned int seq;
	void (*destructor)(void *);
};

static struct kmutex key_lock = KMUTEX_INIT;
static struct pthread_key_slot key_slots[PTHREAD_KEYS_MAX];

int pthread_key_create(pthread_key_t *key, void (*destructor)(void *))
{
	if (!key)
		return EINVAL;
	kmutex_lock(&key_lock);
	for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
		if (key_slots[k].used)
			continue;
		key_slots[k].used = 1;
		key_slots[k].destructor = destructor;
		kmutex_unlock(&key_lock);
		*key = k;
		return 0;
	}
	kmutex_unlock(&key_lock);
	return EAGAIN;
}

int pthread_key_delete(pthread_key_t key)
{
	int err = EINVAL;
	if (key >= PTHREAD_KEYS_MAX)
		return EINVAL;
	kmutex_lock(&key_lock);
	if (key_slots[key].used) {
		key_slots[key].used = 0;
		key_slots[key].seq++;
		key_slots[key].destructor = NULL;
		err = 0;
	}
	kmutex_unlock(&key_lock);
	return err;
}

/* The current sequence number of a live key, read without the lock (a word). */
static int key_seq(pthread_key_t key, unsigned int *seq)
{
	if (key >= PTHREAD_KEYS_MAX || !__atomic_load_n(&key_slots[key].used, __ATOMIC_ACQUIRE))
		return EINVAL;
	*seq = __atomic_load_n(&key_slots[key].seq, __ATOMIC_RELAXED);
	return 0;
}

void *pthread_getspecific(pthread_key_t key)
{
	unsigned int seq;
	if (key_seq(key, &seq))
		return NULL;
	struct pthread_specific *s = &pthread_self()->specific[key];
	return s->seq == seq ? (void *)s->value : NULL;
}

int pthread_setspecific(pthread_key_t key, const void *value)
{
	unsigned int seq;
	if (key_seq(key, &seq))
		return EINVAL;
	struct pthread_specific *s = &pthread_self()->specific[key];
	s->value = value;
	s->seq = seq;
	return 0;
}

/* Takes the thread's value for key k if it has a destructor to run; 1 if so. */
static int key_take(struct __pthread *self, unsigned int k, void (**dtor)(void *), void **value)
{
	struct pthread_specific *s = &self->specific[k];
	int found = 0;
	kmutex_lock(&key_lock);
	if (key_slots[k].used && s->seq == key_slots[k].seq && s->value &&
	    key_slots[k].destructor) {
		*dtor = key_slots[k].destructor;
		*value = (void *)s->value;
		s->value = NULL;
		found = 1;
	}
	kmutex_unlock(&key_lock);
	return found;
}

/* As POSIX says: repeat while destructors set values, up to the iteration limit. */
void pthread_keys_destruct(struct __pthread *self)
{
	for (int round = 0; round < PTHREAD_DESTRUCTOR_ITERATIONS; round++) {
		int ran = 0;
		for (unsigned int k = 0; k < PTHREAD_KEYS_MAX; k++) {
			void (*dtor)(void *);
			void *value;
			if (key_take(self, k, &dtor, &value)) {
				dtor(value);
				ran = 1;
			}
		}
		if (!ran)
			return;
	}
}
