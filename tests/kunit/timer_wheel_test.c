// SPDX-License-Identifier: GPL-2.0
/* KUnit: the per-CPU timing wheel's slots and passes, without its hrtimer. */

#include <kunit/test.h>
#include <kunit/test-bug.h>
#include <linux/completion.h>
#include <linux/delay.h>
#include <linux/kthread.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "timer_wheel.h"

#define SLOT_NS BIT_ULL(XFRM_HC_WHEEL_SLOT_SHIFT)
#define T0 (1000 * NSEC_PER_SEC)

#define LOG_MAX 256

/* The entries a test's wheel ran, in the order it ran them. */
struct ran {
	unsigned int n;
	struct xfrm_hc_wheel_entry *order[LOG_MAX];
};

static int timer_wheel_test_init(struct kunit *test)
{
	test->priv = kunit_kzalloc(test, sizeof(struct ran), GFP_KERNEL);
	return test->priv ? 0 : -ENOMEM;
}

/* A wheel's callback: notes the entry, and never wants it again. */
static ktime_t note(struct xfrm_hc_wheel_entry *e)
{
	struct ran *r = kunit_get_current_test()->priv;

	if (r->n < LOG_MAX)
		r->order[r->n] = e;
	r->n++;
	return 0;
}

static struct xfrm_hc_wheel *new_wheel(struct kunit *test, u64 now)
{
	struct xfrm_hc_wheel *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	xfrm_hc_wheel_setup(w, 0, note, now);
	return w;
}

/* An entry added, as xfrm_hc_wheel_add() does without its hrtimer. */
static void put(struct xfrm_hc_wheel *w, struct xfrm_hc_wheel_entry *e,
		u64 wake)
{
	e->cancelled = false;
	xfrm_hc_wheel_place(w, e, wake);
	w->entries++;
}

/* One pass at @now, as the wheel's hrtimer runs it. */
static bool pass(struct xfrm_hc_wheel *w, u64 now)
{
	bool more;

	spin_lock_bh(&w->lock);
	more = xfrm_hc_wheel_run(w, now);
	spin_unlock_bh(&w->lock);
	return more;
}

/* Passes at @now until nothing is due; how many entries ran. */
static int due_at(struct xfrm_hc_wheel *w, u64 now)
{
	struct ran *r = kunit_get_current_test()->priv;
	unsigned int before = r->n, passes = 0;

	while (pass(w, now) && ++passes < 10000)
		;
	return r->n - before;
}

static void runs_once_its_slot_has_ended(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry e = {};
	u64 wake = T0 + 300 * NSEC_PER_MSEC;

	put(w, &e, wake);
	KUNIT_EXPECT_EQ(test, due_at(w, wake - 1), 0);
	/* Never early, and at most one slot late. */
	KUNIT_EXPECT_GE(test, xfrm_hc_wheel_next_ns(w), wake);
	KUNIT_EXPECT_LE(test, xfrm_hc_wheel_next_ns(w), wake + SLOT_NS);
	KUNIT_EXPECT_EQ(test, due_at(w, xfrm_hc_wheel_next_ns(w)), 1);
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(w), U64_MAX);
}

static void far_entries_move_near_and_go_round(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry in_10s = {}, in_1h = {};
	u64 t, fires = 0;

	put(w, &in_10s, T0 + 10 * NSEC_PER_SEC);
	put(w, &in_1h, T0 + 3600 * NSEC_PER_SEC);
	/* Follow the timer as it would fire: each entry once, on time. */
	while ((t = xfrm_hc_wheel_next_ns(w)) != U64_MAX && fires++ < 100000) {
		int n = due_at(w, t);

		if (n)
			KUNIT_EXPECT_TRUE(test,
					  (t >= T0 + 10 * NSEC_PER_SEC &&
					   t <= T0 + 10 * NSEC_PER_SEC + SLOT_NS) ||
					  (t >= T0 + 3600 * NSEC_PER_SEC &&
					   t <= T0 + 3600 * NSEC_PER_SEC + SLOT_NS));
	}
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(w), U64_MAX);
	/* An hour costs a few turns of the far wheel, not a fire per slot. */
	KUNIT_EXPECT_LT(test, fires, 100);
}

