// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the tool without the module: the parsers, the attributes a
 * request carries, and how peers, checks and events print.
 * make -C tools check.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "attrs.h"
#include "metrics.h"
#include "print.h"
#include "prom.h"
#include "xfrm-hc.h"

struct hc_opts hc_opts;
const char *hc_err_where;
static char last_err[256];

void hc_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
}

static int passed, failed;

/* TAP, so make check counts each case. */
static void check(int ok, const char *what)
{
	if (ok) {
		passed++;
		printf("ok %d - tool: %s\n", passed + failed, what);
	} else {
		failed++;
		printf("not ok %d - tool: %s (last error: %s)\n",
		       passed + failed, what, last_err);
	}
}

static void times(void)
{
	static const struct {
		const char *s;
		int ok;
		uint32_t ms;
	} t[] = {
		{ "100ms", 1, 100 }, { "1s", 1, 1000 }, { "1.5s", 1, 1500 },
		{ "250", 1, 250 }, { "0.001s", 1, 1 }, { "3600s", 1, 3600000 },
		{ "abc", 0, 0 }, { "1.5", 0, 0 }, { "1.5ms", 0, 0 },
		{ "1.0001s", 0, 0 }, { "-1", 0, 0 }, { " 1", 0, 0 },
		{ "1m", 0, 0 }, { "5000000000", 0, 0 }, { "4294968s", 0, 0 },
		{ "", 0, 0 }, { "1s ", 0, 0 },
	};
	char what[64];
	uint32_t ms;
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int ok = !hc_parse_time("interval", t[i].s, &ms);

		snprintf(what, sizeof(what), "time \"%s\"", t[i].s);
		check(ok == t[i].ok && (!ok || ms == t[i].ms), what);
	}
	check(!hc_parse_time("interval", "abc", &ms) ? 0 :
	      !strcmp(last_err, "invalid interval \"abc\": expected a time like 100ms or 1s"),
	      "time error names the argument");
}

static void prefixes(void)
{
	char buf[HC_ADDR_STRLEN];
	struct hc_addr a;

	check(!hc_parse_prefix("remote", "2001:db8::/32", &a) &&
	      a.family == AF_INET6 && a.plen == 32 &&
	      !strcmp(hc_addr_str(&a, buf, sizeof(buf)), "2001:db8::/32"),
	      "v6 prefix");
	check(!hc_parse_prefix("remote", "192.0.2.1", &a) && a.plen == 32 &&
	      !strcmp(hc_addr_str(&a, buf, sizeof(buf)), "192.0.2.1"),
	      "v4 host");
	check(hc_parse_prefix("remote", "192.0.2.1/24", &a), "host bits");
	check(hc_parse_prefix("remote", "192.0.2.0/", &a), "empty plen");
}

/* A message as the kernel would send it, from the peer attributes. */
static struct nl_msg *peer_msg(uint8_t cmd)
{
	static const uint8_t local[4] = { 192, 0, 2, 1 };
	static const uint8_t remote[4] = { 192, 0, 2, 2 };
	struct nlattr *peer, *sa, *prof;
	struct nl_msg *msg = nlmsg_alloc();
	int i;

	genlmsg_put(msg, 0, 0, 99, 0, 0, cmd, 1);
	nla_put_u32(msg, XFRM_HC_A_GENERATION, 7);
	peer = nla_nest_start(msg, XFRM_HC_A_PEER);
	nla_put_u8(msg, XFRM_HC_PEER_FAMILY, AF_INET);
	nla_put(msg, XFRM_HC_PEER_LOCAL, 4, local);
	nla_put(msg, XFRM_HC_PEER_REMOTE, 4, remote);
	nla_put_u16(msg, XFRM_HC_PEER_ENCAP_SPORT, 4500);
	nla_put_u16(msg, XFRM_HC_PEER_ENCAP_DPORT, 4501);
	nla_put_u32(msg, XFRM_HC_PEER_IF_ID, 0);
	nla_put_u8(msg, XFRM_HC_PEER_STATE, XFRM_HC_STATE_DEAD);
	nla_put_u8(msg, XFRM_HC_PEER_REASON, XFRM_HC_REASON_PROBE_TIMEOUT);
	prof = nla_nest_start(msg, XFRM_HC_PEER_PROFILE);
	nla_put_u32(msg, XFRM_HC_PROFILE_INTERVAL_MS, 1500);
	nla_put_u8(msg, XFRM_HC_PROFILE_MISSES, 3);
	nla_put_u8(msg, XFRM_HC_PROFILE_MODE, XFRM_HC_MODE_IDLE);
	nla_put_u16(msg, XFRM_HC_PROFILE_NATT_KEEPALIVE, 20);
	nla_nest_end(msg, prof);
	nla_put_u64(msg, XFRM_HC_PEER_IN_PACKETS, 10);
	nla_put_u64(msg, XFRM_HC_PEER_OUT_PACKETS, 1ULL << 40);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_MIN_US, 850);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_AVG_US, 1200);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_MAX_US, 2500000);
	nla_put_u64(msg, XFRM_HC_PEER_LAST_CHANGE_MS, 12345);
	if (cmd == XFRM_HC_CMD_PEER_DOWN)
		nla_put_u32(msg, XFRM_HC_PEER_DETECT_MS, 312);
	nla_put_u64(msg, XFRM_HC_PEER_NATT_KEEPALIVES, 42);
	for (i = 0; i < 2; i++) {
		sa = nla_nest_start(msg, XFRM_HC_PEER_SA);
		nla_put_u32(msg, XFRM_HC_SA_SPI, 0x1234abcd + i);
		nla_put_u8(msg, XFRM_HC_SA_PROTO, IPPROTO_ESP);
		nla_put_u8(msg, XFRM_HC_SA_DIR, i);
		nla_put_u32(msg, XFRM_HC_SA_REQID, 1);
		nla_nest_end(msg, sa);
	}
	nla_nest_end(msg, peer);
	return msg;
}

