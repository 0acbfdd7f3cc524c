// SPDX-License-Identifier: GPL-2.0
/* Times, numbers, addresses, prefixes and keywords from the command line. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "parse.h"
#include "common.h"

const struct hc_kw hc_kw_mode[] = {
	{ "on-demand", XFRM_HC_MODE_ON_DEMAND },
	{ "idle", XFRM_HC_MODE_IDLE },
	{ "periodic", XFRM_HC_MODE_PERIODIC },
	{}
};

const struct hc_kw hc_kw_action[] = {
	{ "notify", XFRM_HC_ACTION_NOTIFY },
	{ "clear", XFRM_HC_ACTION_CLEAR },
	{ "restart", XFRM_HC_ACTION_RESTART },
	{ "failover", XFRM_HC_ACTION_FAILOVER },
	{}
};

const struct hc_kw hc_kw_profile_action[] = {
	{ "notify", XFRM_HC_ACTION_NOTIFY },
	{ "clear", XFRM_HC_ACTION_CLEAR },
	{ "restart", XFRM_HC_ACTION_RESTART },
	{}
};

const struct hc_kw hc_kw_state[] = {
	{ "up", XFRM_HC_STATE_UP },
	{ "dead", XFRM_HC_STATE_DEAD },
	{ "idle", XFRM_HC_STATE_IDLE },
	{}
};

const struct hc_kw hc_kw_reason[] = {
	{ "none", XFRM_HC_REASON_NONE },
	{ "probe-timeout", XFRM_HC_REASON_PROBE_TIMEOUT },
	{ "one-way-traffic", XFRM_HC_REASON_ONE_WAY_TRAFFIC },
	{}
};

const struct hc_kw hc_kw_probe_method[] = {
	{ "passive", XFRM_HC_PROBE_METHOD_PASSIVE },
	{ "icmp", XFRM_HC_PROBE_METHOD_ICMP },
	{ "echo", XFRM_HC_PROBE_METHOD_ECHO },
	{}
};

const struct hc_kw hc_kw_family[] = {
	{ "inet", AF_INET },
	{ "inet6", AF_INET6 },
	{}
};

const struct hc_kw hc_kw_dir[] = {
	{ "in", XFRM_HC_DIR_IN },
	{ "out", XFRM_HC_DIR_OUT },
	{}
};

const struct hc_kw hc_kw_proto[] = {
	{ "esp", IPPROTO_ESP },
	{ "ah", IPPROTO_AH },
	{ "comp", IPPROTO_COMP },
	{}
};

const struct hc_kw hc_kw_check_mode[] = {
	{ "periodic", XFRM_HC_CHECK_MODE_PERIODIC },
	{ "optimized", XFRM_HC_CHECK_MODE_OPTIMIZED },
	{}
};

const struct hc_kw hc_kw_check_state[] = {
	{ "unknown", XFRM_HC_CHECK_STATE_UNKNOWN },
	{ "up", XFRM_HC_CHECK_STATE_UP },
	{ "down", XFRM_HC_CHECK_STATE_DOWN },
	{}
};

const struct hc_kw hc_kw_on_off[] = {
	{ "off", 0 },
	{ "on", 1 },
	{}
};

const char *hc_kw_name(const struct hc_kw *kw, unsigned int val)
{
	static char buf[24];

	for (; kw->name; kw++)
		if (kw->val == val)
			return kw->name;
	snprintf(buf, sizeof(buf), "unknown-%u", val);
	return buf;
}

int hc_parse_kw(const char *what, const char *s, const struct hc_kw *kw,
		unsigned int *val)
{
	const struct hc_kw *k;
	char list[128] = "";
	size_t n = 0;

	for (k = kw; k->name; k++) {
		if (!strcmp(s, k->name)) {
			*val = k->val;
			return 0;
		}
	}
	for (k = kw; k->name && n < sizeof(list); k++)
		n += snprintf(list + n, sizeof(list) - n, "%s%s",
			      k == kw ? "" : k[1].name ? ", " : " or ",
			      k->name);
	hc_err("invalid %s \"%s\": expected %s", what, s, list);
	return -1;
}

/* Digits only, no sign, no blanks: strtoul() alone accepts too much. */
static int parse_ulong(const char *s, int base, unsigned long long *val,
		       char **end)
{
	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	*val = strtoull(s, end, base);
	return errno ? -1 : 0;
}

