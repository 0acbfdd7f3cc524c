// SPDX-License-Identifier: GPL-2.0
/*
 * The module's counters, peers and checks as Prometheus metrics. The tool
 * keeps no state between runs: the detection time histogram is a snapshot
 * of the peers dead and the checks down now.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "common.h"
#include "dumps.h"
#include "metrics.h"
#include "prom.h"

#define GAUGE "gauge"
#define COUNTER "counter"

static const struct {
	const char *name;
	const char *type;
	const char *help;
} stat_metrics[XFRM_HC_STAT_MAX + 1] = {
	[XFRM_HC_STAT_NETNS] = { "xfrm_hc_netns", GAUGE,
		"Network namespaces the module serves." },
	[XFRM_HC_STAT_REQUESTS] = { "xfrm_hc_requests_total", COUNTER,
		"Generic netlink requests in this netns." },
	[XFRM_HC_STAT_SA_ADDED] = { "xfrm_hc_sa_added_total", COUNTER,
		"SA add and update notifications seen." },
	[XFRM_HC_STAT_SA_DELETED] = { "xfrm_hc_sa_deleted_total", COUNTER,
		"SA delete and expire notifications seen." },
	[XFRM_HC_STAT_SA_FLUSHES] = { "xfrm_hc_sa_flushes_total", COUNTER,
		"SA flush notifications seen." },
	[XFRM_HC_STAT_PEERS] = { "xfrm_hc_peers_watched", GAUGE,
		"Peers monitored now, as the module counts them." },
	[XFRM_HC_STAT_SAS] = { "xfrm_hc_sas_watched", GAUGE,
		"SAs monitored now." },
	[XFRM_HC_STAT_PEERS_DEAD] = { "xfrm_hc_peers_dead", GAUGE,
		"Peers dead now, as the module counts them." },
	[XFRM_HC_STAT_PROBES_SENT] = { "xfrm_hc_probes_sent_total", COUNTER,
		"Probes sent to peers." },
	[XFRM_HC_STAT_PROBES_ANSWERED] = { "xfrm_hc_probes_answered_total",
		COUNTER, "Probes to peers that were answered." },
	[XFRM_HC_STAT_EVENTS_SENT] = { "xfrm_hc_events_sent_total", COUNTER,
		"Events sent to the events group." },
	[XFRM_HC_STAT_EVENTS_DROPPED] = { "xfrm_hc_events_dropped_total",
		COUNTER, "Events that could not be built or sent." },
	[XFRM_HC_STAT_LATE_TICKS] = { "xfrm_hc_late_ticks_total", COUNTER,
		"Timers that fired more than half an interval late." },
	[XFRM_HC_STAT_CHECKS] = { "xfrm_hc_checks_configured", GAUGE,
		"Health checks now, as the module counts them." },
	[XFRM_HC_STAT_CHECKS_DOWN] = { "xfrm_hc_checks_down", GAUGE,
		"Health checks down now, as the module counts them." },
	[XFRM_HC_STAT_NATT_KEEPALIVES] = { "xfrm_hc_natt_keepalives_total",
		COUNTER, "NAT-T keepalives (RFC 3948) sent." },
	[XFRM_HC_STAT_PEERS_REFUSED] = { "xfrm_hc_peers_refused_total",
		COUNTER, "Peers not monitored: the namespace was at max_peers." },
	[XFRM_HC_STAT_PROBES_SHED] = { "xfrm_hc_probes_shed_total",
		COUNTER, "Probes not sent: the CPU was past probe_cpu_pct or probe_softirq_pct." },
	[XFRM_HC_STAT_PROBES_UNROUTED] = { "xfrm_hc_probes_unrouted_total",
		COUNTER, "Probes not sent: their route was not through an SA of their peer." },
	[XFRM_HC_STAT_ANSWERS_REJECTED] = { "xfrm_hc_answers_rejected_total",
		COUNTER, "Answers in xfrm-hc's format not signed for the tunnel that brought them." },
	[XFRM_HC_STAT_ECHO_ANSWERED] = { "xfrm_hc_echo_answered_total",
		COUNTER, "Echo requests of peers answered." },
	[XFRM_HC_STAT_ECHO_LIMITED] = { "xfrm_hc_echo_limited_total",
		COUNTER, "Echo requests not answered: past echo_rate or the CPU's probe budget, or not from a watched peer." },
	[XFRM_HC_STAT_ECHO_UNROUTED] = { "xfrm_hc_echo_unrouted_total",
		COUNTER, "Echo requests not answered: no route back by their tunnel." },
};

const char *hc_metrics_stat_name(int stat)
{
	if (stat < 0 || stat > XFRM_HC_STAT_MAX)
		return NULL;
	return stat_metrics[stat].name;
}

/* Detection times, in seconds. */
static const double detect_buckets[] = {
	0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60,
};

