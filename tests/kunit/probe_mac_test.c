// SPDX-License-Identifier: GPL-2.0
/* KUnit: probes signed for their tunnel, and answers told from forgeries. */

#include <kunit/test.h>
#include <linux/jiffies.h>
#include <linux/socket.h>

#include "pernet.h"
#include "probe_mac.h"

static const xfrm_address_t us = { .a4 = cpu_to_be32(0xc0000201) };
static const xfrm_address_t them = { .a4 = cpu_to_be32(0xc0000202) };
static const xfrm_address_t other = { .a4 = cpu_to_be32(0xc0000203) };

static struct xfrm_hc_net *test_hn(struct kunit *test)
{
	struct xfrm_hc_net *hn = kunit_kzalloc(test, sizeof(*hn), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, hn);
	KUNIT_ASSERT_EQ(test, xfrm_hc_probe_mac_net_init(hn), 0);
	return hn;
}

/* A check's probe, as probe.c fills it before signing. */
static void test_payload(struct xfrm_hc_probe_payload *p)
{
	memset(p, 0, sizeof(*p));
	p->magic = htonl(XFRM_HC_PROBE_MAGIC);
	p->kind = XFRM_HC_PROBE_CHECK;
	p->id = htonl(7);
	p->seq = htonl(1234);
	p->sent_ns = cpu_to_be64(5000000000ULL);
}

/* The tunnel out to @remote, and the same tunnel seen from its inbound SA. */
static void test_tunnels(const xfrm_address_t *remote, u32 if_id,
			 struct xfrm_hc_peer_key *out,
			 struct xfrm_hc_peer_key *in)
{
	xfrm_hc_peer_key_build(out, AF_INET, &us, remote, 0, 0, if_id,
			       XFRM_HC_DIR_OUT);
	xfrm_hc_peer_key_build(in, AF_INET, remote, &us, 0, 0, if_id,
			       XFRM_HC_DIR_IN);
}

static void test_expire_key(struct xfrm_hc_net *hn)
{
	rcu_dereference_protected(hn->probe_keys, true)->expires = jiffies - 1;
}

static void answer_through_its_tunnel_passes(struct kunit *test)
{
	struct xfrm_hc_net *hn = test_hn(test);
	struct xfrm_hc_peer_key out, in;
	struct xfrm_hc_probe_payload p;

	test_tunnels(&them, 0, &out, &in);
	test_payload(&p);
	xfrm_hc_probe_sign(hn, &p, &out);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, xfrm_hc_probe_verify(hn, &p, &in));
	rcu_read_unlock();
	xfrm_hc_probe_mac_net_exit(hn);
}

static void answer_through_another_tunnel_fails(struct kunit *test)
{
	struct xfrm_hc_net *hn = test_hn(test);
	struct xfrm_hc_peer_key out, in, o2, in_other, in_if_id, in_port;
	struct xfrm_hc_probe_payload p;

	test_tunnels(&them, 0, &out, &in);
	test_tunnels(&other, 0, &o2, &in_other);
	test_tunnels(&them, 5, &o2, &in_if_id);
	xfrm_hc_peer_key_build(&in_port, AF_INET, &them, &us, htons(4500),
			       htons(4500), 0, XFRM_HC_DIR_IN);
	test_payload(&p);
	xfrm_hc_probe_sign(hn, &p, &out);
	rcu_read_lock();
	/* Another gateway, the same gateway through another interface or NAT-T. */
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &p, &in_other));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &p, &in_if_id));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &p, &in_port));
	rcu_read_unlock();
	xfrm_hc_probe_mac_net_exit(hn);
}

