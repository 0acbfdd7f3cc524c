// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc [OPTIONS] OBJECT COMMAND: global options and object dispatch. */

#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "xfrm-hc.h"

/*
 * The command table: every OBJECT, its COMMANDs, their syntax and the
 * keyword tables their parsers use. It is the one source of the dispatch,
 * of the help ("xfrm-hc help", "xfrm-hc OBJECT help", -h) and of the words
 * "xfrm-hc help --keywords" lists, against which tests/tool/cli-words.py
 * holds the help's syntax, the man page and the bash completion.
 */
#define HC_CMD_KWS 3

struct hc_cmd {
	const char *name;	/* NULL: the words follow OBJECT */
	const char *alias;	/* another name, or NULL */
	int (*fn)(struct hc_args *a);	/* nonzero on failure */
	bool dflt;		/* what OBJECT alone runs */
	const char *syntax;	/* its words; later lines are continued */
	/* The keyword tables of the words it takes. */
	const struct hc_arg_kw *kws[HC_CMD_KWS];
};

struct hc_object {
	const char *name;
	const char *help;
	const struct hc_cmd *cmds;	/* ended by a NULL fn */
};

#define PROFILE_SYNTAX \
	"PROFILE := [interval TIME] [misses N] [up N] [jitter PERCENT]\n" \
	"           [mode on-demand|idle|periodic] [action notify|clear|restart]\n" \
	"           [probe-src ADDR probe-dst ADDR] [natt-keepalive SECONDS]\n"
#define SETTINGS_SYNTAX \
	"SETTINGS := [interval TIME] [misses N] [up N] [timeout TIME]\n" \
	"            [mode periodic|optimized]\n" \
	"            [action notify|failover|clear|restart]\n"
#define TIME_SYNTAX \
	"TIME := 100ms | 1s | 1.5s | a number of milliseconds\n"

