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
	/* The profile of the built-in default rule: A_PROFILE. */
	XFRM_HC_CMD_DEFAULTS_GET,
	XFRM_HC_CMD_DEFAULTS_SET,
	/* Rules: A_RULE. DEL by RULE_PRIO; GET dumps them in order. */
	XFRM_HC_CMD_RULE_ADD,
	XFRM_HC_CMD_RULE_DEL,
	XFRM_HC_CMD_RULE_GET,
	XFRM_HC_CMD_RULE_FLUSH,
	/*
	 * Dump of peers (A_PEER each), optionally filtered by A_PEER's REMOTE.
	 * A peer with more SAs than fit in one message comes in several in a
	 * row, each with the peer's attributes and the next of its SAs.
	 */
	XFRM_HC_CMD_PEER_GET,
	/* Events on the "events" group, each with one A_PEER. */
	XFRM_HC_CMD_PEER_DOWN,
	XFRM_HC_CMD_PEER_UP,
	XFRM_HC_CMD_PEER_IDLE,
	XFRM_HC_CMD_PEER_GONE,
	/*
	 * Health checks: A_CHECK. ADD needs NAME, SRC and DST; SET changes
	 * the given settings of check NAME and keeps its state and counters;
	 * DEL takes NAME; GET with NAME answers one, as a dump lists all.
	 */
	XFRM_HC_CMD_CHECK_ADD,
	XFRM_HC_CMD_CHECK_SET,
	XFRM_HC_CMD_CHECK_DEL,
	XFRM_HC_CMD_CHECK_GET,
	/* Events on the "events" group, each with one A_CHECK. */
	XFRM_HC_CMD_CHECK_DOWN,
	XFRM_HC_CMD_CHECK_UP,

	__XFRM_HC_CMD_MAX,
	XFRM_HC_CMD_MAX = __XFRM_HC_CMD_MAX - 1
};

enum xfrm_hc_attr {
	XFRM_HC_A_UNSPEC,
	XFRM_HC_A_MODULE_VERSION,	/* string */
	XFRM_HC_A_GENL_VERSION,		/* u32 */
	XFRM_HC_A_STATS,		/* nest of enum xfrm_hc_stat */
	XFRM_HC_A_PROFILE,		/* nest of enum xfrm_hc_profile_attr */
	XFRM_HC_A_RULE,			/* nest of enum xfrm_hc_rule_attr */
	XFRM_HC_A_PEER,			/* nest of enum xfrm_hc_peer_attr */
	/* u32: changes whenever the peer table does; in dumps and events */
	XFRM_HC_A_GENERATION,
	XFRM_HC_A_CHECK,		/* nest of enum xfrm_hc_check_attr */
	/* u8, 0 or 1, default 1: answer xfrm-hc echo requests (DEFAULTS_*) */
	XFRM_HC_A_ECHO_RESPONDER,

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
	XFRM_HC_STAT_PEERS,		/* peers monitored now */
	XFRM_HC_STAT_SAS,		/* SAs monitored now */
	XFRM_HC_STAT_PEERS_DEAD,	/* peers dead now */
	XFRM_HC_STAT_PROBES_SENT,
	XFRM_HC_STAT_PROBES_ANSWERED,
	XFRM_HC_STAT_EVENTS_SENT,
	XFRM_HC_STAT_EVENTS_DROPPED,	/* could not be built or sent */
	XFRM_HC_STAT_LATE_TICKS,	/* timers that fired > interval/2 late */
	XFRM_HC_STAT_CHECKS,		/* health checks now */
	XFRM_HC_STAT_CHECKS_DOWN,	/* health checks down now */
	XFRM_HC_STAT_NATT_KEEPALIVES,	/* NAT-T keepalives sent */
	XFRM_HC_STAT_PEERS_REFUSED,	/* SAs of peers past max_peers */
	XFRM_HC_STAT_PROBES_SHED,	/* not sent: past probe_cpu_pct or probe_softirq_pct */
	XFRM_HC_STAT_PROBES_UNROUTED,	/* not sent: not routed through the peer's SA */
	XFRM_HC_STAT_ANSWERS_REJECTED,	/* not signed by us for their tunnel */
	XFRM_HC_STAT_ECHO_ANSWERED,	/* echo requests of peers answered */
	XFRM_HC_STAT_ECHO_LIMITED,	/* not answered: past echo_rate or the CPU budget */
	XFRM_HC_STAT_ECHO_UNROUTED,	/* not answered: no route back by the same tunnel */

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
	/* Checks on an XFRM interface only: its carrier follows the check. */
	XFRM_HC_ACTION_FAILOVER,

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

/* How a peer is probed. */
enum xfrm_hc_probe_method {
	XFRM_HC_PROBE_METHOD_PASSIVE,	/* not probed: its SA counters only */
	XFRM_HC_PROBE_METHOD_ICMP,	/* ICMP echo to its probe target */
	/* xfrm-hc's echo, answered by the module on the peer */
	XFRM_HC_PROBE_METHOD_ECHO,