static void changed_fields_fail(struct kunit *test)
{
	struct xfrm_hc_net *hn = test_hn(test);
	struct xfrm_hc_probe_payload p, q;
	struct xfrm_hc_peer_key out, in;

	test_tunnels(&them, 0, &out, &in);
	test_payload(&p);
	xfrm_hc_probe_sign(hn, &p, &out);
	rcu_read_lock();
	q = p;
	q.kind = XFRM_HC_PROBE_PEER;
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &q, &in));
	q = p;
	q.id = htonl(8);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &q, &in));
	q = p;
	q.seq = htonl(1235);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &q, &in));
	q = p;
	q.sent_ns = cpu_to_be64(5000000001ULL);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &q, &in));
	q = p;
	q.mac ^= cpu_to_be64(1);
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &q, &in));
	rcu_read_unlock();
	xfrm_hc_probe_mac_net_exit(hn);
}

/* What one namespace signs, another namespace does not take. */
static void another_namespace_key_fails(struct kunit *test)
{
	struct xfrm_hc_net *a = test_hn(test), *b = test_hn(test);
	struct xfrm_hc_peer_key out, in;
	struct xfrm_hc_probe_payload p;

	test_tunnels(&them, 0, &out, &in);
	test_payload(&p);
	xfrm_hc_probe_sign(a, &p, &out);
	/* Even with the epoch b expects: only the key differs. */
	p.epoch = htonl(rcu_dereference_protected(b->probe_keys, true)->epoch);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(b, &p, &in));
	rcu_read_unlock();
	xfrm_hc_probe_mac_net_exit(a);
	xfrm_hc_probe_mac_net_exit(b);
}

static void key_rotates_previous_kept_once(struct kunit *test)
{
	struct xfrm_hc_net *hn = test_hn(test);
	struct xfrm_hc_probe_payload p, later;
	struct xfrm_hc_peer_key out, in;
	u32 epoch;

	test_tunnels(&them, 0, &out, &in);
	test_payload(&p);
	xfrm_hc_probe_sign(hn, &p, &out);
	epoch = ntohl(p.epoch);

	/* Not yet due: the same key signs again. */
	test_payload(&later);
	xfrm_hc_probe_sign(hn, &later, &out);
	KUNIT_EXPECT_EQ(test, ntohl(later.epoch), epoch);

	/* Due: the next probe makes a new key; the old one still answers. */
	test_expire_key(hn);
	test_payload(&later);
	xfrm_hc_probe_sign(hn, &later, &out);
	KUNIT_EXPECT_EQ(test, ntohl(later.epoch), epoch + 1);
	KUNIT_EXPECT_NE(test, later.mac, p.mac);
	rcu_read_lock();
	KUNIT_EXPECT_TRUE(test, xfrm_hc_probe_verify(hn, &p, &in));
	KUNIT_EXPECT_TRUE(test, xfrm_hc_probe_verify(hn, &later, &in));
	rcu_read_unlock();

	/* Twice: the first probe's answer is too old. */
	test_expire_key(hn);
	test_payload(&later);
	xfrm_hc_probe_sign(hn, &later, &out);
	KUNIT_EXPECT_EQ(test, ntohl(later.epoch), epoch + 2);
	rcu_read_lock();
	KUNIT_EXPECT_FALSE(test, xfrm_hc_probe_verify(hn, &p, &in));
	KUNIT_EXPECT_TRUE(test, xfrm_hc_probe_verify(hn, &later, &in));
	rcu_read_unlock();
	xfrm_hc_probe_mac_net_exit(hn);
}

static struct kunit_case probe_mac_test_cases[] = {
	KUNIT_CASE(answer_through_its_tunnel_passes),
	KUNIT_CASE(answer_through_another_tunnel_fails),
	KUNIT_CASE(changed_fields_fail),
	KUNIT_CASE(another_namespace_key_fails),
	KUNIT_CASE(key_rotates_previous_kept_once),
	{}
};

static struct kunit_suite probe_mac_test_suite = {
	.name = "xfrm_hc_probe_mac",
	.test_cases = probe_mac_test_cases,
};

kunit_test_suite(probe_mac_test_suite);