int hc_parse_time(const char *what, const char *s, uint32_t *ms)
{
	unsigned long long whole, frac = 0, scale = 1;
	unsigned int mult = 1;
	char *end;
	char *f;

	if (parse_ulong(s, 10, &whole, &end))
		goto bad;
	if (*end == '.') {
		f = end + 1;
		if (!isdigit((unsigned char)*f))
			goto bad;
		for (end = f; isdigit((unsigned char)*end); end++) {
			if (scale >= 1000)
				goto bad;	/* finer than a millisecond */
			frac = frac * 10 + (*end - '0');
			scale *= 10;
		}
	}
	if (!strcmp(end, "s"))
		mult = 1000;
	else if (strcmp(end, "ms") && *end)
		goto bad;
	if (mult == 1 && scale != 1)
		goto bad;
	if (whole > UINT32_MAX / mult)
		goto bad;
	whole = whole * mult + frac * mult / scale;
	if (whole > UINT32_MAX)
		goto bad;
	*ms = whole;
	return 0;
bad:
	hc_err("invalid %s \"%s\": expected a time like 100ms or 1s", what, s);
	return -1;
}

const char *hc_fmt_ms(char *buf, size_t size, uint64_t ms)
{
	if (ms && ms % 1000 == 0)
		snprintf(buf, size, "%" PRIu64 "s", ms / 1000);
	else
		snprintf(buf, size, "%" PRIu64 "ms", ms);
	return buf;
}

int hc_parse_time_range(const char *what, const char *s, uint32_t min,
			uint32_t max, uint32_t *ms)
{
	char lo[24], hi[24];

	if (hc_parse_time(what, s, ms))
		return -1;
	if (*ms >= min && *ms <= max)
		return 0;
	hc_err("invalid %s \"%s\": expected a time from %s to %s", what, s,
	       hc_fmt_ms(lo, sizeof(lo), min), hc_fmt_ms(hi, sizeof(hi), max));
	return -1;
}

int hc_parse_seconds(const char *what, const char *s, uint32_t max,
		     uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (parse_ulong(s, 10, &v, &end) || (*end && strcmp(end, "s")) ||
	    v > max) {
		hc_err("invalid %s \"%s\": expected seconds from 0 to %u",
		       what, s, max);
		return -1;
	}
	*val = v;
	return 0;
}

int hc_parse_range(const char *what, const char *s, uint32_t min,
		   uint32_t max, uint32_t *val)
{
	unsigned long long v;
	char *end;

	if (parse_ulong(s, 0, &v, &end) || *end || v < min || v > max) {
		hc_err("invalid %s \"%s\": expected a number from %u to %u",
		       what, s, min, max);
		return -1;
	}
	*val = v;
	return 0;
}

int hc_parse_uint(const char *what, const char *s, uint32_t max,
		  uint32_t *val)
{
	return hc_parse_range(what, s, 0, max, val);
}

int hc_parse_u32(const char *what, const char *s, uint32_t *val)
{
	return hc_parse_uint(what, s, UINT32_MAX, val);
}

static int addr_parse(const char *s, struct hc_addr *a)
{
	memset(a, 0, sizeof(*a));
	if (inet_pton(AF_INET, s, a->b) == 1) {
		a->family = AF_INET;
		a->len = 4;
	} else if (inet_pton(AF_INET6, s, a->b) == 1) {
		a->family = AF_INET6;
		a->len = 16;
	} else {
		return -1;
	}
	a->plen = a->len * 8;
	return 0;
}

int hc_parse_addr(const char *what, const char *s, struct hc_addr *a)
{
	if (addr_parse(s, a)) {
		hc_err("invalid %s \"%s\": expected an IPv4 or IPv6 address",
		       what, s);
		return -1;
	}
	return 0;
}

int hc_parse_prefix(const char *what, const char *s, struct hc_addr *a)
{
	char buf[HC_ADDR_STRLEN];
	unsigned long long plen;
	char *slash, *end;
	int i;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (addr_parse(buf, a))
		goto bad;
	if (slash) {
		if (parse_ulong(slash + 1, 10, &plen, &end) || *end ||
		    plen > a->len * 8u)
			goto bad;
		a->plen = plen;
	}
	/* Host bits set are a typo more often than not: refuse them. */
	for (i = a->plen; i < a->len * 8; i++) {
		if (a->b[i / 8] & (0x80 >> (i % 8))) {
			hc_err("invalid %s \"%s\": host bits set beyond /%u",
			       what, s, a->plen);
			return -1;
		}
	}
	return 0;
bad:
	hc_err("invalid %s \"%s\": expected an address or ADDRESS/LENGTH",
	       what, s);
	return -1;
}

