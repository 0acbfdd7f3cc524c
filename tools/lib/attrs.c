// SPDX-License-Identifier: GPL-2.0
/* Profiles, rules, peers, checks and events to and from netlink attributes. */

#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "attrs.h"
#include "genl.h"

static struct nla_policy profile_policy[XFRM_HC_PROFILE_MAX + 1] = {
	[XFRM_HC_PROFILE_INTERVAL_MS] = { .type = NLA_U32 },
	[XFRM_HC_PROFILE_MISSES] = { .type = NLA_U8 },
	[XFRM_HC_PROFILE_UP] = { .type = NLA_U8 },
	[XFRM_HC_PROFILE_JITTER] = { .type = NLA_U8 },
	[XFRM_HC_PROFILE_MODE] = { .type = NLA_U8 },
	[XFRM_HC_PROFILE_ACTION] = { .type = NLA_U8 },
	[XFRM_HC_PROFILE_PROBE_SRC] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_PROFILE_PROBE_DST] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_PROFILE_NATT_KEEPALIVE] = { .type = NLA_U16 },
};

static struct nla_policy rule_policy[XFRM_HC_RULE_MAX + 1] = {
	[XFRM_HC_RULE_PRIO] = { .type = NLA_U32 },
	[XFRM_HC_RULE_REQID_MIN] = { .type = NLA_U32 },
	[XFRM_HC_RULE_REQID_MAX] = { .type = NLA_U32 },
	[XFRM_HC_RULE_MARK] = { .type = NLA_U32 },
	[XFRM_HC_RULE_MARK_MASK] = { .type = NLA_U32 },
	[XFRM_HC_RULE_IF_ID] = { .type = NLA_U32 },
	[XFRM_HC_RULE_FAMILY] = { .type = NLA_U8 },
	[XFRM_HC_RULE_REMOTE] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_RULE_REMOTE_PLEN] = { .type = NLA_U8 },
	[XFRM_HC_RULE_PROFILE] = { .type = NLA_NESTED },
	[XFRM_HC_RULE_MATCHES] = { .type = NLA_U64 },
};

static struct nla_policy peer_policy[XFRM_HC_PEER_MAX + 1] = {
	[XFRM_HC_PEER_FAMILY] = { .type = NLA_U8 },
	[XFRM_HC_PEER_LOCAL] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_PEER_REMOTE] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_PEER_ENCAP_SPORT] = { .type = NLA_U16 },
	[XFRM_HC_PEER_ENCAP_DPORT] = { .type = NLA_U16 },
	[XFRM_HC_PEER_IF_ID] = { .type = NLA_U32 },
	[XFRM_HC_PEER_STATE] = { .type = NLA_U8 },
	[XFRM_HC_PEER_REASON] = { .type = NLA_U8 },
	[XFRM_HC_PEER_RULE_PRIO] = { .type = NLA_U32 },
	[XFRM_HC_PEER_PROFILE] = { .type = NLA_NESTED },
	[XFRM_HC_PEER_IN_PACKETS] = { .type = NLA_U64 },
	[XFRM_HC_PEER_OUT_PACKETS] = { .type = NLA_U64 },
	[XFRM_HC_PEER_PROBES_SENT] = { .type = NLA_U64 },
	[XFRM_HC_PEER_PROBES_ANSWERED] = { .type = NLA_U64 },
	[XFRM_HC_PEER_RTT_MIN_US] = { .type = NLA_U32 },
	[XFRM_HC_PEER_RTT_AVG_US] = { .type = NLA_U32 },
	[XFRM_HC_PEER_RTT_MAX_US] = { .type = NLA_U32 },
	[XFRM_HC_PEER_LAST_CHANGE_MS] = { .type = NLA_U64 },
	[XFRM_HC_PEER_LAST_IN_MS] = { .type = NLA_U64 },
	[XFRM_HC_PEER_DETECT_MS] = { .type = NLA_U32 },
	[XFRM_HC_PEER_SA] = { .type = NLA_NESTED },
	[XFRM_HC_PEER_NATT_KEEPALIVES] = { .type = NLA_U64 },
	[XFRM_HC_PEER_PROBE_METHOD] = { .type = NLA_U8 },
};

