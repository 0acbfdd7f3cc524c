/* SPDX-License-Identifier: GPL-2.0 */
/* The IPv4 header of the packets the module builds: probes, keepalives. */
#ifndef _XFRM_HC_IPV4_HEADER_H
#define _XFRM_HC_IPV4_HEADER_H

#include <linux/ip.h>
#include <linux/skbuff.h>
#include <net/ip.h>

/**
 * xfrm_hc_push_ipv4_header() - put a whole IPv4 header before the data
 * @net: the namespace it is sent in, for the ident
 * @skb: the packet, with room for it
 * @proto: the protocol it carries
 * @ttl: its time to live
 * @saddr: source address
 * @daddr: destination address
 *
 * Every byte is set: the headroom is not zeroed, and a keepalive goes out
 * in the clear. DF, no TOS, an ident from the kernel's selection;
 * ip_local_out() sets the total length and the checksum.
 */
static inline void xfrm_hc_push_ipv4_header(struct net *net,
					    struct sk_buff *skb, u8 proto,
					    u8 ttl, __be32 saddr, __be32 daddr)
{
	struct iphdr *iph;

	skb_push(skb, sizeof(*iph));
	skb_reset_network_header(skb);
	iph = ip_hdr(skb);
	memset(iph, 0, sizeof(*iph));
	iph->version = 4;
	iph->ihl = sizeof(*iph) / 4;
	iph->frag_off = htons(IP_DF);
	iph->ttl = ttl;
	iph->protocol = proto;
	iph->saddr = saddr;
	iph->daddr = daddr;
	ip_select_ident(net, skb, NULL);
	skb->protocol = htons(ETH_P_IP);
}

#endif /* _XFRM_HC_IPV4_HEADER_H */
