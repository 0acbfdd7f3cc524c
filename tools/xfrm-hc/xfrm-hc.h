/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the tool's files: global options, errors, the command table. */
#ifndef XFRM_HC_TOOL_H
#define XFRM_HC_TOOL_H

#include <stdbool.h>

#define XFRM_HC_TOOL_VERSION "0.1.0"

struct hc_opts {
	bool json;
	bool pretty;
	const char *netns;
	const char *batch;
};

extern struct hc_opts hc_opts;

/* Prints "xfrm-hc: MESSAGE" on stderr. */
void hc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* An OBJECT's handler: argv[0] is its COMMAND, or argc is 0. */
int cmd_version(int argc, char **argv);

#endif
