/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_NETLINK_H
#define _XFRM_HC_NETLINK_H

#include <linux/skbuff.h>
#include <linux/xfrm_hc.h>
#include <net/genetlink.h>
#include <net/xfrm.h>

struct xfrm_hc_net;
struct xfrm_hc_check;
struct xfrm_hc_peer;

extern struct genl_family xfrm_hc_genl_family;

int xfrm_hc_nl_fill_version(struct sk_buff *skb, struct xfrm_hc_net *hn);
int xfrm_hc_nl_put_peer(struct sk_buff *skb, struct xfrm_hc_peer *peer, u8 cmd);
size_t xfrm_hc_nl_peer_size(struct xfrm_hc_peer *peer);
int xfrm_hc_nl_put_check(struct sk_buff *skb, struct xfrm_hc_check *c, u8 cmd);
size_t xfrm_hc_nl_check_size(void);
int xfrm_hc_nl_get_addr(const struct nlattr *attr, xfrm_address_t *addr,
			u16 *family, struct netlink_ext_ack *extack);
int xfrm_hc_addr_len(u16 family);
u64 xfrm_hc_ms_since(ktime_t then, ktime_t now);
struct xfrm_hc_net *xfrm_hc_nl_net(struct genl_info *info);
struct sk_buff *xfrm_hc_nl_reply_new(struct genl_info *info, u8 cmd,
				     void **hdr);
void *xfrm_hc_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			  u8 cmd);
int xfrm_hc_nl_dump_start(struct netlink_callback *cb);

extern const struct nla_policy xfrm_hc_check_cmd_policy[XFRM_HC_A_MAX + 1];
int xfrm_hc_nl_check_add(struct sk_buff *skb, struct genl_info *info);
int xfrm_hc_nl_check_set(struct sk_buff *skb, struct genl_info *info);
int xfrm_hc_nl_check_del(struct sk_buff *skb, struct genl_info *info);
int xfrm_hc_nl_check_get(struct sk_buff *skb, struct genl_info *info);
int xfrm_hc_nl_check_dump(struct sk_buff *skb, struct netlink_callback *cb);
int xfrm_hc_nl_init(void);
void xfrm_hc_nl_exit(void);

#endif /* _XFRM_HC_NETLINK_H */
