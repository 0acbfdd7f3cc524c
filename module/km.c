// SPDX-License-Identifier: GPL-2.0
/*
 * The XFRM key-manager hook. Registering as a key manager is how the module
 * hears of every SA that any IKE daemon installs, in every netns, without
 * touching the daemon: the XFRM core calls every manager on each change.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/xfrm.h>
#include <net/xfrm.h>

#include "km.h"
#include "pernet.h"

/**
 * xfrm_hc_km_classify() - map a key-manager event to what it does to an SA
 * @msg_type: km_event.event, an XFRM_MSG_* value
 * @hard: km_event.data.hard, for XFRM_MSG_EXPIRE
 *
 * A soft expire only asks for a rekey: the SA lives on, so it is ignored.
 *
 * Return: the SA event.
 */
enum xfrm_hc_sa_event xfrm_hc_km_classify(int msg_type, int hard)
{
	switch (msg_type) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
		return XFRM_HC_SA_ADDED;
	case XFRM_MSG_DELSA:
		return XFRM_HC_SA_DELETED;
	case XFRM_MSG_EXPIRE:
		return hard ? XFRM_HC_SA_DELETED : XFRM_HC_SA_IGNORED;
	case XFRM_MSG_FLUSHSA:
		return XFRM_HC_SA_FLUSHED;
	default:
		return XFRM_HC_SA_IGNORED;
	}
}

static int xfrm_hc_km_notify(struct xfrm_state *x, const struct km_event *c)
{
	/*
	 * Most callers leave c->net unset; only a flush, which has no
	 * state, sets it.
	 */
	struct xfrm_hc_net *hn = xfrm_hc_net(x ? xs_net(x) : c->net);

	switch (xfrm_hc_km_classify(c->event, c->data.hard)) {
	case XFRM_HC_SA_ADDED:
		atomic64_inc(&hn->sa_added);
		break;
	case XFRM_HC_SA_DELETED:
		atomic64_inc(&hn->sa_deleted);
		break;
	case XFRM_HC_SA_FLUSHED:
		atomic64_inc(&hn->sa_flushes);
		break;
	case XFRM_HC_SA_IGNORED:
		break;
	}
	return 0;
}

/* The core calls these two without a NULL check; we take no part in them. */
static int xfrm_hc_km_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			      struct xfrm_policy *xp)
{
	return -EOPNOTSUPP;
}

static struct xfrm_policy *xfrm_hc_km_compile_policy(struct sock *sk, int opt,
						     u8 *data, int len,
						     int *dir)
{
	*dir = -EOPNOTSUPP;
	return NULL;
}

static struct xfrm_mgr xfrm_hc_km_mgr = {
	.notify = xfrm_hc_km_notify,
	.acquire = xfrm_hc_km_acquire,
	.compile_policy = xfrm_hc_km_compile_policy,
};

/**
 * xfrm_hc_km_init() - start hearing of SA changes
 */
void xfrm_hc_km_init(void)
{
	xfrm_register_km(&xfrm_hc_km_mgr);
}

/**
 * xfrm_hc_km_exit() - stop hearing of SA changes
 *
 * xfrm_unregister_km() waits for an RCU grace period, so no notify() runs
 * once it returns.
 */
void xfrm_hc_km_exit(void)
{
	xfrm_unregister_km(&xfrm_hc_km_mgr);
}
