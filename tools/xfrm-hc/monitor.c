// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc monitor [--sync]: one line per peer event, until SIGINT or
 * SIGTERM; with --sync, first the current state as after an overflow.
 */

#include <string.h>

#include "events.h"
#include "print.h"
#include "xfrm-hc.h"

static int monitor_event(const struct hc_event *ev, void *arg)
{
	hc_print_event(ev);
	return ferror(stdout) ? -1 : 0;
}

int cmd_monitor(int argc, char **argv)
{
	struct hc_listener l = { .event = monitor_event };
	int i;

	for (i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--sync")) {
			hc_arg_unexpected("monitor", argv[i]);
			return 1;
		}
		l.sync_at_start = true;
	}
	return hc_listen(&l);
}
