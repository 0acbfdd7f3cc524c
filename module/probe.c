// SPDX-License-Identifier: GPL-2.0
/*
 * Where probes are built, and their answers caught.
 *
 * A probe is an ICMP or ICMPv6 echo request from the profile's probe-src
 * to its probe-dst (or to the far end of a single-host selector), or from
 * a health check's src to its dst, or xfrm-hc's own echo (echo_wire.h) to
 * a peer that answers it, routed by the kernel like any packet,
 * so that XFRM policy carries it through the tunnel. A peer's probe whose
 * route is not through one of that peer's SAs is not sent, and no probe
 * leaves in the clear. Its payload names the peer or check and is signed
 * for the tunnel it leaves by (probe_mac.c). Replies are caught at
 * LOCAL_IN, counted only if an SA of that tunnel decrypted them, and
 * consumed: local sockets never see them. Echo answers are caught before
 * routing instead (echo_responder.c), and the responder's replies are
 * built here too.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/netfilter.h>
#include <linux/netfilter_ipv4.h>
#include <linux/netfilter_ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "check.h"
#include "echo_requester.h"
#include "echo_responder.h"
#include "echo_wire.h"
#include "failover.h"
#include "ipv4_header.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "probe_mac.h"

/**
 * struct xfrm_hc_probe_msg - one probe on its way out
 * @kind: XFRM_HC_PROBE_PEER or XFRM_HC_PROBE_CHECK
 * @id: the peer's or check's id
 * @seq: the probe's sequence number; a peer's is taken as it is built
 * @peer: the peer probed, NULL for a check
 * @claimed: the peer's counters took it: it goes out
 * @echo: carried as xfrm-hc's echo, not as an ICMP echo request
 * @reply_to: an echo reply: the inbound SA its request came by
 * @reply_data: an echo reply: the request's data, copied back
 * @reply_len: its length
 */
struct xfrm_hc_probe_msg {
	u8 kind;
	u32 id;
	u32 seq;
	struct xfrm_hc_peer *peer;
	bool claimed;
	bool echo;
	struct xfrm_state *reply_to;
	const void *reply_data;
	u16 reply_len;
};

#define XFRM_HC_PROBE_TTL 64

/* A single-host selector names the host behind the peer we can ask. */
static bool xfrm_hc_probe_from_selector(struct xfrm_hc_peer *peer,
					struct xfrm_hc_probe_target *t)
{
	struct xfrm_hc_sa *sa;
	bool found = false;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		const struct xfrm_selector *sel = &sa->x->sel;
		u8 host = sel->family == AF_INET ? 32 : 128;

		if (sa->dir != XFRM_HC_DIR_OUT ||
		    (sel->family != AF_INET && sel->family != AF_INET6) ||
		    sel->prefixlen_d != host)
			continue;
		memset(t, 0, sizeof(*t));
		t->family = sel->family;
		t->dst = sel->daddr;
		if (sel->prefixlen_s == host)
			t->src = sel->saddr;
		found = true;
		break;
	}
	rcu_read_unlock();
	return found;
}

/**
 * xfrm_hc_probe_target() - where a peer's probes go, if anywhere
 * @peer: the peer
 * @prof: its profile
 * @t: filled in
 *
 * Return: true if the peer has a target.
 */
bool xfrm_hc_probe_target(struct xfrm_hc_peer *peer,
			  const struct xfrm_hc_profile *prof,
			  struct xfrm_hc_probe_target *t)
{
	if (prof->probe_family) {
		memset(t, 0, sizeof(*t));
		t->family = prof->probe_family;
		t->src = prof->probe_src;
		t->dst = prof->probe_dst;
		return true;
	}
	return xfrm_hc_probe_from_selector(peer, t);
}

/* A peer's probe goes out: its counters take it. */
static u32 xfrm_hc_probe_claim(struct xfrm_hc_peer *peer)
{
	u32 seq;

	spin_lock(&peer->lock);
	seq = ++peer->probe_seq;
	/* 16 bits: saturate, a tick only asks "any?" and subtracts them. */
	if (peer->probes_tick < U16_MAX)
		peer->probes_tick++;
	peer->probes_sent++;
	spin_unlock(&peer->lock);
	atomic64_inc(&xfrm_hc_peer_hn(peer)->probes_sent);
	return seq;
}

/*
 * The payload, zeroed by the caller, signed for the tunnel of @via. Once
 * it is filled the probe goes out: a peer's counters take it here.
 */
