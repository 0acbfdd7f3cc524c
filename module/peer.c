// SPDX-License-Identifier: GPL-2.0
/*
 * The peer table: SAs grouped by remote gateway, so that liveness is per
 * peer and not per SA. Peers are found by key and by id; an SA through the
 * peer its own addresses and ports name, so it needs no table of its own.
 * Writers hold xfrm_hc_net.lock; timers and probe replies read under RCU.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/log2.h>
#include <linux/rhashtable.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "echo_requester.h"
#include "echo_responder.h"
#include "events.h"
#include "limits.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "timers.h"

static struct kmem_cache *xfrm_hc_peer_cache __read_mostly;
static struct kmem_cache *xfrm_hc_sa_cache __read_mostly;

/* SAs come from the IKE daemon, not from a request: past the limit they go
 * unmonitored and counted, so one namespace cannot take all memory.
 */
static unsigned int xfrm_hc_max_peers __read_mostly = 65536;
module_param_named(max_peers, xfrm_hc_max_peers, uint, 0644);
MODULE_PARM_DESC(max_peers, "peers per network namespace (SAs past it are not monitored)");

static const struct rhashtable_params xfrm_hc_peer_params = {
	.key_len = sizeof(struct xfrm_hc_peer_key),
	.key_offset = offsetof(struct xfrm_hc_peer, key),
	.head_offset = offsetof(struct xfrm_hc_peer, node),
	.automatic_shrinking = true,
};

static const struct rhashtable_params xfrm_hc_sa_params = {
	.key_len = sizeof(struct xfrm_state *),
	.key_offset = offsetof(struct xfrm_hc_sa, x),
	.head_offset = offsetof(struct xfrm_hc_sa, hash_node),
	.automatic_shrinking = true,
};

/**
 * xfrm_hc_peer_key_build() - the peer an SA belongs to
 * @key: filled in
 * @family: the SA's outer family
 * @saddr: the SA's outer source
 * @daddr: the SA's outer destination
 * @encap_sport: its NAT-T source port, 0 without encapsulation
 * @encap_dport: its NAT-T destination port, 0 without encapsulation
 * @if_id: its XFRM interface id
 * @dir: enum xfrm_hc_dir: an inbound SA runs from the peer to us
 */
void xfrm_hc_peer_key_build(struct xfrm_hc_peer_key *key, u16 family,
			    const xfrm_address_t *saddr,
			    const xfrm_address_t *daddr, __be16 encap_sport,
			    __be16 encap_dport, u32 if_id, u8 dir)
{
	bool in = dir == XFRM_HC_DIR_IN;

	memset(key, 0, sizeof(*key));
	key->family = family;
	key->if_id = if_id;
	/* Only the bytes of the family: the rest stays zero for hashing. */
	memcpy(&key->local, in ? daddr : saddr,
	       family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr));
	memcpy(&key->remote, in ? saddr : daddr,
	       family == AF_INET ? sizeof(__be32) : sizeof(struct in6_addr));
	key->local_port = in ? encap_dport : encap_sport;
	key->remote_port = in ? encap_sport : encap_dport;
}

/* @x's encapsulation ports, 0 without; they can change (new NAT mapping). */
static void xfrm_hc_sa_ports(struct xfrm_state *x, __be16 *sport,
			     __be16 *dport)
{
	*sport = 0;
	*dport = 0;
	spin_lock_bh(&x->lock);
	if (x->encap) {
		*sport = x->encap->encap_sport;
		*dport = x->encap->encap_dport;
	}
	spin_unlock_bh(&x->lock);
}

/* The key of @x's peer if @x runs in direction @dir. */
static void xfrm_hc_sa_key(struct xfrm_state *x, __be16 sport, __be16 dport,
			   u8 dir, struct xfrm_hc_peer_key *key)
{
	xfrm_hc_peer_key_build(key, x->props.family, &x->props.saddr,
			       &x->id.daddr, sport, dport, x->if_id, dir);
}

/**
 * xfrm_hc_peer_key_of_state() - the key of an SA's peer
 * @x: the SA, monitored or not
 * @dir: enum xfrm_hc_dir, the direction @x runs in
 * @key: filled in
 *
 * Context: any; takes @x's lock with BHs off for its ports.
 */