void hc_metrics_free(struct hc_metrics *m)
{
	free(m->peers);
	free(m->checks);
	memset(m, 0, sizeof(*m));
}

static int cmp_peer(const void *a, const void *b)
{
	const struct hc_peer *p = a, *q = b;
	int d;

	if (p->family != q->family)
		return p->family < q->family ? -1 : 1;
	d = memcmp(p->remote.b, q->remote.b, sizeof(p->remote.b));
	if (!d)
		d = memcmp(p->local.b, q->local.b, sizeof(p->local.b));
	if (d)
		return d;
	if (p->if_id != q->if_id)
		return p->if_id < q->if_id ? -1 : 1;
	if (p->encap_dport != q->encap_dport)
		return p->encap_dport < q->encap_dport ? -1 : 1;
	if (p->encap_sport != q->encap_sport)
		return p->encap_sport < q->encap_sport ? -1 : 1;
	return 0;
}

static int cmp_check(const void *a, const void *b)
{
	const struct hc_check *c = a, *d = b;

	return strcmp(c->name, d->name);
}

/* What a getter found: nothing, or a value of one of two kinds. */
enum { VAL_NONE, VAL_U64, VAL_DOUBLE };

struct val {
	uint64_t u;
	double d;
};

/* A metric of each peer or each check. */
struct obj_metric {
	const char *name;
	const char *type;
	const char *help;
	int (*get)(const void *obj, struct val *v);
};

#define PEER(obj) ((const struct hc_peer *)(obj))
#define CHECK(obj) ((const struct hc_check *)(obj))

static int u64_val(struct val *v, uint64_t u)
{
	v->u = u;
	return VAL_U64;
}

static int double_val(struct val *v, double d)
{
	v->d = d;
	return VAL_DOUBLE;
}

static int peer_up(const void *obj, struct val *v)
{
	return u64_val(v, PEER(obj)->state != XFRM_HC_STATE_DEAD);
}

static int peer_sent(const void *obj, struct val *v)
{
	return u64_val(v, PEER(obj)->probes_sent);
}

static int peer_answered(const void *obj, struct val *v)
{
	return u64_val(v, PEER(obj)->probes_answered);
}

static int peer_probe_method(const void *obj, struct val *v)
{
	if (!(PEER(obj)->set & HC_BIT(XFRM_HC_PEER_PROBE_METHOD)))
		return VAL_NONE;
	return u64_val(v, PEER(obj)->probe_method);
}

static int peer_rtt_avg(const void *obj, struct val *v)
{
	if (!(PEER(obj)->set & HC_BIT(XFRM_HC_PEER_RTT_AVG_US)))
		return VAL_NONE;
	return double_val(v, PEER(obj)->rtt_avg_us / 1e6);
}

