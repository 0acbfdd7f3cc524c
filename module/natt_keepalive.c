// SPDX-License-Identifier: GPL-2.0
/*
 * NAT-T keepalives (RFC 3948 section 2.3): a one-byte 0xFF UDP datagram
 * from a UDP-encapsulated peer's NAT-T ports, so that the NAT in between
 * keeps its binding while the tunnel is idle. One goes out only when the
 * peer's outbound SAs sent nothing for the profile's natt-keepalive time:
 * any ESP packet refreshes the binding as well.
 *
 * They ride the peer's timer (timers.c wakes it early when a keepalive is
 * due first). They never count as liveness: they are not ESP, so they
 * move no SA counter, neither ours going out nor the peer's coming in.
 * Kernels from 6.9 send keepalives themselves for an SA the IKE daemon
 * gave an interval; such a peer gets none from us.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ip.h>
#include <linux/ipv6.h>
#include <linux/udp.h>
#include <net/ip.h>
#include <net/ip6_checksum.h>
#include <net/ip6_route.h>
#include <net/route.h>

#include "compat.h"
#include "ipv4_header.h"
#include "natt_keepalive.h"
#include "peer.h"
#include "pernet.h"

#define XFRM_HC_NATT_LEN (sizeof(struct udphdr) + 1)

static int xfrm_hc_natt_send4(struct net *net, struct sk_buff *skb,
			      const struct xfrm_hc_peer_key *key)
{
	struct flowi4 fl4 = {
		.daddr = key->remote.a4,
		.saddr = key->local.a4,
		.flowi4_proto = IPPROTO_UDP,
		.fl4_sport = key->local_port,
		.fl4_dport = key->remote_port,
	};
	struct rtable *rt;

	/*
	 * Outside any tunnel, as IKE's own packets on the daemon's bypass
	 * socket: the plain route. ip_route_output_key() would also apply
	 * XFRM policy (it is ip_route_output_flow() without a socket), and a
	 * policy matching the outer addresses would encrypt or drop it.
	 */
	rt = __ip_route_output_key(net, &fl4);
	if (IS_ERR(rt)) {
		kfree_skb(skb);
		return PTR_ERR(rt);
	}
	/* RFC 3948: the checksum of a keepalive should be zero. */
	udp_hdr(skb)->check = 0;
	xfrm_hc_push_ipv4_header(net, skb, IPPROTO_UDP,
				 ip4_dst_hoplimit(&rt->dst), fl4.saddr,
				 fl4.daddr);
	skb_dst_set(skb, &rt->dst);
	/* Sets the total length and the header checksum. */
	return ip_local_out(net, NULL, skb);
}

static int xfrm_hc_natt_send6(struct net *net, struct sk_buff *skb,
			      const struct xfrm_hc_peer_key *key)
{
	struct flowi6 fl6 = {
		.daddr = key->remote.in6,
		.saddr = key->local.in6,
		.flowi6_proto = IPPROTO_UDP,
		.fl6_sport = key->local_port,
		.fl6_dport = key->remote_port,
	};
	struct udphdr *uh = udp_hdr(skb);
	struct dst_entry *dst;
	struct ipv6hdr *ip6h;
	int err;

	/* The plain route: ip6_route_output() applies no XFRM policy. */
	dst = ip6_route_output(net, NULL, &fl6);
	err = dst->error;
	if (err) {
		dst_release(dst);
		kfree_skb(skb);
		return err;
	}
	/* IPv6 has no zero checksum for UDP. The sum covers the field. */
	uh->check = 0;
	uh->check = csum_ipv6_magic(&fl6.saddr, &fl6.daddr, XFRM_HC_NATT_LEN,
				    IPPROTO_UDP,
				    csum_partial(uh, XFRM_HC_NATT_LEN, 0));
	if (!uh->check)
		uh->check = CSUM_MANGLED_0;
	skb_push(skb, sizeof(*ip6h));
	skb_reset_network_header(skb);
	ip6h = ipv6_hdr(skb);
	/* Every field is set: version, no traffic class, no flow label. */
	ip6_flow_hdr(ip6h, 0, 0);
	ip6h->payload_len = htons(XFRM_HC_NATT_LEN);
	ip6h->nexthdr = IPPROTO_UDP;
	ip6h->hop_limit = ip6_dst_hoplimit(dst);
	ip6h->saddr = fl6.saddr;
	ip6h->daddr = fl6.daddr;
	skb->protocol = htons(ETH_P_IPV6);
	skb_dst_set(skb, dst);
	return ip6_local_out(net, NULL, skb);
}

