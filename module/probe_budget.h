/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PROBE_BUDGET_H
#define _XFRM_HC_PROBE_BUDGET_H

#include <linux/types.h>

u8 xfrm_hc_probe_budget_spent_pct(void);
void xfrm_hc_probe_budget_charge(u64 start);

#endif /* _XFRM_HC_PROBE_BUDGET_H */
