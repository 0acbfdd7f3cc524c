// SPDX-License-Identifier: GPL-2.0
/*
 * The listener on the "events" group, for monitor and daemon. When the
 * socket overflows, the listener says so and dumps every peer's and check's
 * state, so that nothing is lost silently.
 */

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "listener.h"
#include "common.h"

struct listen_ctx {
	const struct hc_listener *l;
	int failed;
};

static volatile sig_atomic_t listen_stop;

static void listen_signal(int sig)
{
	listen_stop = 1;
}

static bool known_event(uint8_t cmd)
{
	return (cmd >= XFRM_HC_CMD_PEER_DOWN && cmd <= XFRM_HC_CMD_PEER_GONE) ||
	       cmd == XFRM_HC_CMD_CHECK_DOWN || cmd == XFRM_HC_CMD_CHECK_UP;
}

static int listen_valid(struct nl_msg *msg, void *arg)
{
	struct listen_ctx *ctx = arg;
	struct hc_event ev;
	uint8_t cmd = genlmsg_hdr(nlmsg_hdr(msg))->cmd;

	if (!known_event(cmd))
		return NL_OK;	/* not one we know: a newer module */
	if (hc_event_get(msg, &ev) ||
	    hc_event_is_check(&ev) != !!ev.check.set) {
		hc_peer_free(&ev.peer);
		hc_err("events: a malformed event");
		return NL_OK;
	}
	if (ctx->l->event(&ev, ctx->l->arg))
		ctx->failed = 1;
	hc_peer_free(&ev.peer);
	return ctx->failed ? NL_STOP : NL_OK;
}

static int listen_seq_ok(struct nl_msg *msg, void *arg)
{
	return NL_OK;
}

/* Tries at a resync whose dump keeps being interrupted by peer churn. */
#define HC_RESYNC_TRIES 5

static int listen_resync(struct hc_nl *nl, const struct hc_listener *l)
{
	struct hc_event ev = { .type = HC_EVENT_RESYNC };
	int i;

	/*
	 * A dump that peers came or went under is started over, after a
	 * new "resync", so the listener ends with a consistent picture.
	 */
	for (i = 0; i < HC_RESYNC_TRIES; i++) {
		if (l->event(&ev, l->arg) ||
		    hc_peer_dump(nl, NULL, l->event, l->arg) < 0)
			return -1;
		if (!nl->dump_intr)
			break;
	}
	return hc_check_dump(nl, NULL, l->event, l->arg) < 0 ? -1 : 0;
}

int hc_listen(const struct hc_listener *l)
{
	struct listen_ctx ctx = { .l = l };
	struct sigaction sa = { .sa_handler = listen_signal };
	struct hc_nl nl, ev;
	struct pollfd pfd;
	struct nl_cb *cb;
	int rc = 1;
	int err;

	if (hc_nl_open(&nl))
		return 1;
	if (hc_nl_open_events(&ev, nl.family))
		goto out_nl;
	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		hc_err("out of memory");
		goto out_ev;
	}
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, listen_valid, &ctx);
	/* A callback set of our own: it checks sequence numbers again. */
	nl_cb_set(cb, NL_CB_SEQ_CHECK, NL_CB_CUSTOM, listen_seq_ok, NULL);

	/* No SA_RESTART: poll() returns on a signal. */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	listen_stop = 0;

	/* Joined first, then dumped: no change falls in between. */
	if (l->sync_at_start && listen_resync(&nl, l))
		goto out_cb;
	pfd.fd = nl_socket_get_fd(ev.sk);
	pfd.events = POLLIN;
	while (!listen_stop) {
		int timeout = l->timeout ? l->timeout(l->arg) : -1;

		err = poll(&pfd, 1, timeout);
		if (err < 0 && errno != EINTR) {
			hc_err("events: %s", strerror(errno));
			goto out_cb;
		}
		if (l->tick)
			l->tick(l->arg);
		if (err <= 0)
			continue;
		/* Until the socket is empty. */
		while (!listen_stop) {
			err = nl_recvmsgs_report(ev.sk, cb);
			if (ctx.failed)
				goto out_cb;
			if (!err || err == -NLE_AGAIN)
				break;
			if (err > 0)
				continue;
			/* ENOBUFS: the kernel dropped events for us. */
			if (err == -NLE_NOMEM) {
				if (listen_resync(&nl, l))
					goto out_cb;
				continue;
			}
			hc_err("events: %s", nl_geterror(err));
			goto out_cb;
		}
	}
	rc = 0;
out_cb:
	nl_cb_put(cb);
out_ev:
	nl_socket_free(ev.sk);
out_nl:
	hc_nl_close(&nl);
	return rc;
}