static void xfrm_hc_probe_fill(struct xfrm_hc_net *hn, void *data,
			       struct xfrm_hc_probe_msg *m,
			       struct xfrm_state *via)
{
	struct xfrm_hc_probe_payload *p = data;
	struct xfrm_hc_peer_key tunnel;

	if (m->peer) {
		m->seq = xfrm_hc_probe_claim(m->peer);
		m->claimed = true;
	}
	p->magic = htonl(XFRM_HC_PROBE_MAGIC);
	p->kind = m->kind;
	p->id = htonl(m->id);
	p->seq = htonl(m->seq);
	p->sent_ns = cpu_to_be64(ktime_get_ns());
	/* @via is one of the peer's: its key is the peer's, no SA lock. */
	if (m->peer)
		tunnel = m->peer->key;
	else
		xfrm_hc_peer_key_of_state(via, XFRM_HC_DIR_OUT, &tunnel);
	xfrm_hc_probe_sign(hn, p, &tunnel);
}

/*
 * The SA that carries the probe out, which its answer must come back
 * through: for a peer, one of that peer's in the bundle; for a check, the
 * first. NULL if the route has none: the probe is then not sent, as it
 * would go out in the clear, or through another peer's tunnel and count
 * that peer's liveness as this one's.
 */
static struct xfrm_state *xfrm_hc_probe_via(struct xfrm_hc_net *hn,
					    const struct dst_entry *dst,
					    const struct xfrm_hc_probe_msg *m)
{
	const struct dst_entry *d;
	struct xfrm_state *via = NULL;

	rcu_read_lock();
	for (d = dst; d && d->xfrm; d = xfrm_dst_child(d)) {
		if (m->reply_to ?
		    xfrm_hc_echo_same_tunnel(m->reply_to, d->xfrm) :
		    !m->peer || xfrm_hc_peer_has_sa(m->peer, d->xfrm)) {
			via = d->xfrm;
			break;
		}
	}
	rcu_read_unlock();
	if (!via && !m->reply_to)
		atomic64_inc(&hn->probes_unrouted);
	return via;
}

/* A route through the policies of one if_id, never in the clear. */
static struct dst_entry *xfrm_hc_probe_xfrm(struct net *net,
					    struct dst_entry *dst,
					    const struct flowi *fl, u32 if_id)
{
	dst = xfrm_lookup_with_ifid(net, dst, fl, NULL, 0, if_id);
	if (IS_ERR(dst))
		return dst;
	if (!dst->xfrm) {
		dst_release(dst);
		return ERR_PTR(-EHOSTUNREACH);
	}
	return dst;
}

/*
 * A route into an XFRM interface has no SA yet: the interface's transmit
 * looks its if_id's policies up. Look them up here, as it would, so that
 * the SA the probe leaves by is known before it is signed.
 */
static struct dst_entry *xfrm_hc_probe_xfrmi(struct net *net,
					     struct dst_entry *dst,
					     struct flowi *fl)
{
	if (dst->xfrm || !xfrm_hc_failover_dev_ok(dst->dev))
		return dst;
	fl->flowi_oif = dst->dev->ifindex;
	return xfrm_hc_probe_xfrm(net, dst, fl,
				  xfrm_hc_failover_if_id(dst->dev));
}

/*
 * Without an if_id, routing and XFRM policy pick the tunnel as for any
 * packet. With one, the tunnel is that if_id's: the route only needs to
 * exist, and the packet skips the XFRM interface's transmit path, which a
 * failover has shut (carrier off), so the probe still sees the tunnel.
 */
static struct dst_entry *xfrm_hc_probe_route4(struct net *net,
					      struct flowi4 *fl4,
					      const struct xfrm_hc_probe_route *r)
{
	struct rtable *rt;

	if (!r->if_id) {
		/* With a protocol set, this is also the XFRM policy lookup. */
		rt = ip_route_output_flow(net, fl4, NULL);
		if (IS_ERR(rt))
			return ERR_CAST(rt);
		return xfrm_hc_probe_xfrmi(net, &rt->dst, flowi4_to_flowi(fl4));
	}
	/*
	 * The plain route: ip_route_output_key() would apply the policies
	 * without an if_id first, and the if_id's would then be looked up on
	 * a route they had blocked or on a bundle of theirs (ESP in ESP).
	 */
	rt = __ip_route_output_key(net, fl4);
	if (IS_ERR(rt) && r->oif) {
		/* No route left: through the interface as if on link. */
		fl4->flowi4_oif = r->oif;
		rt = __ip_route_output_key(net, fl4);
	}
	if (IS_ERR(rt))
		return ERR_CAST(rt);
	/* As the XFRM interface's transmit: for selectors naming a device. */
	fl4->flowi4_oif = rt->dst.dev->ifindex;
	return xfrm_hc_probe_xfrm(net, &rt->dst, flowi4_to_flowi(fl4),
				  r->if_id);
}