/* What FN prints on stdout, as a string. */
static char *capture(void (*fn)(const void *), const void *arg)
{
	static char buf[8192];
	FILE *f = tmpfile();
	size_t n;
	int fd = dup(1);

	fflush(stdout);
	dup2(fileno(f), 1);
	fn(arg);
	fflush(stdout);
	dup2(fd, 1);
	close(fd);
	rewind(f);
	n = fread(buf, 1, sizeof(buf) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void print_event(const void *ev)
{
	hc_print_event(ev);
}

static void print_peer(const void *p)
{
	hc_print_peer(p);
}

static void events(void)
{
	struct nl_msg *msg = peer_msg(XFRM_HC_CMD_PEER_DOWN);
	struct hc_event ev;
	char *out, *json;

	check(!hc_event_get(msg, &ev), "peer-down parses");
	check(ev.peer.n_sas == 2 && ev.peer.sas[1].spi == 0x1234abce &&
	      ev.peer.sas[1].dir == XFRM_HC_DIR_OUT, "both SAs");
	out = capture(print_event, &ev);
	check(!strcmp(out, "peer-down remote 192.0.2.2 local 192.0.2.1 if_id 0 reason probe-timeout detect 312ms sas 2\n"),
	      "peer-down text line");
	printf("# %s", out);
	hc_opts.json = true;
	out = capture(print_event, &ev);
	printf("# %s", out);
	check(strstr(out, "{\"event\":\"peer-down\",\"generation\":7,\"peer\":{") == out &&
	      strstr(out, "\"spi\":\"0x1234abcd\"") &&
	      strstr(out, "\"state\":\"dead\"") &&
	      strstr(out, "\"out_packets\":1099511627776") &&
	      strstr(out, "\"natt_keepalive_s\":20}") &&
	      strstr(out, "\"natt_keepalives\":42,") &&
	      out[strlen(out) - 1] == '\n' && !strchr(out, '\n')[1],
	      "peer-down JSON line");
	json = hc_event_json(&ev);
	check(json && !strncmp(json, out, strlen(out) - 1) &&
	      strlen(json) == strlen(out) - 1, "hook JSON is the line");
	free(json);
	hc_opts.json = false;
	out = capture(print_peer, &ev.peer);
	printf("%s", out);
	check(strstr(out, "\tsa spi 0x1234abcd proto esp dir in reqid 1 mark 0x0/0x0 if_id 0\n") &&
	      strstr(out, "\tstate dead reason probe-timeout detect 312ms rule default\n") &&
	      strstr(out, "rtt min 850us avg 1.2ms max 2.50s") &&
	      strstr(out, "interval 1500ms misses 3 mode idle natt-keepalive 20\n") &&
	      strstr(out, "answered 0 natt-keepalives 42\n") &&
	      strstr(out, "last change 12.3s ago last inbound never"),
	      "peer block");
	hc_peer_free(&ev.peer);
	nlmsg_free(msg);
}

static void rules(void)
{
	char *argv[] = { "prio", "10", "reqid", "1-5", "interval", "2s",
			 "probe-src", "10.0.0.1", "probe-dst", "10.0.0.2" };
	struct hc_args a = { 10, argv };
	struct hc_rule r = { .prio = 10, .set = HC_BIT(XFRM_HC_RULE_PRIO) };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlmsghdr *nlh;
	struct hc_rule back;
	char *buf = NULL;
	size_t len;
	FILE *f;

	hc_arg_skip(&a);
	hc_arg_skip(&a);
	r.reqid_min = 1;
	r.reqid_max = 5;
	r.set |= HC_BIT(XFRM_HC_RULE_REQID_MIN) |
		 HC_BIT(XFRM_HC_RULE_REQID_MAX);
	hc_arg_skip(&a);
	hc_arg_skip(&a);
	while (a.argc)
		check(hc_parse_profile_arg(&a, &r.profile) == 1,
		      "profile words");
	check(!hc_profile_check(&r.profile), "probe pair");
	nlh = nlmsg_put(msg, 0, 0, 0, 0, 0);
	check(nlh && !hc_rule_put(msg, &r), "rule put");
	check(!hc_rule_get(nlmsg_attrdata(nlh, 0), &back), "rule get");
	f = open_memstream(&buf, &len);
	hc_print_rule_args(f, &back);
	fclose(f);
	check(!strcmp(buf, "prio 10 reqid 1-5 interval 2s probe-src 10.0.0.1 probe-dst 10.0.0.2"),
	      "rule round trip");
	printf("# %s\n", buf);
	free(buf);
	nlmsg_free(msg);
}

/* Splits S (a copy) into ARGS at blanks: at most 31 words. */
static void words(struct hc_args *a, const char *s)
{
	static char buf[512];
	static char *argv[32];
	char *w;

	snprintf(buf, sizeof(buf), "%s", s);
	a->argc = 0;
	a->argv = argv;
	for (w = strtok(buf, " "); w && a->argc < 31; w = strtok(NULL, " "))
		argv[a->argc++] = w;
	argv[a->argc] = NULL;
}

static void profile_natt(void)
{
	static const struct {
		const char *s;
		int ok;
		uint16_t val;
	} t[] = {
		{ "20", 1, 20 }, { "20s", 1, 20 }, { "0", 1, 0 },
		{ "3600", 1, 3600 }, { "3601", 0, 0 }, { "x", 0, 0 },
		{ "-1", 0, 0 }, { "20ms", 0, 0 }, { "20m", 0, 0 }, { "", 0, 0 },
	};
	struct hc_profile p, back;
	struct nl_msg *msg;
	struct hc_args a;
	char what[64];
	char *buf = NULL;
	size_t i, len;
	FILE *f;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		char *argv[] = { "natt-keepalive", (char *)t[i].s };
		int ok;

		a.argc = 2;
		a.argv = argv;
		memset(&p, 0, sizeof(p));
		ok = hc_parse_profile_arg(&a, &p) == 1;
		snprintf(what, sizeof(what), "natt-keepalive \"%s\"", t[i].s);
		check(ok == t[i].ok && (!ok || p.natt_keepalive == t[i].val),
		      what);
	}
	words(&a, "natt-keepalive 25s action failover");
	memset(&p, 0, sizeof(p));
	check(hc_parse_profile_arg(&a, &p) == 1 &&
	      hc_parse_profile_arg(&a, &p) == 1 &&
	      p.action == XFRM_HC_ACTION_FAILOVER, "profile action failover");
	words(&a, "natt-keepalive 1 natt-keepalive 2");
	memset(&p, 0, sizeof(p));
	check(hc_parse_profile_arg(&a, &p) == 1 &&
	      hc_parse_profile_arg(&a, &p) == -1 &&
	      !strcmp(last_err, "\"natt-keepalive\" given twice"),
	      "natt-keepalive given twice");

	msg = nlmsg_alloc();
	nlmsg_put(msg, 0, 0, 0, 0, 0);
	check(!hc_profile_put(msg, XFRM_HC_A_PROFILE, &p) &&
	      !hc_profile_get(nlmsg_attrdata(nlmsg_hdr(msg), 0), &back) &&
	      back.natt_keepalive == 1 &&
	      back.set == HC_BIT(XFRM_HC_PROFILE_NATT_KEEPALIVE),
	      "natt-keepalive round trip");
	nlmsg_free(msg);
	f = open_memstream(&buf, &len);
	hc_print_profile_args(f, &back);
	fclose(f);
	check(!strcmp(buf, "natt-keepalive 1"), "natt-keepalive printed");
	free(buf);
}

static void check_args(void)
{
	static const struct {
		const char *args;
		int add;
		const char *err;	/* NULL: parses */
	} t[] = {
		{ "name primary src 10.1.0.1 dst 10.2.0.1", 1, NULL },
		{ "name a.b_c-9 src 2001:db8::1 dst 2001:db8::2 if_id 7", 1,
		  NULL },
		{ "name x src 10.1.0.1 dst 10.2.0.1 dev lo", 1, NULL },
		{ "name x src 10.1.0.1 dst 10.2.0.1 timeout 0", 1, NULL },
		{ "name x interval 3600s", 0, NULL },
		{ "name x dev none if_id 5", 0, NULL },
		{ "name x src 10.1.0.1 dst 10.2.0.3", 0, NULL },
		{ "name bad/name src 10.1.0.1 dst 10.2.0.1", 1,
		  "invalid name \"bad/name\": expected 1 to 31 of A-Z a-z 0-9 _ . -" },
		{ "name 0123456789012345678901234567890x src 10.1.0.1 dst 10.2.0.1",
		  1, "invalid name" },
		{ "name a:b src 10.1.0.1 dst 10.2.0.1", 1, "invalid name \"a:b\"" },
		{ "src 10.1.0.1 dst 10.2.0.1", 1,
		  "check add: which check? (name NAME)" },
		{ "name x dst 10.2.0.1", 1, "check add: \"src\" is missing" },
		{ "name x src 10.1.0.1", 1, "check add: \"dst\" is missing" },
		{ "name x src 10.1.0.1 dst 2001:db8::2", 1,
		  "src \"10.1.0.1\" and dst \"2001:db8::2\" are not of one family" },
		{ "name x src 10.1.0.1", 0, "\"src\" needs \"dst\" too" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 dev lo if_id 1", 1,
		  "check add: \"dev\" and \"if_id\" exclude each other" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 dev none", 1,
		  "check add: \"dev none\" is for check set" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 dev no-such-if0", 1,
		  "invalid dev \"no-such-if0\": no such interface" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 mode on-demand", 1,
		  "invalid mode \"on-demand\": expected periodic or optimized" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 action reboot", 1,
		  "invalid action \"reboot\"" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 interval 9ms", 1,
		  "invalid interval \"9ms\": expected a time from 10ms to 3600s" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 interval 3600.001s", 1,
		  "invalid interval \"3600.001s\"" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 timeout 5", 1,
		  "invalid timeout \"5\": expected a time from 10ms to 3600s" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 timeout 1m", 1,
		  "invalid timeout \"1m\": expected a time like 100ms or 1s" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 misses 0", 1,
		  "invalid misses \"0\": expected a number from 1 to 255" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 up 256", 1,
		  "invalid up \"256\"" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 jitter 5", 1,
		  "check add: unexpected argument \"jitter\"" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 src 10.1.0.2", 1,
		  "\"src\" given twice" },
		{ "name x src 10.1.0.1 dst 10.2.0.1 interval", 1,
		  "missing value after \"interval\"" },
		{ "name x", 0, "check set: nothing to set" },
		{ "interval 1s", 0, "check set: which check? (name NAME)" },
	};
	struct hc_check c;
	struct hc_args a;
	char what[128];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		int err;

		words(&a, t[i].args);
		last_err[0] = '\0';
		err = hc_parse_check(&a, &c, t[i].add);
		snprintf(what, sizeof(what), "check %s %.90s",
			 t[i].add ? "add" : "set", t[i].args);
		check(t[i].err ? err && !strncmp(last_err, t[i].err,
						 strlen(t[i].err)) : !err,
		      what);
	}
}