static const struct obj_metric peer_metrics[] = {
	{ "xfrm_hc_peer_up", GAUGE,
	  "1 if the peer is up or idle, 0 if it is dead.", peer_up },
	{ "xfrm_hc_peer_probes_sent_total", COUNTER,
	  "Probes sent to the peer.", peer_sent },
	{ "xfrm_hc_peer_probes_answered_total", COUNTER,
	  "Probes the peer answered.", peer_answered },
	{ "xfrm_hc_peer_rtt_avg_seconds", GAUGE,
	  "Average round trip time of the peer's probes.", peer_rtt_avg },
	{ "xfrm_hc_peer_probe_method", GAUGE,
	  "How the peer is probed: 0 passive, 1 ICMP to its probe target, 2 xfrm-hc's echo.",
	  peer_probe_method },
};

static int check_up(const void *obj, struct val *v)
{
	switch (CHECK(obj)->state) {
	case XFRM_HC_CHECK_STATE_UP:
		return u64_val(v, 1);
	case XFRM_HC_CHECK_STATE_DOWN:
		return u64_val(v, 0);
	}
	return VAL_NONE;	/* unknown: no verdict yet */
}

static int check_sent(const void *obj, struct val *v)
{
	return u64_val(v, CHECK(obj)->probes_sent);
}

static int check_answered(const void *obj, struct val *v)
{
	return u64_val(v, CHECK(obj)->probes_answered);
}

static int check_lost(const void *obj, struct val *v)
{
	return u64_val(v, CHECK(obj)->probes_lost);
}

static int check_loss(const void *obj, struct val *v)
{
	return double_val(v, hc_check_loss_ratio(CHECK(obj)));
}

static int check_rtt_last(const void *obj, struct val *v)
{
	if (!HC_CHECK_HAS(CHECK(obj), RTT_LAST_US))
		return VAL_NONE;
	return double_val(v, CHECK(obj)->rtt_last_us / 1e6);
}

static int check_rtt_avg(const void *obj, struct val *v)
{
	if (!HC_CHECK_HAS(CHECK(obj), RTT_AVG_US))
		return VAL_NONE;
	return double_val(v, CHECK(obj)->rtt_avg_us / 1e6);
}

static const struct obj_metric check_metrics[] = {
	{ "xfrm_hc_check_up", GAUGE,
	  "1 if the check is up, 0 if it is down; absent before its first verdict.",
	  check_up },
	{ "xfrm_hc_check_probes_sent_total", COUNTER,
	  "Probes the check sent.", check_sent },
	{ "xfrm_hc_check_probes_answered_total", COUNTER,
	  "Probes of the check answered in time.", check_answered },
	{ "xfrm_hc_check_probes_lost_total", COUNTER,
	  "Probes of the check that timed out.", check_lost },
	{ "xfrm_hc_check_loss_ratio", GAUGE,
	  "Lost of the probes that got a verdict, from 0 to 1.", check_loss },
	{ "xfrm_hc_check_rtt_last_seconds", GAUGE,
	  "Round trip time of the check's last answered probe.",
	  check_rtt_last },
	{ "xfrm_hc_check_rtt_avg_seconds", GAUGE,
	  "Average round trip time of the check's probes.", check_rtt_avg },
};

static void peer_labels(const void *obj, struct prom_labels *l)
{
	const struct hc_peer *p = obj;
	char buf[HC_ADDR_STRLEN];

	prom_labels_add(l, "remote", hc_addr_str(&p->remote, buf, sizeof(buf)));
	prom_labels_add(l, "local", hc_addr_str(&p->local, buf, sizeof(buf)));
	snprintf(buf, sizeof(buf), "%u", p->if_id);
	prom_labels_add(l, "if_id", buf);
	/* Clients behind one NAT differ only in their ports. */
	if (p->set & HC_BIT(XFRM_HC_PEER_ENCAP_DPORT)) {
		snprintf(buf, sizeof(buf), "%u", p->encap_dport);
		prom_labels_add(l, "remote_port", buf);
		snprintf(buf, sizeof(buf), "%u", p->encap_sport);
		prom_labels_add(l, "local_port", buf);
	}
}

