// SPDX-License-Identifier: GPL-2.0
/*
 * Where a peer without a probe target learns to be probed by echo.
 *
 * A peer is probed by xfrm-hc's echo (echo_wire.h) only once it has
 * answered one: capability is learned from answers, never assumed, so a
 * peer whose host does not run xfrm-hc is judged passively as before and
 * never declared dead for an echo it was never known to answer. Until
 * then its ticks send a discovery echo now and then, with a back-off (1,
 * 2, 4, 8, 16, then every 30 s), which counts for nothing if unanswered.
 * Once it answers, the echo is its probe: idle tunnels are probed in every
 * mode, as the echo costs only the two gateways. Before that, a passive
 * peer with a miss counted (one-way traffic) gets an echo each interval
 * whatever the back-off: an answer, or the far host's ICMP error saying
 * nothing listens on the echo port, is evidence that the tunnel carries
 * traffic back, so a healthy one-way flow is not called dead. A peer
 * whose traffic shows it alive while `misses` echoes in a row go
 * unanswered has lost its responder (module unloaded, echo-responder
 * off): it falls back to passive and to discovery.
 *
 * The echo's inner addresses must match the tunnel's policies on both
 * sides. They come from the peer's outbound SA: its outer addresses in
 * transport mode, its selector if it has one; IKE daemons install
 * tunnel-mode SAs with wildcard selectors, and then from the outbound
 * policy whose template leads to that SA (reqid, addresses, if_id). Within
 * a selector the source and destination are our and the peer's outer
 * addresses if it holds them (0.0.0.0/0 on XFRM interfaces), else its
 * first host: the far side catches the echo before routing, so nobody
 * need own it. Policies are walked in process context, once for all the
 * peers that asked since the last walk.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/inetdevice.h>
#include <linux/jhash.h>
#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include <net/ipv6.h>
#include <net/xfrm.h>

#include "echo_requester.h"
#include "liveness.h"
#include "netlink.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"

static bool xfrm_hc_echo_probe __read_mostly = true;
module_param_named(echo_probe, xfrm_hc_echo_probe, bool, 0644);
MODULE_PARM_DESC(echo_probe,
		 "probe peers without a probe target by xfrm-hc's echo once they answer it (default on)");

#define XFRM_HC_ECHO_BACKOFF_MAX	(30 * HZ)
/* Let the requests of many peers' ticks gather into one policy walk. */
#define XFRM_HC_ECHO_RESOLVE_DELAY	(HZ / 20)

static unsigned long xfrm_hc_echo_backoff(u8 tries)
{
	return tries >= 5 ? XFRM_HC_ECHO_BACKOFF_MAX : HZ << tries;
}

static struct xfrm_hc_echo_target *
xfrm_hc_echo_target_locked(struct xfrm_hc_peer *peer)
{
	return rcu_dereference_protected(peer->echo_target,
					 lockdep_is_held(&peer->lock));
}

/* Look the target up: the peer's tick asks, the netns work answers. */
static void xfrm_hc_echo_resolve_request(struct xfrm_hc_peer *peer)
{
	struct xfrm_hc_net *hn = xfrm_hc_peer_hn(peer);

	if (peer->echo_state & XFRM_HC_ECHO_RESOLVE)
		return;
	peer->echo_state |= XFRM_HC_ECHO_RESOLVE;
	if (!READ_ONCE(hn->exiting))
		queue_delayed_work(system_wq, &hn->echo_work,
				   XFRM_HC_ECHO_RESOLVE_DELAY);
}

/**
 * xfrm_hc_echo_plan() - what a peer without a probe target does this tick
 * @peer: the peer
 * @t: filled in for an echo
 *
 * Context: softirq (the peer's tick), its lock not held.
 * Return: probe it by echo, send a discovery echo, or nothing.
 */
enum xfrm_hc_echo_use xfrm_hc_echo_plan(struct xfrm_hc_peer *peer,
					struct xfrm_hc_probe_target *t)
{
	enum xfrm_hc_echo_use use = XFRM_HC_ECHO_NONE;
	struct xfrm_hc_echo_target *et;

	if (!READ_ONCE(xfrm_hc_echo_probe))
		return use;
	spin_lock(&peer->lock);
	et = xfrm_hc_echo_target_locked(peer);
	if (peer->echo_state & XFRM_HC_ECHO_CAPABLE) {
		if (et) {
			*t = et->t;
			use = XFRM_HC_ECHO_PROBE;
		}
	} else if (time_after_eq(jiffies, peer->echo_retry_at)) {
		if (!et) {
			xfrm_hc_echo_resolve_request(peer);
		} else {
			*t = et->t;
			use = XFRM_HC_ECHO_DISCOVER;
			peer->echo_retry_at = jiffies +
				xfrm_hc_echo_backoff(peer->echo_tries);
			if (peer->echo_tries < U8_MAX)
				peer->echo_tries++;
		}
	}
	spin_unlock(&peer->lock);
	return use;
}

