// SPDX-License-Identifier: GPL-2.0
/* KUnit: peers under one rule share one profile, counted. */

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

static void same_settings_share_one_copy(struct kunit *test)
{
	struct xfrm_hc_net *hn = new_net(test);
	long made = profiles_alive();
	struct xfrm_hc_shared_profile *a, *b, *c, *d;
	struct xfrm_hc_profile other = dflt;

	other.interval_ms = 100;
	mutex_lock(&hn->lock);
	a = xfrm_hc_profile_get(hn, &dflt, -1);
	b = xfrm_hc_profile_get(hn, &dflt, -1);
	c = xfrm_hc_profile_get(hn, &dflt, 10);
	d = xfrm_hc_profile_get(hn, &other, -1);
	KUNIT_ASSERT_NOT_NULL(test, a);
	KUNIT_ASSERT_NOT_NULL(test, c);
	KUNIT_ASSERT_NOT_NULL(test, d);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	KUNIT_EXPECT_EQ(test, a->users, 2);
	/* Another rule, or other settings: another object. */
	KUNIT_EXPECT_PTR_NE(test, a, c);
	KUNIT_EXPECT_PTR_NE(test, a, d);
	KUNIT_EXPECT_TRUE(test, xfrm_hc_profile_is(a, &dflt, -1));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_profile_is(a, &other, -1));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_profile_is(a, &dflt, 10));
	KUNIT_EXPECT_EQ(test, profiles_alive() - made, 3);

	/* The last user frees it; the others stay. */
	xfrm_hc_profile_put(hn, a);
	KUNIT_EXPECT_EQ(test, b->users, 1);
	xfrm_hc_profile_put(hn, b);
	xfrm_hc_profile_put(hn, c);
	xfrm_hc_profile_put(hn, d);
	mutex_unlock(&hn->lock);
	KUNIT_EXPECT_EQ(test, profiles_alive(), made);
	rcu_barrier();
}

static void padding_does_not_split(struct kunit *test)
{
	struct xfrm_hc_net *hn = new_net(test);
	struct xfrm_hc_shared_profile *a, *b;
	struct xfrm_hc_profile p1, p2;

	/* Same fields, different bytes in the padding. */
	memset(&p1, 0x00, sizeof(p1));
	memset(&p2, 0xa5, sizeof(p2));
	p1 = dflt;
	p2.interval_ms = dflt.interval_ms;
	p2.misses = dflt.misses;
	p2.up = dflt.up;
	p2.jitter_pct = dflt.jitter_pct;
	p2.mode = dflt.mode;
	p2.action = dflt.action;
	p2.probe_family = dflt.probe_family;
	p2.probe_src = dflt.probe_src;
	p2.probe_dst = dflt.probe_dst;
	p2.natt_keepalive_s = dflt.natt_keepalive_s;
	mutex_lock(&hn->lock);
	a = xfrm_hc_profile_get(hn, &p1, 5);
	b = xfrm_hc_profile_get(hn, &p2, 5);
	KUNIT_EXPECT_PTR_EQ(test, a, b);
	xfrm_hc_profile_put(hn, a);
	xfrm_hc_profile_put(hn, b);
	mutex_unlock(&hn->lock);
	rcu_barrier();
}

static struct kunit_case profile_test_cases[] = {
	KUNIT_CASE(same_settings_share_one_copy),
	KUNIT_CASE(padding_does_not_split),
	{}
};

static struct kunit_suite profile_test_suite = {
	.name = "xfrm_hc_profile",
	.test_cases = profile_test_cases,
};

kunit_test_suite(profile_test_suite);
