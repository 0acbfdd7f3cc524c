/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_KM_H
#define _XFRM_HC_KM_H

#include <linux/types.h>

struct xfrm_hc_net;
struct xfrm_hc_rule;

/* What an XFRM key-manager notification means for the SAs we follow. */
enum xfrm_hc_sa_event {
	XFRM_HC_SA_IGNORED,
	XFRM_HC_SA_ADDED,
	XFRM_HC_SA_DELETED,
	XFRM_HC_SA_FLUSHED,
};

enum xfrm_hc_sa_event xfrm_hc_km_classify(int msg_type, int hard);
void xfrm_hc_km_net_init(struct xfrm_hc_net *hn);
void xfrm_hc_km_net_exit(struct xfrm_hc_net *hn);
void xfrm_hc_km_resync(struct xfrm_hc_net *hn);
void xfrm_hc_km_resync_batched(struct xfrm_hc_net *hn);
void xfrm_hc_km_resync_locked(struct xfrm_hc_net *hn);
void xfrm_hc_km_rule_changed(struct xfrm_hc_net *hn,
			     const struct xfrm_hc_rule *rule, bool added);
void xfrm_hc_km_init(void);
void xfrm_hc_km_exit(void);

#endif /* _XFRM_HC_KM_H */