static struct dst_entry *xfrm_hc_probe_route6(struct net *net,
					      struct flowi6 *fl6,
					      const struct xfrm_hc_probe_route *r)
{
	struct dst_entry *dst;
	int err;

	/* Also picks the source when none is set, and applies XFRM policy. */
	if (!r->if_id) {
		dst = ip6_dst_lookup_flow(net, NULL, fl6, NULL);
		if (IS_ERR(dst))
			return dst;
		return xfrm_hc_probe_xfrmi(net, dst, flowi6_to_flowi(fl6));
	}
	/* The plain route: ip6_route_output() applies no XFRM policy. */
	dst = ip6_route_output(net, NULL, fl6);
	if (dst->error && r->oif) {
		dst_release(dst);
		fl6->flowi6_oif = r->oif;
		dst = ip6_route_output(net, NULL, fl6);
	}
	err = dst->error;
	if (err) {
		dst_release(dst);
		return ERR_PTR(err);
	}
	return xfrm_hc_probe_xfrm(net, dst, flowi6_to_flowi(fl6), r->if_id);
}

/* Which of our peers the route's SA belongs to, for checks. */
static void xfrm_hc_probe_find_tunnel(struct xfrm_hc_net *hn,
				      const struct dst_entry *dst,
				      struct xfrm_hc_probe_route *r)
{
	struct xfrm_hc_peer *peer;

	if (!r->want_peer || !dst->xfrm)
		return;
	rcu_read_lock();
	peer = xfrm_hc_peer_find_by_state(hn, dst->xfrm);
	if (peer) {
		r->peer_known = true;
		r->peer_key = peer->key;
	}
	rcu_read_unlock();
}

/*
 * Room before the IP header for what the route puts there: the tunnel's
 * headers (dst->header_len) and the link layer of the device it leaves
 * by, as the kernel reserves for packets it builds (ip_append_data()).
 * With less, xfrm_output() reallocates the head of every probe. The
 * allocation also holds the tunnel's trailers (ESP padding, ICV):
 * without them ESP puts the trailer in a page it keeps per SA (x->xfrag,
 * up to 32 KiB), and 50,000 probed peers pinned more than a gigabyte.
 */
static unsigned int xfrm_hc_probe_headroom(const struct dst_entry *dst)
{
	return LL_RESERVED_SPACE(dst->dev) + dst->header_len;
}

/* What precedes the data: an ICMP echo header, or UDP and the echo's. */
static unsigned int xfrm_hc_probe_l4_hdrs(const struct xfrm_hc_probe_msg *m)
{
	BUILD_BUG_ON(sizeof(struct icmphdr) != sizeof(struct icmp6hdr));
	return m->echo ? sizeof(struct udphdr) + sizeof(struct xfrm_hc_echo_hdr) :
			 sizeof(struct icmphdr);
}

/* The data: our signed payload, or the request's, echoed back. */
static unsigned int xfrm_hc_probe_data_len(const struct xfrm_hc_probe_msg *m)
{
	return m->reply_data ? m->reply_len :
			       sizeof(struct xfrm_hc_probe_payload);
}

/*
 * The probe's packet on @dst, up to its transport header (left zero):
 * the payload signed for the SA it leaves by (or an echo reply's copied
 * data), room before it for the IP header (@l3len) and the route's, after
 * it for the tunnel's trailer. An error if the route goes through no SA
 * of the probe's: see xfrm_hc_probe_via().
 */
