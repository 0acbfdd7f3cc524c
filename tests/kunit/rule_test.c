// SPDX-License-Identifier: GPL-2.0
/* KUnit: which SAs a rule takes. */

#include <kunit/test.h>
#include <linux/in.h>
#include <linux/socket.h>

#include "rule.h"

static struct xfrm_hc_sa_match sa4(u32 reqid, u32 mark, u32 if_id, __be32 remote)
{
	struct xfrm_hc_sa_match m = {
		.family = AF_INET, .proto = IPPROTO_ESP, .reqid = reqid,
		.mark = mark, .if_id = if_id,
	};

	m.remote.a4 = remote;
	return m;
}

static void rule_empty_matches_everything(struct kunit *test)
{
	struct xfrm_hc_rule r = {};
	struct xfrm_hc_sa_match m = sa4(7, 0x10, 3, htonl(0xc0000202));

	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.family = AF_INET6;
	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
}

static void rule_reqid_range(struct kunit *test)
{
	struct xfrm_hc_rule r = { .has_reqid = true, .reqid_min = 10,
				  .reqid_max = 20 };
	struct xfrm_hc_sa_match m = sa4(10, 0, 0, 0);

	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.reqid = 20;
	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.reqid = 9;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
	m.reqid = 21;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
}

static void rule_mark_mask(struct kunit *test)
{
	struct xfrm_hc_rule r = { .has_mark = true, .mark = 0x100,
				  .mark_mask = 0xf00 };
	struct xfrm_hc_sa_match m = sa4(1, 0x1ff, 0, 0);

	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.mark = 0x200;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
}

static void rule_if_id_and_family(struct kunit *test)
{
	struct xfrm_hc_rule r = { .has_if_id = true, .if_id = 42,
				  .family = AF_INET };
	struct xfrm_hc_sa_match m = sa4(1, 0, 42, 0);

	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.if_id = 41;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
	m.if_id = 42;
	m.family = AF_INET6;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
}

static void rule_remote_prefix_v4(struct kunit *test)
{
	struct xfrm_hc_rule r = { .has_remote = true, .family = AF_INET,
				  .remote_plen = 24 };
	struct xfrm_hc_sa_match m = sa4(1, 0, 0, htonl(0xc00002fe));

	r.remote.a4 = htonl(0xc0000200);
	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.remote.a4 = htonl(0xc0000302);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
	r.remote_plen = 0;
	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
}

static void rule_remote_prefix_v6(struct kunit *test)
{
	struct xfrm_hc_rule r = { .has_remote = true, .family = AF_INET6,
				  .remote_plen = 64 };
	struct xfrm_hc_sa_match m = { .family = AF_INET6, .proto = IPPROTO_ESP };

	r.remote.a6[0] = htonl(0x20010db8);
	m.remote.a6[0] = htonl(0x20010db8);
	m.remote.a6[3] = htonl(1);
	KUNIT_EXPECT_TRUE(test, xfrm_hc_rule_matches(&r, &m));
	m.remote.a6[1] = htonl(1);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
	/* A v6 rule never takes a v4 peer, whatever its bytes. */
	m = sa4(1, 0, 0, htonl(0x20010db8));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_rule_matches(&r, &m));
}

static struct kunit_case rule_test_cases[] = {
	KUNIT_CASE(rule_empty_matches_everything),
	KUNIT_CASE(rule_reqid_range),
	KUNIT_CASE(rule_mark_mask),
	KUNIT_CASE(rule_if_id_and_family),
	KUNIT_CASE(rule_remote_prefix_v4),
	KUNIT_CASE(rule_remote_prefix_v6),
	{}
};

static struct kunit_suite rule_test_suite = {
	.name = "xfrm_hc_rule",
	.test_cases = rule_test_cases,
};

kunit_test_suite(rule_test_suite);