static struct nla_policy sa_policy[XFRM_HC_SA_MAX + 1] = {
	[XFRM_HC_SA_SPI] = { .type = NLA_U32 },
	[XFRM_HC_SA_PROTO] = { .type = NLA_U8 },
	[XFRM_HC_SA_DIR] = { .type = NLA_U8 },
	[XFRM_HC_SA_REQID] = { .type = NLA_U32 },
	[XFRM_HC_SA_MARK] = { .type = NLA_U32 },
	[XFRM_HC_SA_MARK_MASK] = { .type = NLA_U32 },
	[XFRM_HC_SA_IF_ID] = { .type = NLA_U32 },
};

static struct nla_policy check_policy[XFRM_HC_CHECK_MAX + 1] = {
	[XFRM_HC_CHECK_NAME] = { .type = NLA_STRING },
	[XFRM_HC_CHECK_SRC] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_CHECK_DST] = { .minlen = 4, .maxlen = 16 },
	[XFRM_HC_CHECK_IFINDEX] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_IF_ID] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_INTERVAL_MS] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_MISSES] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_UP] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_TIMEOUT_MS] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_MODE] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_ACTION] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_IFNAME] = { .type = NLA_STRING },
	[XFRM_HC_CHECK_STATE] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_FLAPPING] = { .type = NLA_U8 },
	[XFRM_HC_CHECK_CUR_INTERVAL_MS] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_PROBES_SENT] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_PROBES_ANSWERED] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_PROBES_LOST] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_PROBES_SKIPPED] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_SEND_ERRORS] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_RTT_MIN_US] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_RTT_AVG_US] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_RTT_MAX_US] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_RTT_LAST_US] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_TRANSITIONS] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_LAST_CHANGE_MS] = { .type = NLA_U64 },
	[XFRM_HC_CHECK_DETECT_MS] = { .type = NLA_U32 },
};

const char *hc_event_name(unsigned int type)
{
	switch (type) {
	case XFRM_HC_CMD_PEER_DOWN:
		return "peer-down";
	case XFRM_HC_CMD_PEER_UP:
		return "peer-up";
	case XFRM_HC_CMD_PEER_IDLE:
		return "peer-idle";
	case XFRM_HC_CMD_PEER_GONE:
		return "peer-gone";
	case HC_EVENT_STATE:
		return "peer-state";
	case HC_EVENT_RESYNC:
		return "resync";
	case XFRM_HC_CMD_CHECK_DOWN:
		return "check-down";
	case XFRM_HC_CMD_CHECK_UP:
		return "check-up";
	case HC_EVENT_CHECK_STATE:
		return "check-state";
	}
	return "unknown";
}

static int addr_put(struct nl_msg *msg, int type, const struct hc_addr *a)
{
	return nla_put(msg, type, a->len, a->b);
}

/* An address attribute; FAMILY 0 takes it from the length. */
static int addr_get(struct nlattr *nla, uint8_t family, struct hc_addr *a)
{
	int len = nla_len(nla);

	memset(a, 0, sizeof(*a));
	if (len != 4 && len != 16)
		return -EBADMSG;
	if (!family)
		family = len == 4 ? AF_INET : AF_INET6;
	if ((family == AF_INET) != (len == 4))
		return -EBADMSG;
	a->family = family;
	a->len = len;
	a->plen = len * 8;
	memcpy(a->b, nla_data(nla), len);
	return 0;
}

