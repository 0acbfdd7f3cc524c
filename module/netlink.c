// SPDX-License-Identifier: GPL-2.0
/*
 * The "xfrm_hc" generic netlink family: commands, their policies, the
 * messages they answer with, and the multicast group events go to.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/xfrm_hc.h>
#include <net/genetlink.h>

#include "compat.h"
#include "km.h"
#include "limits.h"
#include "netlink.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "rule.h"
#include "xfrm_hc.h"

/* Not const: 6.1's NLA_POLICY_FULL_RANGE takes a plain pointer. */
static struct netlink_range_validation xfrm_hc_interval_range = {
	.min = XFRM_HC_INTERVAL_MS_MIN,
	.max = XFRM_HC_INTERVAL_MS_MAX,
};

static const struct nla_policy xfrm_hc_profile_policy[XFRM_HC_PROFILE_MAX + 1] = {
	[XFRM_HC_PROFILE_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &xfrm_hc_interval_range),
	[XFRM_HC_PROFILE_MISSES] = NLA_POLICY_MIN(NLA_U8, 1),
	[XFRM_HC_PROFILE_UP] = NLA_POLICY_MIN(NLA_U8, 1),
	[XFRM_HC_PROFILE_JITTER] = NLA_POLICY_MAX(NLA_U8, 25),
	[XFRM_HC_PROFILE_MODE] = NLA_POLICY_MAX(NLA_U8, XFRM_HC_MODE_MAX),
	[XFRM_HC_PROFILE_ACTION] = NLA_POLICY_MAX(NLA_U8, XFRM_HC_ACTION_MAX),
	[XFRM_HC_PROFILE_PROBE_SRC] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_PROFILE_PROBE_DST] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_PROFILE_NATT_KEEPALIVE] =
		NLA_POLICY_MAX(NLA_U16, XFRM_HC_NATT_KEEPALIVE_MAX),
};

static const struct nla_policy xfrm_hc_rule_policy[XFRM_HC_RULE_MAX + 1] = {
	[XFRM_HC_RULE_PRIO] = { .type = NLA_U32 },
	[XFRM_HC_RULE_REQID_MIN] = { .type = NLA_U32 },
	[XFRM_HC_RULE_REQID_MAX] = { .type = NLA_U32 },
	[XFRM_HC_RULE_MARK] = { .type = NLA_U32 },
	[XFRM_HC_RULE_MARK_MASK] = { .type = NLA_U32 },
	[XFRM_HC_RULE_IF_ID] = { .type = NLA_U32 },
	[XFRM_HC_RULE_FAMILY] = { .type = NLA_U8 },
	[XFRM_HC_RULE_REMOTE] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_RULE_REMOTE_PLEN] = NLA_POLICY_MAX(NLA_U8, 128),
	[XFRM_HC_RULE_PROFILE] = NLA_POLICY_NESTED(xfrm_hc_profile_policy),
};

/* What a peer dump may be filtered by. */
static const struct nla_policy xfrm_hc_peer_filter_policy[XFRM_HC_PEER_MAX + 1] = {
	[XFRM_HC_PEER_REMOTE] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_PEER_IF_ID] = { .type = NLA_U32 },
};

/* Commands that take no attributes: strict validation rejects any. */
static const struct nla_policy xfrm_hc_none_policy[XFRM_HC_A_MAX + 1] = {
};

static const struct nla_policy xfrm_hc_defaults_policy[XFRM_HC_A_MAX + 1] = {
	[XFRM_HC_A_PROFILE] = NLA_POLICY_NESTED(xfrm_hc_profile_policy),
	[XFRM_HC_A_ECHO_RESPONDER] = NLA_POLICY_MAX(NLA_U8, 1),
};

static const struct nla_policy xfrm_hc_rule_cmd_policy[XFRM_HC_A_MAX + 1] = {
	[XFRM_HC_A_RULE] = NLA_POLICY_NESTED(xfrm_hc_rule_policy),
};

static const struct nla_policy xfrm_hc_peer_cmd_policy[XFRM_HC_A_MAX + 1] = {
	[XFRM_HC_A_PEER] = NLA_POLICY_NESTED(xfrm_hc_peer_filter_policy),
};

static int xfrm_hc_nl_put_stat(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, XFRM_HC_STAT_PAD);
}

/**
 * xfrm_hc_addr_len() - the bytes of an address of a family
 * @family: AF_INET or AF_INET6
 *
 * Return: 4 or 16.
 */
int xfrm_hc_addr_len(u16 family)
{
	return family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr);
}

/**
 * xfrm_hc_nl_get_addr() - a 4 or 16 byte address attribute
 * @attr: the attribute; its length tells the family
 * @addr: filled in, zero padded
 * @family: filled in
 * @extack: for errors
 *
 * Return: 0 or -EINVAL.
 */
int xfrm_hc_nl_get_addr(const struct nlattr *attr, xfrm_address_t *addr,
			u16 *family, struct netlink_ext_ack *extack)
{
	memset(addr, 0, sizeof(*addr));
	switch (nla_len(attr)) {
	case sizeof(__be32):
		*family = AF_INET;
		break;
	case sizeof(struct in6_addr):
		*family = AF_INET6;
		break;
	default:
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "address must be 4 (IPv4) or 16 (IPv6) bytes");
		return -EINVAL;
	}
	memcpy(addr, nla_data(attr), nla_len(attr));
	return 0;
}