static void check_round_trip(void)
{
	struct nl_msg *msg = nlmsg_alloc();
	struct hc_check c, back;
	struct hc_args a;
	char *buf = NULL;
	size_t len;
	FILE *f;

	words(&a, "name primary src 10.1.0.1 dst 10.2.0.1 dev lo interval 100ms "
		  "misses 3 up 2 timeout 0.25s mode optimized action failover");
	check(!hc_parse_check(&a, &c, true) && c.ifindex > 0 &&
	      !strcmp(c.ifname, "lo") && c.interval_ms == 100 &&
	      c.timeout_ms == 250 && c.up == 2 &&
	      c.mode == XFRM_HC_CHECK_MODE_OPTIMIZED &&
	      c.action == XFRM_HC_ACTION_FAILOVER, "check add words");
	nlmsg_put(msg, 0, 0, 0, 0, 0);
	check(!hc_check_put(msg, &c) &&
	      !hc_check_get(nlmsg_attrdata(nlmsg_hdr(msg), 0), &back) &&
	      back.set == c.set && back.ifindex == c.ifindex &&
	      !back.ifname[0], "check put/get");
	/* The kernel would report the name; save prints it. */
	snprintf(back.ifname, sizeof(back.ifname), "lo");
	back.set |= HC_BIT(XFRM_HC_CHECK_IFNAME);
	f = open_memstream(&buf, &len);
	hc_print_check_args(f, &back);
	fclose(f);
	printf("# %s\n", buf);
	check(!strcmp(buf, "name primary src 10.1.0.1 dst 10.2.0.1 dev lo "
		      "interval 100ms misses 3 up 2 timeout 250ms "
		      "mode optimized action failover"), "check add line (save)");
	words(&a, buf);
	check(!hc_parse_check(&a, &c, true) && c.set == (back.set &
	      ~HC_BIT(XFRM_HC_CHECK_IFNAME)), "save line parses back");
	free(buf);
	nlmsg_free(msg);

	/* check set: only what was given goes to the kernel. */
	msg = nlmsg_alloc();
	words(&a, "name primary dev none");
	check(!hc_parse_check(&a, &c, false) &&
	      c.set == (HC_BIT(XFRM_HC_CHECK_NAME) |
			HC_BIT(XFRM_HC_CHECK_IFINDEX)), "check set words");
	nlmsg_put(msg, 0, 0, 0, 0, 0);
	check(!hc_check_put(msg, &c) &&
	      !hc_check_get(nlmsg_attrdata(nlmsg_hdr(msg), 0), &back) &&
	      back.set == c.set && back.ifindex == 0 &&
	      !strcmp(back.name, "primary"), "check set sends dev none as 0");
	nlmsg_free(msg);
}

