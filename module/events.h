/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_EVENTS_H
#define _XFRM_HC_EVENTS_H

#include <linux/gfp.h>
#include <linux/types.h>

struct xfrm_hc_check;
struct xfrm_hc_peer;

void xfrm_hc_event_peer(struct xfrm_hc_peer *peer, u8 cmd, gfp_t gfp);
void xfrm_hc_event_state(struct xfrm_hc_peer *peer, u8 state, gfp_t gfp);
void xfrm_hc_event_check(struct xfrm_hc_check *c, u8 cmd, gfp_t gfp);
void xfrm_hc_events_enable(void);
void xfrm_hc_events_disable(void);

#endif /* _XFRM_HC_EVENTS_H */