	__XFRM_HC_PROBE_METHOD_MAX,
	XFRM_HC_PROBE_METHOD_MAX = __XFRM_HC_PROBE_METHOD_MAX - 1
};

/* Inside XFRM_HC_A_PROFILE. Absent attributes keep their current value. */
enum xfrm_hc_profile_attr {
	XFRM_HC_PROFILE_UNSPEC,
	XFRM_HC_PROFILE_INTERVAL_MS,	/* u32, 10 .. 3600000, default 1000 */
	XFRM_HC_PROFILE_MISSES,		/* u8, 1 .. 255, default 3 */
	XFRM_HC_PROFILE_UP,		/* u8, 1 .. 255, default 1 */
	XFRM_HC_PROFILE_JITTER,		/* u8, percent, 0 .. 25, default 10 */
	XFRM_HC_PROFILE_MODE,		/* u8, enum xfrm_hc_mode */
	XFRM_HC_PROFILE_ACTION,		/* u8, enum xfrm_hc_action */
	/* Inner addresses of probes: 4 or 16 bytes, same family, both or none */
	XFRM_HC_PROFILE_PROBE_SRC,
	XFRM_HC_PROFILE_PROBE_DST,
	/*
	 * u16, seconds, 0 .. 3600, default 20, 0 is off: RFC 3948 keepalives
	 * for UDP-encapsulated SAs that sent nothing for that long.
	 */
	XFRM_HC_PROFILE_NATT_KEEPALIVE,

	__XFRM_HC_PROFILE_MAX,
	XFRM_HC_PROFILE_MAX = __XFRM_HC_PROFILE_MAX - 1
};

/* Inside XFRM_HC_A_RULE. Absent match attributes match anything. */
enum xfrm_hc_rule_attr {
	XFRM_HC_RULE_UNSPEC,
	XFRM_HC_RULE_PRIO,		/* u32, lower first; unique per netns */
	XFRM_HC_RULE_REQID_MIN,		/* u32 */
	XFRM_HC_RULE_REQID_MAX,		/* u32, >= REQID_MIN */
	XFRM_HC_RULE_MARK,		/* u32, with MARK_MASK */
	XFRM_HC_RULE_MARK_MASK,		/* u32 */
	XFRM_HC_RULE_IF_ID,		/* u32 */
	XFRM_HC_RULE_FAMILY,		/* u8, AF_INET or AF_INET6 */
	XFRM_HC_RULE_REMOTE,		/* 4 or 16 bytes: remote gateway prefix */
	XFRM_HC_RULE_REMOTE_PLEN,	/* u8 */
	XFRM_HC_RULE_PROFILE,		/* nest of enum xfrm_hc_profile_attr */
	XFRM_HC_RULE_MATCHES,		/* u64, SAs the rule matched (dump) */
	XFRM_HC_RULE_PAD,

