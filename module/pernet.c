// SPDX-License-Identifier: GPL-2.0
/* Per network namespace state: one struct xfrm_hc_net per netns. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/netns/generic.h>

#include "action.h"
#include "check.h"
#include "echo_requester.h"
#include "echo_responder.h"
#include "km.h"
#include "peer.h"
#include "probe.h"
#include "probe_mac.h"
#include "pernet.h"
#include "rule.h"

static unsigned int xfrm_hc_net_id __read_mostly;
static atomic64_t xfrm_hc_netns_alive = ATOMIC64_INIT(0);

/**
 * xfrm_hc_net() - the module's state in a network namespace
 * @net: the namespace
 *
 * Return: the state; it lives as long as @net does.
 */
struct xfrm_hc_net *xfrm_hc_net(const struct net *net)
{
	return net_generic(net, xfrm_hc_net_id);
}

/**
 * xfrm_hc_netns_count() - how many namespaces the module currently serves
 *
 * Return: the count.
 */
u64 xfrm_hc_netns_count(void)
{
	return atomic64_read(&xfrm_hc_netns_alive);
}

static int __net_init xfrm_hc_net_init(struct net *net)
{
	static const struct xfrm_hc_profile defaults = XFRM_HC_PROFILE_DEFAULT;
	struct xfrm_hc_net *hn = xfrm_hc_net(net);
	int err;

	/* net_generic storage comes zeroed: the counters start at 0. */
	hn->net = net;
	mutex_init(&hn->lock);
	hn->default_profile = xfrm_hc_profile_new(hn, &defaults, -1);
	if (!hn->default_profile)
		return -ENOMEM;
	INIT_LIST_HEAD(&hn->rules);
	INIT_LIST_HEAD(&hn->checks);
	hn->echo_responder = true;
	spin_lock_init(&hn->echo_peerless_lock);
	xfrm_hc_echo_net_init(hn);
	xfrm_hc_action_net_init(hn);
	xa_init_flags(&hn->check_ids, XA_FLAGS_ALLOC);
	err = xfrm_hc_probe_mac_net_init(hn);
	if (err)
		goto err_profile;
	err = xfrm_hc_peer_tables_init(hn);
	if (err)
		goto err_mac;
	/* Picks up the SAs the namespace has already. */
	xfrm_hc_km_net_init(hn);
	atomic64_inc(&xfrm_hc_netns_alive);
	return 0;

err_mac:
	xfrm_hc_probe_mac_net_exit(hn);
err_profile:
	mutex_lock(&hn->lock);
	xfrm_hc_profile_put(hn->default_profile);
	mutex_unlock(&hn->lock);
	return err;
}

static void __net_exit xfrm_hc_net_pre_exit(struct net *net)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(net);

	/* The core waits an RCU grace period before .exit: notify sees it. */
	mutex_lock(&hn->lock);
	WRITE_ONCE(hn->exiting, true);
	mutex_unlock(&hn->lock);
}

static void __net_exit xfrm_hc_net_exit(struct net *net)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(net);

	xfrm_hc_km_net_exit(hn);
	mutex_lock(&hn->lock);
	xfrm_hc_check_flush(hn);
	xa_destroy(&hn->check_ids);
	xfrm_hc_peer_tables_destroy(hn);
	xfrm_hc_probe_net_exit(hn);
	xfrm_hc_echo_net_exit(hn);
	xfrm_hc_rule_flush(hn);
	xfrm_hc_profile_put(hn->default_profile);
	mutex_unlock(&hn->lock);
	/* The peers are gone: none can ask for a lookup any more. */
	xfrm_hc_echo_net_cancel(hn);
	/* After the peers and checks: nothing can queue more. */
	xfrm_hc_action_net_exit(hn);
	xfrm_hc_probe_mac_net_exit(hn);
	atomic64_dec(&xfrm_hc_netns_alive);
}

/*
 * nf_unregister_net_hooks() does not wait for hooks already running, and
 * the core frees each namespace's state (net_generic) as soon as this
 * returns: a probe answer caught on another CPU would read freed memory.
 * One wait for the whole batch, not one per namespace in .exit.
 */
static void __net_exit xfrm_hc_net_exit_batch(struct list_head *net_exit_list)
{
	synchronize_net();
}

static struct pernet_operations xfrm_hc_net_ops = {
	.init = xfrm_hc_net_init,
	.pre_exit = xfrm_hc_net_pre_exit,
	.exit = xfrm_hc_net_exit,
	.exit_batch = xfrm_hc_net_exit_batch,
	.id = &xfrm_hc_net_id,
	.size = sizeof(struct xfrm_hc_net),
};

/**
 * xfrm_hc_pernet_init() - register the per-netns state
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_pernet_init(void)
{
	return register_pernet_subsys(&xfrm_hc_net_ops);
}

/**
 * xfrm_hc_pernet_resync_all() - resync every namespace's SAs
 *
 * Called once the key manager hook is in: an SA added between a
 * namespace's first walk and the hook would be missed otherwise.
 */
void xfrm_hc_pernet_resync_all(void)
{
	struct net *net;

	down_read(&net_rwsem);
	for_each_net(net)
		xfrm_hc_km_resync(xfrm_hc_net(net));
	up_read(&net_rwsem);
}

/**
 * xfrm_hc_pernet_exit() - unregister the per-netns state
 *
 * Runs every namespace's exit: their peers, timers and SA references go.
 */
void xfrm_hc_pernet_exit(void)
{
	unregister_pernet_subsys(&xfrm_hc_net_ops);
}
