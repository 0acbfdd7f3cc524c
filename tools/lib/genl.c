// SPDX-License-Identifier: GPL-2.0
/* Requests to the xfrm_hc family, with the kernel's extack text on errors. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <linux/netlink.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/ctrl.h>
#include <netlink/genl/genl.h>

#include "genl.h"
#include "common.h"

#ifndef SOL_NETLINK
#define SOL_NETLINK 270
#endif

struct hc_req {
	hc_nl_reply_fn fn;
	void *arg;
	int done;
	int error;		/* from the kernel's NLMSG_ERROR, or the callback */
	char extack[256];
};

int hc_nl_open(struct hc_nl *nl)
{
	int one = 1;
	int err;

	nl->sk = nl_socket_alloc();
	if (!nl->sk) {
		hc_err("out of memory");
		return -1;
	}
	err = genl_connect(nl->sk);
	if (err) {
		hc_err("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto err_free;
	}
	/* Errors then carry the kernel's reason, and not our request. */
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_EXT_ACK,
		   &one, sizeof(one));
	setsockopt(nl_socket_get_fd(nl->sk), SOL_NETLINK, NETLINK_CAP_ACK,
		   &one, sizeof(one));

	nl->family = genl_ctrl_resolve(nl->sk, XFRM_HC_GENL_NAME);
	if (nl->family < 0) {
		if (nl->family == -NLE_OBJ_NOTFOUND)
			hc_err("xfrm_hc module not loaded (modprobe xfrm_hc)");
		else
			hc_err("cannot resolve the xfrm_hc family: %s",
			       nl_geterror(nl->family));
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(nl->sk);
	nl->sk = NULL;
	return -1;
}

void hc_nl_close(struct hc_nl *nl)
{
	nl_socket_free(nl->sk);
	nl->sk = NULL;
}

struct nl_msg *hc_nl_msg(struct hc_nl *nl, uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg)
		return NULL;
	if (!genlmsg_put(msg, NL_AUTO_PORT, NL_AUTO_SEQ, nl->family, 0, flags,
			 cmd, XFRM_HC_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* The extack TLVs follow the error and, unless capped, the request. */
static void hc_req_extack(struct hc_req *req, struct nlmsgerr *e)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)((char *)e - NLMSG_HDRLEN);
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t off = sizeof(*e);
	size_t len;

	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return;
	if (!(nlh->nlmsg_flags & NLM_F_CAPPED))
		off += e->msg.nlmsg_len - NLMSG_HDRLEN;
	if (nlh->nlmsg_len <= NLMSG_HDRLEN + off)
		return;
	len = nlh->nlmsg_len - NLMSG_HDRLEN - off;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX, (struct nlattr *)((char *)e + off),
		      len, NULL))
		return;
	if (tb[NLMSGERR_ATTR_MSG])
		snprintf(req->extack, sizeof(req->extack), "%s",
			 nla_get_string(tb[NLMSGERR_ATTR_MSG]));
}

static int hc_req_error(struct sockaddr_nl *who, struct nlmsgerr *e, void *arg)
{
	struct hc_req *req = arg;

	req->error = e->error;
	req->done = 1;
	hc_req_extack(req, e);
	return NL_STOP;
}

static int hc_req_finish(struct nl_msg *msg, void *arg)
{
	struct hc_req *req = arg;

	req->done = 1;
	return NL_STOP;
}

static int hc_req_valid(struct nl_msg *msg, void *arg)
{
	struct hc_req *req = arg;
	int err;

	if (!req->fn)
		return NL_OK;
	err = req->fn(msg, req->arg);
	if (err) {
		req->error = err;
		return NL_STOP;
	}
	return NL_OK;
}

