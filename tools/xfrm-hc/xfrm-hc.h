/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by xfrm-hc's files: the command table and its handlers. */
#ifndef XFRM_HC_TOOL_H
#define XFRM_HC_TOOL_H

#include <stdbool.h>
#include <stdio.h>

#include "common.h"
#include "dumps.h"
#include "parse.h"

/* Runs "OBJECT COMMAND ARGS": the exit status. Used by main and batches. */
int hc_run(int argc, char **argv);

/* Runs each line of FILE ("-": stdin) as a command, up to the first error. */
int hc_batch(const char *file);
/* The same for an open stream; FILE names it in errors. */
int hc_batch_stream(FILE *f, const char *file);

/*
 * The parts of the command table (main.c): each command's handler, which
 * takes the words after its COMMAND (after OBJECT for an object without
 * commands) and returns nonzero on failure, and the keyword tables that
 * parse those words.
 */
int cmd_version(struct hc_args *a);
int cmd_stats(struct hc_args *a);
int cmd_defaults_show(struct hc_args *a);
int cmd_defaults_set(struct hc_args *a);
int cmd_rule_add(struct hc_args *a);
int cmd_rule_del(struct hc_args *a);
int cmd_rule_show(struct hc_args *a);
int cmd_rule_flush(struct hc_args *a);
int cmd_peer_show(struct hc_args *a);
int cmd_check_add(struct hc_args *a);
int cmd_check_set(struct hc_args *a);
int cmd_check_del(struct hc_args *a);
int cmd_check_flush(struct hc_args *a);
int cmd_check_show(struct hc_args *a);
int cmd_monitor(struct hc_args *a);
int cmd_teardown(struct hc_args *a);
int cmd_save(struct hc_args *a);
int cmd_metrics(struct hc_args *a);

/*
 * "xfrm-hc daemon ARGS", kept for one release: says it is deprecated and
 * runs "xfrm-hcd ARGS" in its place. Returns only on failure: 1.
 */
int hc_daemon_alias(int argc, char **argv);

/*
 * "[remote ADDR] [if_id N]", the words of peer show and teardown (WHERE,
 * for errors). Returns 0 or -1 after printing why.
 */
int hc_parse_peer_filter(struct hc_args *a, struct hc_peer_filter *f,
			 const char *where);

extern const struct hc_arg_kw hc_defaults_kws[];	/* echo-responder */
extern const struct hc_arg_kw hc_rule_kws[];		/* rule add's matches */
extern const struct hc_arg_kw hc_rule_del_kws[];
extern const struct hc_arg_kw hc_peer_kws[];		/* and teardown's */
extern const struct hc_arg_kw hc_monitor_kws[];

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
