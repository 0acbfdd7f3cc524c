// SPDX-License-Identifier: GPL-2.0
/* KUnit: the per-CPU timing wheel's slots, without its hrtimer. */

#include <kunit/test.h>
#include <linux/slab.h>
#include <linux/time64.h>

#include "timer_wheel.h"

#define SLOT_NS BIT_ULL(XFRM_HC_WHEEL_SLOT_SHIFT)
#define T0 (1000 * NSEC_PER_SEC)

static ktime_t never(struct xfrm_hc_wheel_entry *e)
{
	return 0;
}

static struct xfrm_hc_wheel *new_wheel(struct kunit *test, u64 now)
{
	struct xfrm_hc_wheel *w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, w);
	xfrm_hc_wheel_setup(w, 0, never, now);
	return w;
}

/* Collect at @now and count what came out, emptying the due list. */
static int due_at(struct xfrm_hc_wheel *w, u64 now)
{
	struct xfrm_hc_wheel_entry *e;
	struct hlist_node *tmp;
	int n = 0;

	xfrm_hc_wheel_collect(w, now);
	hlist_for_each_entry_safe(e, tmp, &w->due, node) {
		hlist_del_init(&e->node);
		n++;
	}
	return n;
}

static void runs_once_its_slot_has_ended(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry e = {};
	u64 wake = T0 + 300 * NSEC_PER_MSEC;

	xfrm_hc_wheel_place(w, &e, wake);
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

	xfrm_hc_wheel_place(w, &in_10s, T0 + 10 * NSEC_PER_SEC);
	xfrm_hc_wheel_place(w, &in_1h, T0 + 3600 * NSEC_PER_SEC);
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

	xfrm_hc_wheel_place(w, &e[0], T0 + 5 * NSEC_PER_MSEC);
	xfrm_hc_wheel_place(w, &e[1], T0 + 20 * NSEC_PER_SEC);
	xfrm_hc_wheel_place(w, &e[2], T0 + 900 * NSEC_PER_SEC);
	/* The timer did not fire for an hour: all three come out at once. */
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3600 * NSEC_PER_SEC), 3);
	KUNIT_EXPECT_EQ(test, xfrm_hc_wheel_next_ns(w), U64_MAX);
	/* And the wheel goes on from there. */
	xfrm_hc_wheel_place(w, &e[0], T0 + 3601 * NSEC_PER_SEC);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3600 * NSEC_PER_SEC + 999 *
				     NSEC_PER_MSEC), 0);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + 3601 * NSEC_PER_SEC + SLOT_NS),
			1);
}

static void past_time_is_due_next_run(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry e = {};

	xfrm_hc_wheel_place(w, &e, T0 - NSEC_PER_SEC);
	KUNIT_EXPECT_LE(test, xfrm_hc_wheel_next_ns(w), T0 + SLOT_NS);
	KUNIT_EXPECT_EQ(test, due_at(w, T0 + SLOT_NS), 1);
}

static void cancelled_slot_clears_lazily(struct kunit *test)
{
	struct xfrm_hc_wheel *w = new_wheel(test, T0);
	struct xfrm_hc_wheel_entry a = {}, b = {};

	xfrm_hc_wheel_place(w, &a, T0 + 10 * NSEC_PER_MSEC);
	xfrm_hc_wheel_place(w, &b, T0 + 500 * NSEC_PER_MSEC);
	hlist_del_init(&a.node);
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
		xfrm_hc_wheel_place(w, &e[i], T0 + (u64)i * 400 *
				    NSEC_PER_MSEC);
	while ((t = xfrm_hc_wheel_next_ns(w)) != U64_MAX && fires++ < 100000)
		n += due_at(w, t);
	KUNIT_EXPECT_EQ(test, n, 5000);
}

static struct kunit_case timer_wheel_test_cases[] = {
	KUNIT_CASE(runs_once_its_slot_has_ended),
	KUNIT_CASE(far_entries_move_near_and_go_round),
	KUNIT_CASE(nothing_lost_after_a_long_sleep),
	KUNIT_CASE(past_time_is_due_next_run),
	KUNIT_CASE(cancelled_slot_clears_lazily),
	KUNIT_CASE(many_entries_each_once),
	{}
};

static struct kunit_suite timer_wheel_test_suite = {
	.name = "xfrm_hc_timer_wheel",
	.test_cases = timer_wheel_test_cases,
};

kunit_test_suite(timer_wheel_test_suite);
