// SPDX-License-Identifier: GPL-2.0
/* KUnit: the version reply carries what the tool parses, and fails cleanly. */

#include <kunit/test.h>
#include <linux/xfrm_hc.h>
#include <net/netlink.h>

#include "netlink.h"
#include "pernet.h"
#include "xfrm_hc.h"

static void nl_version_reply_round_trip(struct kunit *test)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];
	struct nlattr *st[XFRM_HC_STAT_MAX + 1];
	struct xfrm_hc_net hn = {};
	struct sk_buff *skb;

	atomic64_set(&hn.requests, 7);
	atomic64_set(&hn.sa_added, 1ULL << 40);
	atomic64_set(&hn.sa_deleted, 3);
	atomic64_set(&hn.sa_flushes, 2);

	skb = nlmsg_new(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	KUNIT_ASSERT_EQ(test, xfrm_hc_nl_fill_version(skb, &hn), 0);

	KUNIT_ASSERT_EQ(test, nla_parse(tb, XFRM_HC_A_MAX,
					(struct nlattr *)skb->data, skb->len,
					NULL, NULL), 0);
	KUNIT_ASSERT_NOT_NULL(test, tb[XFRM_HC_A_MODULE_VERSION]);
	KUNIT_EXPECT_STREQ(test,
			   (char *)nla_data(tb[XFRM_HC_A_MODULE_VERSION]),
			   XFRM_HC_MODULE_VERSION);
	KUNIT_ASSERT_NOT_NULL(test, tb[XFRM_HC_A_GENL_VERSION]);
	KUNIT_EXPECT_EQ(test, nla_get_u32(tb[XFRM_HC_A_GENL_VERSION]),
			XFRM_HC_GENL_VERSION);

	KUNIT_ASSERT_NOT_NULL(test, tb[XFRM_HC_A_STATS]);
	KUNIT_ASSERT_EQ(test, nla_parse_nested(st, XFRM_HC_STAT_MAX,
					       tb[XFRM_HC_A_STATS], NULL,
					       NULL), 0);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[XFRM_HC_STAT_REQUESTS]), 7ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[XFRM_HC_STAT_SA_ADDED]),
			1ULL << 40);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[XFRM_HC_STAT_SA_DELETED]), 3ULL);
	KUNIT_EXPECT_EQ(test, nla_get_u64(st[XFRM_HC_STAT_SA_FLUSHES]), 2ULL);
	KUNIT_EXPECT_NOT_NULL(test, st[XFRM_HC_STAT_NETNS]);

	kfree_skb(skb);
}

static void nl_version_reply_too_small(struct kunit *test)
{
	struct xfrm_hc_net hn = {};
	struct sk_buff *skb;

	skb = alloc_skb(NLMSG_DEFAULT_SIZE, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, skb);
	/* Room for the version attributes, not the counters. */
	skb_reserve(skb, skb_tailroom(skb) - 40);
	KUNIT_EXPECT_EQ(test, xfrm_hc_nl_fill_version(skb, &hn), -EMSGSIZE);
	/* The cancelled nest leaves no half-written counters behind. */
	KUNIT_EXPECT_LE(test, skb->len, 40U);
	KUNIT_EXPECT_EQ(test, nla_find((struct nlattr *)skb->data, skb->len,
				       XFRM_HC_A_STATS) == NULL, true);
	kfree_skb(skb);
}

static struct kunit_case nl_test_cases[] = {
	KUNIT_CASE(nl_version_reply_round_trip),
	KUNIT_CASE(nl_version_reply_too_small),
	{}
};

static struct kunit_suite nl_test_suite = {
	.name = "xfrm_hc_netlink",
	.test_cases = nl_test_cases,
};

kunit_test_suite(nl_test_suite);
