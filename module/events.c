// SPDX-License-Identifier: GPL-2.0
/*
 * Where events are sent: peer-down, peer-up, peer-idle and peer-gone, to
 * the "events" multicast group of the peer's netns.
 *
 * Nothing is lost silently: an event that cannot be built is counted as
 * dropped, and a listener whose socket overflows gets ENOBUFS from netlink
 * and resyncs from a peer dump, whose generation tells it what changed.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/genetlink.h>

#include "events.h"
#include "netlink.h"
#include "peer.h"
#include "pernet.h"

/* Off while the family is not registered: timers may run before and after. */
static bool xfrm_hc_events_on;

/**
 * xfrm_hc_event_peer() - multicast an event about a peer
 * @peer: the peer
 * @cmd: XFRM_HC_CMD_PEER_*
 * @gfp: allocation context: GFP_ATOMIC from timers
 */
void xfrm_hc_event_peer(struct xfrm_hc_peer *peer, u8 cmd, gfp_t gfp)
{
	struct xfrm_hc_net *hn = peer->hn;
	struct sk_buff *skb;
	void *hdr;
	int err;

	rcu_read_lock();
	if (!READ_ONCE(xfrm_hc_events_on) ||
	    !genl_has_listeners(&xfrm_hc_genl_family, hn->net, 0)) {
		rcu_read_unlock();
		return;
	}

	skb = genlmsg_new(xfrm_hc_nl_peer_size(peer), gfp);
	if (!skb)
		goto err_drop;
	hdr = genlmsg_put(skb, 0, 0, &xfrm_hc_genl_family, 0, cmd);
	if (!hdr)
		goto err_free;
	if (nla_put_u32(skb, XFRM_HC_A_GENERATION, READ_ONCE(hn->generation)) ||
	    xfrm_hc_nl_put_peer(skb, peer, cmd))
		goto err_free;
	genlmsg_end(skb, hdr);

	/* -ESRCH: the last listener just left. Anything else: lost. */
	err = genlmsg_multicast_netns(&xfrm_hc_genl_family, hn->net, skb, 0,
				      0, gfp);
	if (err && err != -ESRCH)
		goto err_count;
	rcu_read_unlock();
	atomic64_inc(&hn->events_sent);
	return;

err_free:
	nlmsg_free(skb);
err_drop:
	pr_warn_ratelimited("event %u not sent: out of memory\n", cmd);
err_count:
	rcu_read_unlock();
	atomic64_inc(&hn->events_dropped);
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
