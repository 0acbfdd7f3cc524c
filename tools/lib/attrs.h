/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects of the xfrm_hc family as C structs: profiles, rules, peers,
 * checks and events, to and from their netlink attributes.
 */
#ifndef XFRM_HC_TOOL_ATTRS_H
#define XFRM_HC_TOOL_ATTRS_H

#include <stdbool.h>
#include <stdint.h>
#include <linux/xfrm_hc.h>
#include <netlink/msg.h>
#include <netlink/attr.h>

#include "parse.h"

/* Bit N of a "set" mask: attribute N was given or received. */
#define HC_BIT(attr) (1ULL << (attr))

struct hc_profile {
	uint64_t set;			/* HC_BIT(XFRM_HC_PROFILE_*) */
	uint32_t interval_ms;
	uint8_t misses;
	uint8_t up;
	uint8_t jitter;
	uint8_t mode;
	uint8_t action;
	struct hc_addr probe_src;
	struct hc_addr probe_dst;
	uint16_t natt_keepalive;	/* seconds, 0: none */
};

struct hc_rule {
	uint64_t set;			/* HC_BIT(XFRM_HC_RULE_*) */
	uint32_t prio;
	uint32_t reqid_min;
	uint32_t reqid_max;
	uint32_t mark;
	uint32_t mark_mask;
	uint32_t if_id;
	uint8_t family;
	struct hc_addr remote;		/* with its prefix length */
	struct hc_profile profile;
	uint64_t matches;
};

struct hc_sa {
	uint32_t spi;			/* host order */
	uint8_t proto;
	uint8_t dir;
	uint32_t reqid;
	uint32_t mark;
	uint32_t mark_mask;
	uint32_t if_id;
};

struct hc_peer {
	uint64_t set;			/* HC_BIT(XFRM_HC_PEER_*) */
	uint8_t family;
	struct hc_addr local;
	struct hc_addr remote;
	uint16_t encap_sport;
	uint16_t encap_dport;
	uint32_t if_id;
	uint8_t state;
	uint8_t reason;
	uint8_t probe_method;		/* enum xfrm_hc_probe_method */
	uint32_t rule_prio;
	struct hc_profile profile;
	uint64_t in_packets;
	uint64_t out_packets;
	uint64_t probes_sent;
	uint64_t probes_answered;
	uint32_t rtt_min_us;
	uint32_t rtt_avg_us;
	uint32_t rtt_max_us;
	uint64_t last_change_ms;
	uint64_t last_in_ms;
	uint32_t detect_ms;
	uint64_t natt_keepalives;
	unsigned int n_sas;
	struct hc_sa *sas;		/* malloc()ed: hc_peer_free() */
};

/* Whether check C has XFRM_HC_CHECK_ATTR. */
#define HC_CHECK_HAS(c, attr) ((c)->set & HC_BIT(XFRM_HC_CHECK_##attr))

/* A check's name, with its NUL; an interface's (IFNAMSIZ). */
#define HC_CHECK_NAME_LEN	32
#define HC_IFNAME_LEN		16

struct hc_check {
	uint64_t set;			/* HC_BIT(XFRM_HC_CHECK_*) */
	char name[HC_CHECK_NAME_LEN];
	struct hc_addr src;
	struct hc_addr dst;
	uint32_t ifindex;		/* 0: none */
	char ifname[HC_IFNAME_LEN];	/* "": unknown */
	uint32_t if_id;
	uint32_t interval_ms;
	uint8_t misses;
	uint8_t up;
	uint32_t timeout_ms;		/* 0: one interval */
	uint8_t mode;
	uint8_t action;
	/* What the kernel reports. */
	uint8_t state;
	uint8_t flapping;
	uint32_t cur_interval_ms;
	uint64_t probes_sent;
	uint64_t probes_answered;
	uint64_t probes_lost;
	uint64_t probes_skipped;
	uint64_t send_errors;
	uint32_t rtt_min_us;
	uint32_t rtt_avg_us;
	uint32_t rtt_max_us;
	uint32_t rtt_last_us;
	uint64_t transitions;
	uint64_t last_change_ms;
	uint32_t detect_ms;
};

/* Lost of the probes of C that got a verdict, from 0 to 1 (0: none yet). */
double hc_check_loss_ratio(const struct hc_check *c);

/* Not commands of the family: what the tool itself reports. */
#define HC_EVENT_STATE	(XFRM_HC_CMD_MAX + 1)	/* a peer after a resync */
#define HC_EVENT_RESYNC	(XFRM_HC_CMD_MAX + 2)	/* events were lost */
#define HC_EVENT_CHECK_STATE (XFRM_HC_CMD_MAX + 3) /* a check, likewise */

/* A peer event, a check event (hc_event_is_check()), or a resync. */
struct hc_event {
	/* XFRM_HC_CMD_PEER_*, XFRM_HC_CMD_CHECK_DOWN or _UP, HC_EVENT_* */
	unsigned int type;
	bool has_generation;
	uint32_t generation;
	struct hc_peer peer;		/* peer events */
	struct hc_check check;		/* check events */
};

static inline bool hc_event_is_check(const struct hc_event *ev)
{
	return ev->type == XFRM_HC_CMD_CHECK_DOWN ||
	       ev->type == XFRM_HC_CMD_CHECK_UP ||
	       ev->type == HC_EVENT_CHECK_STATE;
}

/* "peer-down", "peer-state", "check-up", "resync", ... */
const char *hc_event_name(unsigned int type);

int hc_profile_put(struct nl_msg *msg, int type, const struct hc_profile *p);
int hc_profile_get(struct nlattr *nest, struct hc_profile *p);

int hc_rule_put(struct nl_msg *msg, const struct hc_rule *r);
int hc_rule_get(struct nlattr *nest, struct hc_rule *r);

/* Returns 0 or -EBADMSG; on success, free P with hc_peer_free(). */
int hc_peer_get(struct nlattr *nest, struct hc_peer *p);
void hc_peer_free(struct hc_peer *p);
/* A deep copy, for queues. */
int hc_peer_copy(struct hc_peer *dst, const struct hc_peer *src);

/*
 * Settings only (the attributes in SET up to ACTION), in an
 * XFRM_HC_A_CHECK nest: what CHECK_ADD, _SET, _DEL and _GET take.
 */
int hc_check_put(struct nl_msg *msg, const struct hc_check *c);
/* Needs a NAME; skips attributes it does not know. Returns 0 or -EBADMSG. */
int hc_check_get(struct nlattr *nest, struct hc_check *c);

/*
 * Parses a message of the family that carries a peer or a check: a
 * PEER_GET or CHECK_GET reply, or an event. An XFRM_HC_A_CHECK fills
 * EV's check, else an XFRM_HC_A_PEER its peer. Returns 0 or -EBADMSG.
 */
int hc_event_get(struct nl_msg *msg, struct hc_event *ev);

#endif
