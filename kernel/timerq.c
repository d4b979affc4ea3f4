/* Timer queue: a list sorted by deadline; pure, unit-tested on the host. */
#include <stddef.h>
#include "sched_priv.h"

void timerq_add(struct timerq *q, struct ktimer *t)
{
	struct ktimer **pp = &q->head;
	while (*pp && (*pp)->deadline <= t->deadline)
		pp = &(*pp)->next; /* equal deadlines fire in the order they were added */
	t->next = *pp;
	*pp = t;
	t->armed = 1;
}

void timerq_remove(struct timerq *q, struct ktimer *t)
{
	if (!t->armed)
		return;
	for (struct ktimer **pp = &q->head; *pp; pp = &(*pp)->next) {
		if (*pp == t) {
			*pp = t->next;
			break;
		}
	}
	t->next = NULL;
	t->armed = 0;
}

struct ktimer *timerq_pop_expired(struct timerq *q, uint64_t now)
{
	struct ktimer *t = q->head;
	if (!t || t->deadline > now)
		return NULL;
	q->head = t->next;
	t->next = NULL;
	t->armed = 0;
	return t;
}

uint64_t timerq_next_deadline(const struct timerq *q)
{
	return q->head ? q->head->deadline : UINT64_MAX;
}
