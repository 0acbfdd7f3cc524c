/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PROBE_H
#define _XFRM_HC_PROBE_H

#include <linux/types.h>
#include <net/xfrm.h>

#include "peer.h"

struct xfrm_hc_net;
struct xfrm_hc_profile;

/**
 * struct xfrm_hc_probe_target - where a peer's probes go
 * @family: AF_INET or AF_INET6; 0 if the peer has no target
 * @src: inner source; all zero lets routing choose
 * @dst: inner destination, behind the peer
 * @mark: the mark of the policy the probe must match, 0 if none
 * @echo: xfrm-hc's echo (echo_requester.c), not an ICMP echo
 */
struct xfrm_hc_probe_target {
	u16 family;
	xfrm_address_t src;
	xfrm_address_t dst;
	u32 mark;
	bool echo;
};

/**
 * struct xfrm_hc_probe_route - how a health check's probe is routed
 * @family: AF_INET or AF_INET6
 * @src: inner source
 * @dst: inner destination
 * @mark: the flow's mark, for policies that match one
 * @anysrc: @src need not be ours (echoes, on a transit gateway)
 * @if_id: use the XFRM policies of this if_id; 0: plain routing
 * @oif: the XFRM interface of @if_id, to route through if nothing else
 * @want_peer: find which peer's SA carries the probe
 * @peer_known: out: @peer_key is set
 * @peer_key: out: that peer's key
 */
struct xfrm_hc_probe_route {
	u16 family;
	xfrm_address_t src;
	xfrm_address_t dst;
	u32 mark;
	bool anysrc;
	u32 if_id;
	int oif;
	bool want_peer;
	bool peer_known;
	struct xfrm_hc_peer_key peer_key;
};

bool xfrm_hc_probe_target(struct xfrm_hc_peer *peer,
			  const struct xfrm_hc_profile *prof,
			  struct xfrm_hc_probe_target *t);
int xfrm_hc_probe_send(struct xfrm_hc_peer *peer,
		       const struct xfrm_hc_probe_target *t);
int xfrm_hc_probe_send_echo_reply(struct xfrm_hc_net *hn,
				  struct xfrm_state *in,
				  struct xfrm_hc_probe_route *r, u32 id, u32 seq,
				  const void *data, u16 len);
void xfrm_hc_probe_echo_answered(struct xfrm_hc_net *hn, struct sk_buff *skb,
				 unsigned int off, unsigned int len);
int xfrm_hc_probe_send_check(struct xfrm_hc_net *hn, u32 id, u32 seq,
			     struct xfrm_hc_probe_route *r);
int xfrm_hc_probe_net_enable(struct xfrm_hc_net *hn);
void xfrm_hc_probe_net_exit(struct xfrm_hc_net *hn);

#endif /* _XFRM_HC_PROBE_H */