const char *hc_addr_str(const struct hc_addr *a, char *buf, size_t size)
{
	size_t n;

	if (!a->family || !inet_ntop(a->family, a->b, buf, size)) {
		snprintf(buf, size, "?");
		return buf;
	}
	n = strlen(buf);
	if (a->plen < a->len * 8)
		snprintf(buf + n, size - n, "/%u", a->plen);
	return buf;
}

const char *hc_arg_value(struct hc_args *a)
{
	const char *kw = a->argv[0];

	if (a->argc < 2) {
		hc_err("missing value after \"%s\"", kw);
		return NULL;
	}
	a->argc -= 2;
	a->argv += 2;
	return a->argv[-1];
}

int hc_arg_unexpected(const char *where, const char *word)
{
	hc_err("%s: unexpected argument \"%s\"", where, word);
	return -1;
}

const struct hc_arg_kw *hc_arg_find(const struct hc_arg_kw *kws,
				    const char *word)
{
	for (; kws->kw; kws++)
		if (!strcmp(word, kws->kw))
			return kws;
	return NULL;
}

int hc_arg_kw(struct hc_args *a, const struct hc_arg_kw *kws, uint64_t set,
	      const char **val)
{
	const char *kw = hc_arg_peek(a);
	const struct hc_arg_kw *k = hc_arg_find(kws, kw);

	if (!k)
		return 0;
	if (set & HC_BIT(k->attr)) {
		hc_err("\"%s\" given twice", kw);
		return -1;
	}
	if (!k->arg && !k->vals) {
		hc_arg_skip(a);
		*val = NULL;
		return k->attr;
	}
	*val = hc_arg_value(a);
	return *val ? k->attr : -1;
}

/* A pair of addresses that go together: both or neither, of one family. */
static int addr_pair_check(const char *ka, bool has_a, const struct hc_addr *a,
			   const char *kb, bool has_b, const struct hc_addr *b)
{
	char sa[HC_ADDR_STRLEN], sb[HC_ADDR_STRLEN];

	if (has_a != has_b) {
		hc_err("\"%s\" needs \"%s\" too", has_a ? ka : kb,
		       has_a ? kb : ka);
		return -1;
	}
	if (has_a && a->family != b->family) {
		hc_err("%s \"%s\" and %s \"%s\" are not of one family",
		       ka, hc_addr_str(a, sa, sizeof(sa)),
		       kb, hc_addr_str(b, sb, sizeof(sb)));
		return -1;
	}
	return 0;
}

const struct hc_arg_kw hc_profile_kws[] = {
	{ "interval", XFRM_HC_PROFILE_INTERVAL_MS, "TIME", NULL },
	{ "misses", XFRM_HC_PROFILE_MISSES, "N", NULL },
	{ "up", XFRM_HC_PROFILE_UP, "N", NULL },
	{ "jitter", XFRM_HC_PROFILE_JITTER, "PERCENT", NULL },
	{ "mode", XFRM_HC_PROFILE_MODE, NULL, hc_kw_mode },
	{ "action", XFRM_HC_PROFILE_ACTION, NULL, hc_kw_profile_action },
	{ "probe-src", XFRM_HC_PROFILE_PROBE_SRC, "ADDR", NULL },
	{ "probe-dst", XFRM_HC_PROFILE_PROBE_DST, "ADDR", NULL },
	{ "natt-keepalive", XFRM_HC_PROFILE_NATT_KEEPALIVE, "SECONDS", NULL },
	{}
};

/* RFC 3948 keepalives: at most an hour apart, 0 for none. */
#define HC_NATT_KEEPALIVE_MAX XFRM_HC_NATT_KEEPALIVE_MAX

