/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for (Debian 12's 6.1 and
 * 6.12) lives here, so the rest of the module reads as current mainline.
 */
#ifndef _XFRM_HC_COMPAT_H
#define _XFRM_HC_COMPAT_H

#include <linux/version.h>
#include <net/genetlink.h>

/*
 * Joining the events group must need CAP_NET_ADMIN in the netns. Mainline
 * 6.6 added the flag and Debian's 6.1 has it backported; a kernel without
 * it would let anyone listen, so refuse to build rather than ship that.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "kernel lacks GENL_MCAST_CAP_NET_ADMIN: update its headers"
#endif

#endif /* _XFRM_HC_COMPAT_H */