void xfrm_hc_peer_key_of_state(struct xfrm_state *x, u8 dir,
			       struct xfrm_hc_peer_key *key)
{
	__be16 sport, dport;

	xfrm_hc_sa_ports(x, &sport, &dport);
	xfrm_hc_sa_key(x, sport, dport, dir, key);
}

/* The key of @x's peer in each direction, [XFRM_HC_DIR_IN] and [_OUT]. */
static void xfrm_hc_sa_keys(struct xfrm_state *x,
			    struct xfrm_hc_peer_key key[2])
{
	__be16 sport, dport;
	u8 dir;

	xfrm_hc_sa_ports(x, &sport, &dport);
	for (dir = 0; dir < 2; dir++)
		xfrm_hc_sa_key(x, sport, dport, dir, &key[dir]);
}

/*
 * The monitored entry of @x, with its peer, whatever key @x's ports and
 * if_id give now: one changed in place is still found where it was.
 * Context: RCU, or hn->lock held.
 */
static struct xfrm_hc_sa *xfrm_hc_sa_find(struct xfrm_hc_net *hn,
					  struct xfrm_state *x)
{
	return rhashtable_lookup_fast(&hn->sas, &x, xfrm_hc_sa_params);
}

/*
 * The peer an entry belongs to. Under hn->lock, exact. Under RCU only, an
 * entry unlinked meanwhile may name the next peer given its id, for the
 * rest of that read section: a peer's id is free again once the peer is
 * removed, after its last SA left.
 */
static struct xfrm_hc_peer *xfrm_hc_sa_peer(struct xfrm_hc_net *hn,
					    const struct xfrm_hc_sa *sa)
{
	return xa_load(&hn->peer_ids, sa->peer_id);
}

/**
 * xfrm_hc_peer_counters() - sum the packet counters of a peer's SAs
 * @peer: the peer
 * @in: inbound packets
 * @out: outbound packets
 *
 * Reads the SAs' own lifetime counters: the data path is not touched.
 */
void xfrm_hc_peer_counters(struct xfrm_hc_peer *peer, u64 *in, u64 *out)
{
	struct xfrm_hc_sa *sa;

	*in = 0;
	*out = 0;
	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		u64 packets = READ_ONCE(sa->x->curlft.packets);

		if (sa->dir == XFRM_HC_DIR_IN)
			*in += packets;
		else
			*out += packets;
	}
	rcu_read_unlock();
}

/**
 * xfrm_hc_peer_counters_take() - what a peer's SAs carried since the last call
 * @peer: the peer, its lock held
 * @in: inbound packets since
 * @out: outbound packets since
 *
 * Each SA keeps its own count at the last call: one that came since adds
 * only what it carried since it was watched, one that went takes nothing
 * away.
 *
 * A dead SA still listed was deleted and not yet dropped: perhaps never
 * announced (a migration, an offload device's flush), its traffic going
 * on in an SA we do not watch. Its frozen count would pass for a silent
 * peer, so nothing is taken; the next call, once it is dropped, takes
 * what the others carried meanwhile.
 *
 * Return: false if an SA is dead: @in and @out are then 0 and no count
 * moved.
 */
bool xfrm_hc_peer_counters_take(struct xfrm_hc_peer *peer, u64 *in, u64 *out)
{
	struct xfrm_hc_sa *sa;
	u64 now, since;

	lockdep_assert_held(&peer->lock);
	*in = 0;
	*out = 0;
	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		if (READ_ONCE(sa->x->km.state) == XFRM_STATE_DEAD) {
			rcu_read_unlock();
			return false;
		}
	}
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		now = READ_ONCE(sa->x->curlft.packets);
		/* Counters only grow; never read a shrink as a flood. */
		since = now > sa->last_packets ? now - sa->last_packets : 0;
		sa->last_packets = now;
		if (sa->dir == XFRM_HC_DIR_IN)
			*in += since;
		else
			*out += since;
	}
	rcu_read_unlock();
	return true;
}

static void xfrm_hc_peer_free(struct xfrm_hc_peer *peer)
{
	xfrm_hc_echo_peer_free(peer);
	kmem_cache_free(xfrm_hc_peer_cache, peer);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_PEER);
}

