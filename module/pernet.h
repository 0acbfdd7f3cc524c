/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PERNET_H
#define _XFRM_HC_PERNET_H

#include <linux/atomic.h>
#include <net/net_namespace.h>

/**
 * struct xfrm_hc_net - state of xfrm_hc in one network namespace
 * @requests: generic netlink requests served
 * @sa_added: SA add and update notifications seen
 * @sa_deleted: SA delete and expire notifications seen
 * @sa_flushes: SA flush notifications seen
 */
struct xfrm_hc_net {
	atomic64_t requests;
	atomic64_t sa_added;
	atomic64_t sa_deleted;
	atomic64_t sa_flushes;
};

struct xfrm_hc_net *xfrm_hc_net(const struct net *net);
u64 xfrm_hc_netns_count(void);
int xfrm_hc_pernet_init(void);
void xfrm_hc_pernet_exit(void);

#endif /* _XFRM_HC_PERNET_H */
