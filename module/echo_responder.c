// SPDX-License-Identifier: GPL-2.0
/*
 * Where echoes are answered, and their answers caught.
 *
 * Every host running xfrm-hc answers the echo (echo_wire.h) of its
 * peers' xfrm-hc, so that two such hosts probe every tunnel between them
 * with no probe target configured. The hooks sit before routing: an echo
 * is addressed inside the traffic selectors, where neither gateway may
 * own an address (transit gateways), and it is consumed there, before the
 * inbound policy check, so it never reaches a socket or the forwarding
 * path. Only what an SA decrypted is looked at; anything else passes in
 * one test.
 *
 * A request is answered through the tunnel it came by: the reply's
 * addresses are the request's, swapped, and it leaves only by an outbound
 * SA of the same peer (the inbound SA's addresses, ports and if_id,
 * reversed), never in the clear nor by another tunnel. Replies are
 * limited per peer (echo_rate a second) and share the probe budget of
 * the CPU (probe_budget.c): a flood of requests costs at most what the
 * host lets probes cost. Requests through SAs no peer of ours holds are
 * answered too, within one echo_rate for all of them. The per-netns
 * switch ("defaults set echo-responder off") stops the answers; requests
 * then pass like any other packet.
 *
 * A response is handed to probe.c, which counts it for the peer only if
 * we signed it for the tunnel that brought it (probe_mac.c) and it
 * answers the peer's latest echo (echo_requester.c). An ICMP error about
 * one of our echoes (port unreachable: the far host runs no responder)
 * is consumed too, and tells the requester.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/moduleparam.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/sched/clock.h>
#include <linux/udp.h>
#include <net/ip.h>

#include "echo_requester.h"
#include "echo_responder.h"
#include "echo_wire.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "probe_budget.h"

ushort xfrm_hc_echo_port __read_mostly = XFRM_HC_ECHO_PORT_DEFAULT;
module_param_named(echo_port, xfrm_hc_echo_port, ushort, 0444);
MODULE_PARM_DESC(echo_port,
		 "inner UDP port of xfrm-hc's echo, the same on both hosts (default 4501)");

static unsigned int xfrm_hc_echo_rate __read_mostly = 100;
module_param_named(echo_rate, xfrm_hc_echo_rate, uint, 0644);
MODULE_PARM_DESC(echo_rate,
		 "echo requests answered a second, per peer and for all unwatched SAs of a netns (default 100: one each 10 ms)");

/**
 * xfrm_hc_echo_same_tunnel() - whether an outbound SA leads back to a peer
 * @in: the inbound SA a request came by
 * @out: an outbound SA
 *
 * Return: true if @out goes to the gateway @in comes from, from the same
 * address, ports and if_id: the reply then travels the request's tunnel.
 */
bool xfrm_hc_echo_same_tunnel(struct xfrm_state *in, struct xfrm_state *out)
{
	struct xfrm_hc_peer_key a, b;

	xfrm_hc_peer_key_of_state(in, XFRM_HC_DIR_IN, &a);
	xfrm_hc_peer_key_of_state(out, XFRM_HC_DIR_OUT, &b);
	return !memcmp(&a, &b, sizeof(a));
}

/*
 * A request through an SA no peer of ours holds: a rule leaves it out, or
 * the namespace is at max_peers. The far side may watch the tunnel all
 * the same, and would call it dead for the echoes we drop. One echo_rate
 * a second for all such SAs of the namespace: they have no peer to keep
 * a count in, and a flood through them costs no more than one peer's.
 */
static bool xfrm_hc_echo_peerless_ok(struct xfrm_hc_net *hn, u32 now,
				     u32 rate)
{
	bool ok;

	spin_lock(&hn->echo_peerless_lock);
	if (now - hn->echo_peerless_window >= HZ) {
		hn->echo_peerless_window = now;
		hn->echo_peerless_replies = 0;
	}
	ok = hn->echo_peerless_replies < rate;
	if (ok)
		hn->echo_peerless_replies++;
	spin_unlock(&hn->echo_peerless_lock);
	return ok;
}

/*
 * A request of a peer we watch: not data for its tick, answered or not.
 * True if a reply is within its echo_rate and the CPU's probe budget; the
 * reply then counts as the peer's probe traffic, not data, too. Requests
 * through SAs we do not watch are answered within the namespace's rate.
 */
static bool xfrm_hc_echo_request_seen(struct xfrm_hc_net *hn,
				      struct xfrm_state *in)
{
	u32 now = (u32)jiffies, rate = READ_ONCE(xfrm_hc_echo_rate);
	struct xfrm_hc_peer *peer;
	bool ok;

