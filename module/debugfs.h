/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_DEBUGFS_H
#define _XFRM_HC_DEBUGFS_H

#include <linux/ktime.h>

void xfrm_hc_lateness_record(ktime_t expires, ktime_t now);
void xfrm_hc_debugfs_init(void);
void xfrm_hc_debugfs_exit(void);

#endif /* _XFRM_HC_DEBUGFS_H */
