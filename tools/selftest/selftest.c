// SPDX-License-Identifier: GPL-2.0
/*
 * Checks of the tool without the module: the parsers, the attributes a
 * request carries, and how peers and events print. make -C tools check.
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

#include "../xfrm-hc/attrs.h"
#include "../xfrm-hc/print.h"
#include "../xfrm-hc/xfrm-hc.h"

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
	nla_nest_end(msg, prof);
	nla_put_u64(msg, XFRM_HC_PEER_IN_PACKETS, 10);
	nla_put_u64(msg, XFRM_HC_PEER_OUT_PACKETS, 1ULL << 40);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_MIN_US, 850);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_AVG_US, 1200);
	nla_put_u32(msg, XFRM_HC_PEER_RTT_MAX_US, 2500000);
	nla_put_u64(msg, XFRM_HC_PEER_LAST_CHANGE_MS, 12345);
	if (cmd == XFRM_HC_CMD_PEER_DOWN)
		nla_put_u32(msg, XFRM_HC_PEER_DETECT_MS, 312);
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
	      strstr(out, "rtt min 850us avg 1.2ms max 2.50s") &&
	      strstr(out, "interval 1500ms misses 3 mode idle") &&
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

int main(void)
{
	times();
	prefixes();
	events();
	rules();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