int hc_profile_put(struct nl_msg *msg, int type, const struct hc_profile *p)
{
	struct nlattr *nest = nla_nest_start(msg, type);

	if (!nest)
		return -EMSGSIZE;
	if (((p->set & HC_BIT(XFRM_HC_PROFILE_INTERVAL_MS)) &&
	     nla_put_u32(msg, XFRM_HC_PROFILE_INTERVAL_MS, p->interval_ms)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_MISSES)) &&
	     nla_put_u8(msg, XFRM_HC_PROFILE_MISSES, p->misses)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_UP)) &&
	     nla_put_u8(msg, XFRM_HC_PROFILE_UP, p->up)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_JITTER)) &&
	     nla_put_u8(msg, XFRM_HC_PROFILE_JITTER, p->jitter)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_MODE)) &&
	     nla_put_u8(msg, XFRM_HC_PROFILE_MODE, p->mode)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_ACTION)) &&
	     nla_put_u8(msg, XFRM_HC_PROFILE_ACTION, p->action)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_SRC)) &&
	     addr_put(msg, XFRM_HC_PROFILE_PROBE_SRC, &p->probe_src)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_DST)) &&
	     addr_put(msg, XFRM_HC_PROFILE_PROBE_DST, &p->probe_dst)) ||
	    ((p->set & HC_BIT(XFRM_HC_PROFILE_NATT_KEEPALIVE)) &&
	     nla_put_u16(msg, XFRM_HC_PROFILE_NATT_KEEPALIVE,
			 p->natt_keepalive)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

/* Marks in SET each attribute of TB that is present. */
static uint64_t present(struct nlattr **tb, int max)
{
	uint64_t set = 0;
	int i;

	for (i = 1; i <= max; i++)
		if (tb[i])
			set |= HC_BIT(i);
	return set;
}

int hc_profile_get(struct nlattr *nest, struct hc_profile *p)
{
	struct nlattr *tb[XFRM_HC_PROFILE_MAX + 1];

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, XFRM_HC_PROFILE_MAX, nest, profile_policy))
		return -EBADMSG;
	p->set = present(tb, XFRM_HC_PROFILE_MAX);
	if (tb[XFRM_HC_PROFILE_INTERVAL_MS])
		p->interval_ms = nla_get_u32(tb[XFRM_HC_PROFILE_INTERVAL_MS]);
	if (tb[XFRM_HC_PROFILE_MISSES])
		p->misses = nla_get_u8(tb[XFRM_HC_PROFILE_MISSES]);
	if (tb[XFRM_HC_PROFILE_UP])
		p->up = nla_get_u8(tb[XFRM_HC_PROFILE_UP]);
	if (tb[XFRM_HC_PROFILE_JITTER])
		p->jitter = nla_get_u8(tb[XFRM_HC_PROFILE_JITTER]);
	if (tb[XFRM_HC_PROFILE_MODE])
		p->mode = nla_get_u8(tb[XFRM_HC_PROFILE_MODE]);
	if (tb[XFRM_HC_PROFILE_ACTION])
		p->action = nla_get_u8(tb[XFRM_HC_PROFILE_ACTION]);
	if (tb[XFRM_HC_PROFILE_PROBE_SRC] &&
	    addr_get(tb[XFRM_HC_PROFILE_PROBE_SRC], 0, &p->probe_src))
		return -EBADMSG;
	if (tb[XFRM_HC_PROFILE_PROBE_DST] &&
	    addr_get(tb[XFRM_HC_PROFILE_PROBE_DST], 0, &p->probe_dst))
		return -EBADMSG;
	if (tb[XFRM_HC_PROFILE_NATT_KEEPALIVE])
		p->natt_keepalive =
			nla_get_u16(tb[XFRM_HC_PROFILE_NATT_KEEPALIVE]);
	return 0;
}

