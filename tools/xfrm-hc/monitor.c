// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc monitor: one line per peer event, until SIGINT or SIGTERM. */

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

	if (argc > 0) {
		hc_arg_unexpected("monitor", argv[0]);
		return 1;
	}
	return hc_listen(&l);
}