static struct sk_buff *xfrm_hc_probe_alloc(struct xfrm_hc_net *hn,
					   struct dst_entry *dst,
					   struct xfrm_hc_probe_route *r,
					   struct xfrm_hc_probe_msg *m,
					   unsigned int l3len)
{
	unsigned int hlen = xfrm_hc_probe_headroom(dst) + l3len;
	unsigned int hdrs = xfrm_hc_probe_l4_hdrs(m);
	unsigned int len = hdrs + xfrm_hc_probe_data_len(m);
	struct xfrm_state *via;
	struct sk_buff *skb;
	u8 *l4;

	via = xfrm_hc_probe_via(hn, dst, m);
	if (!via)
		return ERR_PTR(-EHOSTUNREACH);
	xfrm_hc_probe_find_tunnel(hn, dst, r);
	skb = alloc_skb(hlen + len + dst->trailer_len, GFP_ATOMIC);
	if (!skb)
		return ERR_PTR(-ENOMEM);
	skb_reserve(skb, hlen);
	skb_reset_transport_header(skb);
	l4 = skb_put_zero(skb, len);
	if (m->reply_data)
		memcpy(l4 + hdrs, m->reply_data, m->reply_len);
	else
		xfrm_hc_probe_fill(hn, l4 + hdrs, m, via);
	return skb;
}

/* The UDP and echo headers of an echo; the checksum is the caller's. */
static struct udphdr *xfrm_hc_probe_put_echo(struct sk_buff *skb,
					     const struct xfrm_hc_probe_msg *m)
{
	struct udphdr *uh = udp_hdr(skb);
	struct xfrm_hc_echo_hdr *eh = (struct xfrm_hc_echo_hdr *)(uh + 1);
	__be16 port = htons(xfrm_hc_echo_port);

	uh->source = port;
	uh->dest = port;
	uh->len = htons(skb->len);
	eh->sub_type = m->reply_to ? XFRM_HC_ECHO_RESPONSE :
				     XFRM_HC_ECHO_REQUEST;
	eh->data_len = htons(xfrm_hc_probe_data_len(m));
	eh->id = htonl(m->id);
	eh->seq = htonl(m->seq);
	return uh;
}

static int xfrm_hc_probe_send4(struct xfrm_hc_net *hn,
			       struct xfrm_hc_probe_route *r,
			       struct xfrm_hc_probe_msg *m)
{
	struct net *net = hn->net;
	struct flowi4 fl4 = {
		.daddr = r->dst.a4,
		.saddr = r->src.a4,
		.flowi4_mark = r->mark,
		.flowi4_flags = r->anysrc ? FLOWI_FLAG_ANYSRC : 0,
	};
	struct icmphdr *icmph;
	struct dst_entry *dst;
	struct sk_buff *skb;
	struct udphdr *uh;
	u8 proto;