static void nothing_lost_after_a_long_sleep(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry e[3] = {};

	put(w, &e[0], T0 + 5 * NSEC_PER_MSEC);
	put(w, &e[1], T0 + 20 * NSEC_PER_SEC);
	put(w, &e[2], T0 + 900 * NSEC_PER_SEC);
	/* The timer did not fire for an hour: all three come out at once. */
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3600 * NSEC_PER_SEC), 3);
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(w), U64_MAX);
	/* And the wheel goes on from there. */
	put(w, &e[0], T0 + 3601 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3600 * NSEC_PER_SEC + 999 *
				     NSEC_PER_MSEC), 0);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3601 * NSEC_PER_SEC + SLOT_NS),
			1);
}

static void past_time_is_due_next_run(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry e = {};

	put(w, &e, T0 - NSEC_PER_SEC);
	KUNIT_EXPECT_LE(test, xfrm_hc_wheel_next_ns(w), T0 + SLOT_NS);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + SLOT_NS), 1);
}

static void cancelled_slot_clears_lazily(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry a = {}, b = {};

	put(w, &a, T0 + 10 * NSEC_PER_MSEC);
	put(w, &b, T0 + 500 * NSEC_PER_MSEC);
	__xfrm_hc_wheel_cancel(w, &a);
	/* An emptied slot does not make the timer fire for it. */
	KUNIT_EXPECT_GE(test, xfrm_hc_wheel_next_ns(w),
			T0 + 500 * NSEC_PER_MSEC);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + NSEC_PER_SEC), 1);
}

static void many_entries_each_once(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry *e;
	int i, n = 0, fires = 0;
	u64 t;

	e = kunit_kcalloc(test, 5000, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* Spread over 0-2000 s: near, far and round again. */
	for (i = 0; i < 5000; i++)
		put(w, &e[i], T0 + (u64)i * 400 * NSEC_PER_MSEC);
	while ((t = xfrm_hc_wheel_next_ns(w)) != U64_MAX && fires++ < 100000)
		n += due_at(w, t);
	KUNIT_EXPECT_EQ(test, n, 5000);
	KUNIT_EXPECT_EQ(test, w->entries, 0);
}

static void a_pass_runs_its_budget_in_order(struct kunit *test)
{
	struct ran *r = test->priv;
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	unsigned int n = XFRM_HC_WHEEL_BUDGET + 10, i;
	struct xfrm_hc_wheel_entry *e, later = {};
	u64 now = T0 + (n + 1) * SLOT_NS;

	KUNIT_ASSERT_LE(test, n, LOG_MAX);
	e = kunit_kcalloc(test, n, sizeof(*e), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, e);
	/* A slot each, all ended by @now: the oldest must go first. */
	for (i = 0; i < n; i++)
		put(w, &e[i], T0 + i * SLOT_NS);
	KUNIT_EXPECT_TRUE(test, pass(w, now));
	KUNIT_ASSERT_EQ(test, r->n, XFRM_HC_WHEEL_BUDGET);
	for (i = 0; i < XFRM_HC_WHEEL_BUDGET; i++)
		KUNIT_EXPECT_PTR_EQ(test, r->order[i], &e[i]);
	/* The rest are due: the timer must fire again at once. */
	KUNIT_EXPECT_LE(test, xfrm_hc_wheel_next_ns(w), now);
	/* One of them cancelled; one due since goes after the rest. */
	__xfrm_hc_wheel_cancel(w, &e[n - 1]);
	put(w, &later, now);
	now += 2 * SLOT_NS;
	KUNIT_EXPECT_FALSE(test, pass(w, now));
	KUNIT_ASSERT_EQ(test, r->n, n);
	for (i = XFRM_HC_WHEEL_BUDGET; i < n - 1; i++)
		KUNIT_EXPECT_PTR_EQ(test, r->order[i], &e[i]);
	KUNIT_EXPECT_PTR_EQ(test, r->order[n - 1], &later);
	KUNIT_EXPECT_EQ(test, w->entries, 0);
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(w), U64_MAX);
}

/* An entry whose run blocks until the test lets it end. */
struct blocker {
	struct xfrm_hc_wheel w;
	struct xfrm_hc_wheel_entry e;
	struct completion started, release, passed, cancelled;
	bool over;
	bool over_at_cancel;
};