/* A check event or dump reply as the kernel would send it. */
static struct nl_msg *check_msg(uint8_t cmd, int flapping, int rtt)
{
	static const uint8_t src[4] = { 10, 1, 0, 1 };
	static const uint8_t dst[4] = { 10, 2, 0, 1 };
	struct nl_msg *msg = nlmsg_alloc();
	struct nlattr *chk, *unknown;

	genlmsg_put(msg, 0, 0, 99, 0, 0, cmd, 1);
	if (cmd != XFRM_HC_CMD_CHECK_GET)
		nla_put_u32(msg, XFRM_HC_A_GENERATION, 9);
	chk = nla_nest_start(msg, XFRM_HC_A_CHECK);
	nla_put_string(msg, XFRM_HC_CHECK_NAME, "primary");
	nla_put(msg, XFRM_HC_CHECK_SRC, 4, src);
	nla_put(msg, XFRM_HC_CHECK_DST, 4, dst);
	nla_put_u32(msg, XFRM_HC_CHECK_IFINDEX, 7);
	nla_put_string(msg, XFRM_HC_CHECK_IFNAME, "xfrm1");
	nla_put_u32(msg, XFRM_HC_CHECK_INTERVAL_MS, 100);
	nla_put_u8(msg, XFRM_HC_CHECK_MISSES, 3);
	nla_put_u8(msg, XFRM_HC_CHECK_UP, 3);
	nla_put_u32(msg, XFRM_HC_CHECK_TIMEOUT_MS, 100);
	nla_put_u8(msg, XFRM_HC_CHECK_MODE, XFRM_HC_CHECK_MODE_PERIODIC);
	nla_put_u8(msg, XFRM_HC_CHECK_ACTION, XFRM_HC_ACTION_FAILOVER);
	nla_put_u8(msg, XFRM_HC_CHECK_STATE, cmd == XFRM_HC_CMD_CHECK_DOWN ?
		   XFRM_HC_CHECK_STATE_DOWN : XFRM_HC_CHECK_STATE_UP);
	nla_put_u8(msg, XFRM_HC_CHECK_FLAPPING, flapping);
	nla_put_u32(msg, XFRM_HC_CHECK_CUR_INTERVAL_MS, flapping ? 200 : 100);
	nla_put_u64(msg, XFRM_HC_CHECK_PROBES_SENT, 12);
	nla_put_u64(msg, XFRM_HC_CHECK_PROBES_ANSWERED, rtt ? 11 : 0);
	nla_put_u64(msg, XFRM_HC_CHECK_PROBES_LOST, rtt ? 1 : 0);
	nla_put_u64(msg, XFRM_HC_CHECK_PROBES_SKIPPED, 0);
	nla_put_u64(msg, XFRM_HC_CHECK_SEND_ERRORS, 0);
	if (rtt) {
		nla_put_u32(msg, XFRM_HC_CHECK_RTT_MIN_US, 210);
		nla_put_u32(msg, XFRM_HC_CHECK_RTT_AVG_US, 300);
		nla_put_u32(msg, XFRM_HC_CHECK_RTT_MAX_US, 1450);
		nla_put_u32(msg, XFRM_HC_CHECK_RTT_LAST_US, 280);
	}
	nla_put_u64(msg, XFRM_HC_CHECK_TRANSITIONS, 2);
	nla_put_u64(msg, XFRM_HC_CHECK_LAST_CHANGE_MS, 3240);
	if (cmd == XFRM_HC_CMD_CHECK_DOWN)
		nla_put_u32(msg, XFRM_HC_CHECK_DETECT_MS, 312);
	/* From a newer module: skipped. */
	nla_put_u32(msg, XFRM_HC_CHECK_MAX + 1, 0xdead);
	unknown = nla_nest_start(msg, XFRM_HC_CHECK_MAX + 2);
	nla_put_u32(msg, 1, 0xbeef);
	nla_nest_end(msg, unknown);
	nla_nest_end(msg, chk);
	return msg;
}