/**
 * xfrm_hc_echo_confirm() - an echo to check a passive peer's miss
 * @peer: the peer, not probed by echo, with a miss counted this tick
 * @t: filled in
 *
 * Context: softirq (the peer's tick), its lock not held.
 * Return: true to send it; false if its target is not known yet.
 */
bool xfrm_hc_echo_confirm(struct xfrm_hc_peer *peer,
			  struct xfrm_hc_probe_target *t)
{
	struct xfrm_hc_echo_target *et;
	bool send = false;

	if (!READ_ONCE(xfrm_hc_echo_probe))
		return false;
	spin_lock(&peer->lock);
	et = xfrm_hc_echo_target_locked(peer);
	if (et) {
		*t = et->t;
		send = true;
	} else if (time_after_eq(jiffies, peer->echo_retry_at)) {
		/* Not found lately: no policy walk for every miss. */
		xfrm_hc_echo_resolve_request(peer);
	}
	spin_unlock(&peer->lock);
	return send;
}

/*
 * Capability lost: passive. With @target, the target is wrong too: look it
 * up again after the discovery back-off, which grows, so that a target
 * that keeps routing elsewhere costs no policy walk each tick. Without,
 * discovery starts over after the longest wait.
 */
static void xfrm_hc_echo_forget(struct xfrm_hc_peer *peer, bool target)
{
	struct xfrm_hc_echo_target *et = NULL;

	peer->echo_state &= ~XFRM_HC_ECHO_CAPABLE;
	if (target) {
		et = rcu_replace_pointer(peer->echo_target, NULL,
					 lockdep_is_held(&peer->lock));
		peer->echo_retry_at = jiffies +
				      xfrm_hc_echo_backoff(peer->echo_tries);
		if (peer->echo_tries < U8_MAX)
			peer->echo_tries++;
	} else {
		peer->echo_tries = 0;
		peer->echo_retry_at = jiffies + XFRM_HC_ECHO_BACKOFF_MAX;
	}
	if (et) {
		kfree_rcu(et, rcu);
		xfrm_hc_obj_gone(XFRM_HC_OBJ_ECHO_TARGET);
	}
}

/**
 * xfrm_hc_echo_judge() - whether a peer probed by echo still answers it
 * @peer: the peer, its lock held
 * @misses: its profile's misses
 * @tick: the interval's evidence; its probe is taken away if the peer no
 *	longer answers
 *
 * Called before the state machine judges the interval: an echo that went
 * unanswered while the peer's traffic showed it alive says its responder
 * is gone, not the peer; that echo then counts for nothing.
 */
void xfrm_hc_echo_judge(struct xfrm_hc_peer *peer, u8 misses,
			struct xfrm_hc_tick *tick)
{
	lockdep_assert_held(&peer->lock);
	if (!peer->lv.probe_sent)
		return;
	if (tick->probe_answered) {
		peer->echo_tries = 0;
		return;
	}
	if (!tick->in_data || ++peer->echo_tries < misses)
		return;
	xfrm_hc_echo_forget(peer, false);
	xfrm_hc_liveness_probe_unsent(&peer->lv);
	tick->can_probe = false;
}

/**
 * xfrm_hc_echo_unrouted() - a peer's echo found no route through its SAs
 * @peer: the peer
 *
 * Its tunnel's selectors changed (a new CHILD_SA): look them up again.
 * Context: softirq, its lock not held.
 */
void xfrm_hc_echo_unrouted(struct xfrm_hc_peer *peer)
{
	spin_lock(&peer->lock);
	xfrm_hc_echo_forget(peer, true);
	spin_unlock(&peer->lock);
}

/**
 * xfrm_hc_echo_refused() - the peer's host says nothing listens to echoes
 * @peer: the peer whose SA brought an ICMP error about our echo
 *
 * Its xfrm-hc is gone or its responder off, and it owns the echo's
 * address: back to passive at once, not dead for echoes it will never
 * answer. The error came back through the tunnel: evidence of life, as
 * an answer is.
 * Context: a netfilter hook.
 */
