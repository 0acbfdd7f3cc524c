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

/* When a peer is worth worrying about (RFC 3706's worry metric). */
enum xfrm_hc_mode {
	/* Worry when we keep sending and the peer sends nothing. */
	XFRM_HC_MODE_ON_DEMAND,
	/* Also worry when both directions are idle. */
	XFRM_HC_MODE_IDLE,
	/* Probe every interval, whatever the traffic. */
	XFRM_HC_MODE_PERIODIC,

	__XFRM_HC_MODE_MAX,
	XFRM_HC_MODE_MAX = __XFRM_HC_MODE_MAX - 1
};

/* What happens when a peer is declared dead. */
enum xfrm_hc_action {
	XFRM_HC_ACTION_NOTIFY,		/* the event only */
	XFRM_HC_ACTION_CLEAR,		/* delete its SAs, hard-expire to the IKE daemon */
	XFRM_HC_ACTION_RESTART,		/* hard-expire message only */

	__XFRM_HC_ACTION_MAX,
	XFRM_HC_ACTION_MAX = __XFRM_HC_ACTION_MAX - 1
};

enum xfrm_hc_peer_state {
	XFRM_HC_STATE_UP,
	XFRM_HC_STATE_DEAD,
	XFRM_HC_STATE_IDLE,		/* no traffic either way: not known dead */

	__XFRM_HC_STATE_MAX,
	XFRM_HC_STATE_MAX = __XFRM_HC_STATE_MAX - 1
};

/* Why a peer was declared dead. */
enum xfrm_hc_reason {
	XFRM_HC_REASON_NONE,
	XFRM_HC_REASON_PROBE_TIMEOUT,	/* probes went unanswered */
	XFRM_HC_REASON_ONE_WAY_TRAFFIC,	/* we sent, the peer did not */

	__XFRM_HC_REASON_MAX,
	XFRM_HC_REASON_MAX = __XFRM_HC_REASON_MAX - 1
};

#endif /* _UAPI_LINUX_XFRM_HC_H */