static void print_check(const void *c)
{
	hc_print_check(c);
}

static void json_check(const void *c)
{
	bool was = hc_opts.json;

	hc_opts.json = true;
	hc_print_check(c);
	print_end();
	hc_opts.json = was;
}

static void check_print(void)
{
	struct nl_msg *msg = check_msg(XFRM_HC_CMD_CHECK_DOWN, 0, 1);
	struct hc_event ev;
	char *out, *json;

	check(!hc_event_get(msg, &ev) && hc_event_is_check(&ev) &&
	      !ev.peer.set && !strcmp(ev.check.name, "primary") &&
	      !strcmp(ev.check.ifname, "xfrm1"), "check-down parses");
	out = capture(print_event, &ev);
	printf("# %s", out);
	check(!strcmp(out, "check-down primary src 10.1.0.1 dst 10.2.0.1 "
		      "dev xfrm1 detect 312ms\n"), "check-down text line");
	hc_opts.json = true;
	out = capture(print_event, &ev);
	printf("# %s", out);
	check(!strcmp(out, "{\"event\":\"check-down\",\"generation\":9,\"check\":{"
		      "\"name\":\"primary\",\"src\":\"10.1.0.1\",\"dst\":\"10.2.0.1\","
		      "\"dev\":\"xfrm1\",\"ifindex\":7,\"state\":\"down\",\"flapping\":false,"
		      "\"cur_interval_ms\":100,\"interval_ms\":100,\"misses\":3,\"up\":3,"
		      "\"timeout_ms\":100,\"mode\":\"periodic\",\"action\":\"failover\","
		      "\"probes_sent\":12,\"probes_answered\":11,\"probes_lost\":1,"
		      "\"probes_skipped\":0,\"send_errors\":0,\"loss_pct\":8.33333,"
		      "\"rtt_min_us\":210,\"rtt_avg_us\":300,\"rtt_max_us\":1450,"
		      "\"rtt_last_us\":280,\"transitions\":2,\"last_change_ms\":3240,"
		      "\"detect_ms\":312}}\n"),
	      "check-down JSON line, unknown attributes skipped");
	json = hc_event_json(&ev);
	check(json && !strncmp(json, out, strlen(out) - 1) &&
	      strlen(json) == strlen(out) - 1, "check hook JSON is the line");
	free(json);
	hc_opts.json = false;
	out = capture(print_check, &ev.check);
	printf("%s", out);
	check(!strcmp(out,
		      "check primary src 10.1.0.1 dst 10.2.0.1 dev xfrm1 state down\n"
		      "\tinterval 100ms misses 3 up 3 timeout 100ms mode periodic action failover\n"
		      "\tprobes sent 12 answered 11 lost 1 skipped 0 errors 0 loss 8.3% rtt min/avg/max/last 0.210/0.300/1.450/0.280 ms\n"
		      "\ttransitions 2 last change 3.2s ago detect 312ms\n"),
	      "check block");
	nlmsg_free(msg);

	/* A dump reply: flapping, nothing answered yet. */
	msg = check_msg(XFRM_HC_CMD_CHECK_GET, 1, 0);
	check(!hc_event_get(msg, &ev) && !ev.has_generation,
	      "check dump reply parses");
	ev.type = HC_EVENT_CHECK_STATE;
	out = capture(print_event, &ev);
	printf("# %s", out);
	check(!strcmp(out, "check-state primary src 10.1.0.1 dst 10.2.0.1 "
		      "dev xfrm1 state up flapping\n"), "check-state text line");
	out = capture(print_check, &ev.check);
	printf("%s", out);
	check(strstr(out, " dev xfrm1 state up flapping (interval 200ms)\n") &&
	      strstr(out, " errors 0 loss 0.0%\n\ttransitions 2") &&
	      !strstr(out, "rtt"), "flapping check block");
	out = capture(json_check, &ev.check);
	printf("# %s", out);
	check(strstr(out, "\"flapping\":true,") &&
	      strstr(out, "\"cur_interval_ms\":200,") &&
	      strstr(out, "\"loss_pct\":0,") && !strstr(out, "rtt_") &&
	      !strstr(out, "detect_ms") && out[0] == '{',
	      "flapping check JSON");
	nlmsg_free(msg);

	/* A check without a name is malformed. */
	msg = nlmsg_alloc();
	genlmsg_put(msg, 0, 0, 99, 0, 0, XFRM_HC_CMD_CHECK_UP, 1);
	nla_nest_end(msg, nla_nest_start(msg, XFRM_HC_A_CHECK));
	check(hc_event_get(msg, &ev), "check without a name refused");
	nlmsg_free(msg);
}

/*
 * One list of fields: print_trace() sees each field a printer prints, its
 * path and whether it is text, JSON or both. A printer that prints text and
 * JSON from one list makes the same calls in both modes; and each key of
 * the JSON is a field with a text form, but those JSON_ONLY names (what the
 * text says otherwise: the family by the address, the ifindex by the dev).
 */
#define MAX_FIELDS 128

struct fields {
	int n;
	char path[MAX_FIELDS][48];
	enum print_type type[MAX_FIELDS];
};

static struct fields *tracing;

static void trace_field(const char *path, enum print_type t)
{
	struct fields *f = tracing;

	if (!path || f->n == MAX_FIELDS)
		return;
	snprintf(f->path[f->n], sizeof(f->path[0]), "%s", path);
	f->type[f->n++] = t;
}

