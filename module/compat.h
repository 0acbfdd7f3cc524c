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

/*
 * 6.12 keeps each inbound SA that received a packet on a CPU in a per-CPU
 * list (state_cache_input) that every ESP packet on that CPU walks before
 * the SPI hash, and never trims. Answered probes would put every idle
 * tunnel there: with 50,000 tunnels each packet, data or probe, walks
 * thousands of entries. So the SA an answer came through is taken out
 * again; a tunnel with traffic is put back by its next packet. Under
 * xfrm_state_lock, as the kernel changes the list; readers walk it under
 * RCU, and hlist_del_init_rcu() leaves them a valid next pointer.
 */
static inline void xfrm_hc_compat_input_cache_forget(struct xfrm_state *x)
{
#ifdef XFRM_HC_HAVE_INPUT_STATE_CACHE
	struct net *net = xs_net(x);

	if (hlist_unhashed_lockless(&x->state_cache_input))
		return;
	spin_lock_bh(&net->xfrm.xfrm_state_lock);
	if (!hlist_unhashed(&x->state_cache_input))
		hlist_del_init_rcu(&x->state_cache_input);
	spin_unlock_bh(&net->xfrm.xfrm_state_lock);
#endif
}

#endif /* _XFRM_HC_COMPAT_H */
