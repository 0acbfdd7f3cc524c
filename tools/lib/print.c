// SPDX-License-Identifier: GPL-2.0
/*
 * Output: a streaming JSON writer (one value per line, or indented with
 * -p), the print_*() calls that print each field as text or JSON, and the
 * one list of fields of each object: profiles, rules, peers, checks,
 * events and teardowns, shared by every command that shows them.
 */

#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/xfrm_hc.h>

#include "print.h"
#include "common.h"

#define JSON_MAX_DEPTH 16

/* Where output goes; fp NULL: stdout, text or JSON as the options say. */
static struct print_ctx ctx;
static char json_closer[JSON_MAX_DEPTH];
static bool json_has_items[JSON_MAX_DEPTH];
static int json_depth;
/* What text replaces the blank that starts the next text (print_sep()). */
static const char *text_sep;
/* The keys of the objects open, for print_trace's paths. */
static const char *path_keys[JSON_MAX_DEPTH];
static int path_depth;

void (*print_trace)(const char *path, enum print_type t);

bool is_json_context(void)
{
	return ctx.fp ? ctx.json : hc_opts.json;
}

static FILE *out_fp(void)
{
	return ctx.fp ? ctx.fp : stdout;
}

static bool json_pretty(void)
{
	return ctx.fp ? ctx.pretty : hc_opts.pretty;
}

struct print_ctx print_to(FILE *fp, bool json)
{
	struct print_ctx saved = ctx;

	ctx.fp = fp;
	ctx.json = json;
	ctx.pretty = false;
	text_sep = NULL;
	return saved;
}

void print_restore(struct print_ctx saved)
{
	ctx = saved;
	text_sep = NULL;
}

static void json_indent(void)
{
	int i;

	if (!json_pretty())
		return;
	fputc('\n', out_fp());
	for (i = 0; i < json_depth; i++)
		fputs("    ", out_fp());
}

static void json_escape(const char *s)
{
	FILE *f = out_fp();

	fputc('"', f);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void json_key(const char *key)
{
	if (json_depth > 0) {
		if (json_has_items[json_depth])
			fputc(',', out_fp());
		json_has_items[json_depth] = true;
		json_indent();
	}
	if (key) {
		json_escape(key);
		fputs(json_pretty() ? ": " : ":", out_fp());
	}
}

static void json_open(const char *key, char bracket)
{
	json_key(key);
	fputc(bracket, out_fp());
	if (json_depth + 1 >= JSON_MAX_DEPTH)
		return;
	json_depth++;
	json_closer[json_depth] = bracket == '{' ? '}' : ']';
	json_has_items[json_depth] = false;
}

static void json_close(void)
{
	bool had_items;

	if (json_depth == 0)
		return;
	had_items = json_has_items[json_depth];
	json_depth--;
	if (had_items)
		json_indent();
	fputc(json_closer[json_depth + 1], out_fp());
}

/* Text, after the separator print_sep() left, if any. */
static void text_out(const char *s)
{
	FILE *f = out_fp();

	if (text_sep && *s == ' ') {
		fputs(text_sep, f);
		s++;
	}
	text_sep = NULL;
	fputs(s, f);
}

static void __attribute__((format(printf, 1, 2)))
text_printf(const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	text_out(buf);
}

static void trace(const char *key, enum print_type t)
{
	char path[256];
	size_t len = 0;
	int i;

	if (!print_trace)
		return;
	if (!key) {
		print_trace(NULL, t);
		return;
	}
	path[0] = '\0';
	for (i = 0; i < path_depth; i++)
		if (path_keys[i] && len < sizeof(path))
			len += snprintf(path + len, sizeof(path) - len, "%s.",
					path_keys[i]);
	if (len < sizeof(path))
		snprintf(path + len, sizeof(path) - len, "%s", key);
	print_trace(path, t);
}

/* The form a field of type T takes now: 't'ext, 'j'son or none (0). */
static char form(enum print_type t, const char *key)
{
	trace(key, t);
	if (is_json_context())
		return t == PRINT_ANY || t == PRINT_JSON ? 'j' : 0;
	return t == PRINT_ANY || t == PRINT_FP ? 't' : 0;
}

void print_string(enum print_type t, const char *key, const char *fmt,
		  const char *val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		json_escape(val);
		break;
	case 't':
		text_printf(fmt, val);
		break;
	}
}

