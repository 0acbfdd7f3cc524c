// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc version: the tool's and the module's versions, and its counters. */

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <linux/xfrm_hc.h>

#include "genl.h"
#include "print.h"
#include "xfrm-hc.h"

static const char *const stat_names[XFRM_HC_STAT_MAX + 1] = {
	[XFRM_HC_STAT_NETNS] = "netns",
	[XFRM_HC_STAT_REQUESTS] = "requests",
	[XFRM_HC_STAT_SA_ADDED] = "sa_added",
	[XFRM_HC_STAT_SA_DELETED] = "sa_deleted",
	[XFRM_HC_STAT_SA_FLUSHES] = "sa_flushes",
};

static int version_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *tb[XFRM_HC_A_MAX + 1];
	struct nlattr *st[XFRM_HC_STAT_MAX + 1];
	const char *module;
	int i;

	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX) ||
	    !tb[XFRM_HC_A_MODULE_VERSION] || !tb[XFRM_HC_A_GENL_VERSION])
		return -EBADMSG;
	module = nla_get_string(tb[XFRM_HC_A_MODULE_VERSION]);
	memset(st, 0, sizeof(st));
	if (tb[XFRM_HC_A_STATS] &&
	    nla_parse_nested(st, XFRM_HC_STAT_MAX, tb[XFRM_HC_A_STATS], NULL))
		return -EBADMSG;

	if (hc_opts.json) {
		json_open(NULL, '{');
		json_str("tool", XFRM_HC_TOOL_VERSION);
		json_str("module", module);
		json_u64("genl_version", nla_get_u32(tb[XFRM_HC_A_GENL_VERSION]));
		json_open("stats", '{');
	} else {
		printf("xfrm-hc %s, module %s, genl version %u\n",
		       XFRM_HC_TOOL_VERSION, module,
		       nla_get_u32(tb[XFRM_HC_A_GENL_VERSION]));
	}
	for (i = 0; i <= XFRM_HC_STAT_MAX; i++) {
		if (!stat_names[i] || !st[i])
			continue;
		if (hc_opts.json)
			json_u64(stat_names[i], nla_get_u64(st[i]));
		else
			printf("  %-12s %" PRIu64 "\n", stat_names[i],
			       (uint64_t)nla_get_u64(st[i]));
	}
	if (hc_opts.json)
		json_end();
	return 0;
}

int cmd_version(int argc, char **argv)
{
	struct nl_msg *msg;
	struct hc_nl nl;
	int err;

	if (argc > 0) {
		hc_err("version: unexpected argument \"%s\"", argv[0]);
		return 1;
	}
	if (hc_nl_open(&nl))
		return 1;
	msg = hc_nl_msg(&nl, XFRM_HC_CMD_VERSION_GET, 0);
	if (!msg) {
		hc_err("out of memory");
		hc_nl_close(&nl);
		return 1;
	}
	err = hc_nl_request(&nl, msg, "version", version_reply, NULL);
	hc_nl_close(&nl);
	return err ? 1 : 0;
}