static int xfrm_hc_nl_put_profile(struct sk_buff *skb, int type,
				  const struct xfrm_hc_profile *prof)
{
	struct nlattr *nest = nla_nest_start(skb, type);

	if (!nest ||
	    nla_put_u32(skb, XFRM_HC_PROFILE_INTERVAL_MS, prof->interval_ms) ||
	    nla_put_u8(skb, XFRM_HC_PROFILE_MISSES, prof->misses) ||
	    nla_put_u8(skb, XFRM_HC_PROFILE_UP, prof->up) ||
	    nla_put_u8(skb, XFRM_HC_PROFILE_JITTER, prof->jitter_pct) ||
	    nla_put_u8(skb, XFRM_HC_PROFILE_MODE, prof->mode) ||
	    nla_put_u8(skb, XFRM_HC_PROFILE_ACTION, prof->action) ||
	    nla_put_u16(skb, XFRM_HC_PROFILE_NATT_KEEPALIVE,
			prof->natt_keepalive_s))
		goto err;
	if (prof->probe_family) {
		int len = xfrm_hc_addr_len(prof->probe_family);

		if (nla_put(skb, XFRM_HC_PROFILE_PROBE_SRC, len,
			    &prof->probe_src) ||
		    nla_put(skb, XFRM_HC_PROFILE_PROBE_DST, len,
			    &prof->probe_dst))
			goto err;
	}
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/* Apply the attributes of a profile nest over @prof. */
static int xfrm_hc_nl_parse_profile(const struct nlattr *nest,
				    struct xfrm_hc_profile *prof,
				    struct netlink_ext_ack *extack)
{
	struct nlattr *tb[XFRM_HC_PROFILE_MAX + 1];
	xfrm_address_t src, dst;
	u16 fsrc, fdst;
	int err;

	err = nla_parse_nested(tb, XFRM_HC_PROFILE_MAX, nest,
			       xfrm_hc_profile_policy, extack);
	if (err)
		return err;
	if (!!tb[XFRM_HC_PROFILE_PROBE_SRC] != !!tb[XFRM_HC_PROFILE_PROBE_DST]) {
		NL_SET_ERR_MSG_ATTR(extack, nest,
				    "probe-src and probe-dst go together");
		return -EINVAL;
	}
	if (tb[XFRM_HC_PROFILE_ACTION] &&
	    nla_get_u8(tb[XFRM_HC_PROFILE_ACTION]) == XFRM_HC_ACTION_FAILOVER) {
		NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_PROFILE_ACTION],
				    "failover is for health checks on an XFRM interface, not peers");
		return -EINVAL;
	}
	if (tb[XFRM_HC_PROFILE_PROBE_SRC]) {
		err = xfrm_hc_nl_get_addr(tb[XFRM_HC_PROFILE_PROBE_SRC], &src,
					  &fsrc, extack) ?:
		      xfrm_hc_nl_get_addr(tb[XFRM_HC_PROFILE_PROBE_DST], &dst,
					  &fdst, extack);
		if (err)
			return err;
		if (fsrc != fdst) {
			NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_PROFILE_PROBE_DST],
					    "probe-src and probe-dst must be of one family");
			return -EINVAL;
		}
	}

	if (tb[XFRM_HC_PROFILE_INTERVAL_MS])
		prof->interval_ms = nla_get_u32(tb[XFRM_HC_PROFILE_INTERVAL_MS]);
	if (tb[XFRM_HC_PROFILE_MISSES])
		prof->misses = nla_get_u8(tb[XFRM_HC_PROFILE_MISSES]);
	if (tb[XFRM_HC_PROFILE_UP])
		prof->up = nla_get_u8(tb[XFRM_HC_PROFILE_UP]);
	if (tb[XFRM_HC_PROFILE_JITTER])
		prof->jitter_pct = nla_get_u8(tb[XFRM_HC_PROFILE_JITTER]);
	if (tb[XFRM_HC_PROFILE_MODE])
		prof->mode = nla_get_u8(tb[XFRM_HC_PROFILE_MODE]);
	if (tb[XFRM_HC_PROFILE_ACTION])
		prof->action = nla_get_u8(tb[XFRM_HC_PROFILE_ACTION]);
	if (tb[XFRM_HC_PROFILE_NATT_KEEPALIVE])
		prof->natt_keepalive_s =
			nla_get_u16(tb[XFRM_HC_PROFILE_NATT_KEEPALIVE]);
	if (tb[XFRM_HC_PROFILE_PROBE_SRC]) {
		prof->probe_family = fsrc;
		prof->probe_src = src;
		prof->probe_dst = dst;
	}
	return 0;
}

/**
 * xfrm_hc_nl_fill_version() - put the version and counters into a message
 * @skb: the message, with its genl header already in place
 * @hn: the state of the netns the counters describe
 *
 * Return: 0, or -EMSGSIZE if @skb has no room.
 */
