/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_OBJECTS_H
#define _XFRM_HC_OBJECTS_H

#include <linux/atomic.h>

/**
 * enum xfrm_hc_obj - kinds of object the module allocates and must free
 * @XFRM_HC_OBJ_PEER: struct xfrm_hc_peer
 * @XFRM_HC_OBJ_SA: struct xfrm_hc_sa, each holding its xfrm_state
 * @XFRM_HC_OBJ_SA_CHANGE: a queued key manager notification, holding its
 *	xfrm_state
 * @XFRM_HC_OBJ_RULE: struct xfrm_hc_rule
 * @XFRM_HC_OBJ_CHECK: struct xfrm_hc_check
 * @XFRM_HC_OBJ_PROFILE: struct xfrm_hc_shared_profile of a rule (the
 *	default rule's is part of its namespace's state, made and freed
 *	with it, so that the counts of a namespace with nothing configured
 *	are zero)
 * @XFRM_HC_OBJ_ACTION: an SA queued for clear or restart, holding its
 *	xfrm_state
 * @XFRM_HC_OBJ_ECHO_TARGET: struct xfrm_hc_echo_target of a peer
 * @__XFRM_HC_OBJ_MAX: number of kinds
 */
enum xfrm_hc_obj {
	XFRM_HC_OBJ_PEER,
	XFRM_HC_OBJ_SA,
	XFRM_HC_OBJ_SA_CHANGE,
	XFRM_HC_OBJ_RULE,
	XFRM_HC_OBJ_CHECK,
	XFRM_HC_OBJ_PROFILE,
	XFRM_HC_OBJ_ACTION,
	XFRM_HC_OBJ_ECHO_TARGET,
	__XFRM_HC_OBJ_MAX
};

extern atomic_long_t xfrm_hc_objects[__XFRM_HC_OBJ_MAX];

/* One made: called right after the allocation succeeds. */
static inline void xfrm_hc_obj_made(enum xfrm_hc_obj kind)
{
	atomic_long_inc(&xfrm_hc_objects[kind]);
}

/* One gone: called where it is freed, or handed to kfree_rcu(). */
static inline void xfrm_hc_obj_gone(enum xfrm_hc_obj kind)
{
	atomic_long_dec(&xfrm_hc_objects[kind]);
}

#endif /* _XFRM_HC_OBJECTS_H */
