/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_NETLINK_H
#define _XFRM_HC_NETLINK_H

#include <linux/skbuff.h>
#include <net/genetlink.h>

struct xfrm_hc_net;
struct xfrm_hc_peer;

extern struct genl_family xfrm_hc_genl_family;

int xfrm_hc_nl_fill_version(struct sk_buff *skb, struct xfrm_hc_net *hn);
int xfrm_hc_nl_put_peer(struct sk_buff *skb, struct xfrm_hc_peer *peer, u8 cmd);
size_t xfrm_hc_nl_peer_size(struct xfrm_hc_peer *peer);
int xfrm_hc_nl_init(void);
void xfrm_hc_nl_exit(void);

#endif /* _XFRM_HC_NETLINK_H */
