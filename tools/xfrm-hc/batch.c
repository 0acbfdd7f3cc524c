// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc -b FILE: each line a command, as on the command line; and
 * xfrm-hc save, which prints the live configuration (defaults, rules,
 * checks) as such a file.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "attrs.h"
#include "dumps.h"
#include "print.h"
#include "xfrm-hc.h"

#define BATCH_MAX_ARGS 64

/*
 * Splits LINE in place into words: blanks separate them, '...' and "..."
 * quote (\" and \\ within double quotes), a backslash outside quotes
 * escapes the next character. Returns the number of words, or -1.
 */
static int split(char *line, char **argv)
{
	char *r = line, *w = line;
	int argc = 0;
	char quote;

	for (;;) {
		while (*r == ' ' || *r == '\t' || *r == '\r' || *r == '\n')
			r++;
		if (!*r)
			return argc;
		if (argc == BATCH_MAX_ARGS) {
			hc_err("more than %d words", BATCH_MAX_ARGS);
			return -1;
		}
		argv[argc++] = w;
		quote = 0;
		for (; *r; r++) {
			if (quote) {
				if (*r == quote) {
					quote = 0;
					continue;
				}
				if (quote == '"' && *r == '\\' &&
				    (r[1] == '"' || r[1] == '\\'))
					r++;
			} else if (*r == '\'' || *r == '"') {
				quote = *r;
				continue;
			} else if (*r == ' ' || *r == '\t' || *r == '\r' ||
				   *r == '\n') {
				break;
			} else if (*r == '\\' && r[1]) {
				r++;
			}
			*w++ = *r;
		}
		if (quote) {
			hc_err("unterminated %c quote", quote);
			return -1;
		}
		if (*r)
			r++;
		*w++ = '\0';
	}
}

int hc_batch(const char *file)
{
	FILE *f;
	int rc;

	f = strcmp(file, "-") ? fopen(file, "r") : stdin;
	if (!f) {
		hc_err("cannot open batch file \"%s\": %s", file,
		       strerror(errno));
		return 1;
	}
	rc = hc_batch_stream(f, file);
	if (f != stdin)
		fclose(f);
	return rc;
}

int hc_batch_stream(FILE *f, const char *file)
{
	char *argv[BATCH_MAX_ARGS + 1];
	char where[512];
	size_t size = 0;
	char *line = NULL;
	unsigned int n = 0;
	int rc = 0;
	int argc;

	hc_err_where = where;
	while (getline(&line, &size, f) > 0) {
		n++;
		snprintf(where, sizeof(where), "%s:%u", file, n);
		argc = split(line, argv);
		if (argc < 0) {
			rc = 1;
			break;
		}
		if (!argc || argv[0][0] == '#')
			continue;
		argv[argc] = NULL;
		rc = hc_run(argc, argv);
		fflush(stdout);
		if (rc)
			break;
	}
	if (!rc && ferror(f)) {
		hc_err("%s", strerror(errno));
		rc = 1;
	}
	hc_err_where = NULL;
	free(line);
	return rc;
}

static int save_rule(const struct hc_rule *r, void *arg)
{
	fputs("rule add ", stdout);
	hc_print_rule_args(stdout, r);
	putchar('\n');
	return 0;
}

static int save_check(const struct hc_event *ev, void *arg)
{
	fputs("check add ", stdout);
	hc_print_check_args(stdout, &ev->check);
	putchar('\n');
	return 0;
}

int cmd_save(struct hc_args *a)
{
	struct hc_profile p;
	struct hc_nl nl;
	int err, responder;

	if (a->argc > 0) {
		hc_err("save: unexpected argument \"%s\"", a->argv[0]);
		return 1;
	}
	if (hc_defaults_get(&p, &responder))
		return 1;
	printf("# xfrm-hc %s save: restore with xfrm-hc -b FILE\n",
	       XFRM_HC_TOOL_VERSION);
	fputs("defaults set ", stdout);
	hc_print_profile_args(stdout, &p);
	printf(" echo-responder %s", responder ? "on" : "off");
	/* A restore replaces the rules, whatever is there. */
	fputs("\nrule flush\n", stdout);
	if (hc_rule_dump(save_rule, NULL))
		return 1;
	/* A restore replaces the checks too. */
	fputs("check flush\n", stdout);
	if (hc_nl_open(&nl))
		return 1;
	err = hc_check_dump(&nl, NULL, save_check, NULL);
	hc_nl_close(&nl);
	if (err < 0)
		return 1;
	fflush(stdout);
	return 0;
}
