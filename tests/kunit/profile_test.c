// SPDX-License-Identifier: GPL-2.0
/* KUnit: peers under one rule share one profile, counted and replaceable. */

#include <kunit/test.h>
#include <linux/slab.h>

#include "objects.h"
#include "pernet.h"
#include "profile.h"

static const struct xfrm_hc_profile dflt = XFRM_HC_PROFILE_DEFAULT;

static long profiles_alive(void)
{
	return atomic_long_read(&xfrm_hc_objects[XFRM_HC_OBJ_PROFILE]);
}

static struct xfrm_hc_net *new_net(struct kunit *test)
{
	struct xfrm_hc_net *hn = kunit_kzalloc(test, sizeof(*hn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, hn);
	mutex_init(&hn->lock);
	return hn;
}

static void holders_keep_it_alive(struct kunit *test)
{
	struct xfrm_hc_net *hn = new_net(test);
	long made = profiles_alive();
	struct xfrm_hc_shared_profile *sp;

	mutex_lock(&hn->lock);
	sp = xfrm_hc_profile_new(hn, &dflt, 10);
	KUNIT_ASSERT_NOT_NULL(test, sp);
	KUNIT_EXPECT_EQ(test, sp->users, 1);
	KUNIT_EXPECT_EQ(test, sp->rule_prio, 10);
	KUNIT_EXPECT_EQ(test, profiles_alive() - made, 1);
	/* A peer holds it: its rule letting go does not free it. */
	xfrm_hc_profile_hold(sp);
	xfrm_hc_profile_put(sp);
	KUNIT_EXPECT_EQ(test, sp->users, 1);
	KUNIT_EXPECT_EQ(test, profiles_alive() - made, 1);
	xfrm_hc_profile_put(sp);
	mutex_unlock(&hn->lock);
	KUNIT_EXPECT_EQ(test, profiles_alive(), made);
	rcu_barrier();
}

/* A change of settings is one object's: its holders see it at once. */
static void replace_changes_it_for_every_holder(struct kunit *test)
{
	struct xfrm_hc_net *hn = new_net(test);
	struct xfrm_hc_profile other = dflt, got;
	struct xfrm_hc_shared_profile *sp;

	other.interval_ms = 100;
	other.mode = XFRM_HC_MODE_PERIODIC;
	mutex_lock(&hn->lock);
	sp = xfrm_hc_profile_new(hn, &dflt, -1);
	KUNIT_ASSERT_NOT_NULL(test, sp);
	xfrm_hc_profile_hold(sp);
	xfrm_hc_profile_read(sp, &got);
	KUNIT_EXPECT_EQ(test, got.interval_ms, dflt.interval_ms);
	KUNIT_EXPECT_EQ(test, xfrm_hc_profile_replace(sp, &other), 0);
	xfrm_hc_profile_read(sp, &got);
	KUNIT_EXPECT_EQ(test, got.interval_ms, 100);
	KUNIT_EXPECT_EQ(test, got.mode, XFRM_HC_MODE_PERIODIC);
	KUNIT_EXPECT_EQ(test, sp->users, 2);
	xfrm_hc_profile_put(sp);
	xfrm_hc_profile_put(sp);
	mutex_unlock(&hn->lock);
	rcu_barrier();
}

static struct kunit_case profile_test_cases[] = {
	KUNIT_CASE(holders_keep_it_alive),
	KUNIT_CASE(replace_changes_it_for_every_holder),
	{}
};

static struct kunit_suite profile_test_suite = {
	.name = "xfrm_hc_profile",
	.test_cases = profile_test_cases,
};

kunit_test_suite(profile_test_suite);