int xfrm_hc_nl_fill_version(struct sk_buff *skb, struct xfrm_hc_net *hn)
{
	struct nlattr *stats;

	if (nla_put_string(skb, XFRM_HC_A_MODULE_VERSION,
			   XFRM_HC_MODULE_VERSION) ||
	    nla_put_u32(skb, XFRM_HC_A_GENL_VERSION, XFRM_HC_GENL_VERSION))
		return -EMSGSIZE;

	stats = nla_nest_start(skb, XFRM_HC_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	if (xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_NETNS,
				xfrm_hc_netns_count()) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_REQUESTS,
				atomic64_read(&hn->requests)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_ADDED,
				atomic64_read(&hn->sa_added)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_DELETED,
				atomic64_read(&hn->sa_deleted)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_FLUSHES,
				atomic64_read(&hn->sa_flushes)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PEERS,
				READ_ONCE(hn->npeers)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SAS, READ_ONCE(hn->nsas)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PEERS_DEAD,
				atomic64_read(&hn->peers_dead)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PROBES_SENT,
				atomic64_read(&hn->probes_sent)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PROBES_ANSWERED,
				atomic64_read(&hn->probes_answered)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_EVENTS_SENT,
				atomic64_read(&hn->events_sent)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_EVENTS_DROPPED,
				atomic64_read(&hn->events_dropped)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_LATE_TICKS,
				atomic64_read(&hn->late_ticks)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_CHECKS,
				READ_ONCE(hn->nchecks)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_CHECKS_DOWN,
				atomic64_read(&hn->checks_down)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_NATT_KEEPALIVES,
				atomic64_read(&hn->natt_keepalives)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PEERS_REFUSED,
				atomic64_read(&hn->peers_refused)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PROBES_SHED,
				atomic64_read(&hn->probes_shed)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_PROBES_UNROUTED,
				atomic64_read(&hn->probes_unrouted)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_ANSWERS_REJECTED,
				atomic64_read(&hn->answers_rejected)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_ECHO_ANSWERED,
				atomic64_read(&hn->echo_answered)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_ECHO_LIMITED,
				atomic64_read(&hn->echo_limited)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_ECHO_UNROUTED,
				atomic64_read(&hn->echo_unrouted))) {
		nla_nest_cancel(skb, stats);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, stats);
	return 0;
}

/**
 * xfrm_hc_nl_peer_size() - room a peer's attributes need in a message
 * @peer: the peer
 *
 * Return: bytes, generous.
 */
size_t xfrm_hc_nl_peer_size(struct xfrm_hc_peer *peer)
{
	struct xfrm_hc_sa *sa;
	size_t n = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node)
		n++;
	rcu_read_unlock();
	/* Headers, the peer's own attributes, a profile; 7 u32-ish per SA. */
	return NLMSG_HDRLEN + GENL_HDRLEN + 512 + n * nla_total_size(7 * 8);
}