	__XFRM_HC_RULE_MAX,
	XFRM_HC_RULE_MAX = __XFRM_HC_RULE_MAX - 1
};

/* Inside XFRM_HC_A_PEER. */
enum xfrm_hc_peer_attr {
	XFRM_HC_PEER_UNSPEC,
	XFRM_HC_PEER_PAD,
	XFRM_HC_PEER_FAMILY,		/* u8, AF_INET or AF_INET6 */
	XFRM_HC_PEER_LOCAL,		/* 4 or 16 bytes: our outer address */
	XFRM_HC_PEER_REMOTE,		/* 4 or 16 bytes: the gateway's */
	XFRM_HC_PEER_ENCAP_SPORT,	/* u16, host order: NAT-T, our port */
	XFRM_HC_PEER_ENCAP_DPORT,	/* u16, host order: NAT-T, theirs */
	XFRM_HC_PEER_IF_ID,		/* u32 */
	XFRM_HC_PEER_STATE,		/* u8, enum xfrm_hc_peer_state */
	XFRM_HC_PEER_REASON,		/* u8, enum xfrm_hc_reason */
	XFRM_HC_PEER_RULE_PRIO,		/* u32, the rule that watches it; absent: default */
	XFRM_HC_PEER_PROFILE,		/* nest of enum xfrm_hc_profile_attr */
	XFRM_HC_PEER_IN_PACKETS,	/* u64, over its inbound SAs */
	XFRM_HC_PEER_OUT_PACKETS,	/* u64, over its outbound SAs */
	XFRM_HC_PEER_PROBES_SENT,	/* u64 */
	XFRM_HC_PEER_PROBES_ANSWERED,	/* u64 */
	XFRM_HC_PEER_RTT_MIN_US,	/* u32, present once a probe was answered */
	XFRM_HC_PEER_RTT_AVG_US,	/* u32 */
	XFRM_HC_PEER_RTT_MAX_US,	/* u32 */
	XFRM_HC_PEER_LAST_CHANGE_MS,	/* u64, ms since the last state change */
	XFRM_HC_PEER_LAST_IN_MS,	/* u64, ms since inbound traffic was last seen */
	XFRM_HC_PEER_DETECT_MS,		/* u32, while dead: last evidence to verdict */
	XFRM_HC_PEER_SA,		/* nest of enum xfrm_hc_sa_attr; one per SA */
	XFRM_HC_PEER_NATT_KEEPALIVES,	/* u64, RFC 3948 keepalives we sent */
	XFRM_HC_PEER_PROBE_METHOD,	/* u8, enum xfrm_hc_probe_method */

	__XFRM_HC_PEER_MAX,
	XFRM_HC_PEER_MAX = __XFRM_HC_PEER_MAX - 1
};

/* Inside each XFRM_HC_PEER_SA. */
enum xfrm_hc_sa_attr {
	XFRM_HC_SA_UNSPEC,
	XFRM_HC_SA_SPI,			/* u32, host order */
	XFRM_HC_SA_PROTO,		/* u8, IPPROTO_ESP or IPPROTO_AH */
	XFRM_HC_SA_DIR,			/* u8, enum xfrm_hc_dir */
	XFRM_HC_SA_REQID,		/* u32 */
	XFRM_HC_SA_MARK,		/* u32 */
	XFRM_HC_SA_MARK_MASK,		/* u32 */
	XFRM_HC_SA_IF_ID,		/* u32 */

	__XFRM_HC_SA_MAX,
	XFRM_HC_SA_MAX = __XFRM_HC_SA_MAX - 1
};

/* How a health check probes. */
enum xfrm_hc_check_mode {
	XFRM_HC_CHECK_MODE_PERIODIC,	/* a probe every interval */
	/* No probe while the tunnel's inbound SAs count traffic. */
	XFRM_HC_CHECK_MODE_OPTIMIZED,