int hc_nl_request(struct hc_nl *nl, struct nl_msg *msg, const char *what,
		  hc_nl_reply_fn fn, void *arg)
{
	struct hc_req req = { .fn = fn, .arg = arg };
	struct nl_cb *cb;
	int err;

	cb = nl_cb_alloc(NL_CB_DEFAULT);
	if (!cb) {
		nlmsg_free(msg);
		hc_err("%s: out of memory", what);
		return -1;
	}
	nl_cb_err(cb, NL_CB_CUSTOM, hc_req_error, &req);
	nl_cb_set(cb, NL_CB_ACK, NL_CB_CUSTOM, hc_req_finish, &req);
	nl_cb_set(cb, NL_CB_FINISH, NL_CB_CUSTOM, hc_req_finish, &req);
	nl_cb_set(cb, NL_CB_VALID, NL_CB_CUSTOM, hc_req_valid, &req);

	err = nl_send_auto(nl->sk, msg);
	nlmsg_free(msg);
	if (err < 0) {
		hc_err("%s: %s", what, nl_geterror(err));
		goto out;
	}
	err = 0;
	nl->dump_intr = 0;
	while (!req.done && !req.error) {
		err = nl_recvmsgs(nl->sk, cb);
		/*
		 * libnl reads an interrupted dump to its end, then says so:
		 * everything was shown, but peers came or went meanwhile.
		 */
		if (err == -NLE_DUMP_INTR && req.done && !req.error) {
			fprintf(stderr, "xfrm-hc: %s: the table changed during the dump\n",
				what);
			nl->dump_intr = 1;
			err = 0;
			break;
		}
		if (err < 0 && !req.error) {
			hc_err("%s: %s", what, nl_geterror(err));
			goto out;
		}
	}
	if (req.error) {
		err = -1;
		if (req.extack[0])
			hc_err("%s: %s", what, req.extack);
		else
			hc_err("%s: %s", what, strerror(-req.error));
	}
out:
	nl_cb_put(cb);
	return err < 0 ? -1 : 0;
}

int hc_nl_do(uint8_t cmd, int flags, const char *what, hc_nl_put_fn put,
	     const void *put_arg, hc_nl_reply_fn fn, void *arg)
{
	struct nl_msg *msg;
	struct hc_nl nl;
	int err;

	if (hc_nl_open(&nl))
		return -1;
	msg = hc_nl_msg(&nl, cmd, flags);
	if (!msg || (put && put(msg, put_arg))) {
		nlmsg_free(msg);
		hc_nl_close(&nl);
		hc_err("%s: out of memory", what);
		return -1;
	}
	err = hc_nl_request(&nl, msg, what, fn, arg);
	hc_nl_close(&nl);
	return err;
}

/* Events come in bursts when many peers die at once: make room for them. */
#define HC_EVENTS_RCVBUF (8 << 20)

int hc_nl_open_events(struct hc_nl *ev, int family)
{
	const char *env = getenv("XFRM_HC_EVENTS_RCVBUF");
	int size = HC_EVENTS_RCVBUF;
	int grp, err;

	/* A small buffer for tests of the overflow path. */
	if (env && atoi(env) > 0)
		size = atoi(env);

	ev->family = family;
	ev->sk = nl_socket_alloc();
	if (!ev->sk) {
		hc_err("out of memory");
		return -1;
	}
	err = genl_connect(ev->sk);
	if (err) {
		hc_err("cannot open a generic netlink socket: %s",
		       nl_geterror(err));
		goto err_free;
	}
	grp = genl_ctrl_resolve_grp(ev->sk, XFRM_HC_GENL_NAME,
				    XFRM_HC_MCGRP_EVENTS);
	if (grp < 0) {
		hc_err("cannot resolve the \"%s\" group: %s",
		       XFRM_HC_MCGRP_EVENTS, nl_geterror(grp));
		goto err_free;
	}
	err = nl_socket_add_membership(ev->sk, grp);
	if (err) {
		hc_err("cannot join the \"%s\" group: %s",
		       XFRM_HC_MCGRP_EVENTS,
		       err == -NLE_PERM ? strerror(EPERM) : nl_geterror(err));
		goto err_free;
	}
	/* Events carry no sequence numbers of ours. */
	nl_socket_disable_seq_check(ev->sk);
	/* SO_RCVBUF is capped by rmem_max; root may go past it. */
	nl_socket_set_buffer_size(ev->sk, size, 0);
	setsockopt(nl_socket_get_fd(ev->sk), SOL_SOCKET, SO_RCVBUFFORCE,
		   &size, sizeof(size));
	nl_socket_enable_msg_peek(ev->sk);
	err = nl_socket_set_nonblocking(ev->sk);
	if (err) {
		hc_err("cannot set the events socket non-blocking: %s",
		       nl_geterror(err));
		goto err_free;
	}
	return 0;

err_free:
	nl_socket_free(ev->sk);
	ev->sk = NULL;
	return -1;
}

int hc_nl_parse(struct nl_msg *msg, struct nlattr **tb, int max)
{
	return genlmsg_parse(nlmsg_hdr(msg), 0, tb, max, NULL);
}
