// SPDX-License-Identifier: GPL-2.0
/* Times, numbers, addresses, prefixes and keywords from the command line. */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "parse.h"
#include "xfrm-hc.h"

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

static const struct {
	const char *kw;
	int attr;
} profile_kws[] = {
	{ "interval", XFRM_HC_PROFILE_INTERVAL_MS },
	{ "misses", XFRM_HC_PROFILE_MISSES },
	{ "up", XFRM_HC_PROFILE_UP },
	{ "jitter", XFRM_HC_PROFILE_JITTER },
	{ "mode", XFRM_HC_PROFILE_MODE },
	{ "action", XFRM_HC_PROFILE_ACTION },
	{ "probe-src", XFRM_HC_PROFILE_PROBE_SRC },
	{ "probe-dst", XFRM_HC_PROFILE_PROBE_DST },
};

int hc_parse_profile_arg(struct hc_args *a, struct hc_profile *p)
{
	const char *kw = hc_arg_peek(a);
	const char *val;
	unsigned int k = 0;
	uint32_t v = 0;
	size_t i;
	int attr;
	int err;

	for (i = 0; i < sizeof(profile_kws) / sizeof(profile_kws[0]); i++)
		if (!strcmp(kw, profile_kws[i].kw))
			break;
	if (i == sizeof(profile_kws) / sizeof(profile_kws[0]))
		return 0;
	attr = profile_kws[i].attr;
	if (p->set & HC_BIT(attr)) {
		hc_err("\"%s\" given twice", kw);
		return -1;
	}
	val = hc_arg_value(a);
	if (!val)
		return -1;
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
		err = hc_parse_kw(kw, val, hc_kw_action, &k);
		p->action = k;
		break;
	case XFRM_HC_PROFILE_PROBE_SRC:
		err = hc_parse_addr(kw, val, &p->probe_src);
		break;
	default:
		err = hc_parse_addr(kw, val, &p->probe_dst);
		break;
	}
	if (err)
		return -1;
	p->set |= HC_BIT(attr);
	return 1;
}

int hc_profile_check(const struct hc_profile *p)
{
	bool src = p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_SRC);
	bool dst = p->set & HC_BIT(XFRM_HC_PROFILE_PROBE_DST);
	char a[HC_ADDR_STRLEN], b[HC_ADDR_STRLEN];

	if (src != dst) {
		hc_err("\"%s\" needs \"%s\" too", src ? "probe-src" : "probe-dst",
		       src ? "probe-dst" : "probe-src");
		return -1;
	}
	if (src && p->probe_src.family != p->probe_dst.family) {
		hc_err("probe-src \"%s\" and probe-dst \"%s\" are not of one family",
		       hc_addr_str(&p->probe_src, a, sizeof(a)),
		       hc_addr_str(&p->probe_dst, b, sizeof(b)));
		return -1;
	}
	return 0;
}
