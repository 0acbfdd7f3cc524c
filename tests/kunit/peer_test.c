// SPDX-License-Identifier: GPL-2.0
/* KUnit: which peer an SA belongs to, and what its SAs carried. */

#include <kunit/test.h>
#include <linux/inet.h>
#include <linux/rculist.h>
#include <linux/socket.h>

#include "peer.h"

static const xfrm_address_t us = { .a4 = cpu_to_be32(0xc0000201) };
static const xfrm_address_t them = { .a4 = cpu_to_be32(0xc0000202) };

static void key_in_and_out_sas_meet(struct kunit *test)
{
	struct xfrm_hc_peer_key out, in;

	/* Outbound runs us -> them, inbound them -> us: one peer. */
	xfrm_hc_peer_key_build(&out, AF_INET, &us, &them, 0, 0, 0,
			       XFRM_HC_DIR_OUT);
	xfrm_hc_peer_key_build(&in, AF_INET, &them, &us, 0, 0, 0,
			       XFRM_HC_DIR_IN);
	KUNIT_EXPECT_EQ(test, memcmp(&out, &in, sizeof(out)), 0);
	KUNIT_EXPECT_EQ(test, out.remote.a4, them.a4);
	KUNIT_EXPECT_EQ(test, out.local.a4, us.a4);
}

static void key_natt_ports_split_clients_behind_one_nat(struct kunit *test)
{
	struct xfrm_hc_peer_key c1_out, c1_in, c2_out;

	xfrm_hc_peer_key_build(&c1_out, AF_INET, &us, &them, htons(4500),
			       htons(40001), 0, XFRM_HC_DIR_OUT);
	xfrm_hc_peer_key_build(&c1_in, AF_INET, &them, &us, htons(40001),
			       htons(4500), 0, XFRM_HC_DIR_IN);
	xfrm_hc_peer_key_build(&c2_out, AF_INET, &us, &them, htons(4500),
			       htons(40002), 0, XFRM_HC_DIR_OUT);
	KUNIT_EXPECT_EQ(test, memcmp(&c1_out, &c1_in, sizeof(c1_out)), 0);
	KUNIT_EXPECT_NE(test, memcmp(&c1_out, &c2_out, sizeof(c1_out)), 0);
	KUNIT_EXPECT_EQ(test, ntohs(c1_out.remote_port), 40001);
	KUNIT_EXPECT_EQ(test, ntohs(c1_out.local_port), 4500);
}

static void key_if_id_splits(struct kunit *test)
{
	struct xfrm_hc_peer_key a, b;

	xfrm_hc_peer_key_build(&a, AF_INET, &us, &them, 0, 0, 1,
			       XFRM_HC_DIR_OUT);
	xfrm_hc_peer_key_build(&b, AF_INET, &us, &them, 0, 0, 2,
			       XFRM_HC_DIR_OUT);
	KUNIT_EXPECT_NE(test, memcmp(&a, &b, sizeof(a)), 0);
}

static void key_v4_ignores_stale_bytes_v6_uses_all(struct kunit *test)
{
	xfrm_address_t s = us, d = them;
	struct xfrm_hc_peer_key a, b;

	/* Bytes past an IPv4 address must not split one peer in two. */
	xfrm_hc_peer_key_build(&a, AF_INET, &s, &d, 0, 0, 0, XFRM_HC_DIR_OUT);
	s.a6[3] = cpu_to_be32(0xdeadbeef);
	d.a6[2] = cpu_to_be32(0xfeedface);
	xfrm_hc_peer_key_build(&b, AF_INET, &s, &d, 0, 0, 0, XFRM_HC_DIR_OUT);
	KUNIT_EXPECT_EQ(test, memcmp(&a, &b, sizeof(a)), 0);

	xfrm_hc_peer_key_build(&a, AF_INET6, &s, &d, 0, 0, 0, XFRM_HC_DIR_OUT);
	d.a6[2] = 0;
	xfrm_hc_peer_key_build(&b, AF_INET6, &s, &d, 0, 0, 0, XFRM_HC_DIR_OUT);
	KUNIT_EXPECT_NE(test, memcmp(&a, &b, sizeof(a)), 0);
	KUNIT_EXPECT_EQ(test, a.family, AF_INET6);
}

