// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc version: the tool's and the module's versions, and its counters;
 * xfrm-hc stats: the counters alone.
 */

#include <errno.h>
#include <stdbool.h>
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
	[XFRM_HC_STAT_PEERS] = "peers",
	[XFRM_HC_STAT_SAS] = "sas",
	[XFRM_HC_STAT_PEERS_DEAD] = "peers_dead",
	[XFRM_HC_STAT_PROBES_SENT] = "probes_sent",
	[XFRM_HC_STAT_PROBES_ANSWERED] = "probes_answered",
	[XFRM_HC_STAT_EVENTS_SENT] = "events_sent",
	[XFRM_HC_STAT_EVENTS_DROPPED] = "events_dropped",
	[XFRM_HC_STAT_LATE_TICKS] = "late_ticks",
	[XFRM_HC_STAT_CHECKS] = "checks",
	[XFRM_HC_STAT_CHECKS_DOWN] = "checks_down",
	[XFRM_HC_STAT_NATT_KEEPALIVES] = "natt_keepalives",
	[XFRM_HC_STAT_PEERS_REFUSED] = "peers_refused",
	[XFRM_HC_STAT_PROBES_SHED] = "probes_shed",
	[XFRM_HC_STAT_PROBES_UNROUTED] = "probes_unrouted",
	[XFRM_HC_STAT_ANSWERS_REJECTED] = "answers_rejected",
	[XFRM_HC_STAT_ECHO_ANSWERED] = "echo_answered",
	[XFRM_HC_STAT_ECHO_LIMITED] = "echo_limited",
	[XFRM_HC_STAT_ECHO_UNROUTED] = "echo_unrouted",
};

/* ARG: non-NULL for stats, which prints the counters alone. */
static int version_reply(struct nl_msg *msg, void *arg)
{
	bool stats_only = arg;
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

	open_json_object(NULL);
	if (!stats_only) {
		print_string(PRINT_ANY, "tool", "xfrm-hc %s", XFRM_HC_TOOL_VERSION);
		print_string(PRINT_ANY, "module", ", module %s", module);
		print_uint(PRINT_ANY, "genl_version", ", genl version %u\n",
			   nla_get_u32(tb[XFRM_HC_A_GENL_VERSION]));
		open_json_object("stats");
	}
	for (i = 0; i <= XFRM_HC_STAT_MAX; i++) {
		char fmt[48];

		if (!stat_names[i] || !st[i])
			continue;
		/* "name    N": the counter's key is its text too. */
		snprintf(fmt, sizeof(fmt), stats_only ? "%-16s %%" PRIu64 "\n" :
			 "  %-12s %%" PRIu64 "\n", stat_names[i]);
		print_u64(PRINT_ANY, stat_names[i], fmt, nla_get_u64(st[i]));
	}
	if (!stats_only)
		close_json_object();
	close_json_object();
	print_end();
	return 0;
}

static int version_get(const char *what, int argc, char **argv)
{
	if (argc > 0) {
		hc_err("%s: unexpected argument \"%s\"", what, argv[0]);
		return 1;
	}
	return hc_nl_do(XFRM_HC_CMD_VERSION_GET, 0, what, NULL, NULL,
			version_reply,
			strcmp(what, "stats") ? NULL : (void *)what) ? 1 : 0;
}

int cmd_version(struct hc_args *a)
{
	return version_get("version", a->argc, a->argv);
}

int cmd_stats(struct hc_args *a)
{
	return version_get("stats", a->argc, a->argv);
}
