// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hcd [OPTIONS]: the service. It listens to the module's events and
 * acts on them: deletes the SAs of dead peers (--teardown), runs a hook
 * for each event (--hook), keeps a metrics file (--metrics-file). It logs
 * one line per event and action on stdout, text or JSON (-j).
 * The commands, events and metrics of the tool, xfrm-hc, are its library's
 * (tools/lib); only the service lives here.
 */

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common.h"
#include "parse.h"
#include "xfrm-hcd.h"

#define HCD_RATE_DEFAULT 10
#define HCD_RATE_MAX 100000
#define HCD_METRICS_INTERVAL_DEFAULT 15
#define HCD_METRICS_INTERVAL_MAX 86400

/* The options: getopt's tables and the help come from here. */
static const struct {
	const char *name;
	char c;
	const char *arg;	/* the value's name, or NULL for none */
	const char *help;
} options[] = {
	{ "teardown", 'T', NULL,
	  "delete the SAs of dead peers (at most --rate a second)" },
	{ "hook", 'H', "CMD", "run CMD through /bin/sh for each event" },
	{ "rate", 'r', "N", "teardowns a second, and the burst (10)" },
	{ "metrics-file", 'm', "PATH",
	  "keep PATH a Prometheus textfile (xfrm-hc metrics)" },
	{ "metrics-interval", 'i', "SECONDS",
	  "rewrite it at least this often (15)" },
	{ "json", 'j', NULL, "JSON lines" },
	{ "pretty", 'p', NULL, "indented JSON (with -j)" },
	{ "netns", 'n', "NAME", "serve network namespace NAME (ip netns)" },
	{ "version", 'V', NULL, "the version" },
	{ "help", 'h', NULL, "this text" },
};

#define N_OPTIONS (sizeof(options) / sizeof(options[0]))

static void usage(FILE *f)
{
	char opt[40];
	size_t i;

	fputs("Usage: xfrm-hcd [OPTIONS]\n"
	      "Acts on the events of the xfrm_hc module until SIGINT or SIGTERM.\n"
	      "Options:\n", f);
	for (i = 0; i < N_OPTIONS; i++) {
		/* The letters of the service's own options are not its words. */
		if (strchr("jpnVh", options[i].c))
			snprintf(opt, sizeof(opt), "-%c, --%s%s%s", options[i].c,
				 options[i].name, options[i].arg ? " " : "",
				 options[i].arg ? options[i].arg : "");
		else
			snprintf(opt, sizeof(opt), "    --%s%s%s",
				 options[i].name, options[i].arg ? " " : "",
				 options[i].arg ? options[i].arg : "");
		fprintf(f, "  %-32s%s\n", opt, options[i].help);
	}
}

int main(int argc, char **argv)
{
	char short_opts[] = "jpn:Vh";
	struct option long_opts[N_OPTIONS + 1] = {};
	struct hcd_config cfg = {
		.rate = HCD_RATE_DEFAULT,
		.metrics_interval = HCD_METRICS_INTERVAL_DEFAULT,
	};
	bool has_interval = false;
	size_t i;
	int c;

	for (i = 0; i < N_OPTIONS; i++) {
		long_opts[i].name = options[i].name;
		long_opts[i].has_arg = options[i].arg ? required_argument :
							no_argument;
		long_opts[i].val = options[i].c;
	}
	/* Given twice, an option's last value counts. */
	while ((c = getopt_long(argc, argv, short_opts, long_opts,
				NULL)) != -1) {
		switch (c) {
		case 'T':
			cfg.teardown = true;
			break;
		case 'H':
			cfg.hook = optarg;
			break;
		case 'r':
			if (hc_parse_range("rate", optarg, 1, HCD_RATE_MAX,
					   &cfg.rate))
				return 1;
			break;
		case 'm':
			cfg.metrics_file = optarg;
			break;
		case 'i':
			if (hc_parse_range("metrics-interval", optarg, 1,
					   HCD_METRICS_INTERVAL_MAX,
					   &cfg.metrics_interval))
				return 1;
			has_interval = true;
			break;
		case 'j':
			hc_opts.json = true;
			break;
		case 'p':
			hc_opts.pretty = true;
			break;
		case 'n':
			hc_opts.netns = optarg;
			break;
		case 'V':
			printf("xfrm-hcd %s\n", XFRM_HC_TOOL_VERSION);
			return 0;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 1;
		}
	}
	if (optind < argc) {
		hc_err("unexpected argument \"%s\"", argv[optind]);
		return 1;
	}
	if (has_interval && !cfg.metrics_file) {
		hc_err("--metrics-interval needs --metrics-file");
		return 1;
	}
	if (hc_opts.netns && hc_enter_netns(hc_opts.netns))
		return 1;
	return hcd_run(&cfg);
}
