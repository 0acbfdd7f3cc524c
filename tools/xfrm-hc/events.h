/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers and checks from the kernel: dumps, and the events group with its
 * resyncs.
 */
#ifndef XFRM_HC_TOOL_EVENTS_H
#define XFRM_HC_TOOL_EVENTS_H

#include <stdbool.h>

#include "attrs.h"
#include "genl.h"

struct hc_peer_filter {
	bool has_remote;
	struct hc_addr remote;
	bool has_if_id;
	uint32_t if_id;
};

/*
 * "[remote ADDR] [if_id N]", the words of peer show and teardown (WHERE,
 * for errors). Returns 0 or -1 after printing why.
 */
int hc_parse_peer_filter(struct hc_args *a, struct hc_peer_filter *f,
			 const char *where);

typedef int (*hc_event_fn)(const struct hc_event *ev, void *arg);

/*
 * Dumps the peers that FILTER (may be NULL) lets through, each handed to
 * FN as an HC_EVENT_STATE event. Returns the number of peers, or -1 after
 * printing why.
 */
int hc_peer_dump(struct hc_nl *nl, const struct hc_peer_filter *filter,
		 hc_event_fn fn, void *arg);

/*
 * The check called NAME, or every check when NAME is NULL, each handed to
 * FN as an HC_EVENT_CHECK_STATE event. Returns the number of checks, or -1
 * after printing why (with the kernel's reason: no such check, ...).
 */
int hc_check_dump(struct hc_nl *nl, const char *name, hc_event_fn fn,
		  void *arg);

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
