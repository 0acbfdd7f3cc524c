// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc rule add|del|show|flush: which SAs get which profile. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "genl.h"
#include "print.h"
#include "xfrm-hc.h"

#define RULE_SET(r, attr) ((r)->set & HC_BIT(XFRM_HC_RULE_##attr))

/* "A" or "A-B", into MIN and MAX. */
static int parse_reqid(const char *s, struct hc_rule *r)
{
	char buf[32];
	char *dash;

	if (strlen(s) >= sizeof(buf))
		goto bad;
	strcpy(buf, s);
	dash = strchr(buf, '-');
	if (dash)
		*dash = '\0';
	if (hc_parse_u32("reqid", buf, &r->reqid_min))
		return -1;
	r->reqid_max = r->reqid_min;
	if (dash && hc_parse_u32("reqid", dash + 1, &r->reqid_max))
		return -1;
	if (r->reqid_max < r->reqid_min)
		goto bad;
	r->set |= HC_BIT(XFRM_HC_RULE_REQID_MIN) |
		  HC_BIT(XFRM_HC_RULE_REQID_MAX);
	return 0;
bad:
	hc_err("invalid reqid \"%s\": expected ID or MIN-MAX", s);
	return -1;
}

/* "M" or "M/MASK"; the mask is all ones when not given. */
static int parse_mark(const char *s, struct hc_rule *r)
{
	char buf[32];
	char *slash;

	if (strlen(s) >= sizeof(buf)) {
		hc_err("invalid mark \"%s\": expected MARK or MARK/MASK", s);
		return -1;
	}
	strcpy(buf, s);
	slash = strchr(buf, '/');
	if (slash)
		*slash = '\0';
	if (hc_parse_u32("mark", buf, &r->mark))
		return -1;
	r->mark_mask = 0xffffffff;
	if (slash && hc_parse_u32("mark mask", slash + 1, &r->mark_mask))
		return -1;
	r->set |= HC_BIT(XFRM_HC_RULE_MARK) | HC_BIT(XFRM_HC_RULE_MARK_MASK);
	return 0;
}

const struct hc_arg_kw hc_rule_kws[] = {
	{ "prio", XFRM_HC_RULE_PRIO, "P", NULL },
	{ "reqid", XFRM_HC_RULE_REQID_MIN, "A[-B]", NULL },
	{ "mark", XFRM_HC_RULE_MARK, "M[/MASK]", NULL },
	{ "if_id", XFRM_HC_RULE_IF_ID, "N", NULL },
	{ "family", XFRM_HC_RULE_FAMILY, NULL, hc_kw_family },
	{ "remote", XFRM_HC_RULE_REMOTE, "PREFIX", NULL },
	{}
};

const struct hc_arg_kw hc_rule_del_kws[] = {
	{ "prio", XFRM_HC_RULE_PRIO, "P", NULL },
	{}
};

/* One "KEYWORD VALUE" of rule add: 1 if it was one, 0 if not, -1. */
static int rule_arg(struct hc_args *a, struct hc_rule *r)
{
	const char *kw = hc_arg_peek(a);
	unsigned int family = 0;
	const char *val;
	int attr;
	int err;

	attr = hc_arg_kw(a, hc_rule_kws, r->set, &val);
	if (attr < 0)
		return -1;
	if (!attr)
		return hc_parse_profile_arg(a, &r->profile);
	switch (attr) {
	case XFRM_HC_RULE_PRIO:
		err = hc_parse_u32(kw, val, &r->prio);
		break;
	case XFRM_HC_RULE_REQID_MIN:
		return parse_reqid(val, r) ? -1 : 1;
	case XFRM_HC_RULE_MARK:
		return parse_mark(val, r) ? -1 : 1;
	case XFRM_HC_RULE_IF_ID:
		err = hc_parse_u32(kw, val, &r->if_id);
		break;
	case XFRM_HC_RULE_FAMILY:
		err = hc_parse_kw(kw, val, hc_kw_family, &family);
		r->family = family;
		break;
	default:
		err = hc_parse_prefix(kw, val, &r->remote);
		break;
	}
	if (err)
		return -1;
	r->set |= HC_BIT(attr);
	return 1;
}

static int put_rule(struct nl_msg *msg, const void *r)
{
	return hc_rule_put(msg, r);
}

int cmd_rule_add(struct hc_args *a)
{
	char buf[HC_ADDR_STRLEN];
	struct hc_rule r = {};
	int err;

	while (a->argc) {
		err = rule_arg(a, &r);
		if (err < 0)
			return -1;
		if (!err)
			return hc_arg_unexpected("rule add", a->argv[0]);
	}
	if (hc_profile_check(&r.profile))
		return -1;
	if (RULE_SET(&r, REMOTE)) {
		if (RULE_SET(&r, FAMILY) && r.family != r.remote.family) {
			hc_err("remote \"%s\" is not of family %s",
			       hc_addr_str(&r.remote, buf, sizeof(buf)),
			       hc_kw_name(hc_kw_family, r.family));
			return -1;
		}
		r.family = r.remote.family;
		r.set |= HC_BIT(XFRM_HC_RULE_FAMILY);
	}
	return hc_nl_do(XFRM_HC_CMD_RULE_ADD, 0, "rule add", put_rule, &r,
			NULL, NULL);
}

int cmd_rule_del(struct hc_args *a)
{
	struct hc_rule r = {};
	const char *val;
	int attr;

	if (!a->argc) {
		hc_err("rule del: which rule? (rule del prio P)");
		return -1;
	}
	attr = hc_arg_kw(a, hc_rule_del_kws, 0, &val);
	if (!attr)
		return hc_arg_unexpected("rule del", a->argv[0]);
	if (attr < 0 || hc_parse_u32("prio", val, &r.prio))
		return -1;
	if (a->argc)
		return hc_arg_unexpected("rule del", a->argv[0]);
	r.set = HC_BIT(XFRM_HC_RULE_PRIO);
	return hc_nl_do(XFRM_HC_CMD_RULE_DEL, 0, "rule del", put_rule, &r,
			NULL, NULL);
}

struct dump_ctx {
	int (*fn)(const struct hc_rule *r, void *arg);
	void *arg;
};

static int dump_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];
	struct dump_ctx *ctx = arg;
	struct hc_rule r;

	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX) || !tb[XFRM_HC_A_RULE] ||
	    hc_rule_get(tb[XFRM_HC_A_RULE], &r))
		return -EBADMSG;
	return ctx->fn(&r, ctx->arg) ? -EIO : 0;
}

int hc_rule_dump(int (*fn)(const struct hc_rule *r, void *arg), void *arg)
{
	struct dump_ctx ctx = { fn, arg };

	return hc_nl_do(XFRM_HC_CMD_RULE_GET, NLM_F_DUMP, "rules", NULL, NULL,
			dump_reply, &ctx);
}

static int show_one(const struct hc_rule *r, void *arg)
{
	hc_print_rule(r);
	return 0;
}

int cmd_rule_show(struct hc_args *a)
{
	int err;

	if (a->argc)
		return hc_arg_unexpected("rule show", a->argv[0]);
	open_json_array(NULL);
	err = hc_rule_dump(show_one, NULL);
	close_json_array();
	print_end();
	return err;
}

int cmd_rule_flush(struct hc_args *a)
{
	if (a->argc)
		return hc_arg_unexpected("rule flush", a->argv[0]);
	return hc_nl_do(XFRM_HC_CMD_RULE_FLUSH, 0, "rule flush", NULL, NULL,
			NULL, NULL);
}