static void check_labels(const void *obj, struct prom_labels *l)
{
	prom_labels_add(l, "check", CHECK(obj)->name);
}

/* Each metric of TABLE, for each of the N objects of SIZE bytes at OBJS. */
static void print_objs(FILE *f, const struct obj_metric *table, size_t n_table,
		       const void *objs, size_t n, size_t size,
		       void (*labels)(const void *obj, struct prom_labels *l))
{
	struct prom_labels l;
	struct val v;
	size_t i, j;
	bool first;
	int kind;

	for (i = 0; i < n_table; i++) {
		first = true;
		for (j = 0; j < n; j++) {
			const void *obj = (const char *)objs + j * size;

			kind = table[i].get(obj, &v);
			if (kind == VAL_NONE)
				continue;
			if (first)
				prom_family(f, table[i].name, table[i].type,
					    table[i].help);
			first = false;
			prom_labels_init(&l);
			labels(obj, &l);
			if (kind == VAL_U64)
				prom_u64(f, table[i].name, &l, v.u);
			else
				prom_double(f, table[i].name, &l, v.d);
		}
	}
}

/* A gauge NAME{state="..."} for each name of KW, from COUNTS[val]. */
static void print_states(FILE *f, const char *name, const char *help,
			 const struct hc_kw *kw, const unsigned int *counts)
{
	struct prom_labels l;

	prom_family(f, name, GAUGE, help);
	for (; kw->name; kw++) {
		prom_labels_init(&l);
		prom_labels_add(&l, "state", kw->name);
		prom_u64(f, name, &l, counts[kw->val]);
	}
}

/* Sorted by name: the text is the same for the same state. */
static const struct hc_kw peer_states[] = {
	{ "dead", XFRM_HC_STATE_DEAD },
	{ "idle", XFRM_HC_STATE_IDLE },
	{ "up", XFRM_HC_STATE_UP },
	{}
};

static const struct hc_kw check_states[] = {
	{ "down", XFRM_HC_CHECK_STATE_DOWN },
	{ "unknown", XFRM_HC_CHECK_STATE_UNKNOWN },
	{ "up", XFRM_HC_CHECK_STATE_UP },
	{}
};

void hc_metrics_print(FILE *f, struct hc_metrics *m)
{
	unsigned int peers[XFRM_HC_STATE_MAX + 1] = {};
	unsigned int checks[XFRM_HC_CHECK_STATE_MAX + 1] = {};
	struct prom_histogram h;
	unsigned int i;

	if (m->n_peers)
		qsort(m->peers, m->n_peers, sizeof(*m->peers), cmp_peer);
	if (m->n_checks)
		qsort(m->checks, m->n_checks, sizeof(*m->checks), cmp_check);

	prom_family(f, "xfrm_hc_up", GAUGE, "1: the xfrm_hc module answered.");
	prom_u64(f, "xfrm_hc_up", NULL, 1);
	for (i = 0; i <= XFRM_HC_STAT_MAX; i++) {
		if (!m->has_stat[i] || !stat_metrics[i].name)
			continue;
		prom_family(f, stat_metrics[i].name, stat_metrics[i].type,
			    stat_metrics[i].help);
		prom_u64(f, stat_metrics[i].name, NULL, m->stat[i]);
	}

	prom_histogram_init(&h, detect_buckets,
			    sizeof(detect_buckets) / sizeof(detect_buckets[0]));
	for (i = 0; i < m->n_peers; i++) {
		const struct hc_peer *p = &m->peers[i];

		if (p->state <= XFRM_HC_STATE_MAX)
			peers[p->state]++;
		if (p->state == XFRM_HC_STATE_DEAD &&
		    (p->set & HC_BIT(XFRM_HC_PEER_DETECT_MS)))
			prom_histogram_observe(&h, p->detect_ms / 1e3);
	}
	for (i = 0; i < m->n_checks; i++) {
		const struct hc_check *c = &m->checks[i];

		if (c->state <= XFRM_HC_CHECK_STATE_MAX)
			checks[c->state]++;
		if (c->state == XFRM_HC_CHECK_STATE_DOWN &&
		    HC_CHECK_HAS(c, DETECT_MS))
			prom_histogram_observe(&h, c->detect_ms / 1e3);
	}
	print_states(f, "xfrm_hc_peers", "Peers by state.", peer_states,
		     peers);
	print_states(f, "xfrm_hc_checks", "Health checks by state.",
		     check_states, checks);
	print_objs(f, peer_metrics,
		   sizeof(peer_metrics) / sizeof(peer_metrics[0]), m->peers,
		   m->n_peers, sizeof(*m->peers), peer_labels);
	print_objs(f, check_metrics,
		   sizeof(check_metrics) / sizeof(check_metrics[0]),
		   m->checks, m->n_checks, sizeof(*m->checks), check_labels);
	/* Always, empty when none is dead or down: a scrape can tell "no
	 * detection" from "no histogram".
	 */
	prom_histogram(f, "xfrm_hc_detect_seconds",
		       "Detection times of the peers dead and the checks down now (a snapshot).",
		       &h);
}

