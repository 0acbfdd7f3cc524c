// SPDX-License-Identifier: GPL-2.0
/*
 * xfrm-hc check add|set|del|flush|show: named health checks, probes from an
 * inner source to an inner destination through a tunnel.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/xfrm_hc.h>

#include "attrs.h"
#include "dumps.h"
#include "genl.h"
#include "print.h"
#include "xfrm-hc.h"

static int put_check(struct nl_msg *msg, const void *c)
{
	return hc_check_put(msg, c);
}

int cmd_check_add(struct hc_args *a)
{
	struct hc_check c;

	if (hc_parse_check(a, &c, true))
		return -1;
	return hc_nl_do(XFRM_HC_CMD_CHECK_ADD, 0, "check add", put_check, &c,
			NULL, NULL);
}

int cmd_check_set(struct hc_args *a)
{
	struct hc_check c;

	if (hc_parse_check(a, &c, false))
		return -1;
	return hc_nl_do(XFRM_HC_CMD_CHECK_SET, 0, "check set", put_check, &c,
			NULL, NULL);
}

/*
 * "name NAME" or NAME, and nothing after it, into C. Returns 1 if there
 * was a name, 0 if there were no words, -1 after printing why.
 */
static int parse_name(struct hc_args *a, struct hc_check *c,
		      const char *where)
{
	const char *val;

	memset(c, 0, sizeof(*c));
	if (!a->argc)
		return 0;
	if (!strcmp(a->argv[0], "name")) {
		val = hc_arg_value(a);
		if (!val)
			return -1;
	} else {
		val = a->argv[0];
		hc_arg_skip(a);
	}
	if (hc_parse_check_name(val, c->name, sizeof(c->name)))
		return -1;
	if (a->argc)
		return hc_arg_unexpected(where, a->argv[0]);
	c->set = HC_BIT(XFRM_HC_CHECK_NAME);
	return 1;
}

int cmd_check_del(struct hc_args *a)
{
	struct hc_check c;
	int err;

	err = parse_name(a, &c, "check del");
	if (err < 0)
		return -1;
	if (!err) {
		hc_err("check del: which check? (check del name NAME)");
		return -1;
	}
	return hc_nl_do(XFRM_HC_CMD_CHECK_DEL, 0, "check del", put_check, &c,
			NULL, NULL);
}

/* The names of the checks of a dump, to act on once it is over. */
struct name_list {
	char (*names)[HC_CHECK_NAME_LEN];
	size_t n, size;
};

static int collect_name(const struct hc_event *ev, void *arg)
{
	struct name_list *l = arg;

	if (l->n == l->size) {
		size_t size = l->size ? 2 * l->size : 16;
		void *p = realloc(l->names, size * sizeof(*l->names));

		if (!p) {
			hc_err("check flush: out of memory");
			return -1;
		}
		l->names = p;
		l->size = size;
	}
	snprintf(l->names[l->n++], sizeof(*l->names), "%s", ev->check.name);
	return 0;
}

/* The kernel has no flush of checks: delete each one a dump lists. */
int cmd_check_flush(struct hc_args *a)
{
	struct name_list l = {};
	struct hc_check c;
	struct hc_nl nl;
	int err;
	size_t i;

	if (a->argc)
		return hc_arg_unexpected("check flush", a->argv[0]);
	if (hc_nl_open(&nl))
		return -1;
	err = hc_check_dump(&nl, NULL, collect_name, &l);
	hc_nl_close(&nl);
	for (i = 0; err >= 0 && i < l.n; i++) {
		memset(&c, 0, sizeof(c));
		snprintf(c.name, sizeof(c.name), "%s", l.names[i]);
		c.set = HC_BIT(XFRM_HC_CHECK_NAME);
		err = hc_nl_do(XFRM_HC_CMD_CHECK_DEL, 0, "check flush", put_check,
			       &c, NULL, NULL);
	}
	free(l.names);
	return err < 0 ? -1 : 0;
}

static int show_one(const struct hc_event *ev, void *arg)
{
	int *n = arg;

	/* Text: a blank line between blocks. */
	if ((*n)++)
		print_text("\n");
	hc_print_check(&ev->check);
	return 0;
}

int cmd_check_show(struct hc_args *a)
{
	struct hc_check c;
	struct hc_nl nl;
	int n = 0;
	int err;

	err = parse_name(a, &c, "check show");
	if (err < 0)
		return -1;
	if (hc_nl_open(&nl))
		return -1;
	open_json_array(NULL);
	err = hc_check_dump(&nl, err ? c.name : NULL, show_one, &n);
	close_json_array();
	print_end();
	hc_nl_close(&nl);
	return err < 0 ? -1 : 0;
}