/* A number in JSON, and TEXT, already formatted, in text. */
static void print_num_str(enum print_type t, const char *key,
			  const char *fmt, uint64_t val, const char *text)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fprintf(out_fp(), "%" PRIu64, val);
		break;
	case 't':
		text_printf(fmt, text);
		break;
	}
}

void print_uint(enum print_type t, const char *key, const char *fmt,
		unsigned int val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fprintf(out_fp(), "%u", val);
		break;
	case 't':
		text_printf(fmt, val);
		break;
	}
}

void print_u64(enum print_type t, const char *key, const char *fmt,
	       uint64_t val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fprintf(out_fp(), "%" PRIu64, val);
		break;
	case 't':
		text_printf(fmt, val);
		break;
	}
}

void print_float(enum print_type t, const char *key, const char *fmt,
		 double val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fprintf(out_fp(), "%.6g", val);
		break;
	case 't':
		text_printf(fmt, val);
		break;
	}
}

void print_flag(enum print_type t, const char *key, const char *fmt,
		bool val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fputs(val ? "true" : "false", out_fp());
		break;
	case 't':
		if (val)
			text_out(fmt);
		break;
	}
}

void print_on_off(enum print_type t, const char *key, const char *fmt,
		  bool val)
{
	switch (form(t, key)) {
	case 'j':
		json_key(key);
		fputs(val ? "true" : "false", out_fp());
		break;
	case 't':
		text_printf(fmt, val ? "on" : "off");
		break;
	}
}

void print_text(const char *s)
{
	if (form(PRINT_FP, NULL))
		text_out(s);
}

void print_sep(const char *sep)
{
	text_sep = sep;
}

static void path_push(const char *key)
{
	if (path_depth < JSON_MAX_DEPTH)
		path_keys[path_depth] = key;
	path_depth++;
}

static void path_pop(void)
{
	if (path_depth > 0)
		path_depth--;
}

void open_json_object(const char *key)
{
	path_push(key);
	if (is_json_context())
		json_open(key, '{');
}

void close_json_object(void)
{
	path_pop();
	if (is_json_context())
		json_close();
}

void open_json_array(const char *key)
{
	path_push(key);
	if (is_json_context())
		json_open(key, '[');
}

void close_json_array(void)
{
	close_json_object();
}

void print_end(void)
{
	if (is_json_context()) {
		while (json_depth > 0)
			json_close();
		fputc('\n', out_fp());
	}
	path_depth = 0;
	text_sep = NULL;
	fflush(out_fp());
}

/* An age for people: "312ms", "12.3s", "5m02s", "3h07m", "2d04h". */
static const char *fmt_age(char *buf, size_t size, uint64_t ms)
{
	uint64_t s = ms / 1000;

	if (ms < 1000)
		snprintf(buf, size, "%" PRIu64 "ms", ms);
	else if (s < 60)
		snprintf(buf, size, "%" PRIu64 ".%" PRIu64 "s", s,
			 ms % 1000 / 100);
	else if (s < 3600)
		snprintf(buf, size, "%" PRIu64 "m%02" PRIu64 "s", s / 60,
			 s % 60);
	else if (s < 86400)
		snprintf(buf, size, "%" PRIu64 "h%02" PRIu64 "m", s / 3600,
			 s % 3600 / 60);
	else
		snprintf(buf, size, "%" PRIu64 "d%02" PRIu64 "h", s / 86400,
			 s % 86400 / 3600);
	return buf;
}

/* A round trip time: "850us", "1.2ms", "1.25s". */
static const char *fmt_us(char *buf, size_t size, uint32_t us)
{
	if (us < 1000)
		snprintf(buf, size, "%uus", us);
	else if (us < 1000000)
		snprintf(buf, size, "%u.%ums", us / 1000, us % 1000 / 100);
	else
		snprintf(buf, size, "%u.%02us", us / 1000000,
			 us % 1000000 / 10000);
	return buf;
}

/* A round trip time in milliseconds, as ping prints it: "0.210". */
static const char *fmt_us_ms(char *buf, size_t size, uint32_t us)
{
	snprintf(buf, size, "%u.%03u", us / 1000, us % 1000);
	return buf;
}

void print_ms(enum print_type t, const char *key, const char *fmt,
	      uint64_t ms)
{
	char buf[24];

	print_num_str(t, key, fmt, ms, hc_fmt_ms(buf, sizeof(buf), ms));
}

void print_us(enum print_type t, const char *key, const char *fmt,
	      uint32_t us)
{
	char buf[24];

	print_num_str(t, key, fmt, us, fmt_us(buf, sizeof(buf), us));
}

