// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc defaults show|set: the profile of peers that no rule matches,
 * and the namespace's echo responder switch.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "genl.h"
#include "print.h"
#include "xfrm-hc.h"

struct hc_defaults {
	struct hc_profile *p;
	int *echo_responder;
};

static int defaults_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];
	struct hc_defaults *d = arg;

	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX) || !tb[XFRM_HC_A_PROFILE])
		return -EBADMSG;
	/* A module without the echo has no responder: off. */
	*d->echo_responder = tb[XFRM_HC_A_ECHO_RESPONDER] &&
			     nla_get_u8(tb[XFRM_HC_A_ECHO_RESPONDER]);
	return hc_profile_get(tb[XFRM_HC_A_PROFILE], d->p);
}

int hc_defaults_get(struct hc_profile *p, int *echo_responder)
{
	struct hc_defaults d = { p, echo_responder };

	return hc_nl_do(XFRM_HC_CMD_DEFAULTS_GET, 0, "defaults", NULL, NULL,
			defaults_reply, &d);
}

int cmd_defaults_show(struct hc_args *a)
{
	struct hc_profile p;
	int responder;

	if (a->argc)
		return hc_arg_unexpected("defaults show", a->argv[0]);
	if (hc_defaults_get(&p, &responder))
		return -1;
	hc_print_defaults(&p, responder);
	return 0;
}

/* What "defaults set" sends: either part may be absent. */
struct hc_defaults_set {
	struct hc_profile p;
	int echo_responder;	/* -1: not given */
};

static int put_defaults(struct nl_msg *msg, const void *arg)
{
	const struct hc_defaults_set *d = arg;

	if (d->p.set && hc_profile_put(msg, XFRM_HC_A_PROFILE, &d->p))
		return -1;
	if (d->echo_responder >= 0 &&
	    nla_put_u8(msg, XFRM_HC_A_ECHO_RESPONDER, d->echo_responder))
		return -1;
	return 0;
}

const struct hc_arg_kw hc_defaults_kws[] = {
	{ "echo-responder", XFRM_HC_A_ECHO_RESPONDER, NULL, hc_kw_on_off },
	{}
};

/* "echo-responder on|off": 1 if taken, 0 if not this keyword, -1 on error. */
static int parse_echo_responder(struct hc_args *a, int *out)
{
	const struct hc_kw *k;

	if (!hc_arg_find(hc_defaults_kws, a->argv[0]))
		return 0;
	if (a->argc < 2) {
		hc_err("defaults set: echo-responder needs on or off");
		return -1;
	}
	for (k = hc_kw_on_off; k->name; k++)
		if (!strcmp(a->argv[1], k->name))
			break;
	if (!k->name) {
		hc_err("defaults set: echo-responder is on or off, not \"%s\"",
		       a->argv[1]);
		return -1;
	}
	*out = k->val;
	a->argc -= 2;
	a->argv += 2;
	return 1;
}

int cmd_defaults_set(struct hc_args *a)
{
	struct hc_defaults_set d = { .echo_responder = -1 };
	int err;

	while (a->argc) {
		err = parse_echo_responder(a, &d.echo_responder);
		if (!err)
			err = hc_parse_profile_arg(a, &d.p);
		if (err < 0)
			return -1;
		if (!err)
			return hc_arg_unexpected("defaults set", a->argv[0]);
	}
	if (!d.p.set && d.echo_responder < 0) {
		hc_err("defaults set: nothing to set (try \"xfrm-hc defaults help\")");
		return -1;
	}
	if (d.p.set && hc_profile_check(&d.p))
		return -1;
	return hc_nl_do(XFRM_HC_CMD_DEFAULTS_SET, 0, "defaults set",
			put_defaults, &d, NULL, NULL);
}
