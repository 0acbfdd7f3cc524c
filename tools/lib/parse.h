/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Parsing of command line words, shared by every command and the batch
 * reader: times, numbers, addresses, prefixes, keywords. Every function
 * that can fail prints "xfrm-hc: invalid WHAT "WORD": expected ..." and
 * returns -1.
 */
#ifndef XFRM_HC_TOOL_PARSE_H
#define XFRM_HC_TOOL_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct hc_addr {
	uint8_t family;		/* AF_INET or AF_INET6; 0 when unset */
	uint8_t len;		/* 4 or 16 */
	uint8_t plen;		/* prefix length; len * 8 for an address */
	uint8_t b[16];
};

/* Enough for an IPv6 address, "/128" and the terminating NUL. */
#define HC_ADDR_STRLEN 50

/* A keyword table, ended by a NULL name. */
struct hc_kw {
	const char *name;
	unsigned int val;
};

extern const struct hc_kw hc_kw_mode[];
extern const struct hc_kw hc_kw_action[];
/* The actions of a profile: hc_kw_action without failover, for checks. */
extern const struct hc_kw hc_kw_profile_action[];
extern const struct hc_kw hc_kw_state[];
extern const struct hc_kw hc_kw_reason[];
extern const struct hc_kw hc_kw_probe_method[];
extern const struct hc_kw hc_kw_family[];
extern const struct hc_kw hc_kw_dir[];
extern const struct hc_kw hc_kw_proto[];
extern const struct hc_kw hc_kw_check_mode[];
extern const struct hc_kw hc_kw_check_state[];
extern const struct hc_kw hc_kw_on_off[];

/* The name of VAL in KW, or "unknown-VAL" (in a static buffer). */
const char *hc_kw_name(const struct hc_kw *kw, unsigned int val);
int hc_parse_kw(const char *what, const char *s, const struct hc_kw *kw,
		unsigned int *val);

/* "100ms", "1s", "1.5s", or a plain number of milliseconds. */
int hc_parse_time(const char *what, const char *s, uint32_t *ms);
/* The same, from MIN to MAX milliseconds. */
int hc_parse_time_range(const char *what, const char *s, uint32_t min,
			uint32_t max, uint32_t *ms);
/* A time in milliseconds as hc_parse_time() reads it back: "2s", "1500ms". */
const char *hc_fmt_ms(char *buf, size_t size, uint64_t ms);
/* "20" or "20s": whole seconds from 0 to MAX. */
int hc_parse_seconds(const char *what, const char *s, uint32_t max,
		     uint32_t *val);
/* A number from MIN to MAX, decimal or 0x hexadecimal. */
int hc_parse_range(const char *what, const char *s, uint32_t min,
		   uint32_t max, uint32_t *val);
/* From 0 to MAX, and from 0 to UINT32_MAX. */
int hc_parse_uint(const char *what, const char *s, uint32_t max,
		  uint32_t *val);
int hc_parse_u32(const char *what, const char *s, uint32_t *val);
/* An IPv4 or IPv6 address, or ADDR[/PLEN]. */
int hc_parse_addr(const char *what, const char *s, struct hc_addr *a);
int hc_parse_prefix(const char *what, const char *s, struct hc_addr *a);

/* ADDR, or ADDR/PLEN when A's plen is shorter than the address. */
const char *hc_addr_str(const struct hc_addr *a, char *buf, size_t size);

/*
 * The words of a command after its COMMAND. Handlers walk them with
 * hc_arg_value(), which consumes a keyword and its value.
 */
struct hc_args {
	int argc;
	char **argv;
};

static inline const char *hc_arg_peek(const struct hc_args *a)
{
	return a->argc > 0 ? a->argv[0] : NULL;
}

static inline void hc_arg_skip(struct hc_args *a)
{
	a->argc--;
	a->argv++;
}

/* Consumes "KEYWORD VALUE" and returns VALUE, or prints what is missing. */
const char *hc_arg_value(struct hc_args *a);

/*
 * A keyword, the attribute it sets, and its value as the help names it:
 * ARG a value of the user's ("TIME"), VALS the words it takes, or both
 * ("dev IFNAME" or "dev none"). With neither, the keyword is a flag and
 * takes no value. The command table in main.c lists these tables, so what
 * the parsers accept is what the help and its tests see.
 */
struct hc_arg_kw {
	const char *kw;
	int attr;		/* > 0 */
	const char *arg;
	const struct hc_kw *vals;
};

/* The entry of KWS (ended by a NULL kw) for WORD, or NULL. */
const struct hc_arg_kw *hc_arg_find(const struct hc_arg_kw *kws,
				    const char *word);

/*
 * If the next word is a keyword of KWS, consumes it and its value into
 * *VAL (NULL for a flag) and returns its attribute; returns 0 for another
 * word, and -1 after printing why: the value is missing, or the keyword's
 * attribute is already in SET (a mask of HC_BIT()s).
 */
int hc_arg_kw(struct hc_args *a, const struct hc_arg_kw *kws, uint64_t set,
	      const char **val);

/* The keywords of a profile, of a check's settings, of check add and set. */
extern const struct hc_arg_kw hc_profile_kws[];
extern const struct hc_arg_kw hc_check_settings_kws[];
extern const struct hc_arg_kw hc_check_add_kws[];
extern const struct hc_arg_kw hc_check_set_kws[];
/* "name NAME" of check del and show. */
extern const struct hc_arg_kw hc_check_name_kws[];

struct hc_profile;

/*
 * If the next word is a profile keyword (interval, misses, up, jitter,
 * mode, action, probe-src, probe-dst, natt-keepalive), consumes it and its
 * value into P and returns 1; returns 0 for another word, -1 after
 * printing an error.
 */
int hc_parse_profile_arg(struct hc_args *a, struct hc_profile *p);
/* probe-src and probe-dst: both or neither, of one family. */
int hc_profile_check(const struct hc_profile *p);

struct hc_check;

/* A check's name: 1 to HC_CHECK_NAME_LEN - 1 of [A-Za-z0-9_.-]. */
int hc_parse_check_name(const char *s, char *name, size_t size);
/*
 * The words of "check add" (ADD) or "check set" after the command, into C
 * (cleared first): every keyword once, "dev IFNAME" resolved to its index
 * here, then what the command needs as a whole. Returns 0, or -1 after
 * printing why.
 */
int hc_parse_check(struct hc_args *a, struct hc_check *c, bool add);

/* Prints 'WHERE: unexpected argument "WORD"' and returns -1. */
int hc_arg_unexpected(const char *where, const char *word);

#endif