static void xfrm_hc_sa_free(struct xfrm_hc_sa *sa)
{
	kmem_cache_free(xfrm_hc_sa_cache, sa);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_SA);
}

static void xfrm_hc_peer_free_rcu(struct rcu_head *head)
{
	xfrm_hc_peer_free(container_of(head, struct xfrm_hc_peer, rcu));
}

static void xfrm_hc_sa_free_rcu(struct rcu_head *head)
{
	xfrm_hc_sa_free(container_of(head, struct xfrm_hc_sa, rcu));
}

static int xfrm_hc_remote_cmp(u16 fa, const xfrm_address_t *a, u16 fb,
			      const xfrm_address_t *b)
{
	if (fa != fb)
		return fa < fb ? -1 : 1;
	/* Network order: byte order is address order. */
	return memcmp(a, b, fa == AF_INET ? sizeof(__be32) :
					    sizeof(struct in6_addr));
}

static bool xfrm_hc_peer_remote_less(struct rb_node *a,
				     const struct rb_node *b)
{
	const struct xfrm_hc_peer *pa, *pb;

	pa = rb_entry(a, struct xfrm_hc_peer, remote_node);
	pb = rb_entry(b, struct xfrm_hc_peer, remote_node);
	return xfrm_hc_remote_cmp(pa->key.family, &pa->key.remote,
				  pb->key.family, &pb->key.remote) < 0;
}

/**
 * xfrm_hc_peer_index_add() - put a peer in the index by remote address
 * @root: the index (xfrm_hc_net.peers_by_remote), its lock held
 * @peer: the peer, its key set; peers may share a remote address
 */
void xfrm_hc_peer_index_add(struct rb_root *root, struct xfrm_hc_peer *peer)
{
	rb_add(&peer->remote_node, root, xfrm_hc_peer_remote_less);
}

/* The first and last address of @prefix/@plen, for @family's length. */
static void xfrm_hc_prefix_bounds(u16 family, const xfrm_address_t *prefix,
				  u8 plen, xfrm_address_t *lo,
				  xfrm_address_t *hi)
{
	unsigned int len = family == AF_INET ? 4 : 16, i;
	const u8 *p = (const u8 *)prefix;
	u8 *l = (u8 *)lo, *h = (u8 *)hi;

	memset(lo, 0, sizeof(*lo));
	memset(hi, 0, sizeof(*hi));
	for (i = 0; i < len; i++) {
		unsigned int bits = clamp_t(int, plen - 8 * i, 0, 8);
		u8 mask = bits ? 0xff << (8 - bits) : 0;

		l[i] = p[i] & mask;
		h[i] = p[i] | (u8)~mask;
	}
}

/**
 * xfrm_hc_peer_next_in_prefix() - the peers whose remote address is in a
 *	prefix, in address order
 * @root: the index (xfrm_hc_net.peers_by_remote), its lock held
 * @family: AF_INET or AF_INET6
 * @prefix: the prefix; bits past @plen are ignored
 * @plen: its length
 * @prev: NULL for the first, else the one returned last
 *
 * O(log n) for the first, then O(1) each: a rule's change visits its own
 * peers, not every peer of the namespace.
 * Return: the next such peer, or NULL when there is none.
 */
struct xfrm_hc_peer *xfrm_hc_peer_next_in_prefix(struct rb_root *root,
						 u16 family,
						 const xfrm_address_t *prefix,
						 u8 plen,
						 struct xfrm_hc_peer *prev)
{
	struct rb_node *n, *first = NULL;
	struct xfrm_hc_peer *peer;
	xfrm_address_t lo, hi;

	xfrm_hc_prefix_bounds(family, prefix, plen, &lo, &hi);
	if (prev) {
		first = rb_next(&prev->remote_node);
	} else {
		/* The leftmost peer at or past the prefix's first address. */
		for (n = root->rb_node; n; ) {
			peer = rb_entry(n, struct xfrm_hc_peer, remote_node);
			if (xfrm_hc_remote_cmp(peer->key.family, &peer->key.remote,
					       family, &lo) >= 0) {
				first = n;
				n = n->rb_left;
			} else {
				n = n->rb_right;
			}
		}
	}
	if (!first)
		return NULL;
	peer = rb_entry(first, struct xfrm_hc_peer, remote_node);
	if (xfrm_hc_remote_cmp(peer->key.family, &peer->key.remote, family,
			       &hi) > 0)
		return NULL;
	return peer;
}

