// SPDX-License-Identifier: GPL-2.0
/* xfrm-hc [OPTIONS] OBJECT COMMAND: global options and object dispatch. */

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "xfrm-hc.h"

struct hc_opts hc_opts;

void hc_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs("xfrm-hc: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static const struct {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *help;
} objects[] = {
	{ "version", cmd_version, "the tool's and the module's versions, and counters" },
};

static void usage(FILE *f)
{
	size_t i;

	fprintf(f,
		"Usage: xfrm-hc [OPTIONS] OBJECT [COMMAND [ARGS]]\n"
		"Options:\n"
		"  -j, --json          JSON output\n"
		"  -p, --pretty        indented JSON (with -j)\n"
		"  -n, --netns NAME    act in network namespace NAME (ip netns)\n"
		"  -V, --version       the tool's version, without asking the module\n"
		"  -h, --help          this text\n"
		"Objects:\n");
	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		fprintf(f, "  %-10s %s\n", objects[i].name, objects[i].help);
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
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{}
	};
	size_t i;
	int c;

	/* "+": options end at OBJECT, so commands may take "-" arguments. */
	while ((c = getopt_long(argc, argv, "+jpn:Vh", long_opts, NULL)) != -1) {
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
	if (argc < 1) {
		usage(stderr);
		return 1;
	}
	if (!strcmp(argv[0], "help")) {
		usage(stdout);
		return 0;
	}
	if (hc_opts.netns && enter_netns(hc_opts.netns))
		return 1;

	for (i = 0; i < sizeof(objects) / sizeof(objects[0]); i++)
		if (!strcmp(argv[0], objects[i].name))
			return objects[i].fn(argc - 1, argv + 1);

	hc_err("unknown object \"%s\" (try \"xfrm-hc help\")", argv[0]);
	return 1;
}
