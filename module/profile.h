/* SPDX-License-Identifier: GPL-2.0 */
/* How a peer is watched: the settings a rule (or the defaults) carries. */
#ifndef _XFRM_HC_PROFILE_H
#define _XFRM_HC_PROFILE_H

#include <linux/list.h>
#include <linux/rcupdate.h>
#include <linux/types.h>
#include <linux/xfrm.h>
#include <linux/xfrm_hc.h>

/**
 * struct xfrm_hc_profile - monitoring settings
 * @interval_ms: time between two looks at a peer
 * @misses: consecutive intervals without evidence before a peer is dead
 * @up: consecutive intervals with evidence before a dead peer is up again
 * @jitter_pct: each interval is stretched by a random 0..jitter_pct percent
 * @mode: when to worry (enum xfrm_hc_mode)
 * @action: what to do on death (enum xfrm_hc_action)
 * @probe_family: family of @probe_src and @probe_dst, 0 if none are set
 * @probe_src: inner source address of probes
 * @probe_dst: inner destination address of probes
 * @natt_keepalive_s: RFC 3948 keepalive interval for UDP-encapsulated
 *	SAs, 0 for none
 */
struct xfrm_hc_profile {
	u32 interval_ms;
	u8 misses;
	u8 up;
	u8 jitter_pct;
	u8 mode;
	u8 action;
	u16 probe_family;
	xfrm_address_t probe_src;
	xfrm_address_t probe_dst;
	u16 natt_keepalive_s;
};

/* The defaults: DPD is on, and only tells. */
#define XFRM_HC_PROFILE_DEFAULT {		\
	.interval_ms = 1000,			\
	.misses = 3,				\
	.up = 1,				\
	.jitter_pct = 10,			\
	.mode = XFRM_HC_MODE_ON_DEMAND,		\
	.action = XFRM_HC_ACTION_NOTIFY,	\
	.natt_keepalive_s = 20,			\
}

struct xfrm_hc_net;

/**
 * struct xfrm_hc_profile_rcu - one published copy of a profile
 * @prof: the settings; never changed: a change publishes a new copy
 * @rcu: for freeing, once no reader can see it
 */
struct xfrm_hc_profile_rcu {
	struct xfrm_hc_profile prof;
	struct rcu_head rcu;
};

/**
 * struct xfrm_hc_shared_profile - a rule's settings, held by its peers
 * @hn: the namespace's state, for the peers that hold it
 * @users: its rule (or the namespace, for the default rule) and the peers
 *	holding it; under the netns lock
 * @rule_prio: the rule it belongs to, -1 for the default rule (wider than
 *	a rule's u32 priority, which may be U32_MAX)
 * @cur: the settings now; replaced under the netns lock, read under RCU
 * @rcu: for freeing; peers read it under their lock or RCU
 *
 * Peers under one rule point at one object: one copy in each of 100k
 * peers would be 5 MB, and a change of the settings would have to visit
 * every peer. Replacing @cur changes them for all its peers at once:
 * each takes them up at its next tick.
 */
struct xfrm_hc_shared_profile {
	struct xfrm_hc_net *hn;
	u32 users;
	s64 rule_prio;
	struct xfrm_hc_profile_rcu __rcu *cur;
	struct rcu_head rcu;
};

struct xfrm_hc_shared_profile *
xfrm_hc_profile_new(struct xfrm_hc_net *hn, const struct xfrm_hc_profile *prof,
		    s64 rule_prio);
int xfrm_hc_profile_replace(struct xfrm_hc_shared_profile *sp,
			    const struct xfrm_hc_profile *prof);
void xfrm_hc_profile_hold(struct xfrm_hc_shared_profile *sp);
void xfrm_hc_profile_put(struct xfrm_hc_shared_profile *sp);

/**
 * xfrm_hc_profile_read() - copy the settings a shared profile has now
 * @sp: the shared profile, held by the caller or under RCU
 * @prof: filled in
 *
 * Context: any.
 */
static inline void xfrm_hc_profile_read(const struct xfrm_hc_shared_profile *sp,
					struct xfrm_hc_profile *prof)
{
	rcu_read_lock();
	*prof = rcu_dereference(sp->cur)->prof;
	rcu_read_unlock();
}

#endif /* _XFRM_HC_PROFILE_H */