	if (m->echo) {
		proto = IPPROTO_UDP;
		fl4.fl4_sport = htons(xfrm_hc_echo_port);
		fl4.fl4_dport = fl4.fl4_sport;
	} else {
		proto = IPPROTO_ICMP;
		fl4.fl4_icmp_type = ICMP_ECHO;
	}
	fl4.flowi4_proto = proto;
	dst = xfrm_hc_probe_route4(net, &fl4, r);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb = xfrm_hc_probe_alloc(hn, dst, r, m, sizeof(struct iphdr));
	if (IS_ERR(skb)) {
		dst_release(dst);
		return PTR_ERR(skb);
	}
	if (m->echo) {
		uh = xfrm_hc_probe_put_echo(skb, m);
		uh->check = csum_tcpudp_magic(fl4.saddr, fl4.daddr, skb->len,
					      IPPROTO_UDP,
					      csum_partial(uh, skb->len, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	} else {
		icmph = icmp_hdr(skb);
		icmph->type = ICMP_ECHO;
		icmph->un.echo.id = htons(m->id & 0xffff);
		icmph->un.echo.sequence = htons(m->seq & 0xffff);
		icmph->checksum = ip_compute_csum(icmph, skb->len);
	}

	/* No TOS: the tunnel shows it outside. */
	xfrm_hc_push_ipv4_header(net, skb, proto, XFRM_HC_PROBE_TTL,
				 fl4.saddr, fl4.daddr);
	skb_dst_set(skb, dst);
	/* ip_local_out() sets the total length and the header checksum. */
	return ip_local_out(net, NULL, skb);
}

static int xfrm_hc_probe_send6(struct xfrm_hc_net *hn,
			       struct xfrm_hc_probe_route *r,
			       struct xfrm_hc_probe_msg *m)
{
	struct net *net = hn->net;
	struct flowi6 fl6 = {
		.daddr = r->dst.in6,
		.saddr = r->src.in6,
		.flowi6_mark = r->mark,
		.flowi6_flags = r->anysrc ? FLOWI_FLAG_ANYSRC : 0,
	};
	struct icmp6hdr *icmp6h;
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	struct sk_buff *skb;
	struct udphdr *uh;
	unsigned int len;
	u8 proto;

	if (m->echo) {
		proto = IPPROTO_UDP;
		fl6.fl6_sport = htons(xfrm_hc_echo_port);
		fl6.fl6_dport = fl6.fl6_sport;
	} else {
		proto = IPPROTO_ICMPV6;
		fl6.fl6_icmp_type = ICMPV6_ECHO_REQUEST;
	}
	fl6.flowi6_proto = proto;
	dst = xfrm_hc_probe_route6(net, &fl6, r);
	if (IS_ERR(dst))
		return PTR_ERR(dst);
	skb = xfrm_hc_probe_alloc(hn, dst, r, m, sizeof(*ip6h));
	if (IS_ERR(skb)) {
		dst_release(dst);
		return PTR_ERR(skb);
	}
	len = skb->len;
	if (m->echo) {
		uh = xfrm_hc_probe_put_echo(skb, m);
		uh->check = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, len,
					    IPPROTO_UDP,
					    csum_partial(uh, len, 0));
		if (!uh->check)
			uh->check = CSUM_MANGLED_0;
	} else {
		icmp6h = icmp6_hdr(skb);
		icmp6h->icmp6_type = ICMPV6_ECHO_REQUEST;
		icmp6h->icmp6_identifier = htons(m->id & 0xffff);
		icmp6h->icmp6_sequence = htons(m->seq & 0xffff);
		icmp6h->icmp6_cksum = csum_ipv6_magic(&fl6.saddr, &fl6.daddr,
						      len, IPPROTO_ICMPV6,
						      csum_partial(icmp6h, len,
								   0));
	}

	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	/* Every field is set: version, no traffic class, no flow label. */
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(len);
	ip6h->nexthdr = proto;
	ip6h->hop_limit = XFRM_HC_PROBE_TTL;
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb_dst_set(skb, dst);
	return ip6_local_out(net, NULL, skb);
}

static int xfrm_hc_probe_send_one(struct xfrm_hc_net *hn,
				  struct xfrm_hc_probe_route *r,
				  struct xfrm_hc_probe_msg *m)
{
	int err;

	if (r->family == AF_INET)
		err = xfrm_hc_probe_send4(hn, r, m);
	else
		err = xfrm_hc_probe_send6(hn, r, m);
	return net_xmit_eval(err);
}

/**
 * xfrm_hc_probe_send_check() - send one probe of a health check
 * @hn: the namespace's state
 * @id: the check's id
 * @seq: the probe's sequence number
 * @r: where it goes; on return, which peer's SA carried it if known
 *
 * Context: softirq (the check's timer).
 * Return: 0, or a negative errno if it could not be routed or sent.
 */
int xfrm_hc_probe_send_check(struct xfrm_hc_net *hn, u32 id, u32 seq,
			     struct xfrm_hc_probe_route *r)
{
	struct xfrm_hc_probe_msg m = {
		.kind = XFRM_HC_PROBE_CHECK,
		.id = id,
		.seq = seq,
	};