static void same_fields(const char *what, void (*fn)(const void *),
			const void *obj, const char *const *json_only,
			const char *text_has)
{
	struct fields json = {}, text = {};
	char buf[160], *out;
	bool same = true, has_text = true, json_keys = true;
	int i, j, n_json = 0;

	print_trace = trace_field;
	tracing = &json;
	hc_opts.json = true;
	out = capture(fn, obj);
	/* Each field JSON prints is a key of its output. */
	for (i = 0; i < json.n; i++) {
		const char *key = strrchr(json.path[i], '.');

		if (json.type[i] != PRINT_ANY && json.type[i] != PRINT_JSON)
			continue;
		n_json++;
		snprintf(buf, sizeof(buf), "\"%s\":", key ? key + 1 :
			 json.path[i]);
		if (!strstr(out, buf))
			json_keys = false;
	}
	tracing = &text;
	hc_opts.json = false;
	out = capture(fn, obj);
	print_trace = NULL;

	same = json.n == text.n;
	for (i = 0; same && i < json.n; i++)
		same = !strcmp(json.path[i], text.path[i]) &&
		       json.type[i] == text.type[i];
	snprintf(buf, sizeof(buf), "%s: text and JSON print one list of %d fields",
		 what, json.n);
	check(same && n_json >= 8 && json_keys, buf);

	buf[0] = '\0';
	for (i = 0; i < json.n; i++) {
		bool listed = false;

		if (json.type[i] != PRINT_JSON)
			continue;
		for (j = 0; json_only[j]; j++)
			if (!strcmp(json.path[i], json_only[j]))
				listed = true;
		if (!listed) {
			has_text = false;
			snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf),
				 " %s", json.path[i]);
		}
	}
	snprintf(last_err, sizeof(last_err), "JSON alone:%s", buf);
	snprintf(buf, sizeof(buf), "%s: every JSON key has a text form", what);
	check(has_text && strstr(out, text_has), buf);
}

static void show_peer(const void *p)
{
	hc_print_peer(p);
	print_end();
}

static void show_check(const void *c)
{
	hc_print_check(c);
	print_end();
}

static void show_rule(const void *r)
{
	hc_print_rule(r);
	print_end();
}

static void show_defaults(const void *p)
{
	hc_print_defaults(p, true);
}

static void one_list(void)
{
	static const char *const peer_json_only[] = { "family", NULL };
	/* With a dev, the text names it alone. */
	static const char *const check_json_only[] = { "ifindex", "if_id",
						       NULL };
	static const char *const none[] = { NULL };
	struct nl_msg *msg = peer_msg(XFRM_HC_CMD_PEER_DOWN);
	struct hc_event ev;
	struct hc_rule r;

	check(!hc_event_get(msg, &ev), "peer with every field parses");
	/* What peer_msg() leaves out. */
	ev.peer.set |= HC_BIT(XFRM_HC_PEER_PROBE_METHOD) |
		       HC_BIT(XFRM_HC_PEER_RULE_PRIO) |
		       HC_BIT(XFRM_HC_PEER_LAST_IN_MS);
	ev.peer.probe_method = XFRM_HC_PROBE_METHOD_ECHO;
	ev.peer.rule_prio = 5;
	ev.peer.last_in_ms = 20;
	same_fields("peer show", show_peer, &ev.peer, peer_json_only,
		    " detect 312ms ");
	hc_peer_free(&ev.peer);
	nlmsg_free(msg);

	msg = check_msg(XFRM_HC_CMD_CHECK_DOWN, 1, 1);
	check(!hc_event_get(msg, &ev), "check with every field parses");
	ev.check.set |= HC_BIT(XFRM_HC_CHECK_IF_ID);
	same_fields("check show", show_check, &ev.check, check_json_only,
		    " detect 312ms\n");
	nlmsg_free(msg);

	memset(&r, 0, sizeof(r));
	r.set = HC_BIT(XFRM_HC_RULE_MAX + 1) - 2;
	r.reqid_max = 9;
	r.family = AF_INET;
	r.remote.family = AF_INET;
	r.remote.len = 4;
	r.remote.plen = 8;
	r.remote.b[0] = 10;
	r.profile.set = HC_BIT(XFRM_HC_PROFILE_MAX + 1) - 2;
	r.profile.probe_src = r.remote;
	r.profile.probe_dst = r.remote;
	r.matches = 3;
	same_fields("rule show", show_rule, &r, none, " matches 3\n");
	same_fields("defaults show", show_defaults, &r.profile, none,
		    " echo-responder on\n");
	hc_opts.json = false;
}

/* What FN writes to a FILE, as a malloc()ed string. */
static char *capture_file(void (*fn)(FILE *f, void *arg), void *arg)
{
	char *buf = NULL;
	size_t len;
	FILE *f = open_memstream(&buf, &len);

	fn(f, arg);
	fclose(f);
	return buf;
}

static void print_labels(FILE *f, void *arg)
{
	struct prom_labels l;

	prom_labels_init(&l);
	prom_labels_add(&l, "check", "a\"b\\c\nd");
	prom_labels_add(&l, "if_id", "0");
	prom_u64(f, "x_total", &l, 18446744073709551615ULL);
	prom_double(f, "x_ratio", NULL, 0.0833333333333);
	prom_double(f, "x_nan", &l, 0.0 / 0.0);
	prom_family(f, "x", "gauge", "back\\slash and\nnewline \"quoted\"");
}

