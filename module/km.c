// SPDX-License-Identifier: GPL-2.0
/*
 * The XFRM key-manager hook: SA add, update, delete, expire, flush and
 * migration into the peer table. Registering as a key manager is how the
 * module hears of every SA that any IKE daemon installs, in every netns,
 * without touching the daemon: the XFRM core calls every manager on each
 * change.
 *
 * notify() can run in softirq with the SA's lock held (expiry), so it only
 * queues the change; a per-netns work item applies it under the netns
 * lock, a few ms later, so that a burst of changes is one batch. A flush,
 * a migration, or a change that could not be queued, makes the work walk
 * every SA instead (resync), so nothing is lost.
 *
 * A rule added or deleted is applied here too, to the SAs it can match
 * (xfrm_hc_km_rule_changed()).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/errno.h>
#include <linux/slab.h>
#include <linux/xfrm.h>
#include <net/addrconf.h>
#include <net/route.h>
#include <net/xfrm.h>

#include "compat.h"
#include "km.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"
#include "rule.h"

/* States handed from notify() to the work, each referenced. */
struct xfrm_hc_sa_change {
	struct llist_node node;
	struct xfrm_state *x;
	enum xfrm_hc_sa_event what;
};

/* The resync walk collects SAs in batches: its callback holds a spinlock. */
#define XFRM_HC_WALK_BATCH 256

/*
 * How long changes gather before the work applies them. One wake-up per
 * SA cost an "ip -batch" of 100k SAs a third more time; a few ms more
 * before a new SA is watched is nothing next to its first interval.
 */
#define XFRM_HC_SA_BATCH_DELAY msecs_to_jiffies(10)

struct xfrm_hc_walk_batch {
	struct xfrm_state *x[XFRM_HC_WALK_BATCH];
	unsigned int n;
};

/**
 * xfrm_hc_km_classify() - map a key-manager event to what it does to an SA
 * @msg_type: km_event.event, an XFRM_MSG_* value
 * @hard: km_event.data.hard, for XFRM_MSG_EXPIRE
 *
 * A soft expire only asks for a rekey: the SA lives on, so it is ignored.
 *
 * Return: the SA event.
 */
enum xfrm_hc_sa_event xfrm_hc_km_classify(int msg_type, int hard)
{
	switch (msg_type) {
	case XFRM_MSG_NEWSA:
	case XFRM_MSG_UPDSA:
		return XFRM_HC_SA_ADDED;
	case XFRM_MSG_DELSA:
		return XFRM_HC_SA_DELETED;
	case XFRM_MSG_EXPIRE:
		return hard ? XFRM_HC_SA_DELETED : XFRM_HC_SA_IGNORED;
	case XFRM_MSG_FLUSHSA:
		return XFRM_HC_SA_FLUSHED;
	default:
		return XFRM_HC_SA_IGNORED;
	}
}

/* Inbound if the SA's destination is one of our addresses. */
static u8 xfrm_hc_sa_dir(struct xfrm_state *x)
{
	struct net *net = xs_net(x);
	int dir = xfrm_hc_compat_state_dir(x);

	if (dir >= 0)
		return dir;
	if (x->props.family == AF_INET)
		return inet_addr_type(net, x->id.daddr.a4) == RTN_LOCAL ?
		       XFRM_HC_DIR_IN : XFRM_HC_DIR_OUT;
	return ipv6_chk_addr(net, &x->id.daddr.in6, NULL, 0) ?
	       XFRM_HC_DIR_IN : XFRM_HC_DIR_OUT;
}

/* What the rules look at in an SA, @dir telling which end is the peer. */
static void xfrm_hc_sa_match_of(struct xfrm_state *x, u8 dir,
				struct xfrm_hc_sa_match *m)
{
	memset(m, 0, sizeof(*m));
	m->family = x->props.family;
	m->proto = x->id.proto;
	m->reqid = x->props.reqid;
	m->mark = x->mark.v;
	m->if_id = x->if_id;
	m->remote = dir == XFRM_HC_DIR_IN ? x->props.saddr : x->id.daddr;
}

