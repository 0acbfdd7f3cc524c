/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_NETLINK_H
#define _XFRM_HC_NETLINK_H

#include <linux/skbuff.h>

struct xfrm_hc_net;

int xfrm_hc_nl_fill_version(struct sk_buff *skb, struct xfrm_hc_net *hn);
int xfrm_hc_nl_init(void);
void xfrm_hc_nl_exit(void);

#endif /* _XFRM_HC_NETLINK_H */
