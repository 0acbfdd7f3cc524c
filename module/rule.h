/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_RULE_H
#define _XFRM_HC_RULE_H

#include <linux/list.h>
#include <linux/types.h>
#include <net/xfrm.h>

#include "profile.h"

struct xfrm_hc_net;

/**
 * struct xfrm_hc_rule - which SAs to monitor, and how
 * @node: in xfrm_hc_net.rules, by ascending @prio
 * @prio: order; the first rule that matches wins
 * @has_reqid: match @reqid_min..@reqid_max
 * @has_mark: match (SA mark & @mark_mask) == @mark
 * @has_if_id: match @if_id
 * @remote_plen: with @family, match the peer's address in @remote/@remote_plen
 * @has_remote: match @remote
 * @family: match this outer family, 0 for any
 * @reqid_min: lowest reqid
 * @reqid_max: highest reqid
 * @mark: mark value
 * @mark_mask: mark mask
 * @if_id: XFRM interface id
 * @remote: remote gateway prefix
 * @prof: how matched SAs' peers are watched
 * @profile: @prof, as the peers it watches hold it
 * @matches: SAs it matched
 * @rcu: for freeing
 */
struct xfrm_hc_rule {
	struct list_head node;
	u32 prio;
	bool has_reqid;
	bool has_mark;
	bool has_if_id;
	bool has_remote;
	u8 remote_plen;
	u16 family;
	u32 reqid_min;
	u32 reqid_max;
	u32 mark;
	u32 mark_mask;
	u32 if_id;
	xfrm_address_t remote;
	struct xfrm_hc_profile prof;
	struct xfrm_hc_shared_profile *profile;
	atomic64_t matches;
	struct rcu_head rcu;
};

/**
 * struct xfrm_hc_sa_match - what rules look at in an SA
 * @family: outer family
 * @proto: IPPROTO_ESP or IPPROTO_AH
 * @reqid: the SA's reqid
 * @mark: the SA's mark value
 * @if_id: the SA's if_id
 * @remote: the peer's outer address
 */
struct xfrm_hc_sa_match {
	u16 family;
	u8 proto;
	u32 reqid;
	u32 mark;
	u32 if_id;
	xfrm_address_t remote;
};

bool xfrm_hc_rule_matches(const struct xfrm_hc_rule *rule,
			  const struct xfrm_hc_sa_match *m);
struct xfrm_hc_rule *xfrm_hc_rule_lookup(struct xfrm_hc_net *hn,
					 const struct xfrm_hc_sa_match *m,
					 bool *monitored);
int xfrm_hc_rule_insert(struct xfrm_hc_net *hn, struct xfrm_hc_rule *rule);
struct xfrm_hc_rule *xfrm_hc_rule_unlink(struct xfrm_hc_net *hn, u32 prio);
void xfrm_hc_rule_free(struct xfrm_hc_rule *rule);
void xfrm_hc_rule_flush(struct xfrm_hc_net *hn);
u32 xfrm_hc_rule_count(struct xfrm_hc_net *hn);

extern bool xfrm_hc_default_rule;
extern unsigned int xfrm_hc_max_rules;

#endif /* _XFRM_HC_RULE_H */