static int xfrm_hc_nl_put_sa(struct sk_buff *skb, const struct xfrm_hc_sa *sa)
{
	struct xfrm_state *x = sa->x;
	struct nlattr *nest = nla_nest_start(skb, XFRM_HC_PEER_SA);

	if (!nest ||
	    nla_put_u32(skb, XFRM_HC_SA_SPI, ntohl(x->id.spi)) ||
	    nla_put_u8(skb, XFRM_HC_SA_PROTO, x->id.proto) ||
	    nla_put_u8(skb, XFRM_HC_SA_DIR, sa->dir) ||
	    nla_put_u32(skb, XFRM_HC_SA_REQID, x->props.reqid) ||
	    nla_put_u32(skb, XFRM_HC_SA_MARK, x->mark.v) ||
	    nla_put_u32(skb, XFRM_HC_SA_MARK_MASK, x->mark.m) ||
	    nla_put_u32(skb, XFRM_HC_SA_IF_ID, x->if_id)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * xfrm_hc_ms_since() - milliseconds from one time to another
 * @then: the earlier time
 * @now: the later time
 *
 * Return: the difference in ms.
 */
u64 xfrm_hc_ms_since(ktime_t then, ktime_t now)
{
	return ktime_to_ms(ktime_sub(now, then));
}

/* The peer's own attributes, inside its nest; its SAs come after. */
static int xfrm_hc_nl_put_peer_attrs(struct sk_buff *skb,
				     struct xfrm_hc_peer *peer, u8 cmd)
{
	const struct xfrm_hc_peer_key *key = &peer->key;
	int alen = xfrm_hc_addr_len(key->family);
	struct xfrm_hc_profile prof;
	struct xfrm_hc_liveness lv;
	u64 in, out, sent, answered, rtt_sum, keepalives;
	ktime_t change, last_in, evidence, now = ktime_get();
	u32 rtt_min, rtt_max;
	s64 rule_prio;
	u8 method;

	spin_lock_bh(&peer->lock);
	xfrm_hc_profile_read(peer->profile, &prof);
	lv = peer->lv;
	rule_prio = peer->profile->rule_prio;
	in = peer->in_packets;
	out = peer->out_packets;
	sent = peer->probes_sent;
	answered = peer->probes_answered;
	rtt_min = peer->rtt_min_us;
	rtt_max = peer->rtt_max_us;
	rtt_sum = peer->rtt_sum_us;
	change = peer->last_change;
	last_in = peer->last_in_seen;
	evidence = peer->last_evidence;
	keepalives = peer->natt_keepalives;
	method = peer->probe_method;
	spin_unlock_bh(&peer->lock);

	if (nla_put_u8(skb, XFRM_HC_PEER_FAMILY, key->family) ||
	    nla_put(skb, XFRM_HC_PEER_LOCAL, alen, &key->local) ||
	    nla_put(skb, XFRM_HC_PEER_REMOTE, alen, &key->remote) ||
	    nla_put_u32(skb, XFRM_HC_PEER_IF_ID, key->if_id) ||
	    nla_put_u8(skb, XFRM_HC_PEER_STATE, lv.state) ||
	    nla_put_u8(skb, XFRM_HC_PEER_REASON, lv.reason) ||
	    nla_put_u8(skb, XFRM_HC_PEER_PROBE_METHOD, method) ||
	    xfrm_hc_nl_put_profile(skb, XFRM_HC_PEER_PROFILE, &prof) ||
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_IN_PACKETS, in,
			      XFRM_HC_PEER_PAD) ||
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_OUT_PACKETS, out,
			      XFRM_HC_PEER_PAD) ||
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_PROBES_SENT, sent,
			      XFRM_HC_PEER_PAD) ||
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_PROBES_ANSWERED, answered,
			      XFRM_HC_PEER_PAD) ||
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_LAST_CHANGE_MS,
			      xfrm_hc_ms_since(change, now), XFRM_HC_PEER_PAD))
		return -EMSGSIZE;
	if (key->local_port &&
	    (nla_put_u16(skb, XFRM_HC_PEER_ENCAP_SPORT, ntohs(key->local_port)) ||
	     nla_put_u16(skb, XFRM_HC_PEER_ENCAP_DPORT, ntohs(key->remote_port)) ||
	     nla_put_u64_64bit(skb, XFRM_HC_PEER_NATT_KEEPALIVES, keepalives,
			       XFRM_HC_PEER_PAD)))
		return -EMSGSIZE;
	if (rule_prio >= 0 &&
	    nla_put_u32(skb, XFRM_HC_PEER_RULE_PRIO, rule_prio))
		return -EMSGSIZE;
	if (answered &&
	    (nla_put_u32(skb, XFRM_HC_PEER_RTT_MIN_US, rtt_min) ||
	     nla_put_u32(skb, XFRM_HC_PEER_RTT_AVG_US,
			 div64_u64(rtt_sum, answered)) ||
	     nla_put_u32(skb, XFRM_HC_PEER_RTT_MAX_US, rtt_max)))
		return -EMSGSIZE;
	if (last_in &&
	    nla_put_u64_64bit(skb, XFRM_HC_PEER_LAST_IN_MS,
			      xfrm_hc_ms_since(last_in, now), XFRM_HC_PEER_PAD))
		return -EMSGSIZE;
	/* In the event, and in dumps for as long as the peer is dead. */
	if ((cmd == XFRM_HC_CMD_PEER_DOWN || lv.state == XFRM_HC_STATE_DEAD) &&
	    nla_put_u32(skb, XFRM_HC_PEER_DETECT_MS,
			xfrm_hc_ms_since(evidence, change)))
		return -EMSGSIZE;
	return 0;
}

/*
 * The peer's SAs from the *@next-th on, as many as fit; *@next is moved
 * past those put. Return: 0 when the last one is in, or -EMSGSIZE.
 */
static int xfrm_hc_nl_put_sas(struct sk_buff *skb, struct xfrm_hc_peer *peer,
			      unsigned long *next)
{
	struct xfrm_hc_sa *sa;
	unsigned long i = 0;
	int err = 0;

	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		if (i++ < *next)
			continue;
		err = xfrm_hc_nl_put_sa(skb, sa);
		if (err)
			break;
		(*next)++;
	}
	rcu_read_unlock();
	return err;
}

/**
 * xfrm_hc_nl_put_peer() - put a peer into a message as XFRM_HC_A_PEER
 * @skb: the message
 * @peer: the peer
 * @cmd: the message's command; PEER_DOWN adds how long detection took
 *
 * All of the peer's SAs go in: size @skb with xfrm_hc_nl_peer_size().
 *
 * Context: any; takes the peer's lock and reads its SAs under RCU.
 * Return: 0, or -EMSGSIZE.
 */