/* The options before OBJECT: getopt's tables and the help come from here. */
static const struct {
	const char *name;
	char c;
	const char *arg;	/* the value's name, or NULL for none */
	const char *help;
} options[] = {
	{ "json", 'j', NULL, "JSON output" },
	{ "pretty", 'p', NULL, "indented JSON (with -j)" },
	{ "netns", 'n', "NAME", "act in network namespace NAME (ip netns)" },
	{ "batch", 'b', "FILE", "run the commands of FILE (- for stdin)" },
	{ "version", 'V', NULL,
	  "the tool's version, without asking the module" },
	{ "help", 'h', NULL, "this text" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static int cmd_help(struct hc_args *a);

/* An object whose words follow it, without a COMMAND. */
#define HC_WORDS(f, s, ...) \
	((const struct hc_cmd[]){ { .fn = f, .syntax = s, \
				    .kws = { __VA_ARGS__ } }, {} })

static const struct hc_object objects[] = {
	{ "version", "the tool's and the module's versions, and counters",
	  HC_WORDS(cmd_version, "") },
	{ "stats", "the module's counters in this netns",
	  HC_WORDS(cmd_stats, "") },
	{ "defaults",
	  "the profile of the default rule, and the base of new rules",
	  (const struct hc_cmd[]){
		{ .name = "show", .fn = cmd_defaults_show, .dflt = true,
		  .syntax = "" },
		{ .name = "set", .fn = cmd_defaults_set,
		  .syntax = "[PROFILE] [echo-responder on|off]",
		  .kws = { hc_profile_kws, hc_defaults_kws } },
		{} } },
	{ "rule", "which SAs get which profile",
	  (const struct hc_cmd[]){
		{ .name = "add", .fn = cmd_rule_add,
		  .syntax = "[prio P] [reqid A[-B]] [mark M[/MASK]] [if_id N]\n"
			    "[remote PREFIX] [family inet|inet6] [PROFILE]",
		  .kws = { hc_rule_kws, hc_profile_kws } },
		{ .name = "del", .fn = cmd_rule_del, .syntax = "prio P",
		  .kws = { hc_rule_del_kws } },
		{ .name = "show", .alias = "list", .fn = cmd_rule_show,
		  .dflt = true, .syntax = "" },
		{ .name = "flush", .fn = cmd_rule_flush, .syntax = "" },
		{} } },
	{ "peer", "the peers watched, their state and SAs",
	  (const struct hc_cmd[]){
		{ .name = "show", .alias = "list", .fn = cmd_peer_show,
		  .dflt = true, .syntax = "[remote ADDR] [if_id N]",
		  .kws = { hc_peer_kws } },
		{} } },
	{ "check", "health checks: probes through a tunnel",
	  (const struct hc_cmd[]){
		{ .name = "add", .fn = cmd_check_add,
		  .syntax = "name NAME src ADDR dst ADDR\n"
			    "[dev IFNAME | if_id N] [SETTINGS]",
		  .kws = { hc_check_add_kws, hc_check_settings_kws } },
		{ .name = "set", .fn = cmd_check_set,
		  .syntax = "name NAME [src ADDR dst ADDR]\n"
			    "[dev IFNAME | dev none | if_id N] [SETTINGS]",
		  .kws = { hc_check_set_kws, hc_check_settings_kws } },
		{ .name = "del", .fn = cmd_check_del, .syntax = "[name] NAME",
		  .kws = { hc_check_name_kws } },
		{ .name = "flush", .fn = cmd_check_flush, .syntax = "" },
		{ .name = "show", .alias = "list", .fn = cmd_check_show,
		  .dflt = true, .syntax = "[[name] NAME]",
		  .kws = { hc_check_name_kws } },
		{} } },
	{ "monitor", "print peer and check events as they happen",
	  HC_WORDS(cmd_monitor, "[--sync]", hc_monitor_kws) },
	{ "teardown", "delete the SAs of a peer",
	  HC_WORDS(cmd_teardown, "remote ADDR [if_id N]", hc_peer_kws) },
	{ "metrics", "counters, peers and checks for Prometheus",
	  HC_WORDS(cmd_metrics, "") },
	{ "save", "print the configuration as a batch file",
	  HC_WORDS(cmd_save, "") },
	{ "help", "this text", HC_WORDS(cmd_help, "") },
};

#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

/* "xfrm-hc OBJECT COMMAND SYNTAX", its later lines under its first word. */
static void cmd_usage(FILE *f, const struct hc_object *o,
		      const struct hc_cmd *c)
{
	const char *s = c->syntax, *nl;
	int n;

	if (!c->name)
		n = fprintf(f, "xfrm-hc %s", o->name);
	else if (!c->alias)
		n = fprintf(f, "xfrm-hc %s %s", o->name, c->name);
	else
		n = fprintf(f, "xfrm-hc %s { %s | %s }", o->name, c->name,
			    c->alias);
	if (!*s) {
		fputc('\n', f);
		return;
	}
	fprintf(f, " %.*s\n", (int)strcspn(s, "\n"), s);
	while ((nl = strchr(s, '\n'))) {
		s = nl + 1;
		fprintf(f, "%*s%.*s\n", n + 1, "", (int)strcspn(s, "\n"), s);
	}
}

static void usage(FILE *f)
{
	const struct hc_cmd *c;
	char opt[32];
	size_t i;

	fputs("Usage: xfrm-hc [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
	      "       xfrm-hc [OPTIONS] -b FILE\n"
	      "Options:\n", f);
	for (i = 0; i < N_OPTIONS; i++) {
		snprintf(opt, sizeof(opt), "-%c, --%s%s%s", options[i].c,
			 options[i].name, options[i].arg ? " " : "",
			 options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-20s%s\n", opt, options[i].help);
	}
	fputs("\"xfrm-hc OBJECT help\" shows the commands of OBJECT.\n"
	      "Objects:\n", f);
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(f, "  %-10s %s\n", objects[i].name, objects[i].help);
	fputs("Commands:\n", f);
	for (i = 0; i < N_OBJECTS; i++)
		for (c = objects[i].cmds; c->fn; c++)
			cmd_usage(f, &objects[i], c);
	fputs(PROFILE_SYNTAX SETTINGS_SYNTAX TIME_SYNTAX, f);
}

/* Whether a command of O takes the keywords of KWS. */
static bool takes(const struct hc_object *o, const struct hc_arg_kw *kws)
{
	const struct hc_cmd *c;
	size_t i;

	for (c = o->cmds; c->fn; c++)
		for (i = 0; i < HC_CMD_KWS && c->kws[i]; i++)
			if (c->kws[i] == kws)
				return true;
	return false;
}

/* An object's commands, and the syntax of the words they use. */
static void object_usage(const struct hc_object *o)
{
	bool profile = takes(o, hc_profile_kws);
	bool settings = takes(o, hc_check_settings_kws);
	const struct hc_cmd *c;

	for (c = o->cmds; c->fn; c++)
		cmd_usage(stdout, o, c);
	if (profile)
		fputs(PROFILE_SYNTAX, stdout);
	if (settings)
		fputs(SETTINGS_SYNTAX, stdout);
	if (profile || settings)
		fputs(TIME_SYNTAX, stdout);
}

/* "keyword OBJECT COMMAND KEYWORD [ARG] [VALUE...]" for each of C's. */
static void cmd_keywords(const struct hc_object *o, const struct hc_cmd *c,
			 const char *name)
{
	const struct hc_arg_kw *k;
	const struct hc_kw *v;
	size_t i;

	if (c->name)
		printf("command %s %s\n", o->name, name);
	for (i = 0; i < HC_CMD_KWS && c->kws[i]; i++) {
		for (k = c->kws[i]; k->kw; k++) {
			printf("keyword %s %s %s", o->name, name, k->kw);
			if (k->arg)
				printf(" %s", k->arg);
			for (v = k->vals; v && v->name; v++)
				printf(" %s", v->name);
			putchar('\n');
		}
	}
}

/*
 * Not in the help: the table for tests/tool/cli-words.py, one line
 * each: "option -C --NAME [ARG]", "object OBJECT", "command OBJECT
 * COMMAND" (an alias is a command too), and the keywords a command takes,
 * "-" for the COMMAND of an object whose words follow it: ARG in capitals,
 * then the words it takes.
 */
static void print_keywords(void)
{
	const struct hc_object *o;
	const struct hc_cmd *c;
	size_t i;

	for (i = 0; i < N_OPTIONS; i++)
		printf("option -%c --%s%s%s\n", options[i].c, options[i].name,
		       options[i].arg ? " " : "",
		       options[i].arg ? options[i].arg : "");

	for (o = objects; o < objects + N_OBJECTS; o++) {
		printf("object %s\n", o->name);
		for (c = o->cmds; c->fn; c++) {
			cmd_keywords(o, c, c->name ? c->name : "-");
			if (c->alias)
				cmd_keywords(o, c, c->alias);
		}
	}
}

static int cmd_help(struct hc_args *a)
{
	if (a->argc == 1 && !strcmp(a->argv[0], "--keywords"))
		print_keywords();
	else
		usage(stdout);
	return 0;
}

static bool cmd_is(const struct hc_cmd *c, const char *word)
{
	return !strcmp(word, c->name) || (c->alias && !strcmp(word, c->alias));
}

int hc_run(int argc, char **argv)
{
	struct hc_args a = { argc - 1, argv + 1 };
	const struct hc_object *o;
	const struct hc_cmd *c;

	for (o = objects; o < objects + N_OBJECTS; o++)
		if (!strcmp(argv[0], o->name))
			break;
	if (o == objects + N_OBJECTS && !strcmp(argv[0], "daemon"))
		return hc_daemon_alias(argc, argv);
	if (o == objects + N_OBJECTS) {
		hc_err("unknown object \"%s\" (try \"xfrm-hc help\")",
		       argv[0]);
		return 1;
	}
	/* "help help" is help too. */
	if (argc > 1 && !strcmp(argv[1], "help") && o->cmds->fn != cmd_help) {
		object_usage(o);
		return 0;
	}
	if (!o->cmds->name)
		return o->cmds->fn(&a) ? 1 : 0;
	if (a.argc)
		hc_arg_skip(&a);	/* the COMMAND */
	for (c = o->cmds; c->fn; c++)
		if (argc < 2 ? c->dflt : cmd_is(c, argv[1]))
			return c->fn(&a) ? 1 : 0;
	hc_err("%s: unknown command \"%s\" (try \"xfrm-hc %s help\")",
	       o->name, argv[1], o->name);
	return 1;
}

int main(int argc, char **argv)
{
	/* "+": options end at OBJECT, so commands may take "-" arguments. */
	char short_opts[2 * N_OPTIONS + 2] = "+";
	struct option long_opts[N_OPTIONS + 1] = {};
	size_t i, n = 1;
	int c;

	for (i = 0; i < N_OPTIONS; i++) {
		long_opts[i].name = options[i].name;
		long_opts[i].has_arg = options[i].arg ? required_argument :
							no_argument;
		long_opts[i].val = options[i].c;
		short_opts[n++] = options[i].c;
		if (options[i].arg)
			short_opts[n++] = ':';
	}
	while ((c = getopt_long(argc, argv, short_opts, long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'j':
			hc_opts.json = true;
			break;
		case 'p':
			hc_opts.pretty = true;
			break;
		case 'n':
			hc_opts.netns = optarg;
			break;
		case 'b':
			hc_opts.batch = optarg;
			break;
		case 'V':
			printf("xfrm-hc %s\n", XFRM_HC_TOOL_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	argc -= optind;
	argv += optind;
	if (hc_opts.batch) {
		if (argc > 0) {
			hc_err("-b %s: unexpected argument \"%s\"",
			       hc_opts.batch, argv[0]);
			return 1;
		}
		if (hc_opts.netns && hc_enter_netns(hc_opts.netns))
			return 1;
		return hc_batch(hc_opts.batch);
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[0], "help"))
		return hc_run(argc, argv);
	if (hc_opts.netns && hc_enter_netns(hc_opts.netns))
		return 1;
	return hc_run(argc, argv);
}
