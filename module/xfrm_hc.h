/* SPDX-License-Identifier: GPL-2.0 */
/* Module-wide constants shared by every file of xfrm_hc. */
#ifndef _XFRM_HC_H
#define _XFRM_HC_H

#define XFRM_HC_MODULE_VERSION	"0.1.0"

#endif /* _XFRM_HC_H */
