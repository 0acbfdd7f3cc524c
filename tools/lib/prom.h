/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Prometheus text exposition format, version 0.0.4: metric families
 * with their HELP and TYPE lines, samples with escaped labels, histograms.
 */
#ifndef XFRM_HC_TOOL_PROM_H
#define XFRM_HC_TOOL_PROM_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A label set, escaped as it is built: 'a="x",b="y"'. */
struct prom_labels {
	char buf[512];
	size_t len;
	int overflow;		/* some label did not fit: dropped */
};

void prom_labels_init(struct prom_labels *l);
/* Appends NAME="VALUE", escaping backslash, double quote and newline. */
void prom_labels_add(struct prom_labels *l, const char *name,
		     const char *value);

/* "# HELP NAME HELP" (backslash, newline escaped), "# TYPE NAME TYPE". */
void prom_family(FILE *f, const char *name, const char *type,
		 const char *help);

/* "NAME{LABELS} VALUE": LABELS may be NULL, or empty. */
void prom_u64(FILE *f, const char *name, const struct prom_labels *l,
	      uint64_t val);
void prom_double(FILE *f, const char *name, const struct prom_labels *l,
		 double val);

/* Upper bounds in seconds, ascending; +Inf is implicit. */
#define PROM_BUCKETS_MAX 16

struct prom_histogram {
	const double *bounds;
	size_t n_bounds;			/* <= PROM_BUCKETS_MAX */
	uint64_t counts[PROM_BUCKETS_MAX + 1];	/* per bucket, last: +Inf */
	uint64_t count;
	double sum;
};

void prom_histogram_init(struct prom_histogram *h, const double *bounds,
			 size_t n_bounds);
void prom_histogram_observe(struct prom_histogram *h, double val);
/*
 * The family NAME: NAME_bucket{le="..."} lines, cumulative and ending
 * with le="+Inf", which equals NAME_count; then NAME_sum and NAME_count.
 */
void prom_histogram(FILE *f, const char *name, const char *help,
		    const struct prom_histogram *h);

#endif
