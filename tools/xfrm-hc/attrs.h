/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The objects of the xfrm_hc family as C structs: profiles, rules, peers
 * and events, to and from their netlink attributes.
 */
#ifndef XFRM_HC_TOOL_ATTRS_H
#define XFRM_HC_TOOL_ATTRS_H

#include <stdbool.h>
#include <stdint.h>
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
	unsigned int n_sas;
	struct hc_sa *sas;		/* malloc()ed: hc_peer_free() */
};

/* Not commands of the family: what the tool itself reports. */
#define HC_EVENT_STATE	(XFRM_HC_CMD_MAX + 1)	/* a peer after a resync */
#define HC_EVENT_RESYNC	(XFRM_HC_CMD_MAX + 2)	/* events were lost */

struct hc_event {
	unsigned int type;		/* XFRM_HC_CMD_PEER_* or HC_EVENT_* */
	bool has_generation;
	uint32_t generation;
	struct hc_peer peer;		/* unless type is HC_EVENT_RESYNC */
};

/* "peer-down", "peer-state", "resync", ... */
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
 * Parses a message of the family that carries a peer: a PEER_GET dump
 * reply or an event. Returns 0 or -EBADMSG.
 */
int hc_event_get(struct nl_msg *msg, struct hc_event *ev);

#endif
