/* Run queue: a FIFO per priority and a bitmap; pure, unit-tested on the host. */
#include <stddef.h>
#include "sched_priv.h"

void runq_push(struct runq *q, struct runq_node *n)
{
	int p = n->prio;
	n->next = NULL;
	if (q->tail[p])
		q->tail[p]->next = n;
	else
		q->head[p] = n;
	q->tail[p] = n;
	q->bitmap |= 1u << p;
}

int runq_top_prio(const struct runq *q)
{
	return q->bitmap ? 31 - __builtin_clz(q->bitmap) : -1;
}

struct runq_node *runq_pop(struct runq *q)
{
	int p = runq_top_prio(q);
	if (p < 0)
		return NULL;
	struct runq_node *n = q->head[p];
	q->head[p] = n->next;
	if (!q->head[p]) {
		q->tail[p] = NULL;
		q->bitmap &= ~(1u << p);
	}
	n->next = NULL;
	return n;
}

int runq_remove(struct runq *q, struct runq_node *n)
{
	int p = n->prio;
	struct runq_node *prev = NULL;
	for (struct runq_node *it = q->head[p]; it; prev = it, it = it->next) {
		if (it != n)
			continue;
		if (prev)
			prev->next = n->next;
		else
			q->head[p] = n->next;
		if (q->tail[p] == n)
			q->tail[p] = prev;
		if (!q->head[p])
			q->bitmap &= ~(1u << p);
		n->next = NULL;
		return 1;
	}
	return 0;
}