static struct xfrm_hc_peer *
xfrm_hc_peer_create(struct xfrm_hc_net *hn, const struct xfrm_hc_peer_key *key,
		    struct xfrm_hc_shared_profile *sp)
{
	struct xfrm_hc_peer *peer;
	int err;

	if (hn->npeers >= READ_ONCE(xfrm_hc_max_peers)) {
		atomic64_inc(&hn->peers_refused);
		return ERR_PTR(-ENOSPC);
	}
	if (!xfrm_hc_limit_take(XFRM_HC_OBJ_PEER)) {
		atomic64_inc(&hn->peers_refused);
		return ERR_PTR(-ENOSPC);
	}
	/*
	 * Not charged to a memcg: peers are made by a worker, from the
	 * kernel's own SAs, not by the caller of a request. max_peers and
	 * max_peers_total bound them instead.
	 */
	peer = kmem_cache_zalloc(xfrm_hc_peer_cache, GFP_KERNEL);
	if (!peer) {
		xfrm_hc_obj_gone(XFRM_HC_OBJ_PEER);
		return ERR_PTR(-ENOMEM);
	}
	xfrm_hc_profile_hold(sp);
	peer->profile = sp;
	peer->key = *key;
	INIT_HLIST_HEAD(&peer->sas);
	spin_lock_init(&peer->lock);
	peer->lv.state = XFRM_HC_STATE_UP;
	peer->last_change = ktime_get();
	peer->last_evidence = peer->last_change;
	peer->echo_retry_at = jiffies;
	xfrm_hc_timer_init(peer);

	err = xa_alloc(&hn->peer_ids, &peer->id, peer, xa_limit_31b,
		       GFP_KERNEL);
	if (err)
		goto err_free;
	err = rhashtable_insert_fast(&hn->peers, &peer->node,
				     xfrm_hc_peer_params);
	if (err == -E2BIG) {
		/* max_peers was raised past what the table was sized for. */
		atomic64_inc(&hn->peers_refused);
		err = -ENOSPC;
	}
	if (err)
		goto err_erase;
	xfrm_hc_peer_index_add(&hn->peers_by_remote, peer);
	hn->npeers++;
	hn->generation++;
	return peer;

err_erase:
	xa_erase(&hn->peer_ids, peer->id);
err_free:
	xfrm_hc_profile_put(peer->profile);
	xfrm_hc_peer_free(peer);
	return ERR_PTR(err);
}

static void xfrm_hc_peer_remove(struct xfrm_hc_net *hn,
				struct xfrm_hc_peer *peer, bool gone)
{
	rhashtable_remove_fast(&hn->peers, &peer->node, xfrm_hc_peer_params);
	xa_erase(&hn->peer_ids, peer->id);
	rb_erase(&peer->remote_node, &hn->peers_by_remote);
	hn->npeers--;
	hn->generation++;
	/* After this no tick runs, so no event follows PEER_GONE. */
	WRITE_ONCE(peer->removed, true);
	xfrm_hc_timer_stop(peer);
	if (peer->lv.state == XFRM_HC_STATE_DEAD)
		atomic64_dec(&hn->peers_dead);
	if (gone)
		xfrm_hc_event_peer(peer, XFRM_HC_CMD_PEER_GONE, GFP_KERNEL);
	/*
	 * Freed after a grace period too: RCU readers of the peer may look.
	 * The timer is stopped for good above, so @rcu may take its room.
	 */
	xfrm_hc_profile_put(peer->profile);
	call_rcu(&peer->rcu, xfrm_hc_peer_free_rcu);
}

static void xfrm_hc_sa_unlink(struct xfrm_hc_net *hn,
			      struct xfrm_hc_peer *peer, struct xfrm_hc_sa *sa)
{
	rhashtable_remove_fast(&hn->sas, &sa->hash_node, xfrm_hc_sa_params);
	hlist_del_rcu(&sa->peer_node);
	hn->nsas--;
	hn->sa_generation++;
	/* The XFRM core frees states only after an RCU grace period. */
	xfrm_state_put(sa->x);
	call_rcu(&sa->rcu, xfrm_hc_sa_free_rcu);
}