void xfrm_hc_echo_refused(struct xfrm_hc_peer *peer)
{
	spin_lock(&peer->lock);
	if (peer->answers_tick < U16_MAX)
		peer->answers_tick++;
	if (peer->echo_state & XFRM_HC_ECHO_CAPABLE) {
		xfrm_hc_echo_forget(peer, false);
		xfrm_hc_liveness_probe_unsent(&peer->lv);
	}
	spin_unlock(&peer->lock);
}

/**
 * xfrm_hc_echo_answer_fresh() - whether an echo answer is new
 * @peer: the peer it answers, already verified as its (probe_mac.c)
 * @seq: its sequence number
 *
 * Only an answer newer than the last one counted and not newer than the
 * last echo sent counts: a replay or a late answer does not. The first
 * makes the peer echo-capable.
 * Context: a netfilter hook.
 * Return: true if it counts.
 */
bool xfrm_hc_echo_answer_fresh(struct xfrm_hc_peer *peer, u32 seq)
{
	bool fresh;

	spin_lock(&peer->lock);
	fresh = (s32)(seq - peer->echo_answered_seq) > 0 &&
		(s32)(peer->probe_seq - seq) >= 0;
	if (fresh) {
		peer->echo_answered_seq = seq;
		if (!(peer->echo_state & XFRM_HC_ECHO_CAPABLE)) {
			peer->echo_state |= XFRM_HC_ECHO_CAPABLE;
			peer->echo_tries = 0;
		}
	}
	spin_unlock(&peer->lock);
	return fresh;
}

/**
 * xfrm_hc_echo_peer_free() - free what a peer's echo holds
 * @peer: the peer, which no reader can see any more
 */
void xfrm_hc_echo_peer_free(struct xfrm_hc_peer *peer)
{
	struct xfrm_hc_echo_target *et;

	et = rcu_dereference_protected(peer->echo_target, 1);
	if (!et)
		return;
	kfree(et);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_ECHO_TARGET);
}

/* An address inside @plen bits of @prefix: @pref if it is, else a host. */
static void xfrm_hc_echo_pick(xfrm_address_t *out, u16 family,
			      const xfrm_address_t *prefix, u8 plen,
			      const xfrm_address_t *pref, u16 pref_family)
{
	if (family == pref_family && addr_match(pref, prefix, plen)) {
		*out = *pref;
		return;
	}
	memset(out, 0, sizeof(*out));
	if (family == AF_INET) {
		/* 0.0.0.1 is no address: the IPv4 dummy address (RFC 7600). */
		if (!plen) {
			out->a4 = htonl(0xc0000008);
			return;
		}
		out->a4 = prefix->a4 & inet_make_mask(min_t(u8, plen, 32));
		if (plen <= 30)
			out->a4 |= htonl(1);
		return;
	}
	/* Nor is ::1 outside the host: the discard prefix (RFC 6666). */
	if (!plen) {
		out->in6.s6_addr[0] = 1;
		out->in6.s6_addr[15] = 1;
		return;
	}
	ipv6_addr_prefix(&out->in6, &prefix->in6, min_t(u8, plen, 128));
	if (plen <= 126)
		out->in6.s6_addr[15] |= 1;
}

static void xfrm_hc_echo_from_selector(struct xfrm_hc_probe_target *t,
				       const struct xfrm_selector *sel,
				       const struct xfrm_hc_peer_key *key)
{
	memset(t, 0, sizeof(*t));
	t->family = sel->family;
	t->echo = true;
	xfrm_hc_echo_pick(&t->src, sel->family, &sel->saddr, sel->prefixlen_s,
			  &key->local, key->family);
	xfrm_hc_echo_pick(&t->dst, sel->family, &sel->daddr, sel->prefixlen_d,
			  &key->remote, key->family);
}

/**
 * struct xfrm_hc_echo_lookup - one peer whose echo target is looked up
 * @node: in its hash bucket, by the outbound SA's destination
 * @peer: the peer
 * @daddr: its outbound SA's destination
 * @saddr: and source
 * @reqid: and reqid
 * @if_id: and if_id
 * @family: the outer family
 * @proto: IPPROTO_ESP or IPPROTO_AH
 * @found: @t is set
 * @exact: by a template with the SA's own reqid, not a wildcard one
 * @t: the target found
 */
struct xfrm_hc_echo_lookup {
	struct hlist_node node;
	struct xfrm_hc_peer *peer;
	xfrm_address_t daddr;
	xfrm_address_t saddr;
	u32 reqid;
	u32 if_id;
	u16 family;
	u8 proto;
	bool found;
	bool exact;
	struct xfrm_hc_probe_target t;
};

