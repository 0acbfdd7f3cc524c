// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc metrics: one VERSION_GET (the counters), a peer dump and a check
 * dump of the tool's netns, printed for node_exporter's textfile
 * collector; and the file the daemon keeps up to date with them.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "dumps.h"
#include "metrics.h"
#include "xfrm-hc.h"

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

int hc_metrics_write_file(const char *path)
{
	struct hc_metrics m;
	char *tmp;
	FILE *f;
	int err = -1;

	if (hc_metrics_collect(&m))
		return -1;
	if (asprintf(&tmp, "%s.tmp", path) < 0) {
		hc_err("out of memory");
		goto out;
	}
	f = fopen(tmp, "w");
	if (!f) {
		hc_err("metrics: cannot create \"%s\": %s", tmp,
		       strerror(errno));
		goto out_free;
	}
	/* Readable by node_exporter, which seldom runs as our user. */
	fchmod(fileno(f), 0644);
	hc_metrics_print(f, &m);
	if (fflush(f) || ferror(f) || fsync(fileno(f))) {
		hc_err("metrics: cannot write \"%s\": %s", tmp,
		       strerror(errno));
		fclose(f);
		goto out_unlink;
	}
	if (fclose(f)) {
		hc_err("metrics: cannot write \"%s\": %s", tmp,
		       strerror(errno));
		goto out_unlink;
	}
	if (rename(tmp, path)) {
		hc_err("metrics: cannot rename \"%s\" to \"%s\": %s", tmp, path,
		       strerror(errno));
		goto out_unlink;
	}
	err = 0;
	goto out_free;
out_unlink:
	unlink(tmp);
out_free:
	free(tmp);
out:
	hc_metrics_free(&m);
	return err;
}

int cmd_metrics(struct hc_args *a)
{
	struct hc_metrics m;

	if (a->argc > 0) {
		hc_arg_unexpected("metrics", a->argv[0]);
		return 1;
	}
	if (hc_metrics_collect(&m))
		return 1;
	hc_metrics_print(stdout, &m);
	hc_metrics_free(&m);
	if (fflush(stdout) || ferror(stdout)) {
		hc_err("metrics: %s", strerror(errno));
		return 1;
	}
	return 0;
}