/* At the tail: SAs are listed in the order they came. */
static void xfrm_hc_peer_add_sa(struct xfrm_hc_peer *peer,
				struct xfrm_hc_sa *sa)
{
	struct hlist_node *last = NULL, *n;

	hlist_for_each(n, &peer->sas)
		last = n;
	if (last)
		hlist_add_behind_rcu(&sa->peer_node, last);
	else
		hlist_add_head_rcu(&sa->peer_node, &peer->sas);
}

/* A peer that can be probed needs its namespace to catch the answers. */
static void xfrm_hc_peer_probe_prepare(struct xfrm_hc_net *hn,
				       struct xfrm_hc_peer *peer)
{
	struct xfrm_hc_probe_target t;
	struct xfrm_hc_profile prof;

	xfrm_hc_profile_read(peer->profile, &prof);
	if (xfrm_hc_probe_target(peer, &prof, &t) &&
	    xfrm_hc_probe_net_enable(hn))
		pr_warn_ratelimited("cannot catch probe answers\n");
	/* Any peer may answer, or ask for, the echo. */
	if (xfrm_hc_echo_net_enable(hn))
		pr_warn_ratelimited("cannot answer or catch echoes\n");
}

/**
 * xfrm_hc_sa_attach() - start monitoring an SA, creating its peer if new
 * @hn: the namespace's state, its lock held
 * @x: a valid SA; referenced here if attached
 * @dir: enum xfrm_hc_dir
 * @sp: the profile of the rule that matched it
 *
 * An SA already attached is moved if its key changed (a new NAT mapping)
 * and its peer takes the new profile.
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_sa_attach(struct xfrm_hc_net *hn, struct xfrm_state *x, u8 dir,
		      struct xfrm_hc_shared_profile *sp)
{
	struct xfrm_hc_peer_key key[2];
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_sa *sa;
	bool created = false;
	int err;

	lockdep_assert_held(&hn->lock);
	xfrm_hc_sa_keys(x, key);
	sa = xfrm_hc_sa_find(hn, x);
	if (sa) {
		peer = xfrm_hc_sa_peer(hn, sa);
		if (sa->dir == dir &&
		    !memcmp(&peer->key, &key[dir], sizeof(peer->key))) {
			xfrm_hc_peer_set_profile(peer, sp);
			xfrm_hc_peer_probe_prepare(hn, peer);
			return 0;
		}
		xfrm_hc_sa_unlink(hn, peer, sa);
		if (hlist_empty(&peer->sas))
			xfrm_hc_peer_remove(hn, peer, false);
	}

	peer = rhashtable_lookup_fast(&hn->peers, &key[dir],
				      xfrm_hc_peer_params);
	if (!peer) {
		peer = xfrm_hc_peer_create(hn, &key[dir], sp);
		if (IS_ERR(peer))
			return PTR_ERR(peer);
		created = true;
	} else {
		xfrm_hc_peer_set_profile(peer, sp);
	}

	sa = kmem_cache_zalloc(xfrm_hc_sa_cache, GFP_KERNEL);
	if (!sa) {
		err = -ENOMEM;
		goto err_peer;
	}
	xfrm_hc_obj_made(XFRM_HC_OBJ_SA);
	sa->x = x;
	sa->peer_id = peer->id;
	sa->dir = dir;
	err = rhashtable_insert_fast(&hn->sas, &sa->hash_node,
				     xfrm_hc_sa_params);
	if (err) {
		xfrm_hc_sa_free(sa);
		goto err_peer;
	}
	xfrm_state_hold(x);
	/* What the SA carried before we watched it is not news. */
	sa->last_packets = READ_ONCE(x->curlft.packets);
	sa->natt_packets = lower_32_bits(sa->last_packets);
	xfrm_hc_peer_add_sa(peer, sa);
	hn->nsas++;
	hn->sa_generation++;

	if (created)
		xfrm_hc_timer_start(peer);
	xfrm_hc_peer_probe_prepare(hn, peer);
	return 0;

err_peer:
	if (created)
		xfrm_hc_peer_remove(hn, peer, false);
	return err;
}

/**
 * xfrm_hc_sa_detach() - stop monitoring an SA
 * @hn: the namespace's state, its lock held
 * @x: the SA
 * @gone: the SA was deleted by someone else: if it was its peer's last,
 *	say so with a PEER_GONE event
 *
 * Return: true if @x was monitored.
 */