static struct xfrm_hc_sa *test_sa(struct kunit *test,
				  struct xfrm_hc_peer *peer, u8 dir,
				  u64 packets)
{
	struct xfrm_hc_sa *sa = kunit_kzalloc(test, sizeof(*sa), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, sa);
	sa->x = kunit_kzalloc(test, sizeof(*sa->x), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, sa->x);
	sa->x->curlft.packets = packets;
	/* As xfrm_hc_sa_attach() does: its past is not news. */
	sa->last_packets = packets;
	sa->dir = dir;
	hlist_add_head_rcu(&sa->peer_node, &peer->sas);
	return sa;
}

static bool take(struct xfrm_hc_peer *peer, u64 *in, u64 *out)
{
	bool fresh;

	spin_lock_bh(&peer->lock);
	fresh = xfrm_hc_peer_counters_take(peer, in, out);
	spin_unlock_bh(&peer->lock);
	return fresh;
}

static void counters_each_sa_since_its_last_look(struct kunit *test)
{
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_sa *in, *out, *in2;
	u64 i, o;

	peer = kunit_kzalloc(test, sizeof(*peer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, peer);
	spin_lock_init(&peer->lock);
	in = test_sa(test, peer, XFRM_HC_DIR_IN, 100);
	out = test_sa(test, peer, XFRM_HC_DIR_OUT, 5);

	in->x->curlft.packets = 130;
	out->x->curlft.packets = 7;
	take(peer, &i, &o);
	KUNIT_EXPECT_EQ(test, i, 30);
	KUNIT_EXPECT_EQ(test, o, 2);
	take(peer, &i, &o);
	KUNIT_EXPECT_EQ(test, i + o, 0);

	/* A rekey: the new SA brings only what came since it was watched. */
	in2 = test_sa(test, peer, XFRM_HC_DIR_IN, 50);
	in2->x->curlft.packets = 60;
	in->x->curlft.packets = 131;
	hlist_del_rcu(&in->peer_node);
	take(peer, &i, &o);
	KUNIT_EXPECT_EQ(test, i, 10);
	KUNIT_EXPECT_EQ(test, o, 0);

	/* A count that shrank is no flood, and the next growth counts. */
	in2->x->curlft.packets = 3;
	take(peer, &i, &o);
	KUNIT_EXPECT_EQ(test, i, 0);
	in2->x->curlft.packets = 5;
	take(peer, &i, &o);
	KUNIT_EXPECT_EQ(test, i, 2);
}

static void counters_not_taken_past_a_dead_sa(struct kunit *test)
{
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_sa *in, *out;
	u64 i, o;

	peer = kunit_kzalloc(test, sizeof(*peer), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, peer);
	spin_lock_init(&peer->lock);
	in = test_sa(test, peer, XFRM_HC_DIR_IN, 100);
	out = test_sa(test, peer, XFRM_HC_DIR_OUT, 5);
	in->x->curlft.packets = 130;
	out->x->curlft.packets = 7;

	/* Deleted without a word (a migration): its count is frozen. */
	out->x->km.state = XFRM_STATE_DEAD;
	KUNIT_EXPECT_FALSE(test, take(peer, &i, &o));
	KUNIT_EXPECT_EQ(test, in->last_packets, 100);
	KUNIT_EXPECT_EQ(test, out->last_packets, 5);

	/* Once it is dropped, nothing the live SA carried is lost. */
	hlist_del_rcu(&out->peer_node);
	KUNIT_EXPECT_TRUE(test, take(peer, &i, &o));
	KUNIT_EXPECT_EQ(test, i, 30);
	KUNIT_EXPECT_EQ(test, o, 0);
}

static struct xfrm_hc_peer *index_peer(struct kunit *test,
				       struct rb_root *root, u16 family,
				       const char *remote)
{
	struct xfrm_hc_peer *peer = kunit_kzalloc(test, sizeof(*peer),
						  GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, peer);
	peer->key.family = family;
	if (family == AF_INET)
		KUNIT_ASSERT_EQ(test, in4_pton(remote, -1,
					       (u8 *)&peer->key.remote.a4,
					       -1, NULL), 1);
	else
		KUNIT_ASSERT_EQ(test, in6_pton(remote, -1,
					       (u8 *)&peer->key.remote.in6,
					       -1, NULL), 1);
	xfrm_hc_peer_index_add(root, peer);
	return peer;
}

/* How many indexed peers a prefix holds, each checked to be inside. */
static int index_count(struct kunit *test, struct rb_root *root,
		       u16 family, const char *prefix, u8 plen)
{
	struct xfrm_hc_peer *peer = NULL;
	xfrm_address_t a = {};
	int n = 0;

	if (family == AF_INET)
		KUNIT_ASSERT_EQ(test, in4_pton(prefix, -1, (u8 *)&a.a4, -1,
					       NULL), 1);
	else
		KUNIT_ASSERT_EQ(test, in6_pton(prefix, -1, (u8 *)&a.in6, -1,
					       NULL), 1);
	while ((peer = xfrm_hc_peer_next_in_prefix(root, family, &a, plen,
						   peer))) {
		KUNIT_EXPECT_EQ(test, peer->key.family, family);
		if (family == AF_INET)
			KUNIT_EXPECT_TRUE(test, addr4_match(peer->key.remote.a4,
							    a.a4, plen));
		else
			KUNIT_EXPECT_TRUE(test, addr_match(&peer->key.remote,
							   &a, plen));
		n++;
	}
	return n;
}

static void index_by_remote_finds_a_prefix_and_nothing_else(struct kunit *test)
{
	struct rb_root root = RB_ROOT;
	struct xfrm_hc_peer *gone;

	index_peer(test, &root, AF_INET, "198.18.0.1");
	/* Two peers behind one address (NAT-T ports, if_ids). */
	index_peer(test, &root, AF_INET, "198.18.0.2");
	index_peer(test, &root, AF_INET, "198.18.0.2");
	index_peer(test, &root, AF_INET, "198.18.1.0");
	index_peer(test, &root, AF_INET, "0.0.0.0");
	index_peer(test, &root, AF_INET, "255.255.255.255");
	gone = index_peer(test, &root, AF_INET, "198.18.0.255");
	index_peer(test, &root, AF_INET6, "2001:db8::1");
	index_peer(test, &root, AF_INET6, "2001:db8:1::1");

	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "198.18.0.2", 32), 2);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "198.18.0.3", 32), 0);
	/* Bits past the length do not matter. */
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "198.18.0.77", 24), 4);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "198.18.0.0", 23), 5);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "255.255.255.255", 32), 1);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "0.0.0.0", 0), 7);
	/* One family never yields the other's peers. */
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET6, "::", 0), 2);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET6,
					  "2001:db8::", 48), 1);

	rb_erase(&gone->remote_node, &root);
	KUNIT_EXPECT_EQ(test, index_count(test, &root, AF_INET,
					  "198.18.0.0", 24), 3);
}