/* JSON microseconds; text milliseconds with three decimals. */
static void print_us_ms(enum print_type t, const char *key, const char *fmt,
			uint32_t us)
{
	char buf[24];

	print_num_str(t, key, fmt, us, fmt_us_ms(buf, sizeof(buf), us));
}

void print_age(enum print_type t, const char *key, const char *fmt,
	       uint64_t ms)
{
	char buf[24];

	print_num_str(t, key, fmt, ms, fmt_age(buf, sizeof(buf), ms));
}

void print_addr(enum print_type t, const char *key, const char *fmt,
		const struct hc_addr *a)
{
	char buf[HC_ADDR_STRLEN];

	print_string(t, key, fmt, hc_addr_str(a, buf, sizeof(buf)));
}

void print_kw(enum print_type t, const char *key, const char *fmt,
	      const struct hc_kw *kw, unsigned int val)
{
	print_string(t, key, fmt, hc_kw_name(kw, val));
}

/*
 * The objects, each as one list of fields. Where the text of a view
 * leaves a field out, its call is PRINT_JSON there; where the text says
 * what JSON says by leaving the key out ("never", "default"), a PRINT_FP
 * call with the field's key says it.
 */

#define PF(p, attr) ((p)->set & HC_BIT(XFRM_HC_PROFILE_##attr))

/* The fields set; TEXT: in text too. */
static void profile_fields(const struct hc_profile *p, bool text)
{
#define PT(attr) print_type(text && PF(p, attr), PF(p, attr))
	print_ms(PT(INTERVAL_MS), "interval_ms", " interval %s",
		 p->interval_ms);
	print_uint(PT(MISSES), "misses", " misses %u", p->misses);
	print_uint(PT(UP), "up", " up %u", p->up);
	print_uint(PT(JITTER), "jitter", " jitter %u", p->jitter);
	print_kw(PT(MODE), "mode", " mode %s", hc_kw_mode, p->mode);
	print_kw(PT(ACTION), "action", " action %s", hc_kw_action, p->action);
	print_addr(PT(PROBE_SRC), "probe_src", " probe-src %s", &p->probe_src);
	print_addr(PT(PROBE_DST), "probe_dst", " probe-dst %s", &p->probe_dst);
	print_uint(PT(NATT_KEEPALIVE), "natt_keepalive_s", " natt-keepalive %u",
		   p->natt_keepalive);
#undef PT
}

void hc_print_profile_args(FILE *f, const struct hc_profile *p)
{
	struct print_ctx saved = print_to(f, false);

	print_sep("");
	profile_fields(p, true);
	print_restore(saved);
}

void hc_print_defaults(const struct hc_profile *p, bool echo_responder)
{
	open_json_object(NULL);
	print_sep("");
	profile_fields(p, true);
	print_on_off(PRINT_ANY, "echo_responder", " echo-responder %s",
		     echo_responder);
	print_text("\n");
	close_json_object();
	print_end();
}

#define RF(r, attr) ((r)->set & HC_BIT(XFRM_HC_RULE_##attr))

/* ARGS: the words of rule add (save), without what the kernel counts. */
static void rule_fields(const struct hc_rule *r, bool args)
{
	bool reqid = RF(r, REQID_MIN) || RF(r, REQID_MAX);
	bool range = r->reqid_min != r->reqid_max;

	print_uint(PRINT_ANY, "prio", "prio %u", r->prio);
	/* "reqid A" or "reqid A-B"; B is the largest when only A is set. */
	print_uint(print_type(reqid, RF(r, REQID_MIN)), "reqid_min",
		   " reqid %u", r->reqid_min);
	print_uint(print_type(reqid && range, RF(r, REQID_MAX)), "reqid_max",
		   "-%u", RF(r, REQID_MAX) ? r->reqid_max : UINT32_MAX);
	print_uint(print_type(RF(r, MARK), RF(r, MARK)), "mark", " mark 0x%x",
		   r->mark);
	/* The mask is all ones when not given. */
	print_uint(print_type(RF(r, MARK), RF(r, MARK_MASK)), "mark_mask",
		   "/0x%x", RF(r, MARK_MASK) ? r->mark_mask : 0xffffffff);
	print_uint(print_type(RF(r, IF_ID), RF(r, IF_ID)), "if_id", " if_id %u",
		   r->if_id);
	print_kw(print_type(RF(r, FAMILY), RF(r, FAMILY)), "family",
		 " family %s", hc_kw_family, r->family);
	print_addr(print_type(RF(r, REMOTE), RF(r, REMOTE)), "remote",
		   " remote %s", &r->remote);
	open_json_object("profile");
	profile_fields(&r->profile, true);
	close_json_object();
	print_u64(print_type(!args && RF(r, MATCHES), RF(r, MATCHES)),
		  "matches", " matches %" PRIu64, r->matches);
}

