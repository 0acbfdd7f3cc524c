// SPDX-License-Identifier: GPL-2.0
/*
 * The service's loop: acts on events.
 * It starts with a resync: the state found then is acted on as events.
 * On peer-down (or a dead peer found by a resync) with --teardown, deletes
 * the peer's SAs, at most N peers a second: a token bucket, the excess
 * queued in order, never dropped. --hook runs CMD through /bin/sh for
 * every event, peer or check, with the event in its environment. One line
 * per action. --metrics-file keeps PATH a Prometheus textfile (what
 * "xfrm-hc metrics" prints): rewritten every interval and after events,
 * a burst of them at once.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include <linux/xfrm_hc.h>

#include "common.h"
#include "listener.h"
#include "print.h"
#include "xfrm.h"
#include "xfrm-hcd.h"

struct daemon {
	bool teardown;
	const char *hook;
	uint32_t rate;			/* teardowns a second, and the burst */
	uint64_t mtokens;		/* thousandths of a teardown */
	uint64_t last_ms;		/* of the last refill */
	struct hc_peer *queue;		/* waiting for a token, oldest first */
	unsigned int queued;
	const char *metrics_file;
	uint32_t metrics_interval;	/* seconds */
	uint64_t metrics_next_ms;	/* when the file is due */
	bool metrics_dirty;		/* events since it was written */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void refill(struct daemon *d)
{
	uint64_t now = now_ms();

	d->mtokens += (now - d->last_ms) * d->rate;
	if (d->mtokens > (uint64_t)d->rate * 1000)
		d->mtokens = (uint64_t)d->rate * 1000;
	d->last_ms = now;
}

/* "teardown-queued remote A local B if_id N waiting 3" */
static void log_peer(const char *action, const struct hc_peer *p,
		     unsigned int waiting)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "action", "%s", action);
	print_addr(PRINT_ANY, "remote", " remote %s", &p->remote);
	print_addr(PRINT_ANY, "local", " local %s", &p->local);
	print_uint(PRINT_ANY, "if_id", " if_id %u", p->if_id);
	print_uint(PRINT_ANY, "waiting", " waiting %u\n", waiting);
	close_json_object();
	print_end();
}

static int enqueue(struct daemon *d, const struct hc_peer *p)
{
	struct hc_peer *q;

	q = realloc(d->queue, (d->queued + 1) * sizeof(*q));
	if (!q || hc_peer_copy(&q[d->queued], p)) {
		if (q)
			d->queue = q;
		hc_err("out of memory: teardown of a peer lost");
		return -1;
	}
	d->queue = q;
	d->queued++;
	log_peer("teardown-queued", p, d->queued);
	return 0;
}

/* Tears down queued peers while there are tokens for them. */
static void drain(struct daemon *d)
{
	refill(d);
	while (d->queued && d->mtokens >= 1000) {
		d->mtokens -= 1000;
		hc_xfrm_teardown(&d->queue[0]);
		hc_peer_free(&d->queue[0]);
		memmove(d->queue, d->queue + 1,
			--d->queued * sizeof(*d->queue));
	}
}

static int daemon_event(const struct hc_event *ev, void *arg)
{
	struct daemon *d = arg;

	/*
	 * A resync lists every peer: with tens of thousands of tunnels, a
	 * line for each living one would flood the log for nothing.
	 */
	if (ev->type != HC_EVENT_STATE || ev->peer.state == XFRM_HC_STATE_DEAD)
		hc_print_event(ev);
	if (d->teardown &&
	    (ev->type == XFRM_HC_CMD_PEER_DOWN ||
	     (ev->type == HC_EVENT_STATE &&
	      ev->peer.state == XFRM_HC_STATE_DEAD))) {
		refill(d);
		if (!d->queued && d->mtokens >= 1000) {
			d->mtokens -= 1000;
			hc_xfrm_teardown(&ev->peer);
		} else {
			enqueue(d, &ev->peer);
		}
	}
	if (d->hook)
		hcd_hook_run(d->hook, ev);
	/* Written once the socket is empty: a burst makes one write. */
	d->metrics_dirty = true;
	return 0;
}

/* Milliseconds until the queue's next token, or -1. */
static int queue_timeout(struct daemon *d)
{
	if (!d->queued)
		return -1;
	refill(d);
	if (d->mtokens >= 1000)
		return 0;
	return (1000 - d->mtokens + d->rate - 1) / d->rate;
}

/* Milliseconds until the metrics file is due, or -1. */
static int metrics_timeout(struct daemon *d)
{
	uint64_t now = now_ms();

	if (!d->metrics_file)
		return -1;
	if (d->metrics_dirty || now >= d->metrics_next_ms)
		return 0;
	return d->metrics_next_ms - now;
}

static int daemon_timeout(void *arg)
{
	int q = queue_timeout(arg);
	int m = metrics_timeout(arg);

	return q < 0 || (m >= 0 && m < q) ? m : q;
}

static void metrics_tick(struct daemon *d)
{
	if (metrics_timeout(d))
		return;
	/* A failure is said, and the next interval tries again. */
	hc_metrics_write_file(d->metrics_file);
	d->metrics_dirty = false;
	d->metrics_next_ms = now_ms() + d->metrics_interval * 1000ULL;
}

static void daemon_tick(void *arg)
{
	hcd_hook_reap();
	drain(arg);
	metrics_tick(arg);
}

/* poll() returns on it, so that hooks are reaped soon. */
static void on_sigchld(int sig)
{
}

int hcd_run(const struct hcd_config *cfg)
{
	struct daemon d = {
		.teardown = cfg->teardown,
		.hook = cfg->hook,
		.rate = cfg->rate,
		.metrics_file = cfg->metrics_file,
		.metrics_interval = cfg->metrics_interval,
	};
	struct hc_listener l = {
		.event = daemon_event,
		.timeout = daemon_timeout,
		.tick = daemon_tick,
		.arg = &d,
		/* Restarted after peers died: their SAs are still owed. */
		.sync_at_start = true,
	};
	struct sigaction sa = { .sa_handler = on_sigchld };
	unsigned int i;
	int rc;

	/* A file that cannot be written is a mistake: say so at once. */
	if (d.metrics_file && hc_metrics_write_file(d.metrics_file))
		return 1;
	/* Written again once events are joined: none is missed. */
	d.metrics_dirty = true;
	d.mtokens = (uint64_t)d.rate * 1000;
	d.last_ms = now_ms();
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);

	rc = hc_listen(&l);

	/* Stopping: what is queued is still owed. */
	if (d.queued && !rc)
		log_peer("teardown-abandoned", &d.queue[0], d.queued);
	for (i = 0; i < d.queued; i++)
		hc_peer_free(&d.queue[i]);
	free(d.queue);
	return rc;
}