/* Attach or detach one live SA as the rules say. */
static void xfrm_hc_sa_consider(struct xfrm_hc_net *hn, struct xfrm_state *x)
{
	struct xfrm_hc_sa_match m;
	struct xfrm_hc_rule *rule;
	bool monitored;
	u8 dir;
	int err;

	if (x->km.state != XFRM_STATE_VALID ||
	    (x->id.proto != IPPROTO_ESP && x->id.proto != IPPROTO_AH)) {
		xfrm_hc_sa_detach(hn, x, false);
		return;
	}
	dir = xfrm_hc_sa_dir(x);
	xfrm_hc_sa_match_of(x, dir, &m);
	rule = xfrm_hc_rule_lookup(hn, &m, &monitored);
	if (!monitored) {
		xfrm_hc_sa_detach(hn, x, false);
		return;
	}
	err = xfrm_hc_sa_attach(hn, x, dir,
				rule ? rule->profile : hn->default_profile);
	if (err == -ENOSPC)
		pr_warn_ratelimited("SA spi 0x%08x not monitored: namespace at max_peers\n",
				    ntohl(x->id.spi));
	else if (err)
		pr_warn_ratelimited("cannot monitor SA spi 0x%08x: %d\n",
				    ntohl(x->id.spi), err);
	else if (rule)
		atomic64_inc(&rule->matches);
}

static int xfrm_hc_walk_collect(struct xfrm_state *x, int count, void *arg)
{
	struct xfrm_hc_walk_batch *b = arg;

	if (b->n == XFRM_HC_WALK_BATCH)
		return -ENOSPC;	/* the walk resumes here next time */
	xfrm_state_hold(x);
	b->x[b->n++] = x;
	return 0;
}

/**
 * xfrm_hc_km_resync_locked() - bring the peer table in line with all SAs
 * @hn: the namespace's state, its lock held
 *
 * Drops what was deleted or moved behind our back (a flush announces no
 * SA; a lost update may have changed ports), then walks every SA and
 * applies the rules to it.
 */
void xfrm_hc_km_resync_locked(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_walk_batch *b;
	struct xfrm_state_walk walk;
	unsigned int i;
	int err;

	lockdep_assert_held(&hn->lock);
	xfrm_hc_sa_sweep(hn);

	b = kmalloc(sizeof(*b), GFP_KERNEL);
	if (!b)
		return;
	xfrm_state_walk_init(&walk, IPSEC_PROTO_ANY, NULL);
	do {
		b->n = 0;
		err = xfrm_state_walk(hn->net, &walk, xfrm_hc_walk_collect, b);
		for (i = 0; i < b->n; i++) {
			xfrm_hc_sa_consider(hn, b->x[i]);
			xfrm_state_put(b->x[i]);
		}
		cond_resched();
	} while (err == -ENOSPC);
	xfrm_state_walk_done(&walk, hn->net);
	kfree(b);
}

/*
 * Every SA of the namespace is watched: none that a rule change could
 * bring in is missing from our tables. One not yet announced (its change
 * still queued) counts as missing, so this errs towards a walk.
 */
static bool xfrm_hc_all_sas_watched(struct xfrm_hc_net *hn)
{
	return hn->nsas == READ_ONCE(hn->net->xfrm.state_num);
}

/* @peer's SAs that @rule matches, or all if it holds @rule's profile. */
static unsigned int xfrm_hc_sas_of_peer(struct xfrm_hc_net *hn,
					struct xfrm_hc_peer *peer,
					const struct xfrm_hc_rule *rule,
					struct xfrm_state **xs, unsigned int n)
{
	bool held = rule && peer->profile == rule->profile;
	struct xfrm_hc_sa_match m;
	struct xfrm_hc_sa *sa;