static void peer_fits_its_memory_budget(struct kunit *test)
{
	if (IS_ENABLED(CONFIG_DEBUG_SPINLOCK) ||
	    IS_ENABLED(CONFIG_DEBUG_LOCK_ALLOC))
		kunit_skip(test, "debug locks make the lock bigger");
	/*
	 * 208 before the echo, whose state is 32 more (echo_requester.c),
	 * and 24 for the index by remote address, so that a rule's change
	 * visits its own peers: with ~45 bytes of tables a peer is past
	 * 256. An SA is at 64.
	 */
	KUNIT_EXPECT_LE(test, sizeof(struct xfrm_hc_peer), 264);
	KUNIT_EXPECT_LE(test, sizeof(struct xfrm_hc_sa), 64);
}

static struct kunit_case peer_test_cases[] = {
	KUNIT_CASE(key_in_and_out_sas_meet),
	KUNIT_CASE(key_natt_ports_split_clients_behind_one_nat),
	KUNIT_CASE(key_if_id_splits),
	KUNIT_CASE(key_v4_ignores_stale_bytes_v6_uses_all),
	KUNIT_CASE(counters_each_sa_since_its_last_look),
	KUNIT_CASE(counters_not_taken_past_a_dead_sa),
	KUNIT_CASE(index_by_remote_finds_a_prefix_and_nothing_else),
	KUNIT_CASE(peer_fits_its_memory_budget),
	{}
};

static struct kunit_suite peer_test_suite = {
	.name = "xfrm_hc_peer_key",
	.test_cases = peer_test_cases,
};

kunit_test_suite(peer_test_suite);