int xfrm_hc_nl_put_peer(struct sk_buff *skb, struct xfrm_hc_peer *peer, u8 cmd)
{
	struct nlattr *nest = nla_nest_start(skb, XFRM_HC_A_PEER);
	unsigned long next = 0;

	if (!nest)
		return -EMSGSIZE;
	if (xfrm_hc_nl_put_peer_attrs(skb, peer, cmd) ||
	    xfrm_hc_nl_put_sas(skb, peer, &next)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * xfrm_hc_nl_reply_new() - a reply with the command's header
 * @info: the request
 * @cmd: the reply's command
 * @hdr: filled in, for genlmsg_end()
 *
 * Return: the message, or NULL without memory.
 */
struct sk_buff *xfrm_hc_nl_reply_new(struct genl_info *info, u8 cmd,
				     void **hdr)
{
	struct sk_buff *msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);

	if (!msg)
		return NULL;
	*hdr = genlmsg_put_reply(msg, info, &xfrm_hc_genl_family, 0, cmd);
	if (!*hdr) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/**
 * xfrm_hc_nl_net() - the state of a request's netns, counting the request
 * @info: the request
 *
 * Return: the state.
 */
struct xfrm_hc_net *xfrm_hc_nl_net(struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(genl_info_net(info));

	atomic64_inc(&hn->requests);
	return hn;
}

static int xfrm_hc_nl_version_get(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct sk_buff *msg;
	void *hdr;
	int err;

	msg = xfrm_hc_nl_reply_new(info, XFRM_HC_CMD_VERSION_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	err = xfrm_hc_nl_fill_version(msg, hn);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int xfrm_hc_nl_defaults_get(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct xfrm_hc_profile prof;
	struct sk_buff *msg;
	void *hdr;

	xfrm_hc_profile_read(hn->default_profile, &prof);

	msg = xfrm_hc_nl_reply_new(info, XFRM_HC_CMD_DEFAULTS_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	if (xfrm_hc_nl_put_profile(msg, XFRM_HC_A_PROFILE, &prof) ||
	    nla_put_u8(msg, XFRM_HC_A_ECHO_RESPONDER,
		       READ_ONCE(hn->echo_responder))) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int xfrm_hc_nl_defaults_set(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct xfrm_hc_profile prof;
	int err;

	struct nlattr *responder = info->attrs[XFRM_HC_A_ECHO_RESPONDER];

	if (!info->attrs[XFRM_HC_A_PROFILE] && !responder) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a profile or the echo responder's switch is required");
		return -EINVAL;
	}
	mutex_lock(&hn->lock);
	xfrm_hc_profile_read(hn->default_profile, &prof);
	err = 0;
	if (info->attrs[XFRM_HC_A_PROFILE])
		err = xfrm_hc_nl_parse_profile(info->attrs[XFRM_HC_A_PROFILE],
					       &prof, info->extack);
	/* Its peers take it at their next tick: none is visited here. */
	if (!err && info->attrs[XFRM_HC_A_PROFILE])
		err = xfrm_hc_profile_replace(hn->default_profile, &prof);
	/* Read by the hooks per request: no more is needed. */
	if (!err && responder)
		WRITE_ONCE(hn->echo_responder, nla_get_u8(responder));
	if (!err && prof.probe_family && xfrm_hc_probe_net_enable(hn))
		NL_SET_ERR_MSG_MOD(info->extack,
				   "defaults set, but probe answers cannot be caught");
	mutex_unlock(&hn->lock);
	return err;
}

/* Parse A_RULE into @rule; match attributes are checked for sense. */
static int xfrm_hc_nl_parse_rule(struct xfrm_hc_net *hn, struct nlattr *attr,
				 struct xfrm_hc_rule *rule,
				 struct netlink_ext_ack *extack)
{
	struct nlattr *tb[XFRM_HC_RULE_MAX + 1];
	struct xfrm_hc_rule *last;
	u16 family;
	int err;

	err = nla_parse_nested(tb, XFRM_HC_RULE_MAX, attr, xfrm_hc_rule_policy,
			       extack);
	if (err)
		return err;

	if (tb[XFRM_HC_RULE_PRIO]) {
		rule->prio = nla_get_u32(tb[XFRM_HC_RULE_PRIO]);
	} else if (!list_empty(&hn->rules)) {
		last = list_last_entry(&hn->rules, struct xfrm_hc_rule, node);
		if (last->prio == U32_MAX) {
			NL_SET_ERR_MSG(extack,
				       "no priority after the last rule: give one");
			return -ERANGE;
		}
		rule->prio = last->prio + 1;
	}

	if (tb[XFRM_HC_RULE_REQID_MIN] || tb[XFRM_HC_RULE_REQID_MAX]) {
		rule->has_reqid = true;
		rule->reqid_min = tb[XFRM_HC_RULE_REQID_MIN] ?
			nla_get_u32(tb[XFRM_HC_RULE_REQID_MIN]) : 0;
		rule->reqid_max = tb[XFRM_HC_RULE_REQID_MAX] ?
			nla_get_u32(tb[XFRM_HC_RULE_REQID_MAX]) :
			rule->reqid_min;
		if (rule->reqid_min > rule->reqid_max) {
			NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_RULE_REQID_MAX],
					    "reqid range is empty: max is below min");
			return -EINVAL;
		}
	}

	if (tb[XFRM_HC_RULE_MARK_MASK] && !tb[XFRM_HC_RULE_MARK]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_RULE_MARK_MASK],
				    "a mark mask needs a mark");
		return -EINVAL;
	}
	if (tb[XFRM_HC_RULE_MARK]) {
		rule->has_mark = true;
		rule->mark_mask = tb[XFRM_HC_RULE_MARK_MASK] ?
			nla_get_u32(tb[XFRM_HC_RULE_MARK_MASK]) : U32_MAX;
		rule->mark = nla_get_u32(tb[XFRM_HC_RULE_MARK]) &
			     rule->mark_mask;
	}

	if (tb[XFRM_HC_RULE_IF_ID]) {
		rule->has_if_id = true;
		rule->if_id = nla_get_u32(tb[XFRM_HC_RULE_IF_ID]);
	}

	if (tb[XFRM_HC_RULE_FAMILY]) {
		rule->family = nla_get_u8(tb[XFRM_HC_RULE_FAMILY]);
		if (rule->family != AF_INET && rule->family != AF_INET6) {
			NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_RULE_FAMILY],
					    "family must be inet or inet6");
			return -EAFNOSUPPORT;
		}
	}

	if (tb[XFRM_HC_RULE_REMOTE_PLEN] && !tb[XFRM_HC_RULE_REMOTE]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_RULE_REMOTE_PLEN],
				    "a prefix length needs a remote address");
		return -EINVAL;
	}
	if (tb[XFRM_HC_RULE_REMOTE]) {
		err = xfrm_hc_nl_get_addr(tb[XFRM_HC_RULE_REMOTE], &rule->remote,
					  &family, extack);
		if (err)
			return err;
		if (rule->family && rule->family != family) {
			NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_RULE_REMOTE],
					    "remote address is not of the rule's family");
			return -EINVAL;
		}
		rule->family = family;
		rule->has_remote = true;
		rule->remote_plen = xfrm_hc_addr_len(family) * 8;
		if (tb[XFRM_HC_RULE_REMOTE_PLEN]) {
			u8 plen = nla_get_u8(tb[XFRM_HC_RULE_REMOTE_PLEN]);

			if (plen > rule->remote_plen) {
				NL_SET_ERR_MSG_ATTR(extack,
						    tb[XFRM_HC_RULE_REMOTE_PLEN],
						    "prefix length is longer than the address");
				return -EINVAL;
			}
			rule->remote_plen = plen;
		}
	}

	if (tb[XFRM_HC_RULE_PROFILE])
		return xfrm_hc_nl_parse_profile(tb[XFRM_HC_RULE_PROFILE],
						&rule->prof, extack);
	return 0;
}

