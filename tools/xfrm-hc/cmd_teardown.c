// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc teardown remote ADDR [if_id N]: delete the SAs of a peer. */

#include <stdlib.h>
#include <string.h>

#include "dumps.h"
#include "xfrm.h"
#include "xfrm-hc.h"

/* The peers found, copied: their SAs are deleted after the dump. */
struct found {
	struct hc_peer *peers;
	unsigned int n;
};

static int collect(const struct hc_event *ev, void *arg)
{
	struct found *found = arg;
	struct hc_peer *peers;

	peers = realloc(found->peers, (found->n + 1) * sizeof(*peers));
	if (!peers) {
		hc_err("out of memory");
		return -1;
	}
	found->peers = peers;
	if (hc_peer_copy(&peers[found->n], &ev->peer)) {
		hc_err("out of memory");
		return -1;
	}
	found->n++;
	return 0;
}

int cmd_teardown(struct hc_args *a)
{
	char buf[HC_ADDR_STRLEN];
	struct found found = {};
	struct hc_peer_filter f;
	struct hc_nl nl;
	unsigned int i;
	int rc = 1;
	int err;

	if (hc_parse_peer_filter(a, &f, "teardown"))
		return 1;
	if (!f.has_remote) {
		hc_err("teardown: which peer? (teardown remote ADDR [if_id N])");
		return 1;
	}
	if (hc_nl_open(&nl))
		return 1;
	err = hc_peer_dump(&nl, &f, collect, &found);
	hc_nl_close(&nl);
	if (err < 0)
		goto out;
	if (!found.n) {
		hc_err("teardown: no peer with remote %s%s",
		       hc_addr_str(&f.remote, buf, sizeof(buf)),
		       f.has_if_id ? " and that if_id" : "");
		goto out;
	}
	rc = 0;
	for (i = 0; i < found.n; i++)
		if (hc_xfrm_teardown(&found.peers[i]))
			rc = 1;
out:
	for (i = 0; i < found.n; i++)
		hc_peer_free(&found.peers[i]);
	free(found.peers);
	return rc;
}
