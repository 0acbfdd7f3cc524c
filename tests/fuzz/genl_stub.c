// SPDX-License-Identifier: GPL-2.0
/*
 * The tool's genl.c for the parser fuzzer: no socket. Requests are built
 * (so the attribute writers run) and answered with an empty success, so a
 * batch goes on to its next line; the events group cannot be joined, so
 * monitor returns at once. "daemon", which runs xfrm-hcd, fails.
 */
#include <netlink/genl/genl.h>

#include "genl.h"
#include "xfrm-hc.h"

int hc_nl_open(struct hc_nl *nl)
{
	nl->sk = NULL;
	nl->family = 1;
	return 0;
}

void hc_nl_close(struct hc_nl *nl)
{
}

struct nl_msg *hc_nl_msg(struct hc_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0,
				flags, cmd, 1)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

int hc_nl_request(struct hc_nl *nl, struct nl_msg *msg, const char *what,
		  hc_nl_reply_fn fn, void *arg)
{
	nlmsg_free(msg);
	return 0;
}

int hc_nl_do(uint8_t cmd, int flags, const char *what, hc_nl_put_fn put,
	     const void *put_arg, hc_nl_reply_fn fn, void *arg)
{
	struct hc_nl nl;
	struct nl_msg *msg;

	hc_nl_open(&nl);
	msg = hc_nl_msg(&nl, cmd, flags);
	if (!msg)
		return -1;
	if (put && put(msg, put_arg)) {
		nlmsg_free(msg);
		hc_err("%s: message too long", what);
		return -1;
	}
	return hc_nl_request(&nl, msg, what, fn, arg);
}

int hc_nl_open_events(struct hc_nl *ev, int family)
{
	hc_err("fuzz: no events group");
	return -1;
}

int hc_nl_parse(struct nl_msg *msg, struct nlattr **tb, int max)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, max, NULL);
}

/* "daemon" runs xfrm-hcd in the tool's place: not in the fuzzer. */
int hc_daemon_alias(int argc, char **argv)
{
	return 1;
}