static int xfrm_hc_natt_send(struct xfrm_hc_peer *peer)
{
	const struct xfrm_hc_peer_key *key = &peer->key;
	struct net *net = xfrm_hc_peer_hn(peer)->net;
	struct sk_buff *skb;
	struct udphdr *uh;
	int err;

	skb = alloc_skb(LL_MAX_HEADER + sizeof(struct ipv6hdr) +
			XFRM_HC_NATT_LEN, GFP_ATOMIC);
	if (!skb)
		return -ENOMEM;
	skb_reserve(skb, LL_MAX_HEADER + sizeof(struct ipv6hdr));
	skb_put_u8(skb, 0xff);
	uh = skb_push(skb, sizeof(*uh));
	skb_reset_transport_header(skb);
	uh->source = key->local_port;
	uh->dest = key->remote_port;
	uh->len = htons(XFRM_HC_NATT_LEN);
	if (key->family == AF_INET)
		err = xfrm_hc_natt_send4(net, skb, key);
	else
		err = xfrm_hc_natt_send6(net, skb, key);
	return net_xmit_eval(err);
}

/*
 * One walk of the peer's outbound SAs under its lock: whether one sent ESP
 * since the last look, and whether the IKE daemon asked the kernel (6.9+)
 * to send keepalives for one of them.
 */
static bool xfrm_hc_natt_esp_sent(struct xfrm_hc_peer *peer,
				  bool *kernel_sends)
{
	struct xfrm_hc_sa *sa;
	bool sent = false;
	u32 packets;

	*kernel_sends = false;
	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		if (sa->dir != XFRM_HC_DIR_OUT)
			continue;
		packets = lower_32_bits(READ_ONCE(sa->x->curlft.packets));
		if (packets != sa->natt_packets) {
			sa->natt_packets = packets;
			sent = true;
		}
		*kernel_sends |= xfrm_hc_compat_sa_keepalive(sa->x);
	}
	rcu_read_unlock();
	return sent;
}

/**
 * xfrm_hc_natt_keepalive_tick() - send a NAT-T keepalive if one is due
 * @peer: the peer
 * @prof: its profile
 * @now: the time
 *
 * Context: the peer's timer.
 * Return: when the next keepalive is due, or 0 if the peer needs none.
 */
ktime_t xfrm_hc_natt_keepalive_tick(struct xfrm_hc_peer *peer,
				    const struct xfrm_hc_profile *prof,
				    ktime_t now)
{
	ktime_t period = ms_to_ktime((u64)prof->natt_keepalive_s * MSEC_PER_SEC);
	bool send = false, esp_sent, kernel_sends;

	if (!peer->key.local_port || !prof->natt_keepalive_s)
		return 0;

	spin_lock(&peer->lock);
	esp_sent = xfrm_hc_natt_esp_sent(peer, &kernel_sends);
	if (kernel_sends) {
		spin_unlock(&peer->lock);
		return 0;
	}
	if (esp_sent || !peer->natt_quiet_since) {
		/* ESP went out: the NAT saw the binding in use just now. */
		peer->natt_quiet_since = now;
	} else if (ktime_compare(ktime_sub(now, peer->natt_quiet_since),
				 period) >= 0) {
		peer->natt_quiet_since = now;
		send = true;
	}
	now = ktime_add(peer->natt_quiet_since, period);
	spin_unlock(&peer->lock);

	if (send && !xfrm_hc_natt_send(peer)) {
		spin_lock(&peer->lock);
		peer->natt_keepalives++;
		spin_unlock(&peer->lock);
		atomic64_inc(&xfrm_hc_peer_hn(peer)->natt_keepalives);
	}
	return now;
}