	ok = xfrm_hc_probe_budget_spent_pct() < 100;
	peer = xfrm_hc_peer_find_by_state(hn, in);
	if (!peer)
		return ok && xfrm_hc_echo_peerless_ok(hn, now, rate);
	spin_lock(&peer->lock);
	if (peer->echo_requests_tick < U16_MAX)
		peer->echo_requests_tick++;
	if (now - peer->echo_reply_window >= HZ) {
		peer->echo_reply_window = now;
		peer->echo_replies = 0;
	}
	ok = ok && peer->echo_replies < rate;
	if (ok) {
		peer->echo_replies++;
		if (peer->probes_tick < U16_MAX)
			peer->probes_tick++;
	}
	spin_unlock(&peer->lock);
	return ok;
}

/* The reply's route: the request's addresses swapped, its SA's if_id. */
static void xfrm_hc_echo_reply_route(const struct sk_buff *skb,
				     const struct xfrm_state *in,
				     struct xfrm_hc_probe_route *r)
{
	memset(r, 0, sizeof(*r));
	if (skb->protocol == htons(ETH_P_IP)) {
		r->family = AF_INET;
		r->src.a4 = ip_hdr(skb)->daddr;
		r->dst.a4 = ip_hdr(skb)->saddr;
	} else {
		r->family = AF_INET6;
		r->src.in6 = ipv6_hdr(skb)->daddr;
		r->dst.in6 = ipv6_hdr(skb)->saddr;
	}
	r->if_id = in->if_id;
	/* Policies that match a mark: the tunnel's SAs carry it both ways. */
	r->mark = in->mark.v & in->mark.m;
}

static void xfrm_hc_echo_answer(struct xfrm_hc_net *hn, struct sk_buff *skb,
				const struct xfrm_hc_echo_hdr *eh,
				unsigned int off, unsigned int len)
{
	struct sec_path *sp = skb_sec_path(skb);
	u8 data[XFRM_HC_ECHO_DATA_MAX];
	struct xfrm_hc_probe_route r;
	struct xfrm_state *in;
	u64 start;
	int err;

	/* The innermost SA: the one whose tunnel the request came through. */
	in = sp->xvec[sp->len - 1];
	if (!xfrm_hc_echo_request_seen(hn, in)) {
		atomic64_inc(&hn->echo_limited);
		return;
	}
	if (skb_copy_bits(skb, off, data, len))
		return;
	xfrm_hc_echo_reply_route(skb, in, &r);
	start = local_clock();
	err = xfrm_hc_probe_send_echo_reply(hn, in, &r, ntohl(eh->id),
					    ntohl(eh->seq), data, len);
	xfrm_hc_probe_budget_charge(start);
	if (!err)
		atomic64_inc(&hn->echo_answered);
	else if (err == -EHOSTUNREACH)
		atomic64_inc(&hn->echo_unrouted);
}

/* An echo of ours is consumed; anything else to the port passes. */
static unsigned int xfrm_hc_echo_rcv(struct net *net, struct sk_buff *skb,
				     unsigned int off)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(net);
	struct {
		struct udphdr uh;
		struct xfrm_hc_echo_hdr eh;
	} _h;
	const typeof(_h) *h;
	unsigned int len;

	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || h->uh.dest != htons(xfrm_hc_echo_port))
		return NF_ACCEPT;
	off += sizeof(_h);
	if (h->eh.flags & XFRM_HC_ECHO_F_RETURN_SPI)
		off += sizeof(__be32);
	len = ntohs(h->eh.data_len);
	if (len > XFRM_HC_ECHO_DATA_MAX || off + len > skb->len)
		return NF_ACCEPT;

	switch (h->eh.sub_type) {
	case XFRM_HC_ECHO_REQUEST:
		if (!READ_ONCE(hn->echo_responder))
			return NF_ACCEPT;
		xfrm_hc_echo_answer(hn, skb, &h->eh, off, len);
		break;
	case XFRM_HC_ECHO_RESPONSE:
		xfrm_hc_probe_echo_answered(hn, skb, off, len);
		break;
	default:
		return NF_ACCEPT;
	}
	consume_skb(skb);
	return NF_STOLEN;
}

/*
 * An ICMP error quoting @off's UDP header, from echo port to echo port:
 * about an echo of ours, which the far host did not take. Consumed, and
 * told to the peer whose SA brought it.
 */
