// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc peer show: the peers watched, their state, counters and SAs. */

#include <stdio.h>
#include <string.h>

#include "events.h"
#include "print.h"
#include "xfrm-hc.h"

int hc_parse_peer_filter(struct hc_args *a, struct hc_peer_filter *f,
			 const char *where)
{
	const char *kw, *val;

	memset(f, 0, sizeof(*f));
	while ((kw = hc_arg_peek(a))) {
		if (!strcmp(kw, "remote")) {
			if (f->has_remote) {
				hc_err("\"%s\" given twice", kw);
				return -1;
			}
			val = hc_arg_value(a);
			if (!val || hc_parse_addr(kw, val, &f->remote))
				return -1;
			f->has_remote = true;
		} else if (!strcmp(kw, "if_id")) {
			if (f->has_if_id) {
				hc_err("\"%s\" given twice", kw);
				return -1;
			}
			val = hc_arg_value(a);
			if (!val || hc_parse_u32(kw, val, &f->if_id))
				return -1;
			f->has_if_id = true;
		} else {
			return hc_arg_unexpected(where, kw);
		}
	}
	return 0;
}

static int show_one(const struct hc_event *ev, void *arg)
{
	int *n = arg;

	if (hc_opts.json) {
		hc_json_peer(NULL, &ev->peer);
		return 0;
	}
	if ((*n)++)
		putchar('\n');
	hc_print_peer(&ev->peer);
	return 0;
}

static int peer_show(struct hc_args *a)
{
	struct hc_peer_filter f;
	struct hc_nl nl;
	int n = 0;
	int err;

	if (hc_parse_peer_filter(a, &f, "peer show"))
		return -1;
	if (hc_nl_open(&nl))
		return -1;
	if (hc_opts.json)
		json_open(NULL, '[');
	err = hc_peer_dump(&nl, &f, show_one, &n);
	if (hc_opts.json)
		json_end();
	hc_nl_close(&nl);
	return err < 0 ? -1 : 0;
}

int cmd_peer(int argc, char **argv)
{
	struct hc_args a = { argc - 1, argv + 1 };

	if (argc < 1) {
		a.argc = 0;
		return peer_show(&a) ? 1 : 0;
	}
	if (!strcmp(argv[0], "show") || !strcmp(argv[0], "list"))
		return peer_show(&a) ? 1 : 0;
	hc_err("peer: unknown command \"%s\" (try \"xfrm-hc peer help\")",
	       argv[0]);
	return 1;
}
