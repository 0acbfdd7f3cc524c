// SPDX-License-Identifier: GPL-2.0
/*
 * Where failover happens: a check with "action failover" on an XFRM
 * interface turns the interface's carrier off when the check goes down
 * and on when it comes up.
 *
 * The carrier is the one signal everything already follows: routes through
 * the interface go linkdown (and, with ignore_routes_with_linkdown, the FIB
 * takes the backup route at once), and routing daemons withdraw what they
 * announced over it. No userspace is in the path. The check's own probes
 * do not go through the interface's transmit path (see probe.c), so they
 * still see the tunnel come back while the carrier is off.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/netdevice.h>
#include <net/rtnetlink.h>
#include <net/xfrm.h>

#include "check.h"
#include "failover.h"

/**
 * xfrm_hc_failover_dev_ok() - whether a device is an XFRM interface
 * @dev: the device
 *
 * Return: true for an interface of kind "xfrm".
 */
bool xfrm_hc_failover_dev_ok(const struct net_device *dev)
{
	return dev->rtnl_link_ops && !strcmp(dev->rtnl_link_ops->kind, "xfrm");
}

/**
 * xfrm_hc_failover_if_id() - the if_id of an XFRM interface
 * @dev: an interface xfrm_hc_failover_dev_ok() accepted
 *
 * Return: the if_id its policies and SAs carry.
 */
u32 xfrm_hc_failover_if_id(const struct net_device *dev)
{
	const struct xfrm_if *xi = netdev_priv(dev);

	return READ_ONCE(xi->p.if_id);
}

/**
 * xfrm_hc_failover_apply() - make the carrier follow a check's new state
 * @c: the check, its lock held
 *
 * Context: any; netif_carrier_on/off() only queue the link change.
 */
void xfrm_hc_failover_apply(struct xfrm_hc_check *c)
{
	lockdep_assert_held(&c->lock);
	if (c->conf.action != XFRM_HC_ACTION_FAILOVER || !c->dev)
		return;
	if (c->sm.state == XFRM_HC_CHECK_STATE_DOWN && !c->carrier_off) {
		netif_carrier_off(c->dev);
		c->carrier_off = true;
	} else if (c->sm.state == XFRM_HC_CHECK_STATE_UP && c->carrier_off) {
		netif_carrier_on(c->dev);
		c->carrier_off = false;
	}
}

/**
 * xfrm_hc_failover_release() - give the carrier back
 * @c: the check, its lock held
 *
 * For a check that is deleted, changed or loses its interface: a carrier
 * we turned off must not stay off with nobody left to turn it on.
 */
void xfrm_hc_failover_release(struct xfrm_hc_check *c)
{
	lockdep_assert_held(&c->lock);
	if (c->carrier_off && c->dev)
		netif_carrier_on(c->dev);
	c->carrier_off = false;
}
