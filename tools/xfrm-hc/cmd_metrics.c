// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc metrics: one VERSION_GET (the counters), a peer dump and a check
 * dump of the tool's netns, printed for node_exporter's textfile
 * collector (xfrm-hcd --metrics-file keeps a file of them).
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "metrics.h"
#include "xfrm-hc.h"

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