	hlist_for_each_entry(sa, &peer->sas, peer_node) {
		if (rule && !held) {
			xfrm_hc_sa_match_of(sa->x, sa->dir, &m);
			if (!xfrm_hc_rule_matches(rule, &m))
				continue;
		}
		if (WARN_ON_ONCE(n == hn->nsas))
			break;
		xfrm_state_hold(sa->x);
		xs[n++] = sa->x;
	}
	return n;
}

/*
 * The watched SAs that @rule matches, or whose peer holds its profile
 * (a peer keeps the profile of its last SA attached, after that SA is
 * gone), each referenced; all of them if @rule is NULL. A rule with a
 * remote prefix can match only peers in it, and only they can hold its
 * profile: they are found in address order, not by a walk of all.
 */
static unsigned int xfrm_hc_sas_of_rule(struct xfrm_hc_net *hn,
					const struct xfrm_hc_rule *rule,
					struct xfrm_state **xs)
{
	struct xfrm_hc_peer *peer = NULL;
	unsigned int n = 0, seen = 0;
	unsigned long id;

	if (rule && rule->has_remote) {
		while ((peer = xfrm_hc_peer_next_in_prefix(&hn->peers_by_remote,
							   rule->family,
							   &rule->remote,
							   rule->remote_plen,
							   peer))) {
			n = xfrm_hc_sas_of_peer(hn, peer, rule, xs, n);
			if (!(++seen % XFRM_HC_WALK_BATCH))
				cond_resched();
		}
		return n;
	}
	xa_for_each(&hn->peer_ids, id, peer) {
		n = xfrm_hc_sas_of_peer(hn, peer, rule, xs, n);
		cond_resched();
	}
	return n;
}

/**
 * xfrm_hc_km_rule_changed() - apply the rules again after one came or went
 * @hn: the namespace's state, its lock held
 * @rule: the rule added, or the rule deleted (out of the list already);
 *	NULL after a flush
 * @added: @rule was added
 *
 * Looks only at what the change can move: the SAs @rule matches and the
 * peers holding its profile; every watched SA when the default rule starts
 * or stops applying (the first rule added, the last one gone). The
 * kernel's SAs are walked only when the change can bring in SAs we do not
 * watch, and some exist. A change of settings needs none of this: see
 * xfrm_hc_profile_replace().
 */
void xfrm_hc_km_rule_changed(struct xfrm_hc_net *hn,
			     const struct xfrm_hc_rule *rule, bool added)
{
	bool default_rule_changed = list_empty(&hn->rules) ||
				    (added && list_is_singular(&hn->rules));
	bool may_gain = added || (list_empty(&hn->rules) &&
				  READ_ONCE(xfrm_hc_default_rule));
	struct xfrm_state **xs;
	unsigned int i, n;

	lockdep_assert_held(&hn->lock);
	if (may_gain && !xfrm_hc_all_sas_watched(hn)) {
		xfrm_hc_km_resync_locked(hn);
		return;
	}
	if (!hn->nsas)
		return;
	xs = kvmalloc_array(hn->nsas, sizeof(*xs), GFP_KERNEL);
	if (!xs) {
		xfrm_hc_km_resync_locked(hn);
		return;
	}
	n = xfrm_hc_sas_of_rule(hn, default_rule_changed ? NULL : rule, xs);
	for (i = 0; i < n; i++) {
		xfrm_hc_sa_consider(hn, xs[i]);
		xfrm_state_put(xs[i]);
		if (!(i % XFRM_HC_WALK_BATCH))
			cond_resched();
	}
	kvfree(xs);
}

/**
 * xfrm_hc_km_resync() - ask for a full resync of a namespace
 * @hn: the namespace's state
 */
void xfrm_hc_km_resync(struct xfrm_hc_net *hn)
{
	set_bit(XFRM_HC_SA_RESYNC, &hn->sa_flags);
	if (!READ_ONCE(hn->exiting))
		mod_delayed_work(system_wq, &hn->sa_work, 0);
}

/**
 * xfrm_hc_km_resync_batched() - ask for a full resync, with the next batch
 * @hn: the namespace's state
 *
 * For what many may ask at once, each tick of a peer that holds a dead SA
 * or each policy a migration moves: they share one walk.
 * Context: any, softirq included.
 */
