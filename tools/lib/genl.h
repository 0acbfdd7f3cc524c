/* SPDX-License-Identifier: GPL-2.0 */
/* Talking to the xfrm_hc generic netlink family. */
#ifndef XFRM_HC_TOOL_GENL_H
#define XFRM_HC_TOOL_GENL_H

#include <stdint.h>
#include <netlink/genl/genl.h>

struct hc_nl {
	struct nl_sock *sk;
	int family;
	/* The last dump was read whole, but the table changed under it. */
	int dump_intr;
};

typedef int (*hc_nl_reply_fn)(struct nl_msg *msg, void *arg);

/* Returns 0, or -1 after printing why (e.g. the module is not loaded). */
int hc_nl_open(struct hc_nl *nl);
void hc_nl_close(struct hc_nl *nl);

/* A request for CMD, to fill with nla_put_*() before hc_nl_request(). */
struct nl_msg *hc_nl_msg(struct hc_nl *nl, uint8_t cmd, int flags);

/*
 * Sends MSG (and frees it), hands each reply to FN, waits for the ack.
 * Returns 0, or -1 after printing "xfrm-hc: WHAT: " and the kernel's extack
 * text, or its errno's text when the kernel gave none.
 */
int hc_nl_request(struct hc_nl *nl, struct nl_msg *msg, const char *what,
		  hc_nl_reply_fn fn, void *arg);

typedef int (*hc_nl_put_fn)(struct nl_msg *msg, const void *arg);

/*
 * The whole of a simple request: opens a socket, sends CMD with FLAGS and
 * the attributes PUT (may be NULL) adds, hands each reply to FN (may be
 * NULL), closes. Returns 0, or -1 after printing why.
 */
int hc_nl_do(uint8_t cmd, int flags, const char *what, hc_nl_put_fn put,
	     const void *put_arg, hc_nl_reply_fn fn, void *arg);

/*
 * A socket in the "events" multicast group of FAMILY: no sequence checks,
 * a large receive buffer, non-blocking. Returns 0, or -1 after printing
 * why (joining needs CAP_NET_ADMIN).
 */
int hc_nl_open_events(struct hc_nl *ev, int family);

/* Attributes of a reply from our family, parsed into TB[0..MAX]. */
int hc_nl_parse(struct nl_msg *msg, struct nlattr **tb, int max);

#endif
