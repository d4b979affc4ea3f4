/*
 * Producers and consumers over a bounded ring with a mutex and two
 * condition variables: 4 producers, 4 consumers, every item consumed once.
 */
#include <pthread.h>
#include <stdint.h>
#include "vmtest.h"

#define PRODUCERS 4
#define CONSUMERS 4
#define ITEMS     20000 /* per producer */
#define RING      16

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t not_full = PTHREAD_COND_INITIALIZER;
static pthread_cond_t not_empty = PTHREAD_COND_INITIALIZER;
static uint64_t ring[RING];
static unsigned int head, tail, count;
static int producers_left = PRODUCERS;
static unsigned char seen[PRODUCERS][ITEMS];

static void put(uint64_t v)
{
	pthread_mutex_lock(&lock);
	while (count == RING)
		pthread_cond_wait(&not_full, &lock);
	ring[head] = v;
	head = (head + 1) % RING;
	count++;
	pthread_cond_signal(&not_empty);
	pthread_mutex_unlock(&lock);
}

/* 0 once every producer is done and the ring is empty. */
static int get(uint64_t *v)
{
	pthread_mutex_lock(&lock);
	while (count == 0 && producers_left > 0)
		pthread_cond_wait(&not_empty, &lock);
	int got = count > 0;
	if (got) {
		*v = ring[tail];
		tail = (tail + 1) % RING;
		count--;
		pthread_cond_signal(&not_full);
	}
	pthread_mutex_unlock(&lock);
	return got;
}

static void *producer(void *arg)
{
	uint64_t id = (uint64_t)(uintptr_t)arg;
	for (uint64_t i = 0; i < ITEMS; i++)
		put(id << 32 | i);
	pthread_mutex_lock(&lock);
	if (--producers_left == 0)
		pthread_cond_broadcast(&not_empty);
	pthread_mutex_unlock(&lock);
	return NULL;
}

struct tally {
	uint64_t n, sum;
	int bad;
};

static void *consumer(void *arg)
{
	struct tally *t = arg;
	uint64_t v;
	while (get(&v)) {
		uint64_t p = v >> 32, i = v & 0xffffffff;
		if (p >= PRODUCERS || i >= ITEMS) {
			t->bad++;
			continue;
		}
		seen[p][i]++; /* distinct (p, i) per item: no two consumers share a slot */
		for (volatile int work = 0; work < 100; work++)
			; /* some work per item, so that slices end with items in hand */
		t->n++;
		t->sum += i;
	}
	return NULL;
}

int main(void)
{
	pthread_t prod[PRODUCERS], cons[CONSUMERS];
	struct tally tallies[CONSUMERS] = {0};
	for (int i = 0; i < CONSUMERS; i++)
		CHECK("create-consumer", 1,
		      pthread_create(&cons[i], NULL, consumer, &tallies[i]) == 0);
	for (uintptr_t i = 0; i < PRODUCERS; i++)
		CHECK("create-producer", 2,
		      pthread_create(&prod[i], NULL, producer, (void *)i) == 0);
	for (int i = 0; i < PRODUCERS; i++)
		CHECK("join-producer", 3, pthread_join(prod[i], NULL) == 0);
	uint64_t n = 0, sum = 0;
	int bad = 0, active = 0;
	for (int i = 0; i < CONSUMERS; i++) {
		CHECK("join-consumer", 4, pthread_join(cons[i], NULL) == 0);
		n += tallies[i].n;
		sum += tallies[i].sum;
		bad += tallies[i].bad;
		active += tallies[i].n > 0;
		printf("consumer %d took %llu items\n", i, (unsigned long long)tallies[i].n);
	}
	int once = 1;
	for (int p = 0; p < PRODUCERS; p++)
		for (int i = 0; i < ITEMS; i++)
			once &= seen[p][i] == 1;
	CHECK("no-garbage", 5, bad == 0);
	CHECK("count", 6, n == (uint64_t)PRODUCERS * ITEMS);
	CHECK("sum", 7, sum == (uint64_t)PRODUCERS * ITEMS * (ITEMS - 1) / 2);
	CHECK("each-once", 8, once);
	CHECK("ring-empty", 9, count == 0);
	printf("%d of %d consumers got items\n", active, CONSUMERS);
	return vmtest_success();
}
