/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_ACTION_H
#define _XFRM_HC_ACTION_H

#include <linux/types.h>

struct xfrm_hc_peer;

void xfrm_hc_action_run(struct xfrm_hc_peer *peer, u8 action);

#endif /* _XFRM_HC_ACTION_H */
