// SPDX-License-Identifier: GPL-2.0
/*
 * Peers and checks from the kernel: the PEER_GET and CHECK_GET dumps, a
 * peer's SAs over several messages joined into one.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/xfrm_hc.h>
#include <netlink/genl/genl.h>

#include "dumps.h"
#include "common.h"

struct dump_ctx {
	unsigned int type;		/* HC_EVENT_STATE or _CHECK_STATE */
	const struct hc_peer_filter *filter;
	hc_event_fn fn;
	void *arg;
	int count;
	/* A peer's messages so far: the next may carry more of its SAs. */
	struct hc_event pending;
	bool has_pending;
};

static bool filter_match(const struct hc_peer_filter *f,
			 const struct hc_peer *p)
{
	if (!f)
		return true;
	if (f->has_remote && (f->remote.family != p->remote.family ||
			      memcmp(f->remote.b, p->remote.b, p->remote.len)))
		return false;
	return !f->has_if_id || f->if_id == p->if_id;
}

static bool addr_eq(const struct hc_addr *a, const struct hc_addr *b)
{
	return a->family == b->family && a->len == b->len &&
	       !memcmp(a->b, b->b, a->len);
}

/* The kernel's peer key: no two peers in a dump share it. */
static bool same_peer(const struct hc_peer *a, const struct hc_peer *b)
{
	return addr_eq(&a->local, &b->local) &&
	       addr_eq(&a->remote, &b->remote) && a->if_id == b->if_id &&
	       a->encap_sport == b->encap_sport &&
	       a->encap_dport == b->encap_dport;
}

/* Hands EV to the caller, then frees it. */
static int dump_deliver(struct dump_ctx *ctx, struct hc_event *ev)
{
	int err = 0;

	/* The kernel filters too; this keeps an older one honest. */
	if (hc_event_is_check(ev) || filter_match(ctx->filter, &ev->peer)) {
		ctx->count++;
		err = ctx->fn(ev, ctx->arg) ? -EIO : 0;
	}
	hc_peer_free(&ev->peer);
	return err;
}

/* The pending peer, complete: handed on, or dropped after an error. */
static int dump_flush(struct dump_ctx *ctx, bool deliver)
{
	if (!ctx->has_pending)
		return 0;
	ctx->has_pending = false;
	if (deliver)
		return dump_deliver(ctx, &ctx->pending);
	hc_peer_free(&ctx->pending.peer);
	return 0;
}

/* SRC's SAs go on the end of DST's; SRC is freed. */
static int peer_join(struct hc_peer *dst, struct hc_peer *src)
{
	struct hc_sa *sas;

	if (src->n_sas) {
		sas = realloc(dst->sas,
			      (dst->n_sas + src->n_sas) * sizeof(*sas));
		if (!sas) {
			hc_peer_free(src);
			return -ENOMEM;
		}
		memcpy(sas + dst->n_sas, src->sas, src->n_sas * sizeof(*sas));
		dst->sas = sas;
		dst->n_sas += src->n_sas;
	}
	hc_peer_free(src);
	return 0;
}

static int dump_reply(struct nl_msg *msg, void *arg)
{
	struct dump_ctx *ctx = arg;
	struct hc_event ev;
	int err;

	err = hc_event_get(msg, &ev);
	if (err)
		return err;
	ev.type = ctx->type;
	/* A peer where a check was asked for, or the other way round. */
	if (hc_event_is_check(&ev) != !!ev.check.set) {
		hc_peer_free(&ev.peer);
		return -EBADMSG;
	}
	if (hc_event_is_check(&ev))
		return dump_deliver(ctx, &ev);
	/*
	 * A peer with more SAs than fit in one message comes in several in
	 * a row, each with the peer's attributes and the next of its SAs.
	 */
	if (ctx->has_pending && same_peer(&ctx->pending.peer, &ev.peer))
		return peer_join(&ctx->pending.peer, &ev.peer);
	err = dump_flush(ctx, true);
	if (err) {
		hc_peer_free(&ev.peer);
		return err;
	}
	ctx->pending = ev;
	ctx->has_pending = true;
	return 0;
}

int hc_peer_dump(struct hc_nl *nl, const struct hc_peer_filter *filter,
		 hc_event_fn fn, void *arg)
{
	struct dump_ctx ctx = {
		.type = HC_EVENT_STATE,
		.filter = filter,
		.fn = fn,
		.arg = arg,
	};
	struct nlattr *nest;
	struct nl_msg *msg;

	msg = hc_nl_msg(nl, XFRM_HC_CMD_PEER_GET, NLM_F_DUMP);
	if (!msg)
		goto nomem;
	if (filter && (filter->has_remote || filter->has_if_id)) {
		nest = nla_nest_start(msg, XFRM_HC_A_PEER);
		if (!nest ||
		    (filter->has_remote &&
		     nla_put(msg, XFRM_HC_PEER_REMOTE, filter->remote.len,
			     filter->remote.b)) ||
		    (filter->has_if_id &&
		     nla_put_u32(msg, XFRM_HC_PEER_IF_ID, filter->if_id))) {
			nlmsg_free(msg);
			goto nomem;
		}
		nla_nest_end(msg, nest);
	}
	if (hc_nl_request(nl, msg, "peers", dump_reply, &ctx)) {
		dump_flush(&ctx, false);
		return -1;
	}
	if (dump_flush(&ctx, true)) {
		hc_err("peers: %s", strerror(EIO));
		return -1;
	}
	return ctx.count;
nomem:
	hc_err("out of memory");
	return -1;
}

int hc_check_dump(struct hc_nl *nl, const char *name, hc_event_fn fn,
		  void *arg)
{
	struct dump_ctx ctx = {
		.type = HC_EVENT_CHECK_STATE,
		.fn = fn,
		.arg = arg,
	};
	struct hc_check c = { .set = HC_BIT(XFRM_HC_CHECK_NAME) };
	struct nl_msg *msg;

	msg = hc_nl_msg(nl, XFRM_HC_CMD_CHECK_GET, name ? 0 : NLM_F_DUMP);
	if (!msg)
		goto nomem;
	if (name) {
		snprintf(c.name, sizeof(c.name), "%s", name);
		if (hc_check_put(msg, &c)) {
			nlmsg_free(msg);
			goto nomem;
		}
	}
	if (hc_nl_request(nl, msg, "checks", dump_reply, &ctx))
		return -1;
	return ctx.count;
nomem:
	hc_err("out of memory");
	return -1;
}
