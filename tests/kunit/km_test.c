// SPDX-License-Identifier: GPL-2.0
/* KUnit: which key-manager events add, delete or flush SAs. */

#include <kunit/test.h>
#include <linux/xfrm.h>

#include "km.h"

static void km_classify_add_and_update(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_NEWSA, 0),
			XFRM_HC_SA_ADDED);
	/* A rekey by update replaces the SA in place: still present. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_UPDSA, 0),
			XFRM_HC_SA_ADDED);
}

static void km_classify_delete(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_DELSA, 0),
			XFRM_HC_SA_DELETED);
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_FLUSHSA, 0),
			XFRM_HC_SA_FLUSHED);
}

static void km_classify_expire(struct kunit *test)
{
	/* Soft expire asks for a rekey; the SA stays until the hard one. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_EXPIRE, 0),
			XFRM_HC_SA_IGNORED);
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_EXPIRE, 1),
			XFRM_HC_SA_DELETED);
}

static void km_classify_policy_events_ignored(struct kunit *test)
{
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_NEWPOLICY, 0),
			XFRM_HC_SA_IGNORED);
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(XFRM_MSG_ACQUIRE, 0),
			XFRM_HC_SA_IGNORED);
	KUNIT_EXPECT_EQ(test, xfrm_hc_km_classify(-1, 1), XFRM_HC_SA_IGNORED);
}

static struct kunit_case km_test_cases[] = {
	KUNIT_CASE(km_classify_add_and_update),
	KUNIT_CASE(km_classify_delete),
	KUNIT_CASE(km_classify_expire),
	KUNIT_CASE(km_classify_policy_events_ignored),
	{}
};

static struct kunit_suite km_test_suite = {
	.name = "xfrm_hc_km",
	.test_cases = km_test_cases,
};

kunit_test_suite(km_test_suite);