int hc_rule_put(struct nl_msg *msg, const struct hc_rule *r)
{
	struct nlattr *nest = nla_nest_start(msg, XFRM_HC_A_RULE);
	static const struct {
		int type;
		size_t off;
	} u32s[] = {
		{ XFRM_HC_RULE_PRIO, offsetof(struct hc_rule, prio) },
		{ XFRM_HC_RULE_REQID_MIN, offsetof(struct hc_rule, reqid_min) },
		{ XFRM_HC_RULE_REQID_MAX, offsetof(struct hc_rule, reqid_max) },
		{ XFRM_HC_RULE_MARK, offsetof(struct hc_rule, mark) },
		{ XFRM_HC_RULE_MARK_MASK, offsetof(struct hc_rule, mark_mask) },
		{ XFRM_HC_RULE_IF_ID, offsetof(struct hc_rule, if_id) },
	};
	size_t i;

	if (!nest)
		return -EMSGSIZE;
	for (i = 0; i < sizeof(u32s) / sizeof(u32s[0]); i++) {
		if (!(r->set & HC_BIT(u32s[i].type)))
			continue;
		if (nla_put_u32(msg, u32s[i].type,
				*(const uint32_t *)((const char *)r +
						    u32s[i].off)))
			return -EMSGSIZE;
	}
	if (((r->set & HC_BIT(XFRM_HC_RULE_FAMILY)) &&
	     nla_put_u8(msg, XFRM_HC_RULE_FAMILY, r->family)) ||
	    ((r->set & HC_BIT(XFRM_HC_RULE_REMOTE)) &&
	     (addr_put(msg, XFRM_HC_RULE_REMOTE, &r->remote) ||
	      nla_put_u8(msg, XFRM_HC_RULE_REMOTE_PLEN, r->remote.plen))) ||
	    (r->profile.set &&
	     hc_profile_put(msg, XFRM_HC_RULE_PROFILE, &r->profile)))
		return -EMSGSIZE;
	nla_nest_end(msg, nest);
	return 0;
}

int hc_rule_get(struct nlattr *nest, struct hc_rule *r)
{
	struct nlattr *tb[XFRM_HC_RULE_MAX + 1];

	memset(r, 0, sizeof(*r));
	if (nla_parse_nested(tb, XFRM_HC_RULE_MAX, nest, rule_policy))
		return -EBADMSG;
	r->set = present(tb, XFRM_HC_RULE_MAX);
	if (tb[XFRM_HC_RULE_PRIO])
		r->prio = nla_get_u32(tb[XFRM_HC_RULE_PRIO]);
	if (tb[XFRM_HC_RULE_REQID_MIN])
		r->reqid_min = nla_get_u32(tb[XFRM_HC_RULE_REQID_MIN]);
	if (tb[XFRM_HC_RULE_REQID_MAX])
		r->reqid_max = nla_get_u32(tb[XFRM_HC_RULE_REQID_MAX]);
	if (tb[XFRM_HC_RULE_MARK])
		r->mark = nla_get_u32(tb[XFRM_HC_RULE_MARK]);
	if (tb[XFRM_HC_RULE_MARK_MASK])
		r->mark_mask = nla_get_u32(tb[XFRM_HC_RULE_MARK_MASK]);
	if (tb[XFRM_HC_RULE_IF_ID])
		r->if_id = nla_get_u32(tb[XFRM_HC_RULE_IF_ID]);
	if (tb[XFRM_HC_RULE_FAMILY])
		r->family = nla_get_u8(tb[XFRM_HC_RULE_FAMILY]);
	if (tb[XFRM_HC_RULE_REMOTE]) {
		if (addr_get(tb[XFRM_HC_RULE_REMOTE], 0, &r->remote))
			return -EBADMSG;
		if (tb[XFRM_HC_RULE_REMOTE_PLEN] &&
		    nla_get_u8(tb[XFRM_HC_RULE_REMOTE_PLEN]) <= r->remote.plen)
			r->remote.plen =
				nla_get_u8(tb[XFRM_HC_RULE_REMOTE_PLEN]);
	}
	if (tb[XFRM_HC_RULE_PROFILE] &&
	    hc_profile_get(tb[XFRM_HC_RULE_PROFILE], &r->profile))
		return -EBADMSG;
	if (tb[XFRM_HC_RULE_MATCHES])
		r->matches = nla_get_u64(tb[XFRM_HC_RULE_MATCHES]);
	return 0;
}

