// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc [OPTIONS] OBJECT COMMAND: global options and object dispatch. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xfrm-hc.h"

struct hc_opts hc_opts;
const char *hc_err_where;

void hc_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xfrm-hc: ", stderr);
	if (hc_err_where)
		fprintf(stderr, "%s: ", hc_err_where);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

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

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
	const char *syntax;	/* its commands, one a line */
} objects[] = {
	{ "version", cmd_version,
	  "the tool's and the module's versions, and counters",
	  "xfrm-hc version\n" },
	{ "stats", cmd_stats, "the module's counters in this netns",
	  "xfrm-hc stats\n" },
	{ "defaults", cmd_defaults, "the profile of the default rule, and the base of new rules",
	  "xfrm-hc defaults show\n"
	  "xfrm-hc defaults set [PROFILE] [echo-responder on|off]\n" },
	{ "rule", cmd_rule, "which SAs get which profile",
	  "xfrm-hc rule add [prio P] [reqid A[-B]] [mark M[/MASK]] [if_id N]\n"
	  "                 [remote PREFIX] [family inet|inet6] [PROFILE]\n"
	  "xfrm-hc rule del prio P\n"
	  "xfrm-hc rule { show | list }\n"
	  "xfrm-hc rule flush\n" },
	{ "peer", cmd_peer, "the peers watched, their state and SAs",
	  "xfrm-hc peer { show | list } [remote ADDR] [if_id N]\n" },
	{ "check", cmd_check, "health checks: probes through a tunnel",
	  "xfrm-hc check add name NAME src ADDR dst ADDR\n"
	  "                  [dev IFNAME | if_id N] [SETTINGS]\n"
	  "xfrm-hc check set name NAME [src ADDR dst ADDR]\n"
	  "                  [dev IFNAME | dev none | if_id N] [SETTINGS]\n"
	  "xfrm-hc check del [name] NAME\n"
	  "xfrm-hc check flush\n"
	  "xfrm-hc check { show | list } [[name] NAME]\n" },
	{ "monitor", cmd_monitor, "print peer and check events as they happen",
	  "xfrm-hc monitor [--sync]\n" },
	{ "teardown", cmd_teardown, "delete the SAs of a peer",
	  "xfrm-hc teardown remote ADDR [if_id N]\n" },
	{ "daemon", cmd_daemon, "act on events: teardown, hooks, a metrics file",
	  "xfrm-hc daemon [--teardown] [--hook CMD] [--rate N]\n"
	  "               [--metrics-file PATH [--metrics-interval SECONDS]]\n" },
	{ "metrics", cmd_metrics, "counters, peers and checks for Prometheus",
	  "xfrm-hc metrics\n" },
	{ "save", cmd_save, "print the configuration as a batch file",
	  "xfrm-hc save\n" },
	{ "help", NULL, "this text", "xfrm-hc help\n" },
};

#define N_OBJECTS (sizeof(objects) / sizeof(objects[0]))

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: xfrm-hc [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
		"       xfrm-hc [OPTIONS] -b FILE\n"
		"Options:\n"
		"  -j, --json          JSON output\n"
		"  -p, --pretty        indented JSON (with -j)\n"
		"  -n, --netns NAME    act in network namespace NAME (ip netns)\n"
		"  -b, --batch FILE    run the commands of FILE (- for stdin)\n"
		"  -V, --version       the tool's version, without asking the module\n"
		"  -h, --help          this text\n"
		"\"xfrm-hc OBJECT help\" shows the commands of OBJECT.\n"
		"Objects:\n");
	for (i = 0; i < N_OBJECTS; i++)
		fprintf(f, "  %-10s %s\n", objects[i].name, objects[i].help);
	fputs("Commands:\n", f);
	for (i = 0; i < N_OBJECTS; i++)
		fputs(objects[i].syntax, f);
	fputs(PROFILE_SYNTAX SETTINGS_SYNTAX TIME_SYNTAX, f);
}

/* An object's commands, and the syntax of the words they use. */
static void object_usage(const char *syntax)
{
	bool profile = strstr(syntax, "PROFILE");
	bool settings = strstr(syntax, "SETTINGS");

	fputs(syntax, stdout);
	if (profile)
		fputs(PROFILE_SYNTAX, stdout);
	if (settings)
		fputs(SETTINGS_SYNTAX, stdout);
	if (profile || settings)
		fputs(TIME_SYNTAX, stdout);
}

int hc_run(int argc, char **argv)
{
	size_t i;

	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	for (i = 0; i < N_OBJECTS; i++) {
		if (strcmp(argv[0], objects[i].name))
			continue;
		if (argc > 1 && !strcmp(argv[1], "help")) {
			object_usage(objects[i].syntax);
			return 0;
		}
		return objects[i].fn(argc - 1, argv + 1);
	}
	hc_err("unknown object \"%s\" (try \"xfrm-hc help\")", argv[0]);
	return 1;
}

/* As "ip -n NAME": enter the namespace that ip netns bind-mounted. */
static int enter_netns(const char *name)
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

int main(int argc, char **argv)
{
	static const struct option long_opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "pretty", no_argument, NULL, 'p' },
		{ "netns", required_argument, NULL, 'n' },
		{ "batch", required_argument, NULL, 'b' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	int c;

	/* "+": options end at OBJECT, so commands may take "-" arguments. */
	while ((c = getopt_long(argc, argv, "+jpn:b:Vh", long_opts, NULL)) != -1) {
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
		if (hc_opts.netns && enter_netns(hc_opts.netns))
			return 1;
		return hc_batch(hc_opts.batch);
	}
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[0], "help"))
		return hc_run(argc, argv);
	if (hc_opts.netns && enter_netns(hc_opts.netns))
		return 1;
	return hc_run(argc, argv);
}
