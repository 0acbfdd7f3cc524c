// SPDX-License-Identifier: GPL-2.0
/*
 * Output: a streaming JSON writer (one value per line, or indented with
 * -p), and the text and JSON forms of profiles, rules, peers, checks and
 * events, shared by every command that shows them.
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
#include "xfrm-hc.h"

#define JSON_MAX_DEPTH 16

static char json_closer[JSON_MAX_DEPTH];
static bool json_has_items[JSON_MAX_DEPTH];
static int json_depth;
/* Where JSON goes: stdout, or a string for hooks (then never pretty). */
static FILE *json_fp;
static bool json_pretty;

static FILE *json_out(void)
{
	if (!json_fp) {
		json_fp = stdout;
		json_pretty = hc_opts.pretty;
	}
	return json_fp;
}

static void json_indent(void)
{
	int i;

	if (!json_pretty)
		return;
	fputc('\n', json_fp);
	for (i = 0; i < json_depth; i++)
		fputs("    ", json_fp);
}

static void json_escape(const char *s)
{
	fputc('"', json_fp);
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			fprintf(json_fp, "\\%c", c);
		else if (c < 0x20)
			fprintf(json_fp, "\\u%04x", c);
		else
			fputc(c, json_fp);
	}
	fputc('"', json_fp);
}

static void json_key(const char *key)
{
	json_out();
	if (json_depth > 0) {
		if (json_has_items[json_depth])
			fputc(',', json_fp);
		json_has_items[json_depth] = true;
		json_indent();
	}
	if (key) {
		json_escape(key);
		fputs(json_pretty ? ": " : ":", json_fp);
	}
}

void json_open(const char *key, char bracket)
{
	json_key(key);
	fputc(bracket, json_fp);
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
	fputc(json_closer[json_depth + 1], json_fp);
}

void json_str(const char *key, const char *val)
{
	json_key(key);
	json_escape(val);
}

void json_u64(const char *key, uint64_t val)
{
	json_key(key);
	fprintf(json_fp, "%" PRIu64, val);
}

void json_bool(const char *key, bool val)
{
	json_key(key);
	fputs(val ? "true" : "false", json_fp);
}

void json_double(const char *key, double val)
{
	json_key(key);
	fprintf(json_fp, "%.6g", val);
}

