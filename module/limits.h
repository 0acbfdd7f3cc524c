/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_LIMITS_H
#define _XFRM_HC_LIMITS_H

#include <linux/types.h>

#include "objects.h"

bool xfrm_hc_limit_take(enum xfrm_hc_obj kind);

#endif /* _XFRM_HC_LIMITS_H */
