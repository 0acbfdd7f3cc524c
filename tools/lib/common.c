// SPDX-License-Identifier: GPL-2.0
/* The global options, errors, and entering a network namespace. */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "common.h"

struct hc_opts hc_opts;
const char *hc_err_where;

void hc_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	/* xfrm-hc or xfrm-hcd, as run. */
	fprintf(stderr, "%s: ", program_invocation_short_name);
	if (hc_err_where)
		fprintf(stderr, "%s: ", hc_err_where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int hc_enter_netns(const char *name)
{
	char path[PATH_MAX];
	int fd;

	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "/run/netns/%s", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hc_err("cannot open network namespace \"%s\": %s", name,
		       strerror(errno));
		return -1;
	}
	if (setns(fd, CLONE_NEWNET)) {
		hc_err("cannot enter network namespace \"%s\": %s", name,
		       strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}
