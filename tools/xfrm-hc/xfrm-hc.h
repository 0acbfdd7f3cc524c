/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the tool's files: global options, errors, the command table. */
#ifndef XFRM_HC_TOOL_H
#define XFRM_HC_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#define XFRM_HC_TOOL_VERSION "0.1.0"

struct hc_opts {
	bool json;
	bool pretty;
	const char *netns;
	const char *batch;
};

extern struct hc_opts hc_opts;

/*
 * Prints "xfrm-hc: MESSAGE" on stderr; in a batch, "xfrm-hc: FILE:LINE:
 * MESSAGE", where hc_err_where is "FILE:LINE".
 */
void hc_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
extern const char *hc_err_where;

/* Runs "OBJECT COMMAND ARGS": the exit status. Used by main and batches. */
int hc_run(int argc, char **argv);

/* Runs each line of FILE ("-": stdin) as a command, up to the first error. */
int hc_batch(const char *file);
/* The same for an open stream; FILE names it in errors. */
int hc_batch_stream(FILE *f, const char *file);

/* An OBJECT's handler: argv[0] is its COMMAND, or argc is 0. */
int cmd_version(int argc, char **argv);
int cmd_stats(int argc, char **argv);
int cmd_defaults(int argc, char **argv);
int cmd_rule(int argc, char **argv);
int cmd_peer(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_monitor(int argc, char **argv);
int cmd_teardown(int argc, char **argv);
int cmd_daemon(int argc, char **argv);
int cmd_save(int argc, char **argv);
int cmd_metrics(int argc, char **argv);

/* Requests shared by commands (cmd_defaults.c, cmd_rule.c). */
struct hc_profile;
struct hc_rule;

/*
 * The default profile, and the netns's echo responder switch (0 or 1).
 * Returns 0, or -1 after printing why.
 */
int hc_defaults_get(struct hc_profile *p, int *echo_responder);
/* Hands each rule to FN in order; returns 0, or -1 after printing why. */
int hc_rule_dump(int (*fn)(const struct hc_rule *r, void *arg), void *arg);

#endif
