// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc monitor [--sync]: one line per peer event, until SIGINT or
 * SIGTERM; with --sync, first the current state as after an overflow.
 */

#include "listener.h"
#include "print.h"
#include "xfrm-hc.h"

static int monitor_event(const struct hc_event *ev, void *arg)
{
	hc_print_event(ev);
	return ferror(stdout) ? -1 : 0;
}

const struct hc_arg_kw hc_monitor_kws[] = {
	{ "--sync", 1, NULL, NULL },
	{}
};

int cmd_monitor(struct hc_args *a)
{
	struct hc_listener l = { .event = monitor_event };
	int i;

	for (i = 0; i < a->argc; i++) {
		if (!hc_arg_find(hc_monitor_kws, a->argv[i])) {
			hc_arg_unexpected("monitor", a->argv[i]);
			return 1;
		}
		l.sync_at_start = true;
	}
	return hc_listen(&l);
}