static int xfrm_hc_nl_rule_add(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct xfrm_hc_rule *rule;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, XFRM_HC_A_RULE)) {
		NL_SET_ERR_MSG_MOD(info->extack, "a rule is required");
		return -EINVAL;
	}
	if (!xfrm_hc_limit_take(XFRM_HC_OBJ_RULE)) {
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many rules on this host: see the max_rules_total module parameter");
		return -ENOSPC;
	}
	rule = kzalloc(sizeof(*rule), GFP_KERNEL_ACCOUNT);
	if (!rule) {
		xfrm_hc_obj_gone(XFRM_HC_OBJ_RULE);
		return -ENOMEM;
	}

	mutex_lock(&hn->lock);
	xfrm_hc_profile_read(hn->default_profile, &rule->prof);
	err = xfrm_hc_nl_parse_rule(hn, info->attrs[XFRM_HC_A_RULE], rule,
				    info->extack);
	if (err)
		goto err_unlock;
	rule->profile = xfrm_hc_profile_new(hn, &rule->prof, rule->prio);
	if (!rule->profile) {
		err = -ENOMEM;
		goto err_unlock;
	}
	err = xfrm_hc_rule_insert(hn, rule);
	if (err == -EEXIST)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "a rule with this priority exists");
	else if (err == -ENOSPC)
		NL_SET_ERR_MSG_MOD(info->extack,
				   "too many rules (module parameter max_rules)");
	if (err)
		goto err_unlock;
	xfrm_hc_km_rule_changed(hn, rule, true);
	mutex_unlock(&hn->lock);
	return 0;

err_unlock:
	if (rule->profile)
		xfrm_hc_profile_put(rule->profile);
	mutex_unlock(&hn->lock);
	kfree(rule);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_RULE);
	return err;
}

static int xfrm_hc_nl_rule_del(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct nlattr *tb[XFRM_HC_RULE_MAX + 1];
	struct xfrm_hc_rule *rule;
	u32 prio;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, XFRM_HC_A_RULE)) {
		NL_SET_ERR_MSG_MOD(info->extack, "a rule with its priority is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, XFRM_HC_RULE_MAX,
			       info->attrs[XFRM_HC_A_RULE],
			       xfrm_hc_rule_policy, info->extack);
	if (err)
		return err;
	if (!tb[XFRM_HC_RULE_PRIO]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[XFRM_HC_A_RULE],
				    "which rule: its priority is missing");
		return -EINVAL;
	}
	prio = nla_get_u32(tb[XFRM_HC_RULE_PRIO]);

	mutex_lock(&hn->lock);
	rule = xfrm_hc_rule_unlink(hn, prio);
	if (rule) {
		xfrm_hc_km_rule_changed(hn, rule, false);
		xfrm_hc_rule_free(rule);
	}
	mutex_unlock(&hn->lock);
	if (!rule) {
		NL_SET_ERR_MSG_MOD(info->extack, "no rule with this priority");
		return -ENOENT;
	}
	return 0;
}

static int xfrm_hc_nl_rule_flush(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);

	mutex_lock(&hn->lock);
	xfrm_hc_rule_flush(hn);
	xfrm_hc_km_rule_changed(hn, NULL, false);
	mutex_unlock(&hn->lock);
	return 0;
}

