// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc peer show: the peers watched, their state, counters and SAs. */

#include <stdio.h>
#include <string.h>

#include "dumps.h"
#include "print.h"
#include "xfrm-hc.h"

enum { PEER_REMOTE = 1, PEER_IF_ID };

const struct hc_arg_kw hc_peer_kws[] = {
	{ "remote", PEER_REMOTE, "ADDR", NULL },
	{ "if_id", PEER_IF_ID, "N", NULL },
	{}
};

int hc_parse_peer_filter(struct hc_args *a, struct hc_peer_filter *f,
			 const char *where)
{
	const char *kw, *val;
	int attr;

	memset(f, 0, sizeof(*f));
	while ((kw = hc_arg_peek(a))) {
		attr = hc_arg_kw(a, hc_peer_kws,
				 (f->has_remote ? HC_BIT(PEER_REMOTE) : 0) |
				 (f->has_if_id ? HC_BIT(PEER_IF_ID) : 0), &val);
		if (!attr)
			return hc_arg_unexpected(where, kw);
		if (attr < 0)
			return -1;
		if (attr == PEER_REMOTE) {
			if (hc_parse_addr(kw, val, &f->remote))
				return -1;
			f->has_remote = true;
		} else {
			if (hc_parse_u32(kw, val, &f->if_id))
				return -1;
			f->has_if_id = true;
		}
	}
	return 0;
}

static int show_one(const struct hc_event *ev, void *arg)
{
	int *n = arg;

	/* Text: a blank line between blocks. */
	if ((*n)++)
		print_text("\n");
	hc_print_peer(&ev->peer);
	return 0;
}

int cmd_peer_show(struct hc_args *a)
{
	struct hc_peer_filter f;
	struct hc_nl nl;
	int n = 0;
	int err;

	if (hc_parse_peer_filter(a, &f, "peer show"))
		return -1;
	if (hc_nl_open(&nl))
		return -1;
	open_json_array(NULL);
	err = hc_peer_dump(&nl, &f, show_one, &n);
	close_json_array();
	print_end();
	hc_nl_close(&nl);
	return err < 0 ? -1 : 0;
}
