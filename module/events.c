// SPDX-License-Identifier: GPL-2.0
/*
 * Where events are sent: peer-down, peer-up, peer-idle, peer-gone,
 * check-down and check-up, to the "events" multicast group of the netns.
 *
 * Nothing is lost silently: an event that cannot be built is counted as
 * dropped, and a listener whose socket overflows gets ENOBUFS from netlink
 * and resyncs from a peer dump, whose generation tells it what changed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "check.h"
#include "events.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"

/* Off while the family is not registered: timers may run before and after. */
static bool xfrm_hc_events_on;

/* What an event carries besides its command: peer or check. */
struct xfrm_hc_event {
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_check *check;
};

static size_t xfrm_hc_event_size(const struct xfrm_hc_event *ev)
{
	return ev->peer ? xfrm_hc_nl_peer_size(ev->peer) :
			  xfrm_hc_nl_check_size();
}

static int xfrm_hc_event_fill(struct sk_buff *skb,
			      const struct xfrm_hc_event *ev, u8 cmd)
{
	return ev->peer ? xfrm_hc_nl_put_peer(skb, ev->peer, cmd) :
			  xfrm_hc_nl_put_check(skb, ev->check, cmd);
}

static void xfrm_hc_event_send(struct xfrm_hc_net *hn,
			       const struct xfrm_hc_event *ev, u8 cmd, gfp_t gfp)
{
	struct sk_buff *skb;
	void *hdr;
	int err;

	if (!READ_ONCE(xfrm_hc_events_on) ||
	    !genl_has_listeners(&xfrm_hc_genl_family, hn->net, 0))
		return;
	/* Built before the RCU section: with GFP_KERNEL it may sleep. */
	skb = genlmsg_new(xfrm_hc_event_size(ev), gfp);
	if (!skb)
		goto err_drop;

	/* The family stays registered until we leave (events_disable). */
	rcu_read_lock();
	if (!READ_ONCE(xfrm_hc_events_on)) {
		rcu_read_unlock();
		nlmsg_free(skb);
		return;
	}
	hdr = genlmsg_put(skb, 0, 0, &xfrm_hc_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, XFRM_HC_A_GENERATION, READ_ONCE(hn->generation)) ||
	    xfrm_hc_event_fill(skb, ev, cmd))
		goto err_free;
	genlmsg_end(skb, hdr);

	/* -ESRCH: the last listener just left. Anything else: lost. */
	err = genlmsg_multicast_netns(&xfrm_hc_genl_family, hn->net, skb, 0,
				      0, GFP_ATOMIC);
	rcu_read_unlock();
	if (err && err != -ESRCH)
		goto err_count;
	atomic64_inc(&hn->events_sent);
	return;

err_free:
	rcu_read_unlock();
	nlmsg_free(skb);
err_drop:
	pr_warn_ratelimited("event %u not sent: out of memory\n", cmd);
err_count:
	atomic64_inc(&hn->events_dropped);
}

/**
 * xfrm_hc_event_peer() - multicast an event about a peer
 * @peer: the peer
 * @cmd: XFRM_HC_CMD_PEER_*
 * @gfp: allocation context: GFP_ATOMIC from timers
 */
void xfrm_hc_event_peer(struct xfrm_hc_peer *peer, u8 cmd, gfp_t gfp)
{
	struct xfrm_hc_event ev = { .peer = peer };

	xfrm_hc_event_send(xfrm_hc_peer_hn(peer), &ev, cmd, gfp);
}

/**
 * xfrm_hc_event_check() - multicast an event about a health check
 * @c: the check
 * @cmd: XFRM_HC_CMD_CHECK_DOWN or _UP
 * @gfp: allocation context: GFP_ATOMIC from timers and answers
 */
void xfrm_hc_event_check(struct xfrm_hc_check *c, u8 cmd, gfp_t gfp)
{
	struct xfrm_hc_event ev = { .check = c };

	xfrm_hc_event_send(c->hn, &ev, cmd, gfp);
}

/**
 * xfrm_hc_events_enable() - start sending events, once the family is up
 */
void xfrm_hc_events_enable(void)
{
	WRITE_ONCE(xfrm_hc_events_on, true);
}

/**
 * xfrm_hc_events_disable() - stop sending events before the family goes
 *
 * Waits for events being sent: each is sent in an RCU read section.
 */
void xfrm_hc_events_disable(void)
{
	WRITE_ONCE(xfrm_hc_events_on, false);
	synchronize_rcu();
}

/**
 * xfrm_hc_event_state() - multicast the event for a peer's new state
 * @peer: the peer
 * @state: enum xfrm_hc_peer_state it entered
 * @gfp: allocation context
 */
void xfrm_hc_event_state(struct xfrm_hc_peer *peer, u8 state, gfp_t gfp)
{
	static const u8 cmd[] = {
		[XFRM_HC_STATE_UP] = XFRM_HC_CMD_PEER_UP,
		[XFRM_HC_STATE_DEAD] = XFRM_HC_CMD_PEER_DOWN,
		[XFRM_HC_STATE_IDLE] = XFRM_HC_CMD_PEER_IDLE,
	};

	if (state < ARRAY_SIZE(cmd))
		xfrm_hc_event_peer(peer, cmd[state], gfp);
}