void hc_print_rule_args(FILE *f, const struct hc_rule *r)
{
	struct print_ctx saved = print_to(f, false);

	rule_fields(r, true);
	print_restore(saved);
}

void hc_print_rule(const struct hc_rule *r)
{
	open_json_object(NULL);
	rule_fields(r, false);
	print_text("\n");
	close_json_object();
}

/* What a peer, a check or an event prints as text. */
enum view {
	VIEW_SHOW,	/* peer show, check show: blocks of lines */
	VIEW_EVENT,	/* monitor: one line, what changed */
	VIEW_ARGS,	/* save: the words of check add */
};

#define PEERF(p, attr) ((p)->set & HC_BIT(XFRM_HC_PEER_##attr))

static void sa_fields(const struct hc_sa *sa, bool text)
{
	enum print_type t = print_type(text, true);
	char spi[16];

	snprintf(spi, sizeof(spi), "0x%08x", sa->spi);
	if (text)
		print_text("\tsa");
	print_string(t, "spi", " spi %s", spi);
	print_kw(t, "proto", " proto %s", hc_kw_proto, sa->proto);
	print_kw(t, "dir", " dir %s", hc_kw_dir, sa->dir);
	print_uint(t, "reqid", " reqid %u", sa->reqid);
	print_uint(t, "mark", " mark 0x%x", sa->mark);
	print_uint(t, "mark_mask", "/0x%x", sa->mark_mask);
	print_uint(t, "if_id", " if_id %u", sa->if_id);
	if (text)
		print_text("\n");
}

/* TYPE: the event's, for VIEW_EVENT, which says what changed. */
static void peer_fields(const struct hc_peer *p, enum view v,
			unsigned int type)
{
	bool show = v == VIEW_SHOW;
	bool nat = show && (PEERF(p, ENCAP_SPORT) || PEERF(p, ENCAP_DPORT));
	bool state = show || type == HC_EVENT_STATE;
	bool reason = state || type == XFRM_HC_CMD_PEER_DOWN;
	bool rtt = PEERF(p, RTT_MIN_US);
	unsigned int i;

	print_kw(PRINT_JSON, "family", NULL, hc_kw_family, p->family);
	if (show)
		print_sep("");
	print_addr(PRINT_ANY, "remote", " remote %s", &p->remote);
	if (PEERF(p, LOCAL))
		print_addr(PRINT_ANY, "local", " local %s", &p->local);
	else
		print_string(PRINT_FP, "local", " local %s", "?");
	print_uint(PRINT_ANY, "if_id", " if_id %u", p->if_id);
	print_uint(print_type(nat, PEERF(p, ENCAP_SPORT)), "encap_sport",
		   " nat-t sport %u", p->encap_sport);
	print_uint(print_type(nat, PEERF(p, ENCAP_DPORT)), "encap_dport",
		   " dport %u", p->encap_dport);
	print_kw(print_type(state, true), "state",
		 show ? "\n\tstate %s" : " state %s", hc_kw_state, p->state);
	print_kw(print_type(reason, true), "reason", " reason %s",
		 hc_kw_reason, p->reason);
	print_uint(print_type(PEERF(p, DETECT_MS), PEERF(p, DETECT_MS)),
		   "detect_ms", " detect %ums", p->detect_ms);
	print_kw(print_type(PEERF(p, PROBE_METHOD), PEERF(p, PROBE_METHOD)),
		 "probe", " probe %s", hc_kw_probe_method, p->probe_method);
	if (PEERF(p, RULE_PRIO))
		print_uint(print_type(show, true), "rule_prio", " rule %u",
			   p->rule_prio);
	else
		print_string(print_type(show, false), "rule_prio", " rule %s",
			     "default");
	if (PEERF(p, PROFILE)) {
		open_json_object("profile");
		if (show)
			print_sep("\n\t");
		profile_fields(&p->profile, show);
		close_json_object();
	}
	print_u64(print_type(show, true), "in_packets", "\n\tpackets in %" PRIu64,
		  p->in_packets);
	print_u64(print_type(show, true), "out_packets", " out %" PRIu64,
		  p->out_packets);
	print_u64(print_type(show, true), "probes_sent",
		  " probes sent %" PRIu64, p->probes_sent);
	print_u64(print_type(show, true), "probes_answered",
		  " answered %" PRIu64, p->probes_answered);
	print_u64(print_type(show && PEERF(p, NATT_KEEPALIVES),
			     PEERF(p, NATT_KEEPALIVES)),
		  "natt_keepalives", " natt-keepalives %" PRIu64,
		  p->natt_keepalives);
	print_us(print_type(show && rtt, rtt), "rtt_min_us", "\n\trtt min %s",
		 p->rtt_min_us);
	print_us(print_type(show && rtt, rtt), "rtt_avg_us", " avg %s",
		 p->rtt_avg_us);
	print_us(print_type(show && rtt, rtt), "rtt_max_us", " max %s",
		 p->rtt_max_us);
	if (PEERF(p, LAST_CHANGE_MS))
		print_age(print_type(show, true), "last_change_ms",
			  "\n\tlast change %s ago", p->last_change_ms);
	else
		print_string(print_type(show, false), "last_change_ms",
			     "\n\tlast change %s", "never");
	if (PEERF(p, LAST_IN_MS))
		print_age(print_type(show, true), "last_in_ms",
			  " last inbound %s ago", p->last_in_ms);
	else
		print_string(print_type(show, false), "last_in_ms",
			     " last inbound %s", "never");
	if (show)
		print_text("\n");
	/* An event counts the SAs; JSON lists them. */
	print_uint(print_type(!show, false), "sas", " sas %u", p->n_sas);
	open_json_array("sas");
	for (i = 0; i < p->n_sas; i++) {
		open_json_object(NULL);
		sa_fields(&p->sas[i], show);
		close_json_object();
	}
	close_json_array();
}

