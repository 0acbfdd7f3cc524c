/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_TIMERS_H
#define _XFRM_HC_TIMERS_H

#include <linux/types.h>

struct xfrm_hc_peer;

void xfrm_hc_timer_init(struct xfrm_hc_peer *peer);
void xfrm_hc_timer_start(struct xfrm_hc_peer *peer);
void xfrm_hc_timer_interval_changed(struct xfrm_hc_peer *peer);
void xfrm_hc_timer_stop(struct xfrm_hc_peer *peer);
int xfrm_hc_timers_init(void);
void xfrm_hc_timers_exit(void);

#endif /* _XFRM_HC_TIMERS_H */