static int xfrm_hc_nl_put_rule(struct sk_buff *skb,
			       const struct xfrm_hc_rule *rule)
{
	struct nlattr *nest = nla_nest_start(skb, XFRM_HC_A_RULE);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, XFRM_HC_RULE_PRIO, rule->prio) ||
	    nla_put_u64_64bit(skb, XFRM_HC_RULE_MATCHES,
			      atomic64_read(&rule->matches),
			      XFRM_HC_RULE_PAD) ||
	    (rule->has_reqid &&
	     (nla_put_u32(skb, XFRM_HC_RULE_REQID_MIN, rule->reqid_min) ||
	      nla_put_u32(skb, XFRM_HC_RULE_REQID_MAX, rule->reqid_max))) ||
	    (rule->has_mark &&
	     (nla_put_u32(skb, XFRM_HC_RULE_MARK, rule->mark) ||
	      nla_put_u32(skb, XFRM_HC_RULE_MARK_MASK, rule->mark_mask))) ||
	    (rule->has_if_id &&
	     nla_put_u32(skb, XFRM_HC_RULE_IF_ID, rule->if_id)) ||
	    (rule->family &&
	     nla_put_u8(skb, XFRM_HC_RULE_FAMILY, rule->family)) ||
	    (rule->has_remote &&
	     (nla_put(skb, XFRM_HC_RULE_REMOTE, xfrm_hc_addr_len(rule->family),
		      &rule->remote) ||
	      nla_put_u8(skb, XFRM_HC_RULE_REMOTE_PLEN, rule->remote_plen))) ||
	    xfrm_hc_nl_put_profile(skb, XFRM_HC_RULE_PROFILE, &rule->prof)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/**
 * xfrm_hc_nl_dump_put() - the header of one message of a dump
 * @skb: the dump's buffer
 * @cb: the dump
 * @cmd: the command of the message
 *
 * Return: the header, or NULL if @skb is full.
 */
void *xfrm_hc_nl_dump_put(struct sk_buff *skb, struct netlink_callback *cb,
			  u8 cmd)
{
	return genlmsg_put(skb, NETLINK_CB(cb->skb).portid,
			   cb->nlh->nlmsg_seq, &xfrm_hc_genl_family,
			   NLM_F_MULTI, cmd);
}

static int xfrm_hc_nl_rule_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(sock_net(skb->sk));
	struct xfrm_hc_rule *rule;
	long skip = cb->args[0], i = 0;
	void *hdr;

	/*
	 * Rules are few: resuming by position is enough, as long as a rule
	 * added or removed meanwhile flags the dump NLM_F_DUMP_INTR.
	 */
	mutex_lock(&hn->lock);
	cb->seq = hn->rules_generation;
	list_for_each_entry(rule, &hn->rules, node) {
		if (i++ < skip)
			continue;
		hdr = xfrm_hc_nl_dump_put(skb, cb, XFRM_HC_CMD_RULE_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (xfrm_hc_nl_put_rule(skb, rule)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = i;
	}
	mutex_unlock(&hn->lock);
	return skb->len;
}

static bool xfrm_hc_peer_filter_match(struct xfrm_hc_peer *peer,
				      struct nlattr **tb)
{
	const struct xfrm_hc_peer_key *key = &peer->key;

	if (tb[XFRM_HC_PEER_REMOTE] &&
	    (nla_len(tb[XFRM_HC_PEER_REMOTE]) != xfrm_hc_addr_len(key->family) ||
	     memcmp(nla_data(tb[XFRM_HC_PEER_REMOTE]), &key->remote,
		    nla_len(tb[XFRM_HC_PEER_REMOTE]))))
		return false;
	if (tb[XFRM_HC_PEER_IF_ID] &&
	    nla_get_u32(tb[XFRM_HC_PEER_IF_ID]) != key->if_id)
		return false;
	return true;
}

/*
 * One message of a peer dump: the peer, and its SAs from cb->args[1] on,
 * as many as fit. A peer with more SAs than one message holds goes on in
 * the next messages, each with the peer's attributes again and the next
 * of its SAs, as WireGuard splits a peer's allowed IPs; readers join the
 * SAs of consecutive messages of one peer.
 * Return: 0 when the peer's last SA is in, -EMSGSIZE when @skb is full.
 */
static int xfrm_hc_nl_dump_peer(struct sk_buff *skb,
				struct netlink_callback *cb,
				struct xfrm_hc_net *hn,
				struct xfrm_hc_peer *peer)
{
	unsigned long next = cb->args[1];
	struct nlattr *nest;
	void *hdr;
	int err;

	hdr = xfrm_hc_nl_dump_put(skb, cb, XFRM_HC_CMD_PEER_GET);
	if (!hdr)
		return -EMSGSIZE;
	genl_dump_check_consistent(cb, hdr);
	/* The rest of a peer's SAs, but the SAs changed since the first. */
	if (next && cb->args[2] != hn->sa_generation)
		genlmsg_nlhdr(hdr)->nlmsg_flags |= NLM_F_DUMP_INTR;
	if (nla_put_u32(skb, XFRM_HC_A_GENERATION, hn->generation))
		goto cancel;
	nest = nla_nest_start(skb, XFRM_HC_A_PEER);
	if (!nest || xfrm_hc_nl_put_peer_attrs(skb, peer, XFRM_HC_CMD_PEER_GET))
		goto cancel;
	err = xfrm_hc_nl_put_sas(skb, peer, &next);
	/* Full before even one SA: the next buffer starts this message. */
	if (err && next == cb->args[1])
		goto cancel;
	nla_nest_end(skb, nest);
	genlmsg_end(skb, hdr);
	cb->args[1] = next;
	cb->args[2] = hn->sa_generation;
	return err;

cancel:
	genlmsg_cancel(skb, hdr);
	return -EMSGSIZE;
}

/*
 * Resumes from cb->args: [0] the id of the next peer, [1] how many of its
 * SAs were sent, [2] hn->sa_generation when they were.
 */
static int xfrm_hc_nl_peer_dump(struct sk_buff *skb,
				struct netlink_callback *cb)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(sock_net(skb->sk));
	struct nlattr **attrs = xfrm_hc_compat_dump_attrs(cb);
	struct nlattr *filter[XFRM_HC_PEER_MAX + 1] = {};
	unsigned long id = cb->args[0];
	struct xfrm_hc_peer *peer;
	int err = 0;

	if (attrs[XFRM_HC_A_PEER]) {
		err = nla_parse_nested(filter, XFRM_HC_PEER_MAX,
				       attrs[XFRM_HC_A_PEER],
				       xfrm_hc_peer_filter_policy, cb->extack);
		if (err)
			return err;
	}

	/* Resume by peer id: O(log n) however far the dump has come. */
	mutex_lock(&hn->lock);
	cb->seq = hn->generation;
	xa_for_each_start(&hn->peer_ids, id, peer, cb->args[0]) {
		if (!xfrm_hc_peer_filter_match(peer, filter))
			continue;
		/* The peer half sent is gone: the generation tells. */
		if (id != cb->args[0])
			cb->args[1] = 0;
		cb->args[0] = id;
		err = xfrm_hc_nl_dump_peer(skb, cb, hn, peer);
		if (err)
			break;
		cb->args[0] = id + 1;
		cb->args[1] = 0;
	}
	mutex_unlock(&hn->lock);
	/* Not one SA fits an empty buffer: fail rather than end short. */
	if (err && !skb->len) {
		NL_SET_ERR_MSG_MOD(cb->extack, "a peer does not fit in a message");
		return err;
	}
	return skb->len;
}