/**
 * struct xfrm_hc_echo_resolve - one pass over the peers that asked
 * @items: the peers
 * @n: how many
 * @buckets: @items to match against policies, by destination
 * @hash_bits: log2 of the buckets
 */
struct xfrm_hc_echo_resolve {
	struct xfrm_hc_echo_lookup *items;
	unsigned int n;
	struct hlist_head *buckets;
	unsigned int hash_bits;
};

static u32 xfrm_hc_echo_hash(const xfrm_address_t *a, u16 family, u32 bits)
{
	return hash_32(jhash(a, xfrm_hc_addr_len(family), family), bits);
}

/* The SA alone may say: transport mode, or a selector of its own. */
static bool xfrm_hc_echo_from_sa(struct xfrm_hc_echo_lookup *e,
				 struct xfrm_state *x)
{
	const struct xfrm_hc_peer_key *key = &e->peer->key;
	const struct xfrm_selector *sel = &x->sel;

	if (x->props.mode == XFRM_MODE_TRANSPORT ||
	    x->props.mode == XFRM_MODE_BEET) {
		memset(&e->t, 0, sizeof(e->t));
		e->t.family = key->family;
		e->t.src = key->local;
		e->t.dst = key->remote;
		e->t.echo = true;
		return true;
	}
	if ((sel->family == AF_INET || sel->family == AF_INET6) &&
	    (sel->prefixlen_s || sel->prefixlen_d)) {
		xfrm_hc_echo_from_selector(&e->t, sel, key);
		return true;
	}
	return false;
}

static int xfrm_hc_echo_policy_seen(struct xfrm_policy *pol, int dir,
				    int count, void *ptr)
{
	struct xfrm_hc_echo_resolve *rs = ptr;
	struct xfrm_hc_echo_lookup *e;
	int i;

	if (dir != XFRM_POLICY_OUT ||
	    (pol->selector.family != AF_INET &&
	     pol->selector.family != AF_INET6))
		return 0;
	for (i = 0; i < pol->xfrm_nr; i++) {
		const struct xfrm_tmpl *tmpl = &pol->xfrm_vec[i];
		u16 family = tmpl->encap_family;
		u32 h;

		if (tmpl->mode != XFRM_MODE_TUNNEL)
			continue;
		h = xfrm_hc_echo_hash(&tmpl->id.daddr, family, rs->hash_bits);
		hlist_for_each_entry(e, &rs->buckets[h], node) {
			if (e->exact || e->family != family ||
			    e->proto != tmpl->id.proto ||
			    e->if_id != pol->if_id ||
			    !xfrm_addr_equal(&e->daddr, &tmpl->id.daddr,
					     family) ||
			    (tmpl->reqid && tmpl->reqid != e->reqid) ||
			    (!xfrm_addr_any(&tmpl->saddr, family) &&
			     !xfrm_addr_equal(&e->saddr, &tmpl->saddr, family)))
				continue;
			xfrm_hc_echo_from_selector(&e->t, &pol->selector,
						   &e->peer->key);
			e->t.mark = pol->mark.v & pol->mark.m;
			e->found = true;
			e->exact = tmpl->reqid;
		}
	}
	return 0;
}

/* Fill @e from the peer's first outbound SA; false to ask the policies. */
static bool xfrm_hc_echo_prepare(struct xfrm_hc_echo_lookup *e)
{
	struct xfrm_hc_sa *sa;

	hlist_for_each_entry_rcu(sa, &e->peer->sas, peer_node) {
		struct xfrm_state *x = sa->x;

		if (sa->dir != XFRM_HC_DIR_OUT)
			continue;
		if (xfrm_hc_echo_from_sa(e, x)) {
			e->found = true;
			return true;
		}
		e->daddr = x->id.daddr;
		e->saddr = x->props.saddr;
		e->reqid = x->props.reqid;
		e->if_id = x->if_id;
		e->family = x->props.family;
		e->proto = x->id.proto;
		return false;
	}
	/* No outbound SA: nothing to send an echo by. */
	return true;
}