int hc_parse_profile_arg(struct hc_args *a, struct hc_profile *p)
{
	const char *kw = hc_arg_peek(a);
	const char *val;
	unsigned int k = 0;
	uint32_t v = 0;
	int attr;
	int err;

	attr = hc_arg_kw(a, hc_profile_kws, p->set, &val);
	if (attr <= 0)
		return attr;
	switch (attr) {
	case XFRM_HC_PROFILE_INTERVAL_MS:
		err = hc_parse_time(kw, val, &p->interval_ms);
		break;
	case XFRM_HC_PROFILE_MISSES:
	case XFRM_HC_PROFILE_UP:
	case XFRM_HC_PROFILE_JITTER:
		err = hc_parse_uint(kw, val, UINT8_MAX, &v);
		if (attr == XFRM_HC_PROFILE_MISSES)
			p->misses = v;
		else if (attr == XFRM_HC_PROFILE_UP)
			p->up = v;
		else
			p->jitter = v;
		break;
	case XFRM_HC_PROFILE_MODE:
		err = hc_parse_kw(kw, val, hc_kw_mode, &k);
		p->mode = k;
		break;
	case XFRM_HC_PROFILE_ACTION:
		/* failover too: the kernel says why a profile cannot. */
		err = hc_parse_kw(kw, val, hc_kw_action, &k);
		p->action = k;
		break;
	case XFRM_HC_PROFILE_PROBE_SRC:
		err = hc_parse_addr(kw, val, &p->probe_src);
		break;
	case XFRM_HC_PROFILE_PROBE_DST:
		err = hc_parse_addr(kw, val, &p->probe_dst);
		break;
	default:
		err = hc_parse_seconds(kw, val, HC_NATT_KEEPALIVE_MAX, &v);
		p->natt_keepalive = v;
		break;
	}
	if (err)
		return -1;
	p->set |= HC_BIT(attr);
	return 1;
}

int hc_profile_check(const struct hc_profile *p)
{
	return addr_pair_check("probe-src",
			       p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_SRC),
			       &p->probe_src, "probe-dst",
			       p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_DST),
			       &p->probe_dst);
}

/* The kernel's ranges, checked here too so that errors name the word. */
#define HC_CHECK_TIME_MIN	XFRM_HC_INTERVAL_MS_MIN
#define HC_CHECK_TIME_MAX	XFRM_HC_INTERVAL_MS_MAX

