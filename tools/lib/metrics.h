/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The module's state as Prometheus metrics: counters, peers and checks of
 * the tool's netns, for node_exporter's textfile collector.
 */
#ifndef XFRM_HC_TOOL_METRICS_H
#define XFRM_HC_TOOL_METRICS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"

/* One snapshot: a VERSION_GET's counters, a peer dump, a check dump. */
struct hc_metrics {
	bool has_stat[XFRM_HC_STAT_MAX + 1];
	uint64_t stat[XFRM_HC_STAT_MAX + 1];
	struct hc_peer *peers;		/* without their SAs */
	unsigned int n_peers;
	struct hc_check *checks;
	unsigned int n_checks;
};

/* The metric of counter STAT, or NULL if it has none. */
const char *hc_metrics_stat_name(int stat);

/* Returns 0, or -1 after printing why; free M with hc_metrics_free(). */
int hc_metrics_collect(struct hc_metrics *m);
void hc_metrics_free(struct hc_metrics *m);

/* The exposition of M, sorted (so the same state prints the same text). */
void hc_metrics_print(FILE *f, struct hc_metrics *m);

#endif
