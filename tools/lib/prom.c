// SPDX-License-Identifier: GPL-2.0
/*
 * The Prometheus text exposition format (version 0.0.4), as the
 * node_exporter textfile collector reads it.
 */

#include <inttypes.h>
#include <math.h>
#include <stdbool.h>
#include <string.h>

#include "prom.h"

void prom_labels_init(struct prom_labels *l)
{
	l->buf[0] = '\0';
	l->len = 0;
	l->overflow = 0;
}

/* Appends S to L, escaping the characters in ESC; false if it did not fit. */
static bool append(struct prom_labels *l, const char *s, const char *esc)
{
	for (; *s; s++) {
		bool quote = strchr(esc, *s);
		const char c = *s == '\n' ? 'n' : *s;

		if (l->len + 2 >= sizeof(l->buf))
			return false;
		if (quote)
			l->buf[l->len++] = '\\';
		l->buf[l->len++] = quote ? c : *s;
	}
	l->buf[l->len] = '\0';
	return true;
}

void prom_labels_add(struct prom_labels *l, const char *name,
		     const char *value)
{
	size_t len = l->len;

	if ((len && !append(l, ",", "")) || !append(l, name, "") ||
	    !append(l, "=\"", "") || !append(l, value, "\\\"\n") ||
	    !append(l, "\"", "")) {
		l->len = len;
		l->buf[len] = '\0';
		l->overflow = 1;
	}
}

void prom_family(FILE *f, const char *name, const char *type,
		 const char *help)
{
	fprintf(f, "# HELP %s ", name);
	for (; *help; help++) {
		if (*help == '\\')
			fputs("\\\\", f);
		else if (*help == '\n')
			fputs("\\n", f);
		else
			fputc(*help, f);
	}
	fprintf(f, "\n# TYPE %s %s\n", name, type);
}

static void sample_name(FILE *f, const char *name,
			const struct prom_labels *l)
{
	if (l && l->len)
		fprintf(f, "%s{%s} ", name, l->buf);
	else
		fprintf(f, "%s ", name);
}

void prom_u64(FILE *f, const char *name, const struct prom_labels *l,
	      uint64_t val)
{
	sample_name(f, name, l);
	fprintf(f, "%" PRIu64 "\n", val);
}

/* As Go's strconv reads them back: "NaN", "+Inf", "-Inf", or %g. */
static void fmt_double(char *buf, size_t size, double val)
{
	if (isnan(val))
		snprintf(buf, size, "NaN");
	else if (isinf(val))
		snprintf(buf, size, "%cInf", val < 0 ? '-' : '+');
	else
		snprintf(buf, size, "%.9g", val);
}

void prom_double(FILE *f, const char *name, const struct prom_labels *l,
		 double val)
{
	char buf[32];

	fmt_double(buf, sizeof(buf), val);
	sample_name(f, name, l);
	fprintf(f, "%s\n", buf);
}

void prom_histogram_init(struct prom_histogram *h, const double *bounds,
			 size_t n_bounds)
{
	memset(h, 0, sizeof(*h));
	h->bounds = bounds;
	h->n_bounds = n_bounds < PROM_BUCKETS_MAX ? n_bounds : PROM_BUCKETS_MAX;
}

void prom_histogram_observe(struct prom_histogram *h, double val)
{
	size_t i;

	/* "le": a bucket counts the values up to and including its bound. */
	for (i = 0; i < h->n_bounds && val > h->bounds[i]; i++)
		;
	h->counts[i]++;
	h->count++;
	h->sum += val;
}

void prom_histogram(FILE *f, const char *name, const char *help,
		    const struct prom_histogram *h)
{
	char metric[128], le[32];
	struct prom_labels l;
	uint64_t cum = 0;
	size_t i;

	prom_family(f, name, "histogram", help);
	snprintf(metric, sizeof(metric), "%s_bucket", name);
	for (i = 0; i <= h->n_bounds; i++) {
		cum += h->counts[i];
		fmt_double(le, sizeof(le),
			   i < h->n_bounds ? h->bounds[i] : INFINITY);
		prom_labels_init(&l);
		prom_labels_add(&l, "le", le);
		prom_u64(f, metric, &l, cum);
	}
	snprintf(metric, sizeof(metric), "%s_sum", name);
	prom_double(f, metric, NULL, h->sum);
	snprintf(metric, sizeof(metric), "%s_count", name);
	prom_u64(f, metric, NULL, h->count);
}
