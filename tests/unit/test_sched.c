/*
 * The scheduler's pure data structures (kernel/runq.c, kernel/timerq.c):
 * priority order, FIFO within a priority, removal, and timers sorted by
 * deadline with stable order for equal deadlines.
 */
#include <stdint.h>
#include <stdlib.h>
#include "check.h"
#include "../../kernel/sched_priv.h"

static void test_runq_order(void)
{
	struct runq q = {0};
	struct runq_node n[6];
	int prios[6] = {5, 10, 5, 31, 1, 10};
	for (int i = 0; i < 6; i++) {
		n[i].prio = prios[i];
		runq_push(&q, &n[i]);
	}
	CHECK(runq_top_prio(&q) == 31);
	struct runq_node *want[6] = {&n[3], &n[1], &n[5], &n[0], &n[2], &n[4]};
	for (int i = 0; i < 6; i++)
		CHECK(runq_pop(&q) == want[i]);
	CHECK(runq_pop(&q) == NULL);
	CHECK(runq_top_prio(&q) == -1 && q.bitmap == 0);
}

static void test_runq_remove(void)
{
	struct runq q = {0};
	struct runq_node a = {NULL, 7}, b = {NULL, 7}, c = {NULL, 7}, d = {NULL, 3};
	runq_push(&q, &a);
	runq_push(&q, &b);
	runq_push(&q, &c);
	CHECK(runq_remove(&q, &b) == 1);
	CHECK(runq_remove(&q, &b) == 0);
	CHECK(runq_remove(&q, &d) == 0);
	runq_push(&q, &b); /* the tail pointer must still be right */
	CHECK(runq_pop(&q) == &a && runq_pop(&q) == &c && runq_pop(&q) == &b);
	CHECK(q.bitmap == 0 && q.head[7] == NULL && q.tail[7] == NULL);
	runq_push(&q, &a);
	CHECK(runq_remove(&q, &a) == 1 && q.bitmap == 0);
}

static void fired(struct ktimer *t)
{
	(void)t;
}

static void test_timerq(void)
{
	struct timerq q = {0};
	struct ktimer t[5];
	uint64_t d[5] = {300, 100, 200, 100, 50};
	for (int i = 0; i < 5; i++) {
		t[i].deadline = d[i];
		t[i].fn = fired;
		t[i].armed = 0;
		timerq_add(&q, &t[i]);
	}
	CHECK(timerq_next_deadline(&q) == 50);
	CHECK(timerq_pop_expired(&q, 49) == NULL);
	CHECK(timerq_pop_expired(&q, 50) == &t[4] && !t[4].armed);
	timerq_remove(&q, &t[2]);
	CHECK(!t[2].armed);
	timerq_remove(&q, &t[2]); /* removing twice is harmless */
	CHECK(timerq_pop_expired(&q, 1000) == &t[1]); /* equal deadlines: insertion order */
	CHECK(timerq_pop_expired(&q, 1000) == &t[3]);
	CHECK(timerq_pop_expired(&q, 299) == NULL);
	CHECK(timerq_pop_expired(&q, 300) == &t[0]);
	CHECK(timerq_next_deadline(&q) == UINT64_MAX && q.head == NULL);
}

static void test_timerq_random(void)
{
	struct timerq q = {0};
	enum { N = 500 };
	struct ktimer *t = calloc(N, sizeof(*t));
	srand(7);
	for (int i = 0; i < N; i++) {
		t[i].deadline = (uint64_t)(rand() % 1000);
		timerq_add(&q, &t[i]);
	}
	for (int i = 0; i < N; i += 3)
		timerq_remove(&q, &t[i]);
	uint64_t last = 0;
	int n = 0;
	struct ktimer *k;
	while ((k = timerq_pop_expired(&q, UINT64_MAX - 1)) != NULL) {
		CHECK(k->deadline >= last);
		CHECK((k - t) % 3 != 0);
		last = k->deadline;
		n++;
	}
	CHECK(n == N - (N + 2) / 3);
	free(t);
}

int main(void)
{
	test_runq_order();
	test_runq_remove();
	test_timerq();
	test_timerq_random();
	return check_summary("sched");
}
