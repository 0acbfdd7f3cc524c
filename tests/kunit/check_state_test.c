// SPDX-License-Identifier: GPL-2.0
/* KUnit: the health check state machine and its flap damping. */

#include <kunit/test.h>
#include <linux/time64.h>

#include <linux/xfrm_hc.h>

#include "check_state.h"

#define MS(x) ((u64)(x) * NSEC_PER_MSEC)

/* Feed @n outcomes 100 ms apart from *@now; the last call's result. */
static bool feed(struct xfrm_hc_check_sm *sm, bool answered, int n, u64 *now)
{
	bool changed = false;

	while (n--) {
		*now += MS(100);
		changed = xfrm_hc_check_outcome(sm, 3, 3, answered, *now);
	}
	return changed;
}

static void first_verdict_needs_up_answers(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);

	KUNIT_EXPECT_FALSE(test, feed(&sm, true, 2, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_UNKNOWN);
	KUNIT_EXPECT_TRUE(test, feed(&sm, true, 1, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_UP);
	/* A first verdict is not a flap. */
	KUNIT_EXPECT_FALSE(test, sm.flapping);
}

static void down_after_misses_in_a_row(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);

	feed(&sm, true, 3, &now);
	/* An answer between losses resets the count. */
	feed(&sm, false, 2, &now);
	feed(&sm, true, 1, &now);
	KUNIT_EXPECT_FALSE(test, feed(&sm, false, 2, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_UP);
	KUNIT_EXPECT_TRUE(test, feed(&sm, false, 1, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_DOWN);
	/* Down stays down without further changes. */
	KUNIT_EXPECT_FALSE(test, feed(&sm, false, 10, &now));
}

static void up_needs_consecutive_answers(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);

	feed(&sm, false, 3, &now);
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_DOWN);
	feed(&sm, true, 2, &now);
	feed(&sm, false, 1, &now);
	KUNIT_EXPECT_FALSE(test, feed(&sm, true, 2, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_DOWN);
	KUNIT_EXPECT_TRUE(test, feed(&sm, true, 1, &now));
	KUNIT_EXPECT_EQ(test, sm.state, XFRM_HC_CHECK_STATE_UP);
}

static void flapping_doubles_interval_then_settles(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);
	int i;

	feed(&sm, true, 3, &now);
	/* Three changes in 15 s are tolerated ... */
	for (i = 0; i < 3; i++)
		feed(&sm, i % 2 == 0 ? false : true, 3, &now);
	KUNIT_EXPECT_FALSE(test, sm.flapping);
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 100), 100);
	/* ... the fourth is a flap. */
	feed(&sm, true, 3, &now);
	KUNIT_EXPECT_TRUE(test, sm.flapping);
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 100), 200);
	feed(&sm, false, 3, &now);
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 100), 400);
	/* Not yet quiet for the window. */
	KUNIT_EXPECT_FALSE(test, xfrm_hc_check_settle(&sm, now + MS(14000)));
	KUNIT_EXPECT_TRUE(test, xfrm_hc_check_settle(&sm, now + MS(15000)));
	KUNIT_EXPECT_FALSE(test, sm.flapping);
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 100), 100);
}

static void slow_changes_are_not_flapping(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);
	int i;

	feed(&sm, true, 3, &now);
	for (i = 0; i < 20; i++) {
		now += MS(6000);
		feed(&sm, i % 2 == 0 ? false : true, 3, &now);
	}
	KUNIT_EXPECT_FALSE(test, sm.flapping);
}

static void stretch_is_capped(struct kunit *test)
{
	struct xfrm_hc_check_sm sm = {};
	u64 now = MS(1);
	int i;

	feed(&sm, true, 3, &now);
	for (i = 0; i < 40; i++)
		feed(&sm, i % 2 == 0 ? false : true, 3, &now);
	KUNIT_EXPECT_EQ(test, sm.shift, XFRM_HC_FLAP_MAX_SHIFT);
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 100),
			100 << XFRM_HC_FLAP_MAX_SHIFT);
	/* Never past an hour. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_check_cur_interval(&sm, 3600 * 1000),
			3600 * 1000);
}

static struct kunit_case check_state_cases[] = {
	KUNIT_CASE(first_verdict_needs_up_answers),
	KUNIT_CASE(down_after_misses_in_a_row),
	KUNIT_CASE(up_needs_consecutive_answers),
	KUNIT_CASE(flapping_doubles_interval_then_settles),
	KUNIT_CASE(slow_changes_are_not_flapping),
	KUNIT_CASE(stretch_is_capped),
	{}
};

static struct kunit_suite check_state_suite = {
	.name = "xfrm_hc_check_state",
	.test_cases = check_state_cases,
};

kunit_test_suite(check_state_suite);