bool xfrm_hc_sa_detach(struct xfrm_hc_net *hn, struct xfrm_state *x,
		       bool gone)
{
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_sa *sa;

	lockdep_assert_held(&hn->lock);
	sa = xfrm_hc_sa_find(hn, x);
	if (!sa)
		return false;
	peer = xfrm_hc_sa_peer(hn, sa);
	xfrm_hc_sa_unlink(hn, peer, sa);
	if (hlist_empty(&peer->sas))
		xfrm_hc_peer_remove(hn, peer, gone);
	return true;
}

/**
 * xfrm_hc_sa_sweep() - drop SAs deleted or moved behind our back
 * @hn: the namespace's state, its lock held
 *
 * A flush announces no SA, and a lost notification may hide an update in
 * place that changed an SA's ports or if_id. Both are found here, by a
 * walk of every SA, for a resync only: an update we hear of moves its SA
 * alone (xfrm_hc_sa_attach()). The caller attaches the moved ones again,
 * under their new key.
 */
void xfrm_hc_sa_sweep(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_peer_key key;
	struct xfrm_hc_peer *peer;
	__be16 sport, dport;
	struct xfrm_hc_sa *sa;
	struct hlist_node *tmp;
	unsigned long id;
	bool gone;

	lockdep_assert_held(&hn->lock);
	xa_for_each(&hn->peer_ids, id, peer) {
		gone = false;
		hlist_for_each_entry_safe(sa, tmp, &peer->sas, peer_node) {
			if (sa->x->km.state != XFRM_STATE_DEAD) {
				xfrm_hc_sa_ports(sa->x, &sport, &dport);
				xfrm_hc_sa_key(sa->x, sport, dport, sa->dir,
					       &key);
				if (!memcmp(&key, &peer->key, sizeof(key)))
					continue;
			}
			gone = sa->x->km.state == XFRM_STATE_DEAD;
			xfrm_hc_sa_unlink(hn, peer, sa);
		}
		if (hlist_empty(&peer->sas))
			xfrm_hc_peer_remove(hn, peer, gone);
		if (!(id % 1024))
			cond_resched();
	}
}

/**
 * xfrm_hc_peer_find() - the peer of a key
 * @hn: the namespace's state
 * @key: the key, as the peer's own (xfrm_hc_peer_key_build())
 *
 * A key, unlike an id, names one gateway for good: an id is given again
 * to the next peer made once its peer is gone, whatever its gateway.
 * Context: RCU read side; the peer may be removed once it is left.
 * Return: the peer, or NULL if there is none or it is being removed.
 */
struct xfrm_hc_peer *xfrm_hc_peer_find(struct xfrm_hc_net *hn,
				       const struct xfrm_hc_peer_key *key)
{
	struct xfrm_hc_peer *peer;

	peer = rhashtable_lookup(&hn->peers, key, xfrm_hc_peer_params);
	return peer && !READ_ONCE(peer->removed) ? peer : NULL;
}

/**
 * xfrm_hc_peer_find_by_state() - the peer a monitored SA belongs to
 * @hn: the namespace's state
 * @x: the SA
 *
 * Context: RCU read side; the peer may be removed once it is left.
 * Return: the peer, or NULL.
 */
struct xfrm_hc_peer *xfrm_hc_peer_find_by_state(struct xfrm_hc_net *hn,
						struct xfrm_state *x)
{
	struct xfrm_hc_sa *sa = xfrm_hc_sa_find(hn, x);

	return sa ? xfrm_hc_sa_peer(hn, sa) : NULL;
}

/**
 * xfrm_hc_peer_has_sa() - whether an SA is one of a peer's
 * @peer: the peer
 * @x: the SA
 *
 * Context: RCU read side.
 * Return: true if @x is monitored as one of @peer's SAs.
 */
bool xfrm_hc_peer_has_sa(struct xfrm_hc_peer *peer, struct xfrm_state *x)
{
	struct xfrm_hc_sa *sa = xfrm_hc_sa_find(xfrm_hc_peer_hn(peer), x);

	return sa && sa->peer_id == peer->id;
}

