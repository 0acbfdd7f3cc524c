/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we build for (Debian 12's 6.1 and
 * 6.12) lives here, so the rest of the module reads as current mainline.
 */
#ifndef _XFRM_HC_COMPAT_H
#define _XFRM_HC_COMPAT_H

#include <linux/xfrm_hc.h>
#include <net/genetlink.h>
#include <net/xfrm.h>

/*
 * Joining the events group must need CAP_NET_ADMIN in the netns. Mainline
 * 6.6 added the flag and Debian's 6.1 has it backported; a kernel without
 * it would let anyone listen, so refuse to build rather than ship that.
 */
#ifndef GENL_MCAST_CAP_NET_ADMIN
#error "kernel lacks GENL_MCAST_CAP_NET_ADMIN: update its headers"
#endif

/*
 * Kbuild probes the kernel's headers for what we use here and defines
 * XFRM_HC_HAVE_*: feature tests, not version numbers.
 */

/* 6.10 lets IKE daemons say an SA's direction; before, we must work it out. */
static inline int xfrm_hc_compat_state_dir(const struct xfrm_state *x)
{
#ifdef XFRM_HC_HAVE_SA_DIR
	if (x->dir == XFRM_SA_DIR_IN)
		return XFRM_HC_DIR_IN;
	if (x->dir == XFRM_SA_DIR_OUT)
		return XFRM_HC_DIR_OUT;
#endif
	return -1;
}

/* 6.8 moved a dump's parsed attributes into genl_dumpit_info.info. */
static inline struct nlattr **xfrm_hc_compat_dump_attrs(struct netlink_callback *cb)
{
#ifdef XFRM_HC_HAVE_GENL_INFO_DUMP
	return genl_info_dump(cb)->attrs;
#else
	return genl_dumpit_info(cb)->attrs;
#endif
}

/* 6.9 sends NAT-T keepalives itself for SAs given an interval. */
static inline bool xfrm_hc_compat_sa_keepalive(const struct xfrm_state *x)
{
#ifdef XFRM_HC_HAVE_NAT_KEEPALIVE
	return READ_ONCE(x->nat_keepalive_interval);
#else
	return false;
#endif
}

#endif /* _XFRM_HC_COMPAT_H */
