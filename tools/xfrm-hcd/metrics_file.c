// SPDX-License-Identifier: GPL-2.0
/*
 * The metrics file: what "xfrm-hc metrics" prints, kept in a file for
 * node_exporter's textfile collector, replaced whole at each write.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "common.h"
#include "metrics.h"
#include "xfrm-hcd.h"

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