void hc_print_peer(const struct hc_peer *p)
{
	open_json_object(NULL);
	peer_fields(p, VIEW_SHOW, 0);
	close_json_object();
}

#define CF(c, attr) HC_CHECK_HAS(c, attr)

/* TYPE: the event's, for VIEW_EVENT. */
static void check_fields(const struct hc_check *c, enum view v,
			 unsigned int type)
{
	bool show = v == VIEW_SHOW, args = v == VIEW_ARGS;
	bool dev = c->ifindex && c->ifname[0];
	bool rtt = show && CF(c, RTT_MIN_US);
	/* Lost of the probes that got a verdict, in percent. */
	double loss = 100.0 * hc_check_loss_ratio(c);

#define CT(text, attr) print_type((text) && CF(c, attr), CF(c, attr))
	print_string(PRINT_ANY, "name",
		     args ? "name %s" : show ? "check %s" : " %s", c->name);
	/* Where it probes: the words add takes. */
	print_addr(CT(true, SRC), "src", " src %s", &c->src);
	print_addr(CT(true, DST), "dst", " dst %s", &c->dst);
	print_string(print_type(dev, CF(c, IFNAME)), "dev", " dev %s",
		     c->ifname);
	print_uint(print_type(!dev && c->ifindex, CF(c, IFINDEX)), "ifindex",
		   " ifindex %u", c->ifindex);
	print_uint(CT(!c->ifindex, IF_ID), "if_id", " if_id %u", c->if_id);
	print_kw(print_type(show || type == HC_EVENT_CHECK_STATE, true),
		 "state", " state %s", hc_kw_check_state, c->state);
	print_flag(print_type(!args, true), "flapping", " flapping",
		   c->flapping);
	print_ms(CT(show && c->flapping, CUR_INTERVAL_MS), "cur_interval_ms",
		 " (interval %s)", c->cur_interval_ms);
	/* The settings the kernel reported, on a line of their own. */
	if (show)
		print_sep("\n\t");
	print_ms(CT(show || args, INTERVAL_MS), "interval_ms", " interval %s",
		 c->interval_ms);
	print_uint(CT(show || args, MISSES), "misses", " misses %u",
		   c->misses);
	print_uint(CT(show || args, UP), "up", " up %u", c->up);
	/* 0, the default, is one interval: nothing to say. */
	print_ms(CT((show || args) && c->timeout_ms, TIMEOUT_MS),
		 "timeout_ms", " timeout %s", c->timeout_ms);
	print_kw(CT(show || args, MODE), "mode", " mode %s", hc_kw_check_mode,
		 c->mode);
	print_kw(CT(show || args, ACTION), "action", " action %s",
		 hc_kw_action, c->action);
	print_u64(print_type(show, !args), "probes_sent",
		  "\n\tprobes sent %" PRIu64, c->probes_sent);
	print_u64(print_type(show, !args), "probes_answered",
		  " answered %" PRIu64, c->probes_answered);
	print_u64(print_type(show, !args), "probes_lost", " lost %" PRIu64,
		  c->probes_lost);
	print_u64(print_type(show, !args), "probes_skipped",
		  " skipped %" PRIu64, c->probes_skipped);
	print_u64(print_type(show, !args), "send_errors", " errors %" PRIu64,
		  c->send_errors);
	print_float(print_type(show, !args), "loss_pct", " loss %.1f%%", loss);
	/* " rtt min/avg/max/last 0.210/0.300/1.450/0.280 ms" */
	print_us_ms(CT(rtt, RTT_MIN_US), "rtt_min_us",
		    CF(c, RTT_LAST_US) ? " rtt min/avg/max/last %s" :
					 " rtt min/avg/max %s", c->rtt_min_us);
	print_us_ms(print_type(rtt, CF(c, RTT_AVG_US)), "rtt_avg_us", "/%s",
		    c->rtt_avg_us);
	print_us_ms(print_type(rtt, CF(c, RTT_MAX_US)), "rtt_max_us", "/%s",
		    c->rtt_max_us);
	print_us_ms(CT(rtt, RTT_LAST_US), "rtt_last_us", "/%s",
		    c->rtt_last_us);
	if (rtt)
		print_text(" ms");
	print_u64(print_type(show, !args), "transitions",
		  "\n\ttransitions %" PRIu64, c->transitions);
	if (CF(c, LAST_CHANGE_MS))
		print_age(print_type(show, true), "last_change_ms",
			  " last change %s ago", c->last_change_ms);
	else
		print_string(print_type(show, false), "last_change_ms",
			     " last change %s", "never");
	print_uint(CT(!args, DETECT_MS), "detect_ms", " detect %ums",
		   c->detect_ms);
	if (show)
		print_text("\n");
#undef CT
}

