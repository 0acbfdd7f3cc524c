/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_ACTION_H
#define _XFRM_HC_ACTION_H

#include <linux/types.h>

struct xfrm_hc_net;
struct xfrm_hc_peer;

void xfrm_hc_action_run(struct xfrm_hc_peer *peer, u8 action);
void xfrm_hc_action_net_init(struct xfrm_hc_net *hn);
void xfrm_hc_action_net_exit(struct xfrm_hc_net *hn);

#endif /* _XFRM_HC_ACTION_H */