	r->want_peer = true;
	return xfrm_hc_probe_send_one(hn, r, &m);
}

/**
 * xfrm_hc_probe_send() - send one probe through a peer's tunnel
 * @peer: the peer
 * @t: its target
 *
 * The probe counts as sent, for the peer's tick, once its route is known
 * to go through one of the peer's SAs; otherwise it is not sent at all.
 * Context: softirq (the peer's timer).
 * Return: 0 if it went out (a drop further on is a loss like any other),
 * or a negative errno if it never left: no route, a route not through the
 * peer's SAs, no memory.
 */
int xfrm_hc_probe_send(struct xfrm_hc_peer *peer,
		       const struct xfrm_hc_probe_target *t)
{
	struct xfrm_hc_probe_route route = {};
	struct xfrm_hc_probe_msg m = {
		.kind = XFRM_HC_PROBE_PEER,
		.id = peer->id,
		.peer = peer,
		.echo = t->echo,
	};
	int err;

	route.family = t->family;
	route.src = t->src;
	route.dst = t->dst;
	route.mark = t->mark;
	/* An echo's inner source is picked from the selector, not owned. */
	route.anysrc = t->echo;
	/* A route-based peer's SAs are its if_id's: through those. */
	route.if_id = peer->key.if_id;
	err = xfrm_hc_probe_send_one(xfrm_hc_peer_hn(peer), &route, &m);
	return m.claimed ? 0 : err;
}

/**
 * xfrm_hc_probe_send_echo_reply() - answer an echo request
 * @hn: the namespace's state
 * @in: the inbound SA that decrypted the request
 * @r: the reply's route: the request's addresses swapped
 * @id: the request's identifier
 * @seq: its sequence number
 * @data: its data, copied back
 * @len: the data's length
 *
 * The reply leaves only by an outbound SA of the tunnel @in belongs to.
 * Context: softirq (a netfilter hook).
 * Return: 0, -EHOSTUNREACH if no route leads back through that tunnel, or
 * another negative errno.
 */
int xfrm_hc_probe_send_echo_reply(struct xfrm_hc_net *hn,
				  struct xfrm_state *in,
				  struct xfrm_hc_probe_route *r, u32 id, u32 seq,
				  const void *data, u16 len)
{
	struct xfrm_hc_probe_msg m = {
		.id = id,
		.seq = seq,
		.echo = true,
		.reply_to = in,
		.reply_data = data,
		.reply_len = len,
	};

	r->anysrc = true;
	return xfrm_hc_probe_send_one(hn, r, &m);
}

/* An answer to @peer's probe arrived through @skb's SAs: count it. */
static void xfrm_hc_probe_answered(struct xfrm_hc_peer *peer,
				   const struct xfrm_hc_probe_payload *p)
{
	u64 sent = be64_to_cpu(p->sent_ns), now = ktime_get_ns();
	u32 rtt_us = now > sent ? div_u64(now - sent, NSEC_PER_USEC) : 0;

	spin_lock(&peer->lock);
	if (peer->answers_tick < U16_MAX)
		peer->answers_tick++;
	if (!peer->probes_answered++ || rtt_us < peer->rtt_min_us)
		peer->rtt_min_us = rtt_us;
	peer->rtt_max_us = max(peer->rtt_max_us, rtt_us);
	peer->rtt_sum_us += rtt_us;
	spin_unlock(&peer->lock);
	atomic64_inc(&xfrm_hc_peer_hn(peer)->probes_answered);
}

/* Whether @skb came through an SA of @peer: if not, it is no answer. */
static bool xfrm_hc_probe_came_through(struct xfrm_hc_peer *peer,
				       struct sk_buff *skb)
{
	struct sec_path *sp = skb_sec_path(skb);
	int i;

