// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc defaults show|set: the profile of peers that no rule matches. */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "genl.h"
#include "print.h"
#include "xfrm-hc.h"

static int defaults_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];

	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX) || !tb[XFRM_HC_A_PROFILE])
		return -EBADMSG;
	return hc_profile_get(tb[XFRM_HC_A_PROFILE], arg);
}

int hc_defaults_get(struct hc_profile *p)
{
	return hc_nl_do(XFRM_HC_CMD_DEFAULTS_GET, 0, "defaults", NULL, NULL,
			defaults_reply, p);
}

static int defaults_show(struct hc_args *a)
{
	struct hc_profile p;

	if (a->argc)
		return hc_arg_unexpected("defaults show", a->argv[0]);
	if (hc_defaults_get(&p))
		return -1;
	if (hc_opts.json) {
		hc_json_profile(NULL, &p);
		json_end();
	} else {
		hc_print_profile_args(stdout, &p);
		putchar('\n');
	}
	return 0;
}

static int put_profile(struct nl_msg *msg, const void *p)
{
	return hc_profile_put(msg, XFRM_HC_A_PROFILE, p);
}

static int defaults_set(struct hc_args *a)
{
	struct hc_profile p = {};
	int err;

	while (a->argc) {
		err = hc_parse_profile_arg(a, &p);
		if (err < 0)
			return -1;
		if (!err)
			return hc_arg_unexpected("defaults set", a->argv[0]);
	}
	if (!p.set) {
		hc_err("defaults set: nothing to set (try \"xfrm-hc defaults help\")");
		return -1;
	}
	if (hc_profile_check(&p))
		return -1;
	return hc_nl_do(XFRM_HC_CMD_DEFAULTS_SET, 0, "defaults set",
			put_profile, &p, NULL, NULL);
}

int cmd_defaults(int argc, char **argv)
{
	struct hc_args a = { argc - 1, argv + 1 };

	if (argc < 1) {
		a.argc = 0;
		return defaults_show(&a) ? 1 : 0;
	}
	if (!strcmp(argv[0], "show"))
		return defaults_show(&a) ? 1 : 0;
	if (!strcmp(argv[0], "set"))
		return defaults_set(&a) ? 1 : 0;
	hc_err("defaults: unknown command \"%s\" (try \"xfrm-hc defaults help\")",
	       argv[0]);
	return 1;
}
