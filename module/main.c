// SPDX-License-Identifier: GPL-2.0
/* Module init and exit only: a straight chain, undone in reverse. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "check.h"
#include "debugfs.h"
#include "events.h"
#include "km.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"
#include "timers.h"
#include "xfrm_hc.h"

static int __init xfrm_hc_init(void)
{
	int err;

	xfrm_hc_debugfs_init();
	err = xfrm_hc_peer_cache_init();
	if (err)
		goto err_cache;
	err = xfrm_hc_timers_init();
	if (err)
		goto err_timers;
	err = xfrm_hc_pernet_init();
	if (err)
		goto err_pernet;
	err = xfrm_hc_check_notifier_init();
	if (err)
		goto err_notifier;
	/* After the state: no request may see a netns without it. */
	err = xfrm_hc_nl_init();
	if (err)
		goto err_nl;
	xfrm_hc_events_enable();
	xfrm_hc_km_init();
	xfrm_hc_pernet_resync_all();

	pr_info("version " XFRM_HC_MODULE_VERSION " loaded\n");
	return 0;

err_nl:
	xfrm_hc_check_notifier_exit();
err_notifier:
	xfrm_hc_pernet_exit();
err_pernet:
	xfrm_hc_timers_exit();
err_timers:
	rcu_barrier();
	xfrm_hc_peer_cache_exit();
err_cache:
	xfrm_hc_debugfs_exit();
	return err;
}

static void __exit xfrm_hc_exit(void)
{
	xfrm_hc_km_exit();
	/* Timers still run until pernet exit: no event may use the family. */
	xfrm_hc_events_disable();
	xfrm_hc_nl_exit();
	xfrm_hc_check_notifier_exit();
	xfrm_hc_pernet_exit();
	xfrm_hc_timers_exit();
	/* Peers and SAs are freed by RCU callbacks from their caches. */
	rcu_barrier();
	xfrm_hc_peer_cache_exit();
	xfrm_hc_debugfs_exit();
}

module_init(xfrm_hc_init);
module_exit(xfrm_hc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("xfrm-hc developers");
MODULE_DESCRIPTION("In-kernel dead peer detection and health checks for IPsec SAs");
MODULE_VERSION(XFRM_HC_MODULE_VERSION);
