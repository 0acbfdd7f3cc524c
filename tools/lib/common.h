/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Shared by xfrm-hc and xfrm-hcd and the library under them: the global
 * options, errors, the network namespace to act in.
 */
#ifndef XFRM_HC_TOOL_COMMON_H
#define XFRM_HC_TOOL_COMMON_H

#include <stdbool.h>

#define XFRM_HC_TOOL_VERSION "0.1.0"

struct hc_opts {
	bool json;
	bool pretty;
	const char *netns;
	const char *batch;
};

extern struct hc_opts hc_opts;

/*
 * Prints "PROGRAM: MESSAGE" on stderr; in a batch, "PROGRAM: FILE:LINE:
 * MESSAGE", where hc_err_where is "FILE:LINE".
 */
void hc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern const char *hc_err_where;

/*
 * As "ip -n NAME": enters the namespace that ip netns bind-mounted (or the
 * one NAME's path names). Returns 0, or -1 after printing why.
 */
int hc_enter_netns(const char *name);

#endif
