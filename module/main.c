// SPDX-License-Identifier: GPL-2.0
/* Module init and exit only: a straight chain, undone in reverse. */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/rcupdate.h>

#include "km.h"
#include "netlink.h"
#include "pernet.h"
#include "xfrm_hc.h"

static int __init xfrm_hc_init(void)
{
	int err;

	err = xfrm_hc_pernet_init();
	if (err)
		goto err_pernet;
	/* Before the family: no request may see a netns without state. */
	err = xfrm_hc_nl_init();
	if (err)
		goto err_nl;
	xfrm_hc_km_init();

	pr_info("version " XFRM_HC_MODULE_VERSION " loaded\n");
	return 0;

err_nl:
	xfrm_hc_pernet_exit();
err_pernet:
	return err;
}

static void __exit xfrm_hc_exit(void)
{
	xfrm_hc_km_exit();
	xfrm_hc_nl_exit();
	xfrm_hc_pernet_exit();
	rcu_barrier();
}

module_init(xfrm_hc_init);
module_exit(xfrm_hc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("xfrm-hc developers");
MODULE_DESCRIPTION("In-kernel dead peer detection and health checks for IPsec SAs");
MODULE_VERSION(XFRM_HC_MODULE_VERSION);