static int sa_get(struct nlattr *nest, struct hc_sa *sa)
{
	struct nlattr *tb[XFRM_HC_SA_MAX + 1];

	memset(sa, 0, sizeof(*sa));
	if (nla_parse_nested(tb, XFRM_HC_SA_MAX, nest, sa_policy) ||
	    !tb[XFRM_HC_SA_SPI] || !tb[XFRM_HC_SA_PROTO])
		return -EBADMSG;
	sa->spi = nla_get_u32(tb[XFRM_HC_SA_SPI]);
	sa->proto = nla_get_u8(tb[XFRM_HC_SA_PROTO]);
	if (tb[XFRM_HC_SA_DIR])
		sa->dir = nla_get_u8(tb[XFRM_HC_SA_DIR]);
	if (tb[XFRM_HC_SA_REQID])
		sa->reqid = nla_get_u32(tb[XFRM_HC_SA_REQID]);
	if (tb[XFRM_HC_SA_MARK])
		sa->mark = nla_get_u32(tb[XFRM_HC_SA_MARK]);
	if (tb[XFRM_HC_SA_MARK_MASK])
		sa->mark_mask = nla_get_u32(tb[XFRM_HC_SA_MARK_MASK]);
	if (tb[XFRM_HC_SA_IF_ID])
		sa->if_id = nla_get_u32(tb[XFRM_HC_SA_IF_ID]);
	return 0;
}

static uint64_t get_u64(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u64(tb[type]) : 0;
}

static uint32_t get_u32(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u32(tb[type]) : 0;
}

static uint8_t get_u8(struct nlattr **tb, int type)
{
	return tb[type] ? nla_get_u8(tb[type]) : 0;
}

int hc_peer_get(struct nlattr *nest, struct hc_peer *p)
{
	struct nlattr *tb[XFRM_HC_PEER_MAX + 1];
	struct nlattr *nla;
	unsigned int n = 0;
	int rem;

	memset(p, 0, sizeof(*p));
	if (nla_parse_nested(tb, XFRM_HC_PEER_MAX, nest, peer_policy) ||
	    !tb[XFRM_HC_PEER_REMOTE])
		return -EBADMSG;
	p->set = present(tb, XFRM_HC_PEER_MAX);
	p->family = get_u8(tb, XFRM_HC_PEER_FAMILY);
	if (addr_get(tb[XFRM_HC_PEER_REMOTE], p->family, &p->remote))
		return -EBADMSG;
	p->family = p->remote.family;
	if (tb[XFRM_HC_PEER_LOCAL] &&
	    addr_get(tb[XFRM_HC_PEER_LOCAL], p->family, &p->local))
		return -EBADMSG;
	p->encap_sport = tb[XFRM_HC_PEER_ENCAP_SPORT] ?
		nla_get_u16(tb[XFRM_HC_PEER_ENCAP_SPORT]) : 0;
	p->encap_dport = tb[XFRM_HC_PEER_ENCAP_DPORT] ?
		nla_get_u16(tb[XFRM_HC_PEER_ENCAP_DPORT]) : 0;
	p->if_id = get_u32(tb, XFRM_HC_PEER_IF_ID);
	p->state = get_u8(tb, XFRM_HC_PEER_STATE);
	p->reason = get_u8(tb, XFRM_HC_PEER_REASON);
	p->probe_method = get_u8(tb, XFRM_HC_PEER_PROBE_METHOD);
	p->rule_prio = get_u32(tb, XFRM_HC_PEER_RULE_PRIO);
	if (tb[XFRM_HC_PEER_PROFILE] &&
	    hc_profile_get(tb[XFRM_HC_PEER_PROFILE], &p->profile))
		return -EBADMSG;
	p->in_packets = get_u64(tb, XFRM_HC_PEER_IN_PACKETS);
	p->out_packets = get_u64(tb, XFRM_HC_PEER_OUT_PACKETS);
	p->probes_sent = get_u64(tb, XFRM_HC_PEER_PROBES_SENT);
	p->probes_answered = get_u64(tb, XFRM_HC_PEER_PROBES_ANSWERED);
	p->rtt_min_us = get_u32(tb, XFRM_HC_PEER_RTT_MIN_US);
	p->rtt_avg_us = get_u32(tb, XFRM_HC_PEER_RTT_AVG_US);
	p->rtt_max_us = get_u32(tb, XFRM_HC_PEER_RTT_MAX_US);
	p->last_change_ms = get_u64(tb, XFRM_HC_PEER_LAST_CHANGE_MS);
	p->last_in_ms = get_u64(tb, XFRM_HC_PEER_LAST_IN_MS);
	p->detect_ms = get_u32(tb, XFRM_HC_PEER_DETECT_MS);
	p->natt_keepalives = get_u64(tb, XFRM_HC_PEER_NATT_KEEPALIVES);

	/* nla_parse keeps the last of repeated attributes: walk them all. */
	nla_for_each_nested(nla, nest, rem)
		if (nla_type(nla) == XFRM_HC_PEER_SA)
			n++;
	if (!n)
		return 0;
	p->sas = calloc(n, sizeof(*p->sas));
	if (!p->sas)
		return -ENOMEM;
	nla_for_each_nested(nla, nest, rem) {
		if (nla_type(nla) != XFRM_HC_PEER_SA)
			continue;
		if (sa_get(nla, &p->sas[p->n_sas])) {
			hc_peer_free(p);
			return -EBADMSG;
		}
		p->n_sas++;
	}
	return 0;
}