void xfrm_hc_km_resync_batched(struct xfrm_hc_net *hn)
{
	set_bit(XFRM_HC_SA_RESYNC, &hn->sa_flags);
	if (!READ_ONCE(hn->exiting))
		queue_delayed_work(system_wq, &hn->sa_work,
				   XFRM_HC_SA_BATCH_DELAY);
}

static void xfrm_hc_sa_change_apply(struct xfrm_hc_net *hn,
				    struct xfrm_hc_sa_change *c)
{
	struct xfrm_state *x = c->x, *live;

	/* Our own "restart" hard-expires SAs that live on: not a delete. */
	if (c->what == XFRM_HC_SA_DELETED && x->km.state == XFRM_STATE_DEAD) {
		xfrm_hc_sa_detach(hn, x, true);
		return;
	}
	/* Added, and still installed: no need to look it up. */
	if (x->km.state == XFRM_STATE_VALID) {
		xfrm_hc_sa_consider(hn, x);
		return;
	}
	/*
	 * An update copies into the installed SA and leaves its own copy
	 * dead: find the installed one. If the update changed its ports or
	 * if_id, and so its peer, attaching it moves it: it is found by
	 * address, not by its old key, which is lost.
	 */
	live = xfrm_state_lookup(hn->net, x->mark.v, &x->id.daddr, x->id.spi,
				 x->id.proto, x->props.family);
	if (!live)
		return;
	xfrm_hc_sa_consider(hn, live);
	xfrm_state_put(live);
}

static void xfrm_hc_sa_changes_free(struct llist_node *list)
{
	struct xfrm_hc_sa_change *c, *tmp;

	llist_for_each_entry_safe(c, tmp, list, node) {
		xfrm_state_put(c->x);
		kfree(c);
		xfrm_hc_obj_gone(XFRM_HC_OBJ_SA_CHANGE);
	}
}

static void xfrm_hc_sa_work(struct work_struct *work)
{
	struct xfrm_hc_net *hn = container_of(to_delayed_work(work),
					      struct xfrm_hc_net, sa_work);
	struct xfrm_hc_sa_change *c;
	struct llist_node *list;
	bool resync;

	mutex_lock(&hn->lock);
	list = llist_reverse_order(llist_del_all(&hn->sa_events));
	resync = test_and_clear_bit(XFRM_HC_SA_RESYNC, &hn->sa_flags);
	if (hn->exiting)
		goto unlock;
	/* A resync sees every SA as it is now: changes add nothing. */
	if (resync) {
		xfrm_hc_km_resync_locked(hn);
		goto unlock;
	}
	llist_for_each_entry(c, list, node)
		xfrm_hc_sa_change_apply(hn, c);
unlock:
	mutex_unlock(&hn->lock);
	xfrm_hc_sa_changes_free(list);
}

static int xfrm_hc_km_notify(struct xfrm_state *x, const struct km_event *c)
{
	/*
	 * Most callers leave c->net unset; only a flush, which has no
	 * state, sets it.
	 */
	struct xfrm_hc_net *hn = xfrm_hc_net(x ? xs_net(x) : c->net);
	enum xfrm_hc_sa_event what = xfrm_hc_km_classify(c->event,
							 c->data.hard);
	struct xfrm_hc_sa_change *change;

	switch (what) {
	case XFRM_HC_SA_ADDED:
		atomic64_inc(&hn->sa_added);
		break;
	case XFRM_HC_SA_DELETED:
		atomic64_inc(&hn->sa_deleted);
		break;
	case XFRM_HC_SA_FLUSHED:
		atomic64_inc(&hn->sa_flushes);
		xfrm_hc_km_resync(hn);
		return 0;
	case XFRM_HC_SA_IGNORED:
		return 0;
	}
	if (READ_ONCE(hn->exiting))
		return 0;
	/*
	 * The lifetime timer reports an expiry after dropping the tables'
	 * reference: an SA already at zero is one we never held (we hold
	 * every SA we monitor), so there is nothing to undo.
	 */
	if (!refcount_inc_not_zero(&x->refcnt))
		return 0;

	change = kmalloc(sizeof(*change), GFP_ATOMIC);
	if (!change) {
		xfrm_state_put(x);
		xfrm_hc_km_resync(hn);
		return 0;
	}
	xfrm_hc_obj_made(XFRM_HC_OBJ_SA_CHANGE);
	change->x = x;
	change->what = what;
	llist_add(&change->node, &hn->sa_events);
	/* A no-op while one is pending: an IKE daemon's burst is one batch. */
	queue_delayed_work(system_wq, &hn->sa_work, XFRM_HC_SA_BATCH_DELAY);
	return 0;
}

