/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The listener on the "events" group, with its resyncs after an overflow.
 */
#ifndef XFRM_HC_TOOL_LISTENER_H
#define XFRM_HC_TOOL_LISTENER_H

#include <stdbool.h>

#include "dumps.h"

struct hc_listener {
	/*
	 * Each event; after an overflow of the socket, a resync event, then
	 * each peer as a peer-state event and each check as a check-state
	 * event. Returns 0, or -1 to stop.
	 */
	hc_event_fn event;
	/* Milliseconds until tick() is due, or -1 (both may be NULL). */
	int (*timeout)(void *arg);
	void (*tick)(void *arg);
	void *arg;
	/*
	 * Report the state found at start as after an overflow: a listener
	 * started after peers died still hears of them.
	 */
	bool sync_at_start;
};

/* Listens until SIGINT or SIGTERM: returns the exit status, 0 then. */
int hc_listen(const struct hc_listener *l);

#endif
