// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc daemon ARGS: the service moved to its own program, xfrm-hcd.
 * Kept for one release: says so on stderr and runs xfrm-hcd ARGS, in the
 * namespace -n entered, with -j and -p passed on.
 */

#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xfrm-hc.h"

/*
 * Where xfrm-hcd is: beside this xfrm-hc (installed), in the build tree
 * (tools/xfrm-hcd/), or else in PATH.
 */
static void exec_hcd(char **argv)
{
	static const char *const rel[] = { "xfrm-hcd", "../xfrm-hcd/xfrm-hcd" };
	char self[PATH_MAX], path[PATH_MAX + 32];
	const char *dir;
	ssize_t n;
	size_t i;

	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		self[n] = '\0';
		dir = dirname(self);
		for (i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
			snprintf(path, sizeof(path), "%s/%s", dir, rel[i]);
			if (!access(path, X_OK))
				execv(path, argv);
		}
	}
	execvp("xfrm-hcd", argv);
}

int hc_daemon_alias(int argc, char **argv)
{
	char **args = calloc(argc + 3, sizeof(*args));
	int i, n = 0;

	fprintf(stderr, "xfrm-hc: \"xfrm-hc daemon\" is deprecated and goes in the next release: run xfrm-hcd\n");
	if (!args) {
		hc_err("out of memory");
		return 1;
	}
	args[n++] = "xfrm-hcd";
	if (hc_opts.json)
		args[n++] = "-j";
	if (hc_opts.pretty)
		args[n++] = "-p";
	for (i = 1; i < argc; i++)
		args[n++] = argv[i];
	args[n] = NULL;
	fflush(stdout);
	exec_hcd(args);
	hc_err("cannot run xfrm-hcd: %s", strerror(errno));
	free(args);
	return 1;
}