void json_end(void)
{
	json_out();
	while (json_depth > 0)
		json_close();
	fputc('\n', json_fp);
	fflush(json_fp);
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

/*
 * Prints FMT after a blank, but the first word of a line: *SEP is "" until
 * then, " " after.
 */
static void __attribute__((format(printf, 3, 4)))
word(FILE *f, const char **sep, const char *fmt, ...)
{
	va_list ap;

	fputs(*sep, f);
	*sep = " ";
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
}

#define PF(p, attr) ((p)->set & HC_BIT(XFRM_HC_PROFILE_##attr))

void hc_print_profile_args(FILE *f, const struct hc_profile *p)
{
	char buf[HC_ADDR_STRLEN];
	const char *sep = "";

	if (PF(p, INTERVAL_MS))
		word(f, &sep, "interval %s",
		     hc_fmt_ms(buf, sizeof(buf), p->interval_ms));
	if (PF(p, MISSES))
		word(f, &sep, "misses %u", p->misses);
	if (PF(p, UP))
		word(f, &sep, "up %u", p->up);
	if (PF(p, JITTER))
		word(f, &sep, "jitter %u", p->jitter);
	if (PF(p, MODE))
		word(f, &sep, "mode %s", hc_kw_name(hc_kw_mode, p->mode));
	if (PF(p, ACTION))
		word(f, &sep, "action %s",
		     hc_kw_name(hc_kw_action, p->action));
	if (PF(p, PROBE_SRC))
		word(f, &sep, "probe-src %s",
		     hc_addr_str(&p->probe_src, buf, sizeof(buf)));
	if (PF(p, PROBE_DST))
		word(f, &sep, "probe-dst %s",
		     hc_addr_str(&p->probe_dst, buf, sizeof(buf)));
	if (PF(p, NATT_KEEPALIVE))
		word(f, &sep, "natt-keepalive %u", p->natt_keepalive);
}

void hc_json_profile(const char *key, const struct hc_profile *p)
{
	json_open(key, '{');
	hc_json_profile_fields(p);
	json_close();
}

void hc_json_profile_fields(const struct hc_profile *p)
{
	char buf[HC_ADDR_STRLEN];

	if (PF(p, INTERVAL_MS))
		json_u64("interval_ms", p->interval_ms);
	if (PF(p, MISSES))
		json_u64("misses", p->misses);
	if (PF(p, UP))
		json_u64("up", p->up);
	if (PF(p, JITTER))
		json_u64("jitter", p->jitter);
	if (PF(p, MODE))
		json_str("mode", hc_kw_name(hc_kw_mode, p->mode));
	if (PF(p, ACTION))
		json_str("action", hc_kw_name(hc_kw_action, p->action));
	if (PF(p, PROBE_SRC))
		json_str("probe_src",
			 hc_addr_str(&p->probe_src, buf, sizeof(buf)));
	if (PF(p, PROBE_DST))
		json_str("probe_dst",
			 hc_addr_str(&p->probe_dst, buf, sizeof(buf)));
	if (PF(p, NATT_KEEPALIVE))
		json_u64("natt_keepalive_s", p->natt_keepalive);
}

#define RF(r, attr) ((r)->set & HC_BIT(XFRM_HC_RULE_##attr))

void hc_print_rule_args(FILE *f, const struct hc_rule *r)
{
	char buf[HC_ADDR_STRLEN];

	fprintf(f, "prio %u", r->prio);
	if (RF(r, REQID_MIN) || RF(r, REQID_MAX)) {
		if (r->reqid_min == r->reqid_max)
			fprintf(f, " reqid %u", r->reqid_min);
		else
			fprintf(f, " reqid %u-%u", r->reqid_min,
				RF(r, REQID_MAX) ? r->reqid_max : UINT32_MAX);
	}
	if (RF(r, MARK))
		fprintf(f, " mark 0x%x/0x%x", r->mark,
			RF(r, MARK_MASK) ? r->mark_mask : 0xffffffff);
	if (RF(r, IF_ID))
		fprintf(f, " if_id %u", r->if_id);
	if (RF(r, FAMILY))
		fprintf(f, " family %s", hc_kw_name(hc_kw_family, r->family));
	if (RF(r, REMOTE))
		fprintf(f, " remote %s",
			hc_addr_str(&r->remote, buf, sizeof(buf)));
	if (r->profile.set) {
		fputc(' ', f);
		hc_print_profile_args(f, &r->profile);
	}
}

void hc_json_rule(const char *key, const struct hc_rule *r)
{
	char buf[HC_ADDR_STRLEN];

	json_open(key, '{');
	json_u64("prio", r->prio);
	if (RF(r, REQID_MIN))
		json_u64("reqid_min", r->reqid_min);
	if (RF(r, REQID_MAX))
		json_u64("reqid_max", r->reqid_max);
	if (RF(r, MARK))
		json_u64("mark", r->mark);
	if (RF(r, MARK_MASK))
		json_u64("mark_mask", r->mark_mask);
	if (RF(r, IF_ID))
		json_u64("if_id", r->if_id);
	if (RF(r, FAMILY))
		json_str("family", hc_kw_name(hc_kw_family, r->family));
	if (RF(r, REMOTE))
		json_str("remote", hc_addr_str(&r->remote, buf, sizeof(buf)));
	hc_json_profile("profile", &r->profile);
	if (RF(r, MATCHES))
		json_u64("matches", r->matches);
	json_close();
}

#define PEERF(p, attr) ((p)->set & HC_BIT(XFRM_HC_PEER_##attr))

static void print_sa(const struct hc_sa *sa)
{
	printf("\tsa spi 0x%08x proto %s dir %s reqid %u mark 0x%x/0x%x if_id %u\n",
	       sa->spi, hc_kw_name(hc_kw_proto, sa->proto),
	       hc_kw_name(hc_kw_dir, sa->dir), sa->reqid, sa->mark,
	       sa->mark_mask, sa->if_id);
}

void hc_print_peer(const struct hc_peer *p)
{
	char a[HC_ADDR_STRLEN], b[HC_ADDR_STRLEN], c[HC_ADDR_STRLEN];
	unsigned int i;

	printf("remote %s local %s if_id %u",
	       hc_addr_str(&p->remote, a, sizeof(a)),
	       PEERF(p, LOCAL) ? hc_addr_str(&p->local, b, sizeof(b)) : "?",
	       p->if_id);
	if (PEERF(p, ENCAP_SPORT) || PEERF(p, ENCAP_DPORT))
		printf(" nat-t sport %u dport %u", p->encap_sport,
		       p->encap_dport);
	printf("\n\tstate %s reason %s", hc_kw_name(hc_kw_state, p->state),
	       hc_kw_name(hc_kw_reason, p->reason));
	if (PEERF(p, PROBE_METHOD))
		printf(" probe %s",
		       hc_kw_name(hc_kw_probe_method, p->probe_method));
	if (PEERF(p, RULE_PRIO))
		printf(" rule %u\n", p->rule_prio);
	else
		printf(" rule default\n");
	if (p->profile.set) {
		putchar('\t');
		hc_print_profile_args(stdout, &p->profile);
		putchar('\n');
	}
	printf("\tpackets in %" PRIu64 " out %" PRIu64
	       " probes sent %" PRIu64 " answered %" PRIu64,
	       p->in_packets, p->out_packets, p->probes_sent,
	       p->probes_answered);
	if (PEERF(p, NATT_KEEPALIVES))
		printf(" natt-keepalives %" PRIu64, p->natt_keepalives);
	putchar('\n');
	if (PEERF(p, RTT_MIN_US))
		printf("\trtt min %s avg %s max %s\n",
		       fmt_us(a, sizeof(a), p->rtt_min_us),
		       fmt_us(b, sizeof(b), p->rtt_avg_us),
		       fmt_us(c, sizeof(c), p->rtt_max_us));
	printf("\tlast change %s%s last inbound %s%s\n",
	       PEERF(p, LAST_CHANGE_MS) ?
	       fmt_age(a, sizeof(a), p->last_change_ms) : "never",
	       PEERF(p, LAST_CHANGE_MS) ? " ago" : "",
	       PEERF(p, LAST_IN_MS) ?
	       fmt_age(b, sizeof(b), p->last_in_ms) : "never",
	       PEERF(p, LAST_IN_MS) ? " ago" : "");
	for (i = 0; i < p->n_sas; i++)
		print_sa(&p->sas[i]);
}

void hc_json_peer(const char *key, const struct hc_peer *p)
{
	char buf[HC_ADDR_STRLEN];
	unsigned int i;

	json_open(key, '{');
	json_str("family", hc_kw_name(hc_kw_family, p->family));
	json_str("remote", hc_addr_str(&p->remote, buf, sizeof(buf)));
	if (PEERF(p, LOCAL))
		json_str("local", hc_addr_str(&p->local, buf, sizeof(buf)));
	if (PEERF(p, ENCAP_SPORT))
		json_u64("encap_sport", p->encap_sport);
	if (PEERF(p, ENCAP_DPORT))
		json_u64("encap_dport", p->encap_dport);
	json_u64("if_id", p->if_id);
	json_str("state", hc_kw_name(hc_kw_state, p->state));
	json_str("reason", hc_kw_name(hc_kw_reason, p->reason));
	if (PEERF(p, PROBE_METHOD))
		json_str("probe", hc_kw_name(hc_kw_probe_method,
					     p->probe_method));
	if (PEERF(p, RULE_PRIO))
		json_u64("rule_prio", p->rule_prio);
	if (PEERF(p, PROFILE))
		hc_json_profile("profile", &p->profile);
	json_u64("in_packets", p->in_packets);
	json_u64("out_packets", p->out_packets);
	json_u64("probes_sent", p->probes_sent);
	json_u64("probes_answered", p->probes_answered);
	if (PEERF(p, RTT_MIN_US)) {
		json_u64("rtt_min_us", p->rtt_min_us);
		json_u64("rtt_avg_us", p->rtt_avg_us);
		json_u64("rtt_max_us", p->rtt_max_us);
	}
	if (PEERF(p, LAST_CHANGE_MS))
		json_u64("last_change_ms", p->last_change_ms);
	if (PEERF(p, LAST_IN_MS))
		json_u64("last_in_ms", p->last_in_ms);
	if (PEERF(p, DETECT_MS))
		json_u64("detect_ms", p->detect_ms);
	if (PEERF(p, NATT_KEEPALIVES))
		json_u64("natt_keepalives", p->natt_keepalives);
	json_open("sas", '[');
	for (i = 0; i < p->n_sas; i++) {
		const struct hc_sa *sa = &p->sas[i];

		json_open(NULL, '{');
		snprintf(buf, sizeof(buf), "0x%08x", sa->spi);
		json_str("spi", buf);
		json_str("proto", hc_kw_name(hc_kw_proto, sa->proto));
		json_str("dir", hc_kw_name(hc_kw_dir, sa->dir));
		json_u64("reqid", sa->reqid);
		json_u64("mark", sa->mark);
		json_u64("mark_mask", sa->mark_mask);
		json_u64("if_id", sa->if_id);
		json_close();
	}
	json_close();
	json_close();
}

#define CF(c, attr) HC_CHECK_HAS(c, attr)

/* A round trip time in milliseconds, as ping prints it: "0.210". */
static const char *fmt_us_ms(char *buf, size_t size, uint32_t us)
{
	snprintf(buf, size, "%u.%03u", us / 1000, us % 1000);
	return buf;
}

/* Lost of the probes that got a verdict, in percent. */
static double check_loss_pct(const struct hc_check *c)
{
	return 100.0 * hc_check_loss_ratio(c);
}

/* "src A dst B dev X": where a check probes, the words add takes. */
static void print_check_where(FILE *f, const char **sep,
			      const struct hc_check *c)
{
	char buf[HC_ADDR_STRLEN];

	if (CF(c, SRC))
		word(f, sep, "src %s", hc_addr_str(&c->src, buf, sizeof(buf)));
	if (CF(c, DST))
		word(f, sep, "dst %s", hc_addr_str(&c->dst, buf, sizeof(buf)));
	if (c->ifindex && c->ifname[0])
		word(f, sep, "dev %s", c->ifname);
	else if (c->ifindex)
		word(f, sep, "ifindex %u", c->ifindex);
	else if (CF(c, IF_ID))
		word(f, sep, "if_id %u", c->if_id);
}

/* "interval 1s misses 3 ...": the settings the kernel reported. */
static void print_check_settings(FILE *f, const char **sep,
				 const struct hc_check *c)
{
	char buf[24];

	if (CF(c, INTERVAL_MS))
		word(f, sep, "interval %s",
		     hc_fmt_ms(buf, sizeof(buf), c->interval_ms));
	if (CF(c, MISSES))
		word(f, sep, "misses %u", c->misses);
	if (CF(c, UP))
		word(f, sep, "up %u", c->up);
	/* 0, the default, is one interval: nothing to say. */
	if (CF(c, TIMEOUT_MS) && c->timeout_ms)
		word(f, sep, "timeout %s",
		     hc_fmt_ms(buf, sizeof(buf), c->timeout_ms));
	if (CF(c, MODE))
		word(f, sep, "mode %s", hc_kw_name(hc_kw_check_mode, c->mode));
	if (CF(c, ACTION))
		word(f, sep, "action %s", hc_kw_name(hc_kw_action, c->action));
}

void hc_print_check_args(FILE *f, const struct hc_check *c)
{
	const char *sep = "";

	word(f, &sep, "name %s", c->name);
	print_check_where(f, &sep, c);
	print_check_settings(f, &sep, c);
}

void hc_print_check(const struct hc_check *c)
{
	char a[24], b[24], d[24], e[24];
	const char *sep = " ";

	printf("check %s", c->name);
	print_check_where(stdout, &sep, c);
	printf(" state %s", hc_kw_name(hc_kw_check_state, c->state));
	if (c->flapping && CF(c, CUR_INTERVAL_MS))
		printf(" flapping (interval %s)",
		       hc_fmt_ms(a, sizeof(a), c->cur_interval_ms));
	else if (c->flapping)
		printf(" flapping");
	sep = "\n\t";
	print_check_settings(stdout, &sep, c);
	printf("\n\tprobes sent %" PRIu64 " answered %" PRIu64 " lost %" PRIu64
	       " skipped %" PRIu64 " errors %" PRIu64 " loss %.1f%%",
	       c->probes_sent, c->probes_answered, c->probes_lost,
	       c->probes_skipped, c->send_errors, check_loss_pct(c));
	if (CF(c, RTT_MIN_US))
		printf(" rtt min/avg/max%s %s/%s/%s%s%s ms",
		       CF(c, RTT_LAST_US) ? "/last" : "",
		       fmt_us_ms(a, sizeof(a), c->rtt_min_us),
		       fmt_us_ms(b, sizeof(b), c->rtt_avg_us),
		       fmt_us_ms(d, sizeof(d), c->rtt_max_us),
		       CF(c, RTT_LAST_US) ? "/" : "",
		       CF(c, RTT_LAST_US) ?
		       fmt_us_ms(e, sizeof(e), c->rtt_last_us) : "");
	printf("\n\ttransitions %" PRIu64 " last change %s%s",
	       c->transitions,
	       CF(c, LAST_CHANGE_MS) ?
	       fmt_age(a, sizeof(a), c->last_change_ms) : "never",
	       CF(c, LAST_CHANGE_MS) ? " ago" : "");
	if (CF(c, DETECT_MS))
		printf(" detect %ums", c->detect_ms);
	putchar('\n');
}

void hc_json_check(const char *key, const struct hc_check *c)
{
	char buf[HC_ADDR_STRLEN];

	json_open(key, '{');
	json_str("name", c->name);
	if (CF(c, SRC))
		json_str("src", hc_addr_str(&c->src, buf, sizeof(buf)));
	if (CF(c, DST))
		json_str("dst", hc_addr_str(&c->dst, buf, sizeof(buf)));
	if (CF(c, IFNAME))
		json_str("dev", c->ifname);
	if (CF(c, IFINDEX))
		json_u64("ifindex", c->ifindex);
	if (CF(c, IF_ID))
		json_u64("if_id", c->if_id);
	json_str("state", hc_kw_name(hc_kw_check_state, c->state));
	json_bool("flapping", c->flapping);
	if (CF(c, INTERVAL_MS))
		json_u64("interval_ms", c->interval_ms);
	if (CF(c, CUR_INTERVAL_MS))
		json_u64("cur_interval_ms", c->cur_interval_ms);
	if (CF(c, MISSES))
		json_u64("misses", c->misses);
	if (CF(c, UP))
		json_u64("up", c->up);
	if (CF(c, TIMEOUT_MS))
		json_u64("timeout_ms", c->timeout_ms);
	if (CF(c, MODE))
		json_str("mode", hc_kw_name(hc_kw_check_mode, c->mode));
	if (CF(c, ACTION))
		json_str("action", hc_kw_name(hc_kw_action, c->action));
	json_u64("probes_sent", c->probes_sent);
	json_u64("probes_answered", c->probes_answered);
	json_u64("probes_lost", c->probes_lost);
	json_u64("probes_skipped", c->probes_skipped);
	json_u64("send_errors", c->send_errors);
	json_double("loss_pct", check_loss_pct(c));
	if (CF(c, RTT_MIN_US))
		json_u64("rtt_min_us", c->rtt_min_us);
	if (CF(c, RTT_AVG_US))
		json_u64("rtt_avg_us", c->rtt_avg_us);
	if (CF(c, RTT_MAX_US))
		json_u64("rtt_max_us", c->rtt_max_us);
	if (CF(c, RTT_LAST_US))
		json_u64("rtt_last_us", c->rtt_last_us);
	json_u64("transitions", c->transitions);
	if (CF(c, LAST_CHANGE_MS))
		json_u64("last_change_ms", c->last_change_ms);
	if (CF(c, DETECT_MS))
		json_u64("detect_ms", c->detect_ms);
	json_close();
}

/* check-down NAME src A dst B dev X [state S] [flapping] [detect T] */
static void print_check_event(const struct hc_event *ev)
{
	const struct hc_check *c = &ev->check;
	const char *sep = " ";

	printf("%s %s", hc_event_name(ev->type), c->name);
	print_check_where(stdout, &sep, c);
	if (ev->type == HC_EVENT_CHECK_STATE)
		printf(" state %s", hc_kw_name(hc_kw_check_state, c->state));
	if (c->flapping)
		printf(" flapping");
	if (CF(c, DETECT_MS))
		printf(" detect %ums", c->detect_ms);
	putchar('\n');
	fflush(stdout);
}

static void json_event(const struct hc_event *ev)
{
	json_open(NULL, '{');
	json_str("event", hc_event_name(ev->type));
	if (ev->has_generation)
		json_u64("generation", ev->generation);
	if (hc_event_is_check(ev))
		hc_json_check("check", &ev->check);
	else if (ev->type != HC_EVENT_RESYNC)
		hc_json_peer("peer", &ev->peer);
	json_end();
}

void hc_print_event(const struct hc_event *ev)
{
	const struct hc_peer *p = &ev->peer;
	char a[HC_ADDR_STRLEN], b[HC_ADDR_STRLEN];

	if (hc_opts.json) {
		json_event(ev);
		return;
	}
	if (hc_event_is_check(ev)) {
		print_check_event(ev);
		return;
	}
	printf("%s", hc_event_name(ev->type));
	if (ev->type != HC_EVENT_RESYNC) {
		printf(" remote %s local %s if_id %u",
		       hc_addr_str(&p->remote, a, sizeof(a)),
		       PEERF(p, LOCAL) ?
		       hc_addr_str(&p->local, b, sizeof(b)) : "?",
		       p->if_id);
		if (ev->type == HC_EVENT_STATE)
			printf(" state %s", hc_kw_name(hc_kw_state, p->state));
		if (ev->type == HC_EVENT_STATE ||
		    ev->type == XFRM_HC_CMD_PEER_DOWN)
			printf(" reason %s",
			       hc_kw_name(hc_kw_reason, p->reason));
		if (PEERF(p, DETECT_MS))
			printf(" detect %ums", p->detect_ms);
		if (PEERF(p, PROBE_METHOD))
			printf(" probe %s", hc_kw_name(hc_kw_probe_method,
						       p->probe_method));
		printf(" sas %u", p->n_sas);
	}
	putchar('\n');
	fflush(stdout);
}

char *hc_event_json(const struct hc_event *ev)
{
	FILE *saved_fp = json_out();
	bool saved_pretty = json_pretty;
	char *buf = NULL;
	size_t len;
	FILE *f;

	f = open_memstream(&buf, &len);
	if (!f)
		return NULL;
	json_fp = f;
	json_pretty = false;
	json_event(ev);
	json_fp = saved_fp;
	json_pretty = saved_pretty;
	fclose(f);
	/* The line without its newline, for an environment variable. */
	if (buf && len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return buf;
}

void hc_print_teardown(const struct hc_peer *p, const struct hc_sa *sa,
		       const char *result, const char *error)
{
	char a[HC_ADDR_STRLEN], b[HC_ADDR_STRLEN], spi[16];

	hc_addr_str(&p->remote, a, sizeof(a));
	hc_addr_str(&p->local, b, sizeof(b));
	snprintf(spi, sizeof(spi), "0x%08x", sa->spi);
	if (hc_opts.json) {
		json_open(NULL, '{');
		json_str("action", "teardown");
		json_str("remote", a);
		json_str("local", b);
		json_u64("if_id", p->if_id);
		json_str("spi", spi);
		json_str("proto", hc_kw_name(hc_kw_proto, sa->proto));
		json_str("dir", hc_kw_name(hc_kw_dir, sa->dir));
		json_str("result", result);
		if (error)
			json_str("error", error);
		json_end();
		return;
	}
	printf("teardown remote %s local %s if_id %u sa spi %s proto %s dir %s: %s%s%s%s\n",
	       a, b, p->if_id, spi, hc_kw_name(hc_kw_proto, sa->proto),
	       hc_kw_name(hc_kw_dir, sa->dir), result,
	       error ? " (" : "", error ? error : "", error ? ")" : "");
	fflush(stdout);
}