/**
 * xfrm_hc_nl_dump_start() - count a dump as a request
 * @cb: the dump
 *
 * Return: 0.
 */
int xfrm_hc_nl_dump_start(struct netlink_callback *cb)
{
	atomic64_inc(&xfrm_hc_net(sock_net(cb->skb->sk))->requests);
	return 0;
}

/* Admin of the caller's own netns, even in a user ns, for every op. */
static const struct genl_ops xfrm_hc_genl_ops[] = {
	{
		.cmd = XFRM_HC_CMD_VERSION_GET,
		.doit = xfrm_hc_nl_version_get,
		.policy = xfrm_hc_none_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_DEFAULTS_GET,
		.doit = xfrm_hc_nl_defaults_get,
		.policy = xfrm_hc_none_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_DEFAULTS_SET,
		.doit = xfrm_hc_nl_defaults_set,
		.policy = xfrm_hc_defaults_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_RULE_ADD,
		.doit = xfrm_hc_nl_rule_add,
		.policy = xfrm_hc_rule_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_RULE_DEL,
		.doit = xfrm_hc_nl_rule_del,
		.policy = xfrm_hc_rule_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_RULE_GET,
		.start = xfrm_hc_nl_dump_start,
		.dumpit = xfrm_hc_nl_rule_dump,
		.policy = xfrm_hc_none_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_RULE_FLUSH,
		.doit = xfrm_hc_nl_rule_flush,
		.policy = xfrm_hc_none_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_PEER_GET,
		.start = xfrm_hc_nl_dump_start,
		.dumpit = xfrm_hc_nl_peer_dump,
		.policy = xfrm_hc_peer_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_CHECK_ADD,
		.doit = xfrm_hc_nl_check_add,
		.policy = xfrm_hc_check_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_CHECK_SET,
		.doit = xfrm_hc_nl_check_set,
		.policy = xfrm_hc_check_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_CHECK_DEL,
		.doit = xfrm_hc_nl_check_del,
		.policy = xfrm_hc_check_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
	{
		.cmd = XFRM_HC_CMD_CHECK_GET,
		.start = xfrm_hc_nl_dump_start,
		.doit = xfrm_hc_nl_check_get,
		.dumpit = xfrm_hc_nl_check_dump,
		.policy = xfrm_hc_check_cmd_policy,
		.maxattr = XFRM_HC_A_MAX,
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group xfrm_hc_genl_mcgrps[] = {
	{
		.name = XFRM_HC_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

struct genl_family xfrm_hc_genl_family __ro_after_init = {
	.name = XFRM_HC_GENL_NAME,
	.version = XFRM_HC_GENL_VERSION,
	.maxattr = XFRM_HC_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = xfrm_hc_genl_ops,
	.n_ops = ARRAY_SIZE(xfrm_hc_genl_ops),
	.mcgrps = xfrm_hc_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(xfrm_hc_genl_mcgrps),
};

/**
 * xfrm_hc_nl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_nl_init(void)
{
	return genl_register_family(&xfrm_hc_genl_family);
}

/**
 * xfrm_hc_nl_exit() - unregister the generic netlink family
 */
void xfrm_hc_nl_exit(void)
{
	genl_unregister_family(&xfrm_hc_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(XFRM_HC_GENL_NAME);