static unsigned int xfrm_hc_echo_error(struct net *net, struct sk_buff *skb,
				       unsigned int off)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(net);
	struct sec_path *sp = skb_sec_path(skb);
	__be16 port = htons(xfrm_hc_echo_port);
	struct xfrm_hc_peer *peer;
	struct udphdr _uh;
	const struct udphdr *uh;

	uh = skb_header_pointer(skb, off, sizeof(_uh), &_uh);
	if (!uh || uh->source != port || uh->dest != port)
		return NF_ACCEPT;
	peer = xfrm_hc_peer_find_by_state(hn, sp->xvec[sp->len - 1]);
	if (peer)
		xfrm_hc_echo_refused(peer);
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int xfrm_hc_echo_error4(struct net *net, struct sk_buff *skb)
{
	unsigned int off = ip_hdrlen(skb);
	struct {
		struct icmphdr icmph;
		struct iphdr iph;
	} _h;
	const typeof(_h) *h;

	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || h->icmph.type != ICMP_DEST_UNREACH ||
	    h->iph.protocol != IPPROTO_UDP || h->iph.ihl < 5)
		return NF_ACCEPT;
	return xfrm_hc_echo_error(net, skb, off + sizeof(h->icmph) +
				  h->iph.ihl * 4);
}

static unsigned int xfrm_hc_echo_error6(struct net *net, struct sk_buff *skb)
{
	unsigned int off = sizeof(struct ipv6hdr);
	struct {
		struct icmp6hdr icmp6h;
		struct ipv6hdr ip6h;
	} _h;
	const typeof(_h) *h;

	h = skb_header_pointer(skb, off, sizeof(_h), &_h);
	if (!h || h->icmp6h.icmp6_type != ICMPV6_DEST_UNREACH ||
	    h->ip6h.nexthdr != IPPROTO_UDP)
		return NF_ACCEPT;
	return xfrm_hc_echo_error(net, skb, off + sizeof(_h));
}

static unsigned int xfrm_hc_echo_rcv4(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	const struct iphdr *iph = ip_hdr(skb);

	/* Only what came through IPsec; echoes are never fragmented. */
	if (!secpath_exists(skb) || ip_is_fragment(iph))
		return NF_ACCEPT;
	if (iph->protocol == IPPROTO_ICMP)
		return xfrm_hc_echo_error4(state->net, skb);
	if (iph->protocol != IPPROTO_UDP)
		return NF_ACCEPT;
	return xfrm_hc_echo_rcv(state->net, skb, ip_hdrlen(skb));
}

static unsigned int xfrm_hc_echo_rcv6(void *priv, struct sk_buff *skb,
				      const struct nf_hook_state *state)
{
	u8 nexthdr = ipv6_hdr(skb)->nexthdr;

	/* Extension headers are not followed: echoes carry none. */
	if (!secpath_exists(skb))
		return NF_ACCEPT;
	if (nexthdr == IPPROTO_ICMPV6)
		return xfrm_hc_echo_error6(state->net, skb);
	if (nexthdr != IPPROTO_UDP)
		return NF_ACCEPT;
	return xfrm_hc_echo_rcv(state->net, skb, sizeof(struct ipv6hdr));
}

static const struct nf_hook_ops xfrm_hc_echo_hooks[] = {
	{
		.hook = xfrm_hc_echo_rcv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP_PRI_FIRST,
	},
	{
		.hook = xfrm_hc_echo_rcv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_PRE_ROUTING,
		.priority = NF_IP6_PRI_FIRST,
	},
};

/**
 * xfrm_hc_echo_net_enable() - answer and catch echoes in a namespace
 * @hn: the namespace's state, its lock held
 *
 * The hooks go in with the namespace's first peer: a namespace without
 * SAs keeps a receive path without us.
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_echo_net_enable(struct xfrm_hc_net *hn)
{
	int err;

	lockdep_assert_held(&hn->lock);
	if (hn->echo_hooks)
		return 0;
	err = nf_register_net_hooks(hn->net, xfrm_hc_echo_hooks,
				    ARRAY_SIZE(xfrm_hc_echo_hooks));
	if (!err)
		hn->echo_hooks = true;
	return err;
}

/**
 * xfrm_hc_echo_net_exit() - stop answering and catching echoes
 * @hn: the namespace's state, its lock held
 */
void xfrm_hc_echo_net_exit(struct xfrm_hc_net *hn)
{
	lockdep_assert_held(&hn->lock);
	if (!hn->echo_hooks)
		return;
	nf_unregister_net_hooks(hn->net, xfrm_hc_echo_hooks,
				ARRAY_SIZE(xfrm_hc_echo_hooks));
	hn->echo_hooks = false;
}
