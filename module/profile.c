// SPDX-License-Identifier: GPL-2.0
/*
 * Shared profiles: a peer points at its rule's settings instead of holding
 * a copy. One object per rule, and one for the default rule, counted by
 * the rule and the peers that hold it, freed after an RCU grace period
 * when the last lets go. Changing the settings publishes a new copy in
 * the same object: every peer that holds it takes them at its next tick,
 * and no peer or SA is visited.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/slab.h>

#include "objects.h"
#include "pernet.h"
#include "profile.h"

static struct xfrm_hc_profile_rcu *
xfrm_hc_profile_copy(const struct xfrm_hc_profile *prof)
{
	struct xfrm_hc_profile_rcu *c = kmalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);

	if (c)
		c->prof = *prof;
	return c;
}

/**
 * xfrm_hc_profile_new() - a shared profile for a rule
 * @hn: the namespace's state
 * @prof: the settings
 * @rule_prio: the rule they belong to, -1 for the default rule
 *
 * Return: the shared profile, held once for its owner, or NULL without
 * memory.
 */
struct xfrm_hc_shared_profile *
xfrm_hc_profile_new(struct xfrm_hc_net *hn, const struct xfrm_hc_profile *prof,
		    s64 rule_prio)
{
	struct xfrm_hc_shared_profile *sp;
	struct xfrm_hc_profile_rcu *c;

	sp = kzalloc(sizeof(*sp), GFP_KERNEL_ACCOUNT);
	c = xfrm_hc_profile_copy(prof);
	if (!sp || !c) {
		kfree(sp);
		kfree(c);
		return NULL;
	}
	if (rule_prio >= 0)
		xfrm_hc_obj_made(XFRM_HC_OBJ_PROFILE);
	sp->hn = hn;
	sp->users = 1;
	sp->rule_prio = rule_prio;
	RCU_INIT_POINTER(sp->cur, c);
	return sp;
}

/**
 * xfrm_hc_profile_replace() - change the settings of a shared profile
 * @sp: the shared profile
 * @prof: the new settings
 *
 * Context: process, the netns lock held.
 * Return: 0, or -ENOMEM (then the settings are unchanged).
 */
int xfrm_hc_profile_replace(struct xfrm_hc_shared_profile *sp,
			    const struct xfrm_hc_profile *prof)
{
	struct xfrm_hc_profile_rcu *c = xfrm_hc_profile_copy(prof), *old;

	lockdep_assert_held(&sp->hn->lock);
	if (!c)
		return -ENOMEM;
	old = rcu_replace_pointer(sp->cur, c, lockdep_is_held(&sp->hn->lock));
	kfree_rcu(old, rcu);
	return 0;
}

/**
 * xfrm_hc_profile_hold() - take one more reference to a shared profile
 * @sp: the shared profile
 *
 * Context: the netns lock held.
 */
void xfrm_hc_profile_hold(struct xfrm_hc_shared_profile *sp)
{
	lockdep_assert_held(&sp->hn->lock);
	sp->users++;
}

static void xfrm_hc_profile_free_rcu(struct rcu_head *head)
{
	struct xfrm_hc_shared_profile *sp =
		container_of(head, struct xfrm_hc_shared_profile, rcu);

	/* A grace period has passed: no reader is left in either. */
	kfree(rcu_dereference_protected(sp->cur, true));
	kfree(sp);
}

/**
 * xfrm_hc_profile_put() - let go of a shared profile
 * @sp: the shared profile
 *
 * Context: the netns lock held.
 */
void xfrm_hc_profile_put(struct xfrm_hc_shared_profile *sp)
{
	lockdep_assert_held(&sp->hn->lock);
	if (--sp->users)
		return;
	if (sp->rule_prio >= 0)
		xfrm_hc_obj_gone(XFRM_HC_OBJ_PROFILE);
	call_rcu(&sp->rcu, xfrm_hc_profile_free_rcu);
}
