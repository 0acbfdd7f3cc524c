// SPDX-License-Identifier: GPL-2.0
/*
 * Rules: which SAs are monitored, and with which profile. Rules are kept
 * by priority and the first match wins; with none, the built-in default
 * rule monitors every ESP SA with the netns's defaults.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/in.h>
#include <linux/module.h>
#include <linux/rculist.h>
#include <linux/slab.h>

#include "objects.h"
#include "pernet.h"
#include "rule.h"

bool xfrm_hc_default_rule = true;
module_param_named(default_rule, xfrm_hc_default_rule, bool, 0644);
MODULE_PARM_DESC(default_rule,
		 "With no rule configured, monitor every ESP SA (default: on)");

unsigned int xfrm_hc_max_rules = 1024;
module_param_named(max_rules, xfrm_hc_max_rules, uint, 0644);
MODULE_PARM_DESC(max_rules, "Most rules per network namespace");

/**
 * xfrm_hc_rule_matches() - does a rule take an SA
 * @rule: the rule
 * @m: the SA's properties
 *
 * Return: true if every match the rule has holds.
 */
bool xfrm_hc_rule_matches(const struct xfrm_hc_rule *rule,
			  const struct xfrm_hc_sa_match *m)
{
	if (rule->family && rule->family != m->family)
		return false;
	if (rule->has_reqid &&
	    (m->reqid < rule->reqid_min || m->reqid > rule->reqid_max))
		return false;
	if (rule->has_mark && (m->mark & rule->mark_mask) != rule->mark)
		return false;
	if (rule->has_if_id && m->if_id != rule->if_id)
		return false;
	if (rule->has_remote) {
		if (rule->family != m->family)
			return false;
		if (m->family == AF_INET ?
		    !addr4_match(m->remote.a4, rule->remote.a4,
				 rule->remote_plen) :
		    !addr_match(&m->remote, &rule->remote, rule->remote_plen))
			return false;
	}
	return true;
}

/**
 * xfrm_hc_rule_lookup() - the rule that monitors an SA
 * @hn: the namespace's state, its lock held
 * @m: the SA's properties
 * @monitored: set to whether the SA is monitored at all
 *
 * Return: the first matching rule, or NULL for the default rule (then
 * @monitored says whether the default rule applies).
 */
struct xfrm_hc_rule *xfrm_hc_rule_lookup(struct xfrm_hc_net *hn,
					 const struct xfrm_hc_sa_match *m,
					 bool *monitored)
{
	struct xfrm_hc_rule *rule;

	lockdep_assert_held(&hn->lock);
	*monitored = false;
	if (list_empty(&hn->rules)) {
		*monitored = READ_ONCE(xfrm_hc_default_rule) &&
			     m->proto == IPPROTO_ESP;
		return NULL;
	}
	list_for_each_entry(rule, &hn->rules, node) {
		if (xfrm_hc_rule_matches(rule, m)) {
			*monitored = true;
			return rule;
		}
	}
	return NULL;
}

/**
 * xfrm_hc_rule_insert() - add a rule in priority order
 * @hn: the namespace's state, its lock held
 * @rule: the rule; owned by the list on success
 *
 * Return: 0, -EEXIST if its priority is taken, -ENOSPC at the limit.
 */
int xfrm_hc_rule_insert(struct xfrm_hc_net *hn, struct xfrm_hc_rule *rule)
{
	struct xfrm_hc_rule *pos;

	lockdep_assert_held(&hn->lock);
	if (xfrm_hc_rule_count(hn) >= READ_ONCE(xfrm_hc_max_rules))
		return -ENOSPC;
	list_for_each_entry(pos, &hn->rules, node) {
		if (pos->prio == rule->prio)
			return -EEXIST;
		if (pos->prio > rule->prio) {
			list_add_tail_rcu(&rule->node, &pos->node);
			hn->rules_generation++;
			return 0;
		}
	}
	list_add_tail_rcu(&rule->node, &hn->rules);
	hn->rules_generation++;
	return 0;
}

/**
 * xfrm_hc_rule_unlink() - take the rule of a priority out of the list
 * @hn: the namespace's state, its lock held
 * @prio: the priority
 *
 * The caller applies the rules again to what it matched, then frees it.
 *
 * Return: the rule, or NULL if no rule has this priority.
 */
struct xfrm_hc_rule *xfrm_hc_rule_unlink(struct xfrm_hc_net *hn, u32 prio)
{
	struct xfrm_hc_rule *rule;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(rule, &hn->rules, node) {
		if (rule->prio == prio) {
			list_del_rcu(&rule->node);
			hn->rules_generation++;
			return rule;
		}
	}
	return NULL;
}

/**
 * xfrm_hc_rule_free() - free a rule out of the list
 * @rule: the rule; its namespace's lock held
 *
 * Its peers may hold its profile still: the profile lives on until they
 * let go.
 */
void xfrm_hc_rule_free(struct xfrm_hc_rule *rule)
{
	if (rule->profile)
		xfrm_hc_profile_put(rule->profile);
	kfree_rcu(rule, rcu);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_RULE);
}

/**
 * xfrm_hc_rule_flush() - remove every rule
 * @hn: the namespace's state, its lock held
 */
void xfrm_hc_rule_flush(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_rule *rule, *tmp;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry_safe(rule, tmp, &hn->rules, node) {
		list_del_rcu(&rule->node);
		hn->rules_generation++;
		xfrm_hc_rule_free(rule);
	}
}

/**
 * xfrm_hc_rule_count() - how many rules a namespace has
 * @hn: the namespace's state, its lock held
 *
 * Return: the count.
 */
u32 xfrm_hc_rule_count(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_rule *rule;
	u32 n = 0;

	list_for_each_entry(rule, &hn->rules, node)
		n++;
	return n;
}
