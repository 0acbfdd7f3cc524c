/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Output in text or JSON (-j), pretty with -p, as iproute2's json_print.h:
 * each field is printed by one call, print_*(TYPE, KEY, FMT, VALUE), that
 * writes it as "KEY": VALUE in JSON mode and as FMT of VALUE in text mode,
 * so that the text and the JSON of an object come from one list of fields
 * and cannot drift apart.
 */
#ifndef XFRM_HC_TOOL_PRINT_H
#define XFRM_HC_TOOL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attrs.h"

/* Which forms a call prints. */
enum print_type {
	PRINT_ANY,	/* the one of the output mode */
	PRINT_FP,	/* text only: KEY is NULL, or names the field it shows */
	PRINT_JSON,	/* JSON only: a field the text leaves out or implies */
	PRINT_NONE,	/* neither: a field absent in both */
};

/* PRINT_ANY, _FP, _JSON or _NONE, from whether each form shows a field. */
static inline enum print_type print_type(bool text, bool json)
{
	if (text)
		return json ? PRINT_ANY : PRINT_FP;
	return json ? PRINT_JSON : PRINT_NONE;
}

/* Whether output is JSON: -j, or what print_to() chose. */
bool is_json_context(void);

/*
 * Where output goes: FP (NULL: stdout, as the options say), in text or
 * JSON. Returns what it replaces, for print_restore().
 */
struct print_ctx {
	FILE *fp;
	bool json;
	bool pretty;
};

struct print_ctx print_to(FILE *fp, bool json);
void print_restore(struct print_ctx saved);

/*
 * The fields. In text, FMT has one conversion for the value, and its
 * blanks: " misses %u". After print_sep(SEP), the first text printed, if
 * it starts with a blank, starts with SEP instead (any other text forgets
 * SEP): a list of optional words starts a line.
 */
void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *val);
void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int val);
void print_u64(enum print_type t, const char *key, const char *fmt,
	       uint64_t val);
void print_float(enum print_type t, const char *key, const char *fmt,
		 double val);
/* JSON true or false; text FMT (no conversion) when VAL is true. */
void print_flag(enum print_type t, const char *key, const char *fmt,
		bool val);
/* JSON true or false; text FMT of "on" or "off". */
void print_on_off(enum print_type t, const char *key, const char *fmt,
		  bool val);
/* JSON a number; text "1500ms", "2s": as a TIME argument. */
void print_ms(enum print_type t, const char *key, const char *fmt,
	      uint64_t ms);
/* JSON a number; text "850us", "1.2ms", "1.25s". */
void print_us(enum print_type t, const char *key, const char *fmt,
	      uint32_t us);
/* JSON a number; text an age, "312ms", "12.3s", "5m02s", "3h07m". */
void print_age(enum print_type t, const char *key, const char *fmt,
	       uint64_t ms);
/* The address, or ADDR/PLEN, in both. */
void print_addr(enum print_type t, const char *key, const char *fmt,
		const struct hc_addr *a);
/* The name of VAL in KW, in both. */
void print_kw(enum print_type t, const char *key, const char *fmt,
	      const struct hc_kw *kw, unsigned int val);
/* Text alone, with no field: "\n", "\tsa", ... */
void print_text(const char *s);
void print_sep(const char *sep);

/* JSON objects and arrays; nothing in text. KEY is NULL inside arrays. */
void open_json_object(const char *key);
void close_json_object(void);
void open_json_array(const char *key);
void close_json_array(void);
/* Ends a top-level value (JSON: with a newline) and flushes it. */
void print_end(void);

/*
 * For the unit test: called for each field, with its path ("profile.up",
 * "sas.spi"; NULL for text alone) and its type, before it is printed.
 */
extern void (*print_trace)(const char *path, enum print_type t);

/* "interval 1s misses 3 ...": what "defaults set" takes, in text, to F. */
void hc_print_profile_args(FILE *f, const struct hc_profile *p);
/* defaults show: the profile and the echo responder switch. */
void hc_print_defaults(const struct hc_profile *p, bool echo_responder);

/* "prio 10 reqid 1-5 ... interval 1s ...": what "rule add" takes, to F. */
void hc_print_rule_args(FILE *f, const struct hc_rule *r);
/* rule show: that and "matches N" as a line, or a JSON object. */
void hc_print_rule(const struct hc_rule *r);

/* peer show: a block of lines, or a JSON object. */
void hc_print_peer(const struct hc_peer *p);

/* "name N src A dst B dev X interval 1s ...": what "check add" takes. */
void hc_print_check_args(FILE *f, const struct hc_check *c);
/* check show: a block of lines, or a JSON object. */
void hc_print_check(const struct hc_check *c);

/*
 * One event, as one line: text, or a JSON object with -j. Flushed, as the
 * reader is often a pipe.
 */
void hc_print_event(const struct hc_event *ev);
/* The event's JSON line, compact, malloc()ed; NULL without memory. */
char *hc_event_json(const struct hc_event *ev);

/*
 * One SA of a teardown, as a line: RESULT is "deleted", "gone" or
 * "failed" (then with ERROR). Flushed.
 */
void hc_print_teardown(const struct hc_peer *p, const struct hc_sa *sa,
		       const char *result, const char *error);

#endif