/*
 * A migration (MOBIKE: a gateway's address changed) deletes the SAs it
 * moves and adds their copies, announcing neither through notify(): this
 * is all we hear. Its entries name addresses, not SAs, so the tables are
 * walked: that drops the dead SAs, with their peer if it is left empty,
 * and watches the copies under the peer of their new addresses. An IKE
 * daemon sends one migration per policy, and those share one walk.
 * Called under rcu_read_lock(), and only by kernels built with
 * CONFIG_XFRM_MIGRATE (Debian's are); the hook's signature is the same in
 * 6.1 and 6.12.
 */
static int xfrm_hc_km_migrate(const struct xfrm_selector *sel, u8 dir,
			      u8 type, const struct xfrm_migrate *m,
			      int num_bundles, const struct xfrm_kmaddress *k,
			      struct net *net,
			      const struct xfrm_encap_tmpl *encap)
{
	xfrm_hc_km_resync_batched(xfrm_hc_net(net));
	return 0;
}

/* The core calls this and compile_policy without a NULL check. */
static int xfrm_hc_km_acquire(struct xfrm_state *x, struct xfrm_tmpl *t,
			      struct xfrm_policy *xp)
{
	return -EOPNOTSUPP;
}

/*
 * The core asks each key manager in turn until one compiles the socket
 * policy, and returns the last one's error: leaving @dir alone keeps the
 * error of the managers that do compile them (xfrm_user, af_key).
 */
static struct xfrm_policy *xfrm_hc_km_compile_policy(struct sock *sk, int opt,
						     u8 *data, int len,
						     int *dir)
{
	return NULL;
}

static struct xfrm_mgr xfrm_hc_km_mgr = {
	.notify = xfrm_hc_km_notify,
	.acquire = xfrm_hc_km_acquire,
	.compile_policy = xfrm_hc_km_compile_policy,
	.migrate = xfrm_hc_km_migrate,
};

/**
 * xfrm_hc_km_net_init() - prepare a namespace's SA change queue
 * @hn: the namespace's state
 *
 * Queues a resync, which picks up the SAs that exist already.
 */
void xfrm_hc_km_net_init(struct xfrm_hc_net *hn)
{
	init_llist_head(&hn->sa_events);
	INIT_DELAYED_WORK(&hn->sa_work, xfrm_hc_sa_work);
	xfrm_hc_km_resync(hn);
}

/**
 * xfrm_hc_km_net_exit() - stop applying SA changes to a namespace
 * @hn: the namespace's state, already marked exiting
 */
void xfrm_hc_km_net_exit(struct xfrm_hc_net *hn)
{
	cancel_delayed_work_sync(&hn->sa_work);
	xfrm_hc_sa_changes_free(llist_del_all(&hn->sa_events));
}

/**
 * xfrm_hc_km_init() - start hearing of SA changes
 */
void xfrm_hc_km_init(void)
{
	xfrm_register_km(&xfrm_hc_km_mgr);
}

/**
 * xfrm_hc_km_exit() - stop hearing of SA changes
 *
 * xfrm_unregister_km() waits for an RCU grace period, so no notify() runs
 * once it returns.
 */
void xfrm_hc_km_exit(void)
{
	xfrm_unregister_km(&xfrm_hc_km_mgr);
}
