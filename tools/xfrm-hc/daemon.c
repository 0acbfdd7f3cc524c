// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc daemon [--teardown] [--hook CMD] [--rate N]
 *                [--metrics-file PATH [--metrics-interval SECONDS]]:
 * acts on events.
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

#include "listener.h"
#include "metrics.h"
#include "print.h"
#include "xfrm.h"
#include "xfrm-hc.h"

#define DAEMON_RATE_DEFAULT 10
#define DAEMON_RATE_MAX 100000
#define DAEMON_METRICS_INTERVAL_DEFAULT 15
#define DAEMON_METRICS_INTERVAL_MAX 86400

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
		hc_err("daemon: out of memory: teardown of a peer lost");
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

static void reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) :
			   128 + WTERMSIG(status);

		open_json_object(NULL);
		print_string(PRINT_ANY, "action", "%s", "hook-exit");
		print_uint(PRINT_ANY, "pid", " pid %u", pid);
		print_uint(PRINT_ANY, "status", " status %u\n", code);
		close_json_object();
		print_end();
	}
}

static void hook_env_check(const struct hc_check *c)
{
	char buf[HC_ADDR_STRLEN];

	setenv("XFRM_HC_CHECK", c->name, 1);
	setenv("XFRM_HC_SRC", hc_addr_str(&c->src, buf, sizeof(buf)), 1);
	setenv("XFRM_HC_DST", hc_addr_str(&c->dst, buf, sizeof(buf)), 1);
	if (c->ifname[0])
		setenv("XFRM_HC_DEV", c->ifname, 1);
	if (HC_CHECK_HAS(c, IF_ID)) {
		snprintf(buf, sizeof(buf), "%u", c->if_id);
		setenv("XFRM_HC_IF_ID", buf, 1);
	}
	setenv("XFRM_HC_STATE", hc_kw_name(hc_kw_check_state, c->state), 1);
}

static void hook_env(const struct hc_event *ev, const char *json)
{
	const struct hc_peer *p = &ev->peer;
	char buf[HC_ADDR_STRLEN];

	setenv("XFRM_HC_EVENT", hc_event_name(ev->type), 1);
	setenv("XFRM_HC_JSON", json ? json : "", 1);
	if (ev->type == HC_EVENT_RESYNC)
		return;
	if (hc_event_is_check(ev)) {
		hook_env_check(&ev->check);
		return;
	}
	setenv("XFRM_HC_REMOTE", hc_addr_str(&p->remote, buf, sizeof(buf)), 1);
	setenv("XFRM_HC_LOCAL", hc_addr_str(&p->local, buf, sizeof(buf)), 1);
	snprintf(buf, sizeof(buf), "%u", p->if_id);
	setenv("XFRM_HC_IF_ID", buf, 1);
	setenv("XFRM_HC_STATE", hc_kw_name(hc_kw_state, p->state), 1);
	setenv("XFRM_HC_REASON", hc_kw_name(hc_kw_reason, p->reason), 1);
}

static void run_hook(struct daemon *d, const struct hc_event *ev)
{
	char *json = hc_event_json(ev);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		hc_err("daemon: cannot run the hook: %s", strerror(errno));
	} else if (!pid) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		hook_env(ev, json);
		execl("/bin/sh", "sh", "-c", d->hook, (char *)NULL);
		_exit(127);
	} else {
		open_json_object(NULL);
		print_string(PRINT_ANY, "action", "%s", "hook");
		print_string(PRINT_ANY, "event", " %s", hc_event_name(ev->type));
		print_uint(PRINT_ANY, "pid", " pid %u\n", pid);
		close_json_object();
		print_end();
	}
	free(json);
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
		run_hook(d, ev);
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
	reap();
	drain(arg);
	metrics_tick(arg);
}

/* poll() returns on it, so that hooks are reaped soon. */
static void on_sigchld(int sig)
{
}

enum {
	DAEMON_TEARDOWN = 1,
	DAEMON_HOOK,
	DAEMON_RATE,
	DAEMON_METRICS_FILE,
	DAEMON_METRICS_INTERVAL,
};

const struct hc_arg_kw hc_daemon_kws[] = {
	{ "--teardown", DAEMON_TEARDOWN, NULL, NULL },
	{ "--hook", DAEMON_HOOK, "CMD", NULL },
	{ "--rate", DAEMON_RATE, "N", NULL },
	{ "--metrics-file", DAEMON_METRICS_FILE, "PATH", NULL },
	{ "--metrics-interval", DAEMON_METRICS_INTERVAL, "SECONDS", NULL },
	{}
};

int cmd_daemon(struct hc_args *a)
{
	struct daemon d = {
		.rate = DAEMON_RATE_DEFAULT,
		.metrics_interval = DAEMON_METRICS_INTERVAL_DEFAULT,
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
	bool has_interval = false;
	const char *kw, *val;
	unsigned int i;
	int rc;

	/* Given twice, an option's last value counts. */
	while ((kw = hc_arg_peek(a))) {
		switch (hc_arg_kw(a, hc_daemon_kws, 0, &val)) {
		case DAEMON_TEARDOWN:
			d.teardown = true;
			break;
		case DAEMON_HOOK:
			d.hook = val;
			break;
		case DAEMON_RATE:
			if (hc_parse_range("rate", val, 1, DAEMON_RATE_MAX,
					   &d.rate))
				return 1;
			break;
		case DAEMON_METRICS_FILE:
			d.metrics_file = val;
			break;
		case DAEMON_METRICS_INTERVAL:
			if (hc_parse_range("metrics-interval", val, 1,
					   DAEMON_METRICS_INTERVAL_MAX,
					   &d.metrics_interval))
				return 1;
			has_interval = true;
			break;
		case 0:
			hc_arg_unexpected("daemon", kw);
			return 1;
		default:
			return 1;
		}
	}
	if (has_interval && !d.metrics_file) {
		hc_err("daemon: --metrics-interval needs --metrics-file");
		return 1;
	}
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