static void print_histogram(FILE *f, void *arg)
{
	static const double bounds[] = { 0.05, 0.1, 1, 60 };
	struct prom_histogram h;

	prom_histogram_init(&h, bounds, 4);
	/* On a bound, in that bucket; above the last, in +Inf only. */
	prom_histogram_observe(&h, 0.05);
	prom_histogram_observe(&h, 0.3);
	prom_histogram_observe(&h, 1);
	prom_histogram_observe(&h, 0.312);
	prom_histogram_observe(&h, 61);
	prom_histogram(f, "x_seconds", "Times.", &h);
}

static void prom_format(void)
{
	char *out = capture_file(print_labels, NULL);
	struct prom_labels l;
	char big[600];

	printf("%s", out);
	check(!strcmp(out,
		      "x_total{check=\"a\\\"b\\\\c\\nd\",if_id=\"0\"} 18446744073709551615\n"
		      "x_ratio 0.0833333333\n"
		      "x_nan{check=\"a\\\"b\\\\c\\nd\",if_id=\"0\"} NaN\n"
		      "# HELP x back\\\\slash and\\nnewline \"quoted\"\n"
		      "# TYPE x gauge\n"),
	      "prom: label values and HELP escaped, u64 exact, NaN");
	free(out);

	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	prom_labels_init(&l);
	prom_labels_add(&l, "a", "1");
	prom_labels_add(&l, "b", big);
	check(l.overflow && !strcmp(l.buf, "a=\"1\""),
	      "prom: a label too long is dropped whole");

	out = capture_file(print_histogram, NULL);
	printf("%s", out);
	check(!strcmp(out,
		      "# HELP x_seconds Times.\n"
		      "# TYPE x_seconds histogram\n"
		      "x_seconds_bucket{le=\"0.05\"} 1\n"
		      "x_seconds_bucket{le=\"0.1\"} 1\n"
		      "x_seconds_bucket{le=\"1\"} 4\n"
		      "x_seconds_bucket{le=\"60\"} 4\n"
		      "x_seconds_bucket{le=\"+Inf\"} 5\n"
		      "x_seconds_sum 62.662\n"
		      "x_seconds_count 5\n"),
	      "prom: histogram buckets cumulative, +Inf equals _count");
	free(out);
}

static void metrics_print(FILE *f, void *m)
{
	hc_metrics_print(f, m);
}

/* A hand-built snapshot: three peers, three checks, some counters. */
static void metrics_sample(struct hc_metrics *m)
{
	static struct hc_peer peers[3];
	static struct hc_check checks[3];
	static const uint8_t a1[4] = { 192, 0, 2, 1 }, a2[4] = { 192, 0, 2, 2 };
	static const uint8_t a3[4] = { 192, 0, 2, 3 };
	int i;

	memset(m, 0, sizeof(*m));
	memset(peers, 0, sizeof(peers));
	memset(checks, 0, sizeof(checks));
	for (i = 0; i < 3; i++) {
		peers[i].family = AF_INET;
		peers[i].local.family = peers[i].remote.family = AF_INET;
		peers[i].local.len = peers[i].remote.len = 4;
		peers[i].local.plen = peers[i].remote.plen = 32;
		memcpy(peers[i].local.b, a1, 4);
		peers[i].set = HC_BIT(XFRM_HC_PEER_LOCAL) |
			       HC_BIT(XFRM_HC_PEER_REMOTE);
	}
	/* Out of order: printed sorted. */
	memcpy(peers[0].remote.b, a3, 4);
	peers[0].state = XFRM_HC_STATE_DEAD;
	peers[0].if_id = 7;
	peers[0].probes_sent = 10;
	peers[0].probes_answered = 4;
	peers[0].detect_ms = 312;
	peers[0].set |= HC_BIT(XFRM_HC_PEER_DETECT_MS);
	memcpy(peers[1].remote.b, a2, 4);
	peers[1].state = XFRM_HC_STATE_UP;
	peers[1].probes_sent = 1ULL << 60;
	peers[1].probes_answered = 3;
	peers[1].rtt_avg_us = 1200;
	peers[1].set |= HC_BIT(XFRM_HC_PEER_RTT_AVG_US);
	memcpy(peers[2].remote.b, a2, 4);
	peers[2].state = XFRM_HC_STATE_IDLE;
	peers[2].encap_sport = 4500;
	peers[2].encap_dport = 31000;
	peers[2].set |= HC_BIT(XFRM_HC_PEER_ENCAP_SPORT) |
			HC_BIT(XFRM_HC_PEER_ENCAP_DPORT);

	snprintf(checks[0].name, sizeof(checks[0].name), "zeta");
	checks[0].state = XFRM_HC_CHECK_STATE_DOWN;
	checks[0].probes_sent = 12;
	checks[0].probes_answered = 9;
	checks[0].probes_lost = 3;
	checks[0].detect_ms = 2600;
	checks[0].set = HC_BIT(XFRM_HC_CHECK_DETECT_MS);
	snprintf(checks[1].name, sizeof(checks[1].name), "alpha");
	checks[1].state = XFRM_HC_CHECK_STATE_UP;
	checks[1].probes_sent = 5;
	checks[1].probes_answered = 5;
	checks[1].rtt_last_us = 280;
	checks[1].rtt_avg_us = 300;
	checks[1].set = HC_BIT(XFRM_HC_CHECK_RTT_LAST_US) |
			HC_BIT(XFRM_HC_CHECK_RTT_AVG_US);
	snprintf(checks[2].name, sizeof(checks[2].name), "new");
	checks[2].state = XFRM_HC_CHECK_STATE_UNKNOWN;

	for (i = XFRM_HC_STAT_NETNS; i <= XFRM_HC_STAT_MAX; i++) {
		m->has_stat[i] = true;
		m->stat[i] = i;
	}
	m->peers = peers;
	m->n_peers = 3;
	m->checks = checks;
	m->n_checks = 3;
}