void hc_peer_free(struct hc_peer *p)
{
	free(p->sas);
	p->sas = NULL;
	p->n_sas = 0;
}

int hc_peer_copy(struct hc_peer *dst, const struct hc_peer *src)
{
	*dst = *src;
	if (!src->n_sas)
		return 0;
	dst->sas = calloc(src->n_sas, sizeof(*dst->sas));
	if (!dst->sas) {
		dst->n_sas = 0;
		return -ENOMEM;
	}
	memcpy(dst->sas, src->sas, src->n_sas * sizeof(*dst->sas));
	return 0;
}

/* The settings of a check that are numbers: u8 or u32, as in the policy. */
static const struct {
	int type;
	size_t off;
} check_nums[] = {
	{ XFRM_HC_CHECK_IFINDEX, offsetof(struct hc_check, ifindex) },
	{ XFRM_HC_CHECK_IF_ID, offsetof(struct hc_check, if_id) },
	{ XFRM_HC_CHECK_INTERVAL_MS, offsetof(struct hc_check, interval_ms) },
	{ XFRM_HC_CHECK_MISSES, offsetof(struct hc_check, misses) },
	{ XFRM_HC_CHECK_UP, offsetof(struct hc_check, up) },
	{ XFRM_HC_CHECK_TIMEOUT_MS, offsetof(struct hc_check, timeout_ms) },
	{ XFRM_HC_CHECK_MODE, offsetof(struct hc_check, mode) },
	{ XFRM_HC_CHECK_ACTION, offsetof(struct hc_check, action) },
};

double hc_check_loss_ratio(const struct hc_check *c)
{
	uint64_t n = c->probes_answered + c->probes_lost;

	return n ? (double)c->probes_lost / n : 0;
}

int hc_check_put(struct nl_msg *msg, const struct hc_check *c)
{
	struct nlattr *nest = nla_nest_start(msg, XFRM_HC_A_CHECK);
	const char *field;
	size_t i;
	int err;

	if (!nest ||
	    (HC_CHECK_HAS(c, NAME) &&
	     nla_put_string(msg, XFRM_HC_CHECK_NAME, c->name)) ||
	    (HC_CHECK_HAS(c, SRC) && addr_put(msg, XFRM_HC_CHECK_SRC, &c->src)) ||
	    (HC_CHECK_HAS(c, DST) && addr_put(msg, XFRM_HC_CHECK_DST, &c->dst)))
		return -EMSGSIZE;
	for (i = 0; i < sizeof(check_nums) / sizeof(check_nums[0]); i++) {
		if (!(c->set & HC_BIT(check_nums[i].type)))
			continue;
		field = (const char *)c + check_nums[i].off;
		if (check_policy[check_nums[i].type].type == NLA_U8)
			err = nla_put_u8(msg, check_nums[i].type,
					 *(const uint8_t *)field);
		else
			err = nla_put_u32(msg, check_nums[i].type,
					  *(const uint32_t *)field);
		if (err)
			return -EMSGSIZE;
	}
	nla_nest_end(msg, nest);
	return 0;
}