/**
 * xfrm_hc_peer_set_profile() - have a peer follow another rule's profile
 * @peer: the peer
 * @sp: the shared profile of the rule that matched its SA
 *
 * Context: process, the netns lock held. The state and counters are kept;
 * a new interval takes effect at once.
 */
void xfrm_hc_peer_set_profile(struct xfrm_hc_peer *peer,
			      struct xfrm_hc_shared_profile *sp)
{
	struct xfrm_hc_shared_profile *old = peer->profile;
	struct xfrm_hc_profile was, now;

	lockdep_assert_held(&sp->hn->lock);
	if (old == sp)
		return;
	xfrm_hc_profile_hold(sp);
	spin_lock_bh(&peer->lock);
	WRITE_ONCE(peer->profile, sp);
	spin_unlock_bh(&peer->lock);
	xfrm_hc_profile_read(old, &was);
	xfrm_hc_profile_read(sp, &now);
	if (was.interval_ms != now.interval_ms)
		xfrm_hc_timer_interval_changed(peer);
	xfrm_hc_profile_put(old);
}

/**
 * xfrm_hc_peer_tables_init() - empty tables for a namespace
 * @hn: the namespace's state
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_peer_tables_init(struct xfrm_hc_net *hn)
{
	struct rhashtable_params sa_params = xfrm_hc_sa_params;
	struct rhashtable_params params = xfrm_hc_peer_params;
	int err;

	/*
	 * No more buckets than max_peers: a table grows at 3/4 full, and its
	 * bucket array comes with a header that the allocator rounds up to
	 * twice the array. At 50,000 peers that was a 2 MiB block, 42 bytes
	 * a peer; capped, 1 MiB. Chains stay short (2 at most on average):
	 * a table holds twice as many peers as buckets.
	 */
	params.max_size = roundup_pow_of_two(clamp(READ_ONCE(xfrm_hc_max_peers),
						   64U, 1U << 30));
	xa_init_flags(&hn->peer_ids, XA_FLAGS_ALLOC);
	hn->peers_by_remote = RB_ROOT;
	err = rhashtable_init(&hn->peers, &params);
	if (err)
		return err;
	/*
	 * The SAs' table, capped the same way: as many buckets as max_peers
	 * holds twice that (two SAs a peer), and four times in a rekey.
	 */
	sa_params.max_size = params.max_size * 2;
	err = rhashtable_init(&hn->sas, &sa_params);
	if (err)
		rhashtable_destroy(&hn->peers);
	return err;
}

/**
 * xfrm_hc_peer_tables_destroy() - drop every SA and peer of a namespace
 * @hn: the namespace's state, its lock held; no new SA can come
 */
void xfrm_hc_peer_tables_destroy(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_peer *peer;
	struct xfrm_hc_sa *sa;
	struct hlist_node *tmp;
	unsigned long id;

	lockdep_assert_held(&hn->lock);
	xa_for_each(&hn->peer_ids, id, peer) {
		hlist_for_each_entry_safe(sa, tmp, &peer->sas, peer_node)
			xfrm_hc_sa_unlink(hn, peer, sa);
		xfrm_hc_peer_remove(hn, peer, false);
	}
	rhashtable_destroy(&hn->sas);
	rhashtable_destroy(&hn->peers);
	xa_destroy(&hn->peer_ids);
}

/**
 * xfrm_hc_peer_cache_init() - create the slab caches of peers and SAs
 *
 * Return: 0 or -ENOMEM.
 */
int xfrm_hc_peer_cache_init(void)
{
	xfrm_hc_peer_cache = KMEM_CACHE(xfrm_hc_peer, 0);
	if (!xfrm_hc_peer_cache)
		return -ENOMEM;
	xfrm_hc_sa_cache = KMEM_CACHE(xfrm_hc_sa, 0);
	if (!xfrm_hc_sa_cache) {
		kmem_cache_destroy(xfrm_hc_peer_cache);
		return -ENOMEM;
	}
	return 0;
}

/**
 * xfrm_hc_peer_cache_exit() - destroy the slab caches
 *
 * Callers wait for pending RCU frees first (rcu_barrier()).
 */
void xfrm_hc_peer_cache_exit(void)
{
	kmem_cache_destroy(xfrm_hc_sa_cache);
	kmem_cache_destroy(xfrm_hc_peer_cache);
}
