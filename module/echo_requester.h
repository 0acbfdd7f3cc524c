/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_ECHO_REQUESTER_H
#define _XFRM_HC_ECHO_REQUESTER_H

#include <linux/types.h>

#include "probe.h"

struct xfrm_hc_net;
struct xfrm_hc_peer;
struct xfrm_hc_tick;

/* Bits of xfrm_hc_peer.echo_state. */
enum xfrm_hc_echo_state {
	XFRM_HC_ECHO_CAPABLE = BIT(0),	/* it answered: probe it by echo */
	XFRM_HC_ECHO_RESOLVE = BIT(1),	/* its echo target is being looked up */
};

/* What a peer without a probe target does with the echo this tick. */
enum xfrm_hc_echo_use {
	XFRM_HC_ECHO_NONE,	/* nothing: passive */
	XFRM_HC_ECHO_PROBE,	/* probe it, as a peer with a target */
	XFRM_HC_ECHO_DISCOVER,	/* send one echo to learn if it answers */
};

/**
 * struct xfrm_hc_echo_target - where a peer's echoes go
 * @t: the inner addresses and mark
 * @rcu: for freeing
 */
struct xfrm_hc_echo_target {
	struct xfrm_hc_probe_target t;
	struct rcu_head rcu;
};

enum xfrm_hc_echo_use xfrm_hc_echo_plan(struct xfrm_hc_peer *peer,
					struct xfrm_hc_probe_target *t);
bool xfrm_hc_echo_confirm(struct xfrm_hc_peer *peer,
			  struct xfrm_hc_probe_target *t);
void xfrm_hc_echo_judge(struct xfrm_hc_peer *peer, u8 misses,
			struct xfrm_hc_tick *tick);
void xfrm_hc_echo_unrouted(struct xfrm_hc_peer *peer);
bool xfrm_hc_echo_answer_fresh(struct xfrm_hc_peer *peer, u32 seq);
void xfrm_hc_echo_refused(struct xfrm_hc_peer *peer);
void xfrm_hc_echo_peer_free(struct xfrm_hc_peer *peer);
void xfrm_hc_echo_net_init(struct xfrm_hc_net *hn);
void xfrm_hc_echo_net_cancel(struct xfrm_hc_net *hn);

#endif /* _XFRM_HC_ECHO_REQUESTER_H */
