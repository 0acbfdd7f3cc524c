// SPDX-License-Identifier: GPL-2.0
/*
 * Host-wide caps on what the module makes, across every namespace.
 *
 * Each namespace has its own caps (max_peers, max_checks, max_rules), and
 * its admin may be root of an unprivileged user namespace: anyone who can
 * make a user and a network namespace can make many namespaces, each up
 * to its own caps. These caps bound the sum, so that no tenant can make
 * the host's own tunnels wait for memory or timers. They are counted on
 * the objects' live counts (objects.c), so a cap is exact: an object is
 * taken under the cap or not made at all.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cache.h>
#include <linux/moduleparam.h>

#include "limits.h"

/* 4 namespaces at max_peers; about 100 MB of peers with two SAs each. */
static unsigned int xfrm_hc_max_peers_total __read_mostly = 262144;
module_param_named(max_peers_total, xfrm_hc_max_peers_total, uint, 0644);
MODULE_PARM_DESC(max_peers_total, "peers in all network namespaces together (SAs past it are not monitored)");

static unsigned int xfrm_hc_max_checks_total __read_mostly = 16384;
module_param_named(max_checks_total, xfrm_hc_max_checks_total, uint, 0644);
MODULE_PARM_DESC(max_checks_total, "health checks in all network namespaces together");

static unsigned int xfrm_hc_max_rules_total __read_mostly = 16384;
module_param_named(max_rules_total, xfrm_hc_max_rules_total, uint, 0644);
MODULE_PARM_DESC(max_rules_total, "rules in all network namespaces together");

static unsigned int xfrm_hc_limit_of(enum xfrm_hc_obj kind)
{
	switch (kind) {
	case XFRM_HC_OBJ_PEER:
		return READ_ONCE(xfrm_hc_max_peers_total);
	case XFRM_HC_OBJ_CHECK:
		return READ_ONCE(xfrm_hc_max_checks_total);
	case XFRM_HC_OBJ_RULE:
		return READ_ONCE(xfrm_hc_max_rules_total);
	default:
		return UINT_MAX;
	}
}

/**
 * xfrm_hc_limit_take() - count one more object, if the host-wide cap allows
 * @kind: what is made
 *
 * Counts it as xfrm_hc_obj_made() does; xfrm_hc_obj_gone() gives it back.
 * A cap lowered below the count refuses new objects until enough are gone.
 *
 * Return: true if it was counted and may be made.
 */
bool xfrm_hc_limit_take(enum xfrm_hc_obj kind)
{
	long max = xfrm_hc_limit_of(kind);
	long n = atomic_long_read(&xfrm_hc_objects[kind]);

	do {
		if (n >= max)
			return false;
	} while (!atomic_long_try_cmpxchg(&xfrm_hc_objects[kind], &n, n + 1));
	return true;
}
