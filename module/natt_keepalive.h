/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_NATT_KEEPALIVE_H
#define _XFRM_HC_NATT_KEEPALIVE_H

#include <linux/ktime.h>

struct xfrm_hc_peer;
struct xfrm_hc_profile;

ktime_t xfrm_hc_natt_keepalive_tick(struct xfrm_hc_peer *peer,
				    const struct xfrm_hc_profile *prof,
				    ktime_t now);

#endif /* _XFRM_HC_NATT_KEEPALIVE_H */
