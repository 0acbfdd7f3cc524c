// SPDX-License-Identifier: GPL-2.0
/*
 * Shared profiles: a peer points at its rule's settings instead of holding
 * a copy. One object per distinct (profile, rule) in a namespace, found by
 * a small hash, counted by the peers that hold it, and freed after an RCU
 * grace period when the last lets go. Changing a rule or the defaults
 * makes new objects; the peers move to them one by one under their lock.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "objects.h"
#include "pernet.h"
#include "profile.h"

/* Field by field: a memcmp() would also compare the padding. */
static bool xfrm_hc_profile_equal(const struct xfrm_hc_profile *a,
				  const struct xfrm_hc_profile *b)
{
	return a->interval_ms == b->interval_ms && a->misses == b->misses &&
	       a->up == b->up && a->jitter_pct == b->jitter_pct &&
	       a->mode == b->mode && a->action == b->action &&
	       a->probe_family == b->probe_family &&
	       !memcmp(&a->probe_src, &b->probe_src, sizeof(a->probe_src)) &&
	       !memcmp(&a->probe_dst, &b->probe_dst, sizeof(a->probe_dst)) &&
	       a->natt_keepalive_s == b->natt_keepalive_s;
}

static u32 xfrm_hc_profile_hash(const struct xfrm_hc_profile *prof,
				s32 rule_prio)
{
	return hash_32(prof->interval_ms ^ (u32)rule_prio ^
		       (prof->mode << 8 | prof->action << 16 |
			prof->misses << 24), XFRM_HC_PROFILE_HASH_BITS);
}

/**
 * xfrm_hc_profile_is() - does a shared profile hold these settings
 * @sp: the shared profile
 * @prof: the settings
 * @rule_prio: and their rule
 *
 * Return: true if they are the same.
 */
bool xfrm_hc_profile_is(const struct xfrm_hc_shared_profile *sp,
			const struct xfrm_hc_profile *prof, s32 rule_prio)
{
	return sp->rule_prio == rule_prio &&
	       xfrm_hc_profile_equal(&sp->prof, prof);
}

/**
 * xfrm_hc_profile_get() - a reference to the shared copy of settings
 * @hn: the namespace's state, its lock held
 * @prof: the settings
 * @rule_prio: the rule they come from, -1 for the default rule
 *
 * Return: the shared profile, made if it is the first, or NULL without
 * memory.
 */
struct xfrm_hc_shared_profile *
xfrm_hc_profile_get(struct xfrm_hc_net *hn, const struct xfrm_hc_profile *prof,
		    s32 rule_prio)
{
	u32 h = xfrm_hc_profile_hash(prof, rule_prio);
	struct xfrm_hc_shared_profile *sp;

	lockdep_assert_held(&hn->lock);
	hlist_for_each_entry(sp, &hn->profiles[h], node) {
		if (xfrm_hc_profile_is(sp, prof, rule_prio)) {
			sp->users++;
			return sp;
		}
	}
	sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	if (!sp)
		return NULL;
	xfrm_hc_obj_made(XFRM_HC_OBJ_PROFILE);
	sp->hn = hn;
	sp->users = 1;
	sp->rule_prio = rule_prio;
	sp->prof = *prof;
	hlist_add_head(&sp->node, &hn->profiles[h]);
	return sp;
}

/**
 * xfrm_hc_profile_put() - let go of a shared profile
 * @hn: the namespace's state, its lock held
 * @sp: the shared profile
 */
void xfrm_hc_profile_put(struct xfrm_hc_net *hn,
			 struct xfrm_hc_shared_profile *sp)
{
	lockdep_assert_held(&hn->lock);
	if (--sp->users)
		return;
	hlist_del(&sp->node);
	kfree_rcu(sp, rcu);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_PROFILE);
}