/* Give each peer what was found, and stop asking. */
static void xfrm_hc_echo_publish(struct xfrm_hc_echo_lookup *e)
{
	struct xfrm_hc_peer *peer = e->peer;
	struct xfrm_hc_echo_target *et = NULL, *old;

	if (e->found) {
		et = kzalloc(sizeof(*et), GFP_KERNEL);
		if (et) {
			xfrm_hc_obj_made(XFRM_HC_OBJ_ECHO_TARGET);
			et->t = e->t;
		}
	}
	spin_lock_bh(&peer->lock);
	old = rcu_replace_pointer(peer->echo_target, et,
				  lockdep_is_held(&peer->lock));
	peer->echo_state &= ~XFRM_HC_ECHO_RESOLVE;
	/* Nothing found: its policies may come later; look again then. */
	if (!et)
		peer->echo_retry_at = jiffies + XFRM_HC_ECHO_BACKOFF_MAX;
	spin_unlock_bh(&peer->lock);
	if (old) {
		kfree_rcu(old, rcu);
		xfrm_hc_obj_gone(XFRM_HC_OBJ_ECHO_TARGET);
	}
}

static bool xfrm_hc_echo_resolve(struct xfrm_hc_net *hn,
				 struct xfrm_hc_echo_resolve *rs)
{
	struct xfrm_policy_walk walk;
	struct xfrm_hc_echo_lookup *e;
	struct xfrm_hc_peer *peer;
	bool walk_needed = false, found;
	unsigned long id;
	unsigned int i;

	rs->hash_bits = ilog2(roundup_pow_of_two(max(rs->n, 2U)));
	rs->buckets = kvcalloc(1U << rs->hash_bits, sizeof(*rs->buckets),
			       GFP_KERNEL);
	if (!rs->buckets)
		return false;
	i = 0;
	xa_for_each(&hn->peer_ids, id, peer) {
		if (!(READ_ONCE(peer->echo_state) & XFRM_HC_ECHO_RESOLVE))
			continue;
		if (i == rs->n)
			break;
		e = &rs->items[i++];
		e->peer = peer;
		rcu_read_lock();
		found = xfrm_hc_echo_prepare(e);
		rcu_read_unlock();
		if (found)
			continue;
		walk_needed = true;
		hlist_add_head(&e->node,
			       &rs->buckets[xfrm_hc_echo_hash(&e->daddr,
							      e->family,
							      rs->hash_bits)]);
	}
	rs->n = i;
	if (walk_needed) {
		xfrm_policy_walk_init(&walk, XFRM_POLICY_TYPE_ANY);
		xfrm_policy_walk(hn->net, &walk, xfrm_hc_echo_policy_seen, rs);
		xfrm_policy_walk_done(&walk, hn->net);
	}
	for (i = 0; i < rs->n; i++)
		xfrm_hc_echo_publish(&rs->items[i]);
	kvfree(rs->buckets);
	return true;
}

/* No memory for a pass: let the peers ask again in a while. */
static void xfrm_hc_echo_resolve_failed(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_peer *peer;
	unsigned long id;

	xa_for_each(&hn->peer_ids, id, peer) {
		spin_lock_bh(&peer->lock);
		if (peer->echo_state & XFRM_HC_ECHO_RESOLVE) {
			peer->echo_state &= ~XFRM_HC_ECHO_RESOLVE;
			peer->echo_retry_at = jiffies + HZ;
		}
		spin_unlock_bh(&peer->lock);
	}
}

static void xfrm_hc_echo_work(struct work_struct *work)
{
	struct xfrm_hc_net *hn = container_of(to_delayed_work(work),
					      struct xfrm_hc_net, echo_work);
	struct xfrm_hc_echo_resolve rs = {};
	struct xfrm_hc_peer *peer;
	unsigned long id;

	/* Peers leave the tables under the lock: none is freed meanwhile. */
	mutex_lock(&hn->lock);
	xa_for_each(&hn->peer_ids, id, peer)
		if (READ_ONCE(peer->echo_state) & XFRM_HC_ECHO_RESOLVE)
			rs.n++;
	if (rs.n) {
		rs.items = kvcalloc(rs.n, sizeof(*rs.items), GFP_KERNEL);
		if (!rs.items || !xfrm_hc_echo_resolve(hn, &rs))
			xfrm_hc_echo_resolve_failed(hn);
		kvfree(rs.items);
	}
	mutex_unlock(&hn->lock);
}

/**
 * xfrm_hc_echo_net_init() - set up a namespace's echo target lookups
 * @hn: the namespace's state
 */
void xfrm_hc_echo_net_init(struct xfrm_hc_net *hn)
{
	INIT_DELAYED_WORK(&hn->echo_work, xfrm_hc_echo_work);
}

/**
 * xfrm_hc_echo_net_cancel() - stop a namespace's echo target lookups
 * @hn: the namespace's state, its peers gone, its lock not held
 */
void xfrm_hc_echo_net_cancel(struct xfrm_hc_net *hn)
{
	cancel_delayed_work_sync(&hn->echo_work);
}