static int stats_reply(struct nl_msg *msg, void *arg)
{
	struct nlattr *st[XFRM_HC_STAT_MAX + 1];
	struct nlattr *tb[XFRM_HC_A_MAX + 1];
	struct hc_metrics *m = arg;
	int i;

	if (hc_nl_parse(msg, tb, XFRM_HC_A_MAX))
		return -EBADMSG;
	if (!tb[XFRM_HC_A_STATS])
		return 0;
	if (nla_parse_nested(st, XFRM_HC_STAT_MAX, tb[XFRM_HC_A_STATS], NULL))
		return -EBADMSG;
	for (i = 0; i <= XFRM_HC_STAT_MAX; i++) {
		if (!st[i] || nla_len(st[i]) != sizeof(uint64_t))
			continue;
		m->stat[i] = nla_get_u64(st[i]);
		m->has_stat[i] = true;
	}
	return 0;
}

static int collect_peer(const struct hc_event *ev, void *arg)
{
	struct hc_metrics *m = arg;
	struct hc_peer *p;

	p = realloc(m->peers, (m->n_peers + 1) * sizeof(*p));
	if (!p) {
		hc_err("out of memory");
		return -1;
	}
	m->peers = p;
	p[m->n_peers] = ev->peer;
	/* The SAs are not metrics: the dump frees them. */
	p[m->n_peers].sas = NULL;
	p[m->n_peers].n_sas = 0;
	m->n_peers++;
	return 0;
}

static int collect_check(const struct hc_event *ev, void *arg)
{
	struct hc_metrics *m = arg;
	struct hc_check *c;

	c = realloc(m->checks, (m->n_checks + 1) * sizeof(*c));
	if (!c) {
		hc_err("out of memory");
		return -1;
	}
	m->checks = c;
	c[m->n_checks++] = ev->check;
	return 0;
}

int hc_metrics_collect(struct hc_metrics *m)
{
	struct nl_msg *msg;
	struct hc_nl nl;
	int err = -1;

	memset(m, 0, sizeof(*m));
	if (hc_nl_open(&nl))
		return -1;
	msg = hc_nl_msg(&nl, XFRM_HC_CMD_VERSION_GET, 0);
	if (!msg) {
		hc_err("out of memory");
		goto out;
	}
	if (hc_nl_request(&nl, msg, "stats", stats_reply, m) ||
	    hc_peer_dump(&nl, NULL, collect_peer, m) < 0 ||
	    hc_check_dump(&nl, NULL, collect_check, m) < 0)
		goto out;
	err = 0;
out:
	hc_nl_close(&nl);
	if (err)
		hc_metrics_free(m);
	return err;
}
