// SPDX-License-Identifier: GPL-2.0
/* JSON output: one value per line, or indented with -p. */

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>

#include "print.h"
#include "xfrm-hc.h"

#define JSON_MAX_DEPTH 16

static char json_closer[JSON_MAX_DEPTH];
static bool json_has_items[JSON_MAX_DEPTH];
static int json_depth;

static void json_indent(void)
{
	int i;

	if (!hc_opts.pretty)
		return;
	putchar('\n');
	for (i = 0; i < json_depth; i++)
		fputs("    ", stdout);
}

static void json_escape(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_key(const char *key)
{
	if (json_depth > 0) {
		if (json_has_items[json_depth])
			putchar(',');
		json_has_items[json_depth] = true;
		json_indent();
	}
	if (key) {
		json_escape(key);
		fputs(hc_opts.pretty ? ": " : ":", stdout);
	}
}

void json_open(const char *key, char bracket)
{
	json_key(key);
	putchar(bracket);
	if (json_depth + 1 >= JSON_MAX_DEPTH)
		return;
	json_depth++;
	json_closer[json_depth] = bracket == '{' ? '}' : ']';
	json_has_items[json_depth] = false;
}

void json_close(void)
{
	bool had_items;

	if (json_depth == 0)
		return;
	had_items = json_has_items[json_depth];
	json_depth--;
	if (had_items)
		json_indent();
	putchar(json_closer[json_depth + 1]);
}

void json_str(const char *key, const char *val)
{
	json_key(key);
	json_escape(val);
}

void json_u64(const char *key, uint64_t val)
{
	json_key(key);
	printf("%" PRIu64, val);
}

void json_end(void)
{
	while (json_depth > 0)
		json_close();
	putchar('\n');
	fflush(stdout);
}
