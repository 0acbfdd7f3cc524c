/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_FAILOVER_H
#define _XFRM_HC_FAILOVER_H

#include <linux/netdevice.h>

struct xfrm_hc_check;

bool xfrm_hc_failover_dev_ok(const struct net_device *dev);
u32 xfrm_hc_failover_if_id(const struct net_device *dev);
void xfrm_hc_failover_apply(struct xfrm_hc_check *c);
void xfrm_hc_failover_release(struct xfrm_hc_check *c);

#endif /* _XFRM_HC_FAILOVER_H */
