/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_ECHO_RESPONDER_H
#define _XFRM_HC_ECHO_RESPONDER_H

#include <linux/types.h>
#include <net/xfrm.h>

struct xfrm_hc_net;

extern ushort xfrm_hc_echo_port;

bool xfrm_hc_echo_same_tunnel(struct xfrm_state *in, struct xfrm_state *out);
int xfrm_hc_echo_net_enable(struct xfrm_hc_net *hn);
void xfrm_hc_echo_net_exit(struct xfrm_hc_net *hn);

#endif /* _XFRM_HC_ECHO_RESPONDER_H */