static ktime_t block(struct xfrm_hc_wheel_entry *e)
{
	struct blocker *b = container_of(e, struct blocker, e);

	complete(&b->started);
	wait_for_completion(&b->release);
	WRITE_ONCE(b->over, true);
	/* It asks to run again: the cancel must keep it off. */
	return ns_to_ktime(T0 + NSEC_PER_SEC);
}

static int block_pass(void *arg)
{
	struct blocker *b = arg;

	/* Not _bh: the entry sleeps, which a softirq's would not. */
	spin_lock(&b->w.lock);
	xfrm_hc_wheel_run(&b->w, T0 + 2 * SLOT_NS);
	spin_unlock(&b->w.lock);
	complete(&b->passed);
	return 0;
}

static int block_cancel(void *arg)
{
	struct blocker *b = arg;

	__xfrm_hc_wheel_cancel(&b->w, &b->e);
	b->over_at_cancel = READ_ONCE(b->over);
	complete(&b->cancelled);
	return 0;
}

static void cancel_sleeps_until_the_run_ends(struct kunit *test)
{
	struct blocker *b = kunit_kzalloc(test, sizeof(*b), GFP_KERNEL);
	struct task_struct *runner, *canceller;
	int i;

	KUNIT_ASSERT_NOT_NULL(test, b);
	xfrm_hc_wheel_setup(&b->w, 0, block, T0);
	/* Its own lockdep class: taken here without BH off, unlike a wheel's. */
	spin_lock_init(&b->w.lock);
	init_completion(&b->started);
	init_completion(&b->release);
	init_completion(&b->passed);
	init_completion(&b->cancelled);
	put(&b->w, &b->e, T0);

	runner = kthread_run(block_pass, b, "wheel-pass");
	KUNIT_ASSERT_FALSE(test, IS_ERR(runner));
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&b->started,
							    10 * HZ));
	canceller = kthread_create(block_cancel, b, "wheel-cancel");
	KUNIT_ASSERT_FALSE(test, IS_ERR(canceller));
	get_task_struct(canceller);
	wake_up_process(canceller);
	/*
	 * It must wait asleep. One that spins never lets the run end when
	 * both share a CPU (a UP kernel here; on PREEMPT_RT, whenever the
	 * canceller outranks the softirq thread), and this never gets back.
	 */
	for (i = 0; i < 250; i++) {
		if (READ_ONCE(canceller->__state) & TASK_UNINTERRUPTIBLE)
			break;
		msleep(20);
	}
	KUNIT_EXPECT_TRUE(test, READ_ONCE(canceller->__state) &
			  TASK_UNINTERRUPTIBLE);
	KUNIT_EXPECT_FALSE(test, completion_done(&b->cancelled));

	complete(&b->release);
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b->cancelled,
							    10 * HZ));
	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&b->passed,
							    10 * HZ));
	put_task_struct(canceller);
	/* It returned only once the run was over, and it stays off. */
	KUNIT_EXPECT_TRUE(test, b->over_at_cancel);
	KUNIT_EXPECT_TRUE(test, hlist_unhashed(&b->e.node));
	KUNIT_EXPECT_EQ(test, b->w.entries, 0);
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(&b->w), U64_MAX);
}

static struct kunit_case timer_wheel_test_cases[] = {
	KUNIT_CASE(runs_once_its_slot_has_ended),
	KUNIT_CASE(far_entries_move_near_and_go_round),
	KUNIT_CASE(nothing_lost_after_a_long_sleep),
	KUNIT_CASE(past_time_is_due_next_run),
	KUNIT_CASE(cancelled_slot_clears_lazily),
	KUNIT_CASE(many_entries_each_once),
	KUNIT_CASE(a_pass_runs_its_budget_in_order),
	KUNIT_CASE(cancel_sleeps_until_the_run_ends),
	{}
};

static struct kunit_suite timer_wheel_test_suite = {
	.name = "xfrm_hc_timer_wheel",
	.init = timer_wheel_test_init,
	.test_cases = timer_wheel_test_cases,
};

kunit_test_suite(timer_wheel_test_suite);