void hc_print_check_args(FILE *f, const struct hc_check *c)
{
	struct print_ctx saved = print_to(f, false);

	check_fields(c, VIEW_ARGS, 0);
	print_restore(saved);
}

void hc_print_check(const struct hc_check *c)
{
	open_json_object(NULL);
	check_fields(c, VIEW_SHOW, 0);
	close_json_object();
}

static void event_fields(const struct hc_event *ev)
{
	open_json_object(NULL);
	print_string(PRINT_ANY, "event", "%s", hc_event_name(ev->type));
	print_uint(print_type(false, ev->has_generation), "generation", NULL,
		   ev->generation);
	if (hc_event_is_check(ev)) {
		open_json_object("check");
		check_fields(&ev->check, VIEW_EVENT, ev->type);
		close_json_object();
	} else if (ev->type != HC_EVENT_RESYNC) {
		open_json_object("peer");
		peer_fields(&ev->peer, VIEW_EVENT, ev->type);
		close_json_object();
	}
	print_text("\n");
	close_json_object();
	print_end();
}

void hc_print_event(const struct hc_event *ev)
{
	event_fields(ev);
}

char *hc_event_json(const struct hc_event *ev)
{
	struct print_ctx saved;
	char *buf = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	saved = print_to(f, true);
	event_fields(ev);
	print_restore(saved);
	fclose(f);
	/* The line without its newline, for an environment variable. */
	if (buf && len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

void hc_print_teardown(const struct hc_peer *p, const struct hc_sa *sa,
		       const char *result, const char *error)
{
	char spi[16];

	snprintf(spi, sizeof(spi), "0x%08x", sa->spi);
	open_json_object(NULL);
	print_string(PRINT_ANY, "action", "%s", "teardown");
	print_addr(PRINT_ANY, "remote", " remote %s", &p->remote);
	print_addr(PRINT_ANY, "local", " local %s", &p->local);
	print_uint(PRINT_ANY, "if_id", " if_id %u", p->if_id);
	print_string(PRINT_ANY, "spi", " sa spi %s", spi);
	print_kw(PRINT_ANY, "proto", " proto %s", hc_kw_proto, sa->proto);
	print_kw(PRINT_ANY, "dir", " dir %s", hc_kw_dir, sa->dir);
	print_string(PRINT_ANY, "result", ": %s", result);
	if (error)
		print_string(PRINT_ANY, "error", " (%s)", error);
	print_text("\n");
	close_json_object();
	print_end();
}
