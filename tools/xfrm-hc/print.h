/* SPDX-License-Identifier: GPL-2.0 */
/* Output in text or JSON (-j), pretty with -p. */
#ifndef XFRM_HC_TOOL_PRINT_H
#define XFRM_HC_TOOL_PRINT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "attrs.h"

/*
 * A small streaming JSON writer. KEY is NULL inside arrays and at the top.
 * Objects and arrays nest up to 16 deep.
 */
void json_open(const char *key, char bracket);	/* '{' or '[' */
void json_close(void);
void json_str(const char *key, const char *val);
void json_u64(const char *key, uint64_t val);
void json_bool(const char *key, bool val);
void json_double(const char *key, double val);
/* Ends the current top-level value with a newline and flushes it. */
void json_end(void);

/* "interval 1s misses 3 ...": what "defaults set" takes, for each field set. */
void hc_print_profile_args(FILE *f, const struct hc_profile *p);
void hc_json_profile(const char *key, const struct hc_profile *p);
/* Its fields alone, inside an object the caller opened. */
void hc_json_profile_fields(const struct hc_profile *p);

/* "prio 10 reqid 1-5 ... interval 1s ...": what "rule add" takes. */
void hc_print_rule_args(FILE *f, const struct hc_rule *r);
void hc_json_rule(const char *key, const struct hc_rule *r);

/* A block of lines (peer show), or a JSON object. */
void hc_print_peer(const struct hc_peer *p);
void hc_json_peer(const char *key, const struct hc_peer *p);

/* "name N src A dst B dev X interval 1s ...": what "check add" takes. */
void hc_print_check_args(FILE *f, const struct hc_check *c);
/* A block of lines (check show), or a JSON object. */
void hc_print_check(const struct hc_check *c);
void hc_json_check(const char *key, const struct hc_check *c);

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