/* LINE, a whole line, is in OUT before the line AFTER (NULL: anywhere). */
static int has_line(const char *out, const char *line, const char *after)
{
	char buf[512];
	const char *p, *q;

	snprintf(buf, sizeof(buf), "\n%s\n", line);
	p = strstr(out, buf);
	if (!p)
		return 0;
	if (!after)
		return 1;
	snprintf(buf, sizeof(buf), "\n%s\n", after);
	q = strstr(out, buf);
	return q && p < q;
}

/* The hand-built snapshot is also written to PATH for promtool. */
static void metrics(const char *path)
{
	struct hc_metrics m;
	char *out, *again;
	int i, named = 1;
	FILE *f;

	for (i = XFRM_HC_STAT_NETNS; i <= XFRM_HC_STAT_MAX; i++)
		if (!hc_metrics_stat_name(i))
			named = 0;
	check(named, "metrics: every counter of the module has a metric");

	metrics_sample(&m);
	out = capture_file(metrics_print, &m);
	check(!strncmp(out, "# HELP xfrm_hc_up ", 18) &&
	      has_line(out, "xfrm_hc_up 1", NULL) &&
	      has_line(out, "# TYPE xfrm_hc_probes_sent_total counter", NULL) &&
	      has_line(out, "xfrm_hc_probes_sent_total 10", NULL) &&
	      has_line(out, "# TYPE xfrm_hc_peers_watched gauge", NULL) &&
	      has_line(out, "xfrm_hc_natt_keepalives_total 17", NULL),
	      "metrics: counters and gauges of the module");
	check(has_line(out, "xfrm_hc_peers{state=\"dead\"} 1",
		       "xfrm_hc_peers{state=\"idle\"} 1") &&
	      has_line(out, "xfrm_hc_peers{state=\"idle\"} 1",
		       "xfrm_hc_peers{state=\"up\"} 1") &&
	      has_line(out, "xfrm_hc_checks{state=\"down\"} 1",
		       "xfrm_hc_checks{state=\"unknown\"} 1") &&
	      has_line(out, "xfrm_hc_checks{state=\"up\"} 1", NULL),
	      "metrics: peers and checks by state");
	check(has_line(out, "xfrm_hc_peer_up{remote=\"192.0.2.2\",local=\"192.0.2.1\",if_id=\"0\"} 1",
		       "xfrm_hc_peer_up{remote=\"192.0.2.2\",local=\"192.0.2.1\",if_id=\"0\",remote_port=\"31000\",local_port=\"4500\"} 1") &&
	      has_line(out, "xfrm_hc_peer_up{remote=\"192.0.2.2\",local=\"192.0.2.1\",if_id=\"0\",remote_port=\"31000\",local_port=\"4500\"} 1",
		       "xfrm_hc_peer_up{remote=\"192.0.2.3\",local=\"192.0.2.1\",if_id=\"7\"} 0") &&
	      has_line(out, "xfrm_hc_peer_probes_sent_total{remote=\"192.0.2.2\",local=\"192.0.2.1\",if_id=\"0\"} 1152921504606846976", NULL) &&
	      has_line(out, "xfrm_hc_peer_rtt_avg_seconds{remote=\"192.0.2.2\",local=\"192.0.2.1\",if_id=\"0\"} 0.0012", NULL) &&
	      !strstr(out, "xfrm_hc_peer_rtt_avg_seconds{remote=\"192.0.2.3\""),
	      "metrics: peers sorted, NAT-T ports, dead is 0, RTT when known");
	check(has_line(out, "xfrm_hc_check_up{check=\"alpha\"} 1",
		       "xfrm_hc_check_up{check=\"zeta\"} 0") &&
	      !strstr(out, "xfrm_hc_check_up{check=\"new\"}") &&
	      has_line(out, "xfrm_hc_check_probes_lost_total{check=\"zeta\"} 3", NULL) &&
	      has_line(out, "xfrm_hc_check_loss_ratio{check=\"zeta\"} 0.25", NULL) &&
	      has_line(out, "xfrm_hc_check_loss_ratio{check=\"new\"} 0", NULL) &&
	      has_line(out, "xfrm_hc_check_rtt_last_seconds{check=\"alpha\"} 0.00028", NULL) &&
	      has_line(out, "xfrm_hc_check_rtt_avg_seconds{check=\"alpha\"} 0.0003", NULL),
	      "metrics: checks sorted, unknown has no up sample, loss and RTT");
	check(has_line(out, "# TYPE xfrm_hc_detect_seconds histogram", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"0.25\"} 0", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"0.5\"} 1", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"2.5\"} 1", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"5\"} 2", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"+Inf\"} 2", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_sum 2.912", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_count 2", NULL),
	      "metrics: detection histogram of the dead peer and the down check");
	again = capture_file(metrics_print, &m);
	check(!strcmp(out, again), "metrics: the same state prints the same text");
	free(again);
	if (path) {
		f = fopen(path, "w");
		check(f && fputs(out, f) >= 0 && !fclose(f),
		      "metrics: sample written for the format checks");
	}
	free(out);

	/* Nothing dead, nothing down: the histogram is there, empty. */
	m.n_peers = 0;
	m.n_checks = 0;
	out = capture_file(metrics_print, &m);
	check(has_line(out, "# TYPE xfrm_hc_detect_seconds histogram", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_bucket{le=\"+Inf\"} 0", NULL) &&
	      has_line(out, "xfrm_hc_detect_seconds_count 0", NULL) &&
	      has_line(out, "xfrm_hc_peers{state=\"up\"} 0", NULL) &&
	      !strstr(out, "xfrm_hc_peer_up"),
	      "metrics: no peers, no checks: states at 0, an empty histogram");
	free(out);
}

int main(int argc, char **argv)
{
	times();
	prefixes();
	events();
	rules();
	profile_natt();
	check_args();
	check_round_trip();
	check_print();
	one_list();
	prom_format();
	metrics(argc > 1 ? argv[1] : NULL);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
