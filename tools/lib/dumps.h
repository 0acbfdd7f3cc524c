/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Peers and checks from the kernel: the PEER_GET and CHECK_GET dumps.
 */
#ifndef XFRM_HC_TOOL_DUMPS_H
#define XFRM_HC_TOOL_DUMPS_H

#include <stdbool.h>

#include "attrs.h"
#include "genl.h"

struct hc_peer_filter {
	bool has_remote;
	struct hc_addr remote;
	bool has_if_id;
	uint32_t if_id;
};

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

#endif