static const char check_name_chars[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-";

int hc_parse_check_name(const char *s, char *name, size_t size)
{
	size_t n = strspn(s, check_name_chars);

	if (!n || s[n] || n >= HC_CHECK_NAME_LEN || n >= size) {
		hc_err("invalid name \"%s\": expected 1 to %d of A-Z a-z 0-9 _ . -",
		       s, HC_CHECK_NAME_LEN - 1);
		return -1;
	}
	memcpy(name, s, n + 1);
	return 0;
}

/* "dev none" of check set: no interface. */
static const struct hc_kw dev_none[] = {
	{ "none", 0 },
	{}
};

/* "dev IFNAME" in this netns, or "dev none": ifindex 0. */
static int parse_dev(const char *s, struct hc_check *c)
{
	if (!strcmp(s, dev_none[0].name)) {
		c->ifindex = 0;
		c->ifname[0] = '\0';
		return 0;
	}
	if (strlen(s) >= sizeof(c->ifname)) {
		hc_err("invalid dev \"%s\": an interface name is at most %zu characters",
		       s, sizeof(c->ifname) - 1);
		return -1;
	}
	c->ifindex = if_nametoindex(s);
	if (!c->ifindex) {
		hc_err("invalid dev \"%s\": no such interface", s);
		return -1;
	}
	memcpy(c->ifname, s, strlen(s) + 1);
	return 0;
}

const struct hc_arg_kw hc_check_add_kws[] = {
	{ "name", XFRM_HC_CHECK_NAME, "NAME", NULL },
	{ "src", XFRM_HC_CHECK_SRC, "ADDR", NULL },
	{ "dst", XFRM_HC_CHECK_DST, "ADDR", NULL },
	{ "dev", XFRM_HC_CHECK_IFINDEX, "IFNAME", NULL },
	{ "if_id", XFRM_HC_CHECK_IF_ID, "N", NULL },
	{}
};

/* The same, and "dev none". */
const struct hc_arg_kw hc_check_set_kws[] = {
	{ "name", XFRM_HC_CHECK_NAME, "NAME", NULL },
	{ "src", XFRM_HC_CHECK_SRC, "ADDR", NULL },
	{ "dst", XFRM_HC_CHECK_DST, "ADDR", NULL },
	{ "dev", XFRM_HC_CHECK_IFINDEX, "IFNAME", dev_none },
	{ "if_id", XFRM_HC_CHECK_IF_ID, "N", NULL },
	{}
};

const struct hc_arg_kw hc_check_settings_kws[] = {
	{ "interval", XFRM_HC_CHECK_INTERVAL_MS, "TIME", NULL },
	{ "misses", XFRM_HC_CHECK_MISSES, "N", NULL },
	{ "up", XFRM_HC_CHECK_UP, "N", NULL },
	{ "timeout", XFRM_HC_CHECK_TIMEOUT_MS, "TIME", NULL },
	{ "mode", XFRM_HC_CHECK_MODE, NULL, hc_kw_check_mode },
	{ "action", XFRM_HC_CHECK_ACTION, NULL, hc_kw_action },
	{}
};

const struct hc_arg_kw hc_check_name_kws[] = {
	{ "name", XFRM_HC_CHECK_NAME, "NAME", NULL },
	{}
};

/* One "KEYWORD VALUE" of check add or set: 1, 0 for another word, -1. */
static int parse_check_arg(struct hc_args *a, struct hc_check *c, bool add)
{
	const char *kw = hc_arg_peek(a);
	const char *val;
	unsigned int k = 0;
	uint32_t v = 0;
	int attr;
	int err;

	attr = hc_arg_kw(a, add ? hc_check_add_kws : hc_check_set_kws, c->set,
			 &val);
	if (!attr)
		attr = hc_arg_kw(a, hc_check_settings_kws, c->set, &val);
	if (attr <= 0)
		return attr;
	switch (attr) {
	case XFRM_HC_CHECK_NAME:
		err = hc_parse_check_name(val, c->name, sizeof(c->name));
		break;
	case XFRM_HC_CHECK_SRC:
		err = hc_parse_addr(kw, val, &c->src);
		break;
	case XFRM_HC_CHECK_DST:
		err = hc_parse_addr(kw, val, &c->dst);
		break;
	case XFRM_HC_CHECK_IFINDEX:
		err = parse_dev(val, c);
		break;
	case XFRM_HC_CHECK_IF_ID:
		err = hc_parse_u32(kw, val, &c->if_id);
		break;
	case XFRM_HC_CHECK_INTERVAL_MS:
		err = hc_parse_time_range(kw, val, HC_CHECK_TIME_MIN,
					  HC_CHECK_TIME_MAX, &c->interval_ms);
		break;
	case XFRM_HC_CHECK_TIMEOUT_MS:
		/* 0 is the kernel's default: one interval. */
		err = hc_parse_time(kw, val, &c->timeout_ms);
		if (!err && c->timeout_ms)
			err = hc_parse_time_range(kw, val, HC_CHECK_TIME_MIN,
						  HC_CHECK_TIME_MAX,
						  &c->timeout_ms);
		break;
	case XFRM_HC_CHECK_MISSES:
	case XFRM_HC_CHECK_UP:
		err = hc_parse_range(kw, val, 1, UINT8_MAX, &v);
		if (attr == XFRM_HC_CHECK_MISSES)
			c->misses = v;
		else
			c->up = v;
		break;
	case XFRM_HC_CHECK_MODE:
		err = hc_parse_kw(kw, val, hc_kw_check_mode, &k);
		c->mode = k;
		break;
	default:
		err = hc_parse_kw(kw, val, hc_kw_action, &k);
		c->action = k;
		break;
	}
	if (err)
		return -1;
	c->set |= HC_BIT(attr);
	return 1;
}

static int check_validate(const struct hc_check *c, bool add,
			  const char *where)
{
	if (!HC_CHECK_HAS(c, NAME)) {
		hc_err("%s: which check? (name NAME)", where);
		return -1;
	}
	if (add && (!HC_CHECK_HAS(c, SRC) || !HC_CHECK_HAS(c, DST))) {
		hc_err("%s: \"%s\" is missing", where,
		       HC_CHECK_HAS(c, SRC) ? "dst" : "src");
		return -1;
	}
	if (addr_pair_check("src", HC_CHECK_HAS(c, SRC), &c->src,
			    "dst", HC_CHECK_HAS(c, DST), &c->dst))
		return -1;
	if (HC_CHECK_HAS(c, IFINDEX) && !c->ifindex && add) {
		hc_err("%s: \"dev none\" is for check set", where);
		return -1;
	}
	if (HC_CHECK_HAS(c, IFINDEX) && c->ifindex && HC_CHECK_HAS(c, IF_ID)) {
		hc_err("%s: \"dev\" and \"if_id\" exclude each other", where);
		return -1;
	}
	if (!add && c->set == HC_BIT(XFRM_HC_CHECK_NAME)) {
		hc_err("%s: nothing to set (try \"xfrm-hc check help\")", where);
		return -1;
	}
	return 0;
}

int hc_parse_check(struct hc_args *a, struct hc_check *c, bool add)
{
	const char *where = add ? "check add" : "check set";
	int err;

	memset(c, 0, sizeof(*c));
	while (a->argc) {
		err = parse_check_arg(a, c, add);
		if (err < 0)
			return -1;
		if (!err)
			return hc_arg_unexpected(where, a->argv[0]);
	}
	return check_validate(c, add, where);
}
