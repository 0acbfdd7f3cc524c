// SPDX-License-Identifier: GPL-2.0
/* Per network namespace state: one struct xfrm_hc_net per netns. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/netns/generic.h>

#include "pernet.h"

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
	/* net_generic storage comes zeroed: the counters start at 0. */
	atomic64_inc(&xfrm_hc_netns_alive);
	return 0;
}

static void __net_exit xfrm_hc_net_exit(struct net *net)
{
	atomic64_dec(&xfrm_hc_netns_alive);
}

static struct pernet_operations xfrm_hc_net_ops = {
	.init = xfrm_hc_net_init,
	.exit = xfrm_hc_net_exit,
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
 * xfrm_hc_pernet_exit() - unregister the per-netns state
 */
void xfrm_hc_pernet_exit(void)
{
	unregister_pernet_subsys(&xfrm_hc_net_ops);
}