int hc_check_get(struct nlattr *nest, struct hc_check *c)
{
	struct nlattr *tb[XFRM_HC_CHECK_MAX + 1];

	memset(c, 0, sizeof(*c));
	if (nla_parse_nested(tb, XFRM_HC_CHECK_MAX, nest, check_policy) ||
	    !tb[XFRM_HC_CHECK_NAME])
		return -EBADMSG;
	c->set = present(tb, XFRM_HC_CHECK_MAX);
	nla_strlcpy(c->name, tb[XFRM_HC_CHECK_NAME], sizeof(c->name));
	if (tb[XFRM_HC_CHECK_SRC] &&
	    addr_get(tb[XFRM_HC_CHECK_SRC], 0, &c->src))
		return -EBADMSG;
	if (tb[XFRM_HC_CHECK_DST] &&
	    addr_get(tb[XFRM_HC_CHECK_DST], 0, &c->dst))
		return -EBADMSG;
	c->ifindex = get_u32(tb, XFRM_HC_CHECK_IFINDEX);
	if (tb[XFRM_HC_CHECK_IFNAME])
		nla_strlcpy(c->ifname, tb[XFRM_HC_CHECK_IFNAME],
			    sizeof(c->ifname));
	c->if_id = get_u32(tb, XFRM_HC_CHECK_IF_ID);
	c->interval_ms = get_u32(tb, XFRM_HC_CHECK_INTERVAL_MS);
	c->misses = get_u8(tb, XFRM_HC_CHECK_MISSES);
	c->up = get_u8(tb, XFRM_HC_CHECK_UP);
	c->timeout_ms = get_u32(tb, XFRM_HC_CHECK_TIMEOUT_MS);
	c->mode = get_u8(tb, XFRM_HC_CHECK_MODE);
	c->action = get_u8(tb, XFRM_HC_CHECK_ACTION);
	c->state = get_u8(tb, XFRM_HC_CHECK_STATE);
	c->flapping = get_u8(tb, XFRM_HC_CHECK_FLAPPING);
	c->cur_interval_ms = get_u32(tb, XFRM_HC_CHECK_CUR_INTERVAL_MS);
	c->probes_sent = get_u64(tb, XFRM_HC_CHECK_PROBES_SENT);
	c->probes_answered = get_u64(tb, XFRM_HC_CHECK_PROBES_ANSWERED);
	c->probes_lost = get_u64(tb, XFRM_HC_CHECK_PROBES_LOST);
	c->probes_skipped = get_u64(tb, XFRM_HC_CHECK_PROBES_SKIPPED);
	c->send_errors = get_u64(tb, XFRM_HC_CHECK_SEND_ERRORS);
	c->rtt_min_us = get_u32(tb, XFRM_HC_CHECK_RTT_MIN_US);
	c->rtt_avg_us = get_u32(tb, XFRM_HC_CHECK_RTT_AVG_US);
	c->rtt_max_us = get_u32(tb, XFRM_HC_CHECK_RTT_MAX_US);
	c->rtt_last_us = get_u32(tb, XFRM_HC_CHECK_RTT_LAST_US);
	c->transitions = get_u64(tb, XFRM_HC_CHECK_TRANSITIONS);
	c->last_change_ms = get_u64(tb, XFRM_HC_CHECK_LAST_CHANGE_MS);
	c->detect_ms = get_u32(tb, XFRM_HC_CHECK_DETECT_MS);
	return 0;
}

int hc_event_get(struct nl_msg *msg, struct hc_event *ev)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];

	memset(ev, 0, sizeof(*ev));
	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX) ||
	    (!tb[XFRM_HC_A_PEER] && !tb[XFRM_HC_A_CHECK]))
		return -EBADMSG;
	ev->type = genlmsg_hdr(nlmsg_hdr(msg))->cmd;
	if (tb[XFRM_HC_A_GENERATION] &&
	    nla_len(tb[XFRM_HC_A_GENERATION]) >= 4) {
		ev->has_generation = true;
		ev->generation = nla_get_u32(tb[XFRM_HC_A_GENERATION]);
	}
	if (tb[XFRM_HC_A_CHECK])
		return hc_check_get(tb[XFRM_HC_A_CHECK], &ev->check);
	return hc_peer_get(tb[XFRM_HC_A_PEER], &ev->peer);
}