	for (i = 0; sp && i < sp->len; i++)
		if (xfrm_hc_peer_has_sa(peer, sp->xvec[i]))
			return true;
	return false;
}

/*
 * An answer in our format, whatever carried it: counted if we signed it
 * for the tunnel that brought it, else a forgery or too old, and counted
 * as rejected. An echo's answer must also be the peer's latest echo.
 */
static void xfrm_hc_probe_answer(struct xfrm_hc_net *hn, struct sk_buff *skb,
				 const struct xfrm_hc_probe_payload *p,
				 bool echo)
{
	struct xfrm_hc_peer *peer;

	if (!xfrm_hc_probe_verify_skb(hn, p, skb)) {
		atomic64_inc(&hn->answers_rejected);
		return;
	}

	/* Hooks run under RCU: peers and checks cannot be freed meanwhile. */
	if (p->kind == XFRM_HC_PROBE_CHECK) {
		if (!echo)
			xfrm_hc_check_answered(hn, ntohl(p->id), ntohl(p->seq),
					       skb);
		return;
	}
	peer = xa_load(&hn->peer_ids, ntohl(p->id));
	if (!peer || READ_ONCE(peer->removed) ||
	    !xfrm_hc_probe_came_through(peer, skb))
		return;
	if (echo && !xfrm_hc_echo_answer_fresh(peer, ntohl(p->seq))) {
		atomic64_inc(&hn->answers_rejected);
		return;
	}
	xfrm_hc_probe_answered(peer, p);
}

/**
 * xfrm_hc_probe_echo_answered() - an echo response came back to us
 * @hn: the namespace's state
 * @skb: it, decrypted; not consumed here
 * @off: where its data starts
 * @len: the data's length
 *
 * Context: a netfilter hook (RCU).
 */
void xfrm_hc_probe_echo_answered(struct xfrm_hc_net *hn, struct sk_buff *skb,
				 unsigned int off, unsigned int len)
{
	struct xfrm_hc_probe_payload buf;
	const struct xfrm_hc_probe_payload *p;

	p = len == sizeof(buf) ? skb_header_pointer(skb, off, len, &buf) : NULL;
	if (!p || p->magic != htonl(XFRM_HC_PROBE_MAGIC)) {
		atomic64_inc(&hn->answers_rejected);
		return;
	}
	xfrm_hc_probe_answer(hn, skb, p, true);
}

/* In our format, it is consumed, counted or not. */
static unsigned int xfrm_hc_probe_reply(struct net *net, struct sk_buff *skb,
					unsigned int off)
{
	struct xfrm_hc_probe_payload buf;
	const struct xfrm_hc_probe_payload *p;

	p = skb_header_pointer(skb, off, sizeof(buf), &buf);
	if (!p || p->magic != htonl(XFRM_HC_PROBE_MAGIC))
		return NF_ACCEPT;
	xfrm_hc_probe_answer(xfrm_hc_net(net), skb, p, false);
	consume_skb(skb);
	return NF_STOLEN;
}

static unsigned int xfrm_hc_probe_rcv4(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct icmphdr _icmph;
	const struct icmphdr *icmph;

	/* Only what came through IPsec can be a probe's answer. */
	if (ip_hdr(skb)->protocol != IPPROTO_ICMP || !secpath_exists(skb))
		return NF_ACCEPT;
	icmph = skb_header_pointer(skb, ip_hdrlen(skb), sizeof(_icmph),
				   &_icmph);
	if (!icmph || icmph->type != ICMP_ECHOREPLY)
		return NF_ACCEPT;
	return xfrm_hc_probe_reply(state->net, skb,
				   ip_hdrlen(skb) + sizeof(_icmph));
}

static unsigned int xfrm_hc_probe_rcv6(void *priv, struct sk_buff *skb,
				       const struct nf_hook_state *state)
{
	struct icmp6hdr _icmp6h;
	const struct icmp6hdr *icmp6h;

	/* Extension headers are not followed: probes carry none. */
	if (ipv6_hdr(skb)->nexthdr != IPPROTO_ICMPV6 || !secpath_exists(skb))
		return NF_ACCEPT;
	icmp6h = skb_header_pointer(skb, sizeof(struct ipv6hdr),
				    sizeof(_icmp6h), &_icmp6h);
	if (!icmp6h || icmp6h->icmp6_type != ICMPV6_ECHO_REPLY)
		return NF_ACCEPT;
	return xfrm_hc_probe_reply(state->net, skb,
				   sizeof(struct ipv6hdr) + sizeof(_icmp6h));
}

static const struct nf_hook_ops xfrm_hc_probe_hooks[] = {
	{
		.hook = xfrm_hc_probe_rcv4,
		.pf = NFPROTO_IPV4,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP_PRI_FIRST,
	},
	{
		.hook = xfrm_hc_probe_rcv6,
		.pf = NFPROTO_IPV6,
		.hooknum = NF_INET_LOCAL_IN,
		.priority = NF_IP6_PRI_FIRST,
	},
};

/**
 * xfrm_hc_probe_net_enable() - catch probe answers in a namespace
 * @hn: the namespace's state, its lock held
 *
 * The hooks go in only once a peer there can be probed, so namespaces
 * without probes keep a LOCAL_IN path without us.
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_probe_net_enable(struct xfrm_hc_net *hn)
{
	int err;

	lockdep_assert_held(&hn->lock);
	if (hn->probe_hooks)
		return 0;
	err = nf_register_net_hooks(hn->net, xfrm_hc_probe_hooks,
				    ARRAY_SIZE(xfrm_hc_probe_hooks));
	if (!err)
		hn->probe_hooks = true;
	return err;
}

/**
 * xfrm_hc_probe_net_exit() - stop catching probe answers in a namespace
 * @hn: the namespace's state, its lock held
 */
void xfrm_hc_probe_net_exit(struct xfrm_hc_net *hn)
{
	lockdep_assert_held(&hn->lock);
	if (!hn->probe_hooks)
		return;
	nf_unregister_net_hooks(hn->net, xfrm_hc_probe_hooks,
				ARRAY_SIZE(xfrm_hc_probe_hooks));
	hn->probe_hooks = false;
}