	__XFRM_HC_CHECK_MODE_MAX,
	XFRM_HC_CHECK_MODE_MAX = __XFRM_HC_CHECK_MODE_MAX - 1
};

enum xfrm_hc_check_state {
	XFRM_HC_CHECK_STATE_UNKNOWN,	/* no verdict yet */
	XFRM_HC_CHECK_STATE_UP,
	XFRM_HC_CHECK_STATE_DOWN,

	__XFRM_HC_CHECK_STATE_MAX,
	XFRM_HC_CHECK_STATE_MAX = __XFRM_HC_CHECK_STATE_MAX - 1
};

/*
 * Inside XFRM_HC_A_CHECK. Settings (SET: absent ones are kept) come first,
 * then what the kernel reports.
 */
enum xfrm_hc_check_attr {
	XFRM_HC_CHECK_UNSPEC,
	XFRM_HC_CHECK_PAD,
	XFRM_HC_CHECK_NAME,		/* string, 1 .. 31 of [A-Za-z0-9_.-] */
	XFRM_HC_CHECK_SRC,		/* 4 or 16 bytes: inner source */
	XFRM_HC_CHECK_DST,		/* 4 or 16 bytes: what to probe */
	/* u32, an XFRM interface: route-based. 0 with SET: none */
	XFRM_HC_CHECK_IFINDEX,
	XFRM_HC_CHECK_IF_ID,		/* u32, policy if_id without an interface */
	XFRM_HC_CHECK_INTERVAL_MS,	/* u32, 10 .. 3600000, default 1000 */
	XFRM_HC_CHECK_MISSES,		/* u8, 1 .. 255, default 3 */
	XFRM_HC_CHECK_UP,		/* u8, 1 .. 255, default 3 */
	/* u32, 10 .. 8 intervals; 0 (the default): one interval */
	XFRM_HC_CHECK_TIMEOUT_MS,
	XFRM_HC_CHECK_MODE,		/* u8, enum xfrm_hc_check_mode */
	XFRM_HC_CHECK_ACTION,		/* u8, enum xfrm_hc_action */
	/* Reported only from here on. */
	XFRM_HC_CHECK_IFNAME,		/* string: the interface's name */
	XFRM_HC_CHECK_STATE,		/* u8, enum xfrm_hc_check_state */
	XFRM_HC_CHECK_FLAPPING,		/* u8, 1: flapping, interval stretched */
	XFRM_HC_CHECK_CUR_INTERVAL_MS,	/* u32, interval in use */
	XFRM_HC_CHECK_PROBES_SENT,	/* u64 */
	XFRM_HC_CHECK_PROBES_ANSWERED,	/* u64, in time */
	XFRM_HC_CHECK_PROBES_LOST,	/* u64, timed out */
	XFRM_HC_CHECK_PROBES_SKIPPED,	/* u64, optimized: traffic seen */
	XFRM_HC_CHECK_SEND_ERRORS,	/* u64, no route, no SA, no memory */
	XFRM_HC_CHECK_RTT_MIN_US,	/* u32, present once a probe was answered */
	XFRM_HC_CHECK_RTT_AVG_US,	/* u32 */
	XFRM_HC_CHECK_RTT_MAX_US,	/* u32 */
	XFRM_HC_CHECK_RTT_LAST_US,	/* u32 */
	XFRM_HC_CHECK_TRANSITIONS,	/* u64, state changes */
	XFRM_HC_CHECK_LAST_CHANGE_MS,	/* u64, ms since the last state change */
	XFRM_HC_CHECK_DETECT_MS,	/* u32, while down: last answer to verdict */

	__XFRM_HC_CHECK_MAX,
	XFRM_HC_CHECK_MAX = __XFRM_HC_CHECK_MAX - 1
};

enum xfrm_hc_dir {
	XFRM_HC_DIR_IN,
	XFRM_HC_DIR_OUT,
};

#endif /* _UAPI_LINUX_XFRM_HC_H */
