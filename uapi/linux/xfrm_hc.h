/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * xfrm_hc: in-kernel dead peer detection and health checks for XFRM SAs.
 *
 * Generic netlink family "xfrm_hc". Every message is TLV only: no structs.
 */
#ifndef _UAPI_LINUX_XFRM_HC_H
#define _UAPI_LINUX_XFRM_HC_H

#define XFRM_HC_GENL_NAME		"xfrm_hc"
#define XFRM_HC_GENL_VERSION		1
#define XFRM_HC_MCGRP_EVENTS		"events"

enum xfrm_hc_cmd {
	XFRM_HC_CMD_UNSPEC,
	/* Module version and counters of the caller's netns. */
	XFRM_HC_CMD_VERSION_GET,

	__XFRM_HC_CMD_MAX,
	XFRM_HC_CMD_MAX = __XFRM_HC_CMD_MAX - 1
};

enum xfrm_hc_attr {
	XFRM_HC_A_UNSPEC,
	XFRM_HC_A_MODULE_VERSION,	/* string */
	XFRM_HC_A_GENL_VERSION,		/* u32 */
	XFRM_HC_A_STATS,		/* nest of enum xfrm_hc_stat */

	__XFRM_HC_A_MAX,
	XFRM_HC_A_MAX = __XFRM_HC_A_MAX - 1
};

/*
 * Counters. Each is a u64 attribute inside XFRM_HC_A_STATS; readers skip
 * the ones they do not know, so new counters can be added at the end.
 */
enum xfrm_hc_stat {
	XFRM_HC_STAT_UNSPEC,
	XFRM_HC_STAT_PAD,
	XFRM_HC_STAT_NETNS,		/* network namespaces the module serves */
	XFRM_HC_STAT_REQUESTS,		/* genl requests in this netns */
	XFRM_HC_STAT_SA_ADDED,		/* SA add/update notifications seen */
	XFRM_HC_STAT_SA_DELETED,	/* SA delete/expire notifications seen */
	XFRM_HC_STAT_SA_FLUSHES,	/* SA flush notifications seen */

	__XFRM_HC_STAT_MAX,
	XFRM_HC_STAT_MAX = __XFRM_HC_STAT_MAX - 1
};

#endif /* _UAPI_LINUX_XFRM_HC_H */
