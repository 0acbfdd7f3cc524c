// SPDX-License-Identifier: GPL-2.0
/*
 * Health checks: named probes of one destination, from one source,
 * through whatever tunnel routing (or an XFRM interface) picks.
 *
 * Each check has its own soft hrtimer. It wakes when the next probe is due
 * or when the oldest probe in flight times out, whichever comes first, so
 * a timeout shorter or longer than the interval is exact. Answers are
 * taken in the probe hook (probe.c) as they arrive: a check comes up as
 * soon as its last needed answer does, not at the next tick.
 *
 * The verdicts are check_state.c's; failover.c acts on the carrier; the
 * events go out through events.c.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/rtnetlink.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "action.h"
#include "check.h"
#include "events.h"
#include "failover.h"
#include "limits.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "probe_budget.h"

unsigned int xfrm_hc_max_checks __read_mostly = 1024;
module_param_named(max_checks, xfrm_hc_max_checks, uint, 0644);
MODULE_PARM_DESC(max_checks, "health checks per network namespace");

/**
 * xfrm_hc_check_find() - a check by name
 * @hn: the namespace's state, its lock held
 * @name: the name
 *
 * Return: the check, or NULL.
 */
struct xfrm_hc_check *xfrm_hc_check_find(struct xfrm_hc_net *hn,
					 const char *name)
{
	struct xfrm_hc_check *c;

	lockdep_assert_held(&hn->lock);
	list_for_each_entry(c, &hn->checks, node)
		if (!strcmp(c->name, name))
			return c;
	return NULL;
}

/**
 * xfrm_hc_check_timeout_ms() - how long a probe of a check may take
 * @c: the check, its lock held
 *
 * Return: the configured timeout, or the interval in use.
 */
u32 xfrm_hc_check_timeout_ms(const struct xfrm_hc_check *c)
{
	return c->conf.timeout_ms ?:
	       xfrm_hc_check_cur_interval(&c->sm, c->conf.interval_ms);
}

/* Under c->lock: apply an outcome; the event to send, or 0. */
static u8 xfrm_hc_check_outcome_locked(struct xfrm_hc_check *c,
				       bool answered, ktime_t now)
{
	u8 old = c->sm.state;

	if (!xfrm_hc_check_outcome(&c->sm, c->conf.misses, c->conf.up,
				   answered, ktime_to_ns(now)))
		return 0;
	c->transitions++;
	c->last_change = now;
	if (c->sm.state == XFRM_HC_CHECK_STATE_DOWN)
		atomic64_inc(&c->hn->checks_down);
	else if (old == XFRM_HC_CHECK_STATE_DOWN)
		atomic64_dec(&c->hn->checks_down);
	xfrm_hc_failover_apply(c);
	return c->sm.state == XFRM_HC_CHECK_STATE_DOWN ?
	       XFRM_HC_CMD_CHECK_DOWN : XFRM_HC_CMD_CHECK_UP;
}

/*
 * "clear" and "restart" act on the peer whose SAs carried the probes, if
 * it is still there: found by its key, never by an id another tunnel's
 * peer may have taken since.
 */
static void xfrm_hc_check_act(struct xfrm_hc_check *c, u8 action,
			      bool tunnel_known,
			      const struct xfrm_hc_peer_key *tunnel)
{
	struct xfrm_hc_peer *peer;

	if (!tunnel_known)
		return;
	rcu_read_lock();
	peer = xfrm_hc_peer_find(c->hn, tunnel);
	if (peer)
		xfrm_hc_action_run(peer, action);
	rcu_read_unlock();
}

/* Outside c->lock: tell, and act, on what an outcome decided. */
static void xfrm_hc_check_notify(struct xfrm_hc_check *c, u8 cmd)
{
	struct xfrm_hc_peer_key tunnel;
	bool tunnel_known;
	u8 action;

	if (!cmd)
		return;
	xfrm_hc_event_check(c, cmd, GFP_ATOMIC);
	if (cmd != XFRM_HC_CMD_CHECK_DOWN)
		return;
	spin_lock_bh(&c->lock);
	action = c->conf.action;
	tunnel_known = c->tunnel_known;
	tunnel = c->tunnel;
	spin_unlock_bh(&c->lock);
	xfrm_hc_check_act(c, action, tunnel_known, &tunnel);
}

/*
 * Optimized mode: did the tunnel bring traffic since the last due time?
 * Only the tunnel that carried the probes counts, by its key: once it is
 * gone, another tunnel's traffic is no answer.
 */
static bool xfrm_hc_check_traffic_seen(struct xfrm_hc_check *c)
{
	struct xfrm_hc_peer_key tunnel;
	struct xfrm_hc_peer *peer;
	bool seen = false;
	u64 in, out;

	spin_lock(&c->lock);
	if (!c->tunnel_known) {
		spin_unlock(&c->lock);
		return false;
	}
	tunnel = c->tunnel;
	spin_unlock(&c->lock);

	rcu_read_lock();
	peer = xfrm_hc_peer_find(c->hn, &tunnel);
	if (peer) {
		xfrm_hc_peer_counters(peer, &in, &out);
		spin_lock(&c->lock);
		/* Our own answers came in on the same SAs: not traffic. */
		if (c->last_in_valid &&
		    !memcmp(&c->last_in_peer, &tunnel, sizeof(tunnel)))
			seen = in > c->last_in + c->answers_since;
		c->last_in = in;
		c->last_in_peer = tunnel;
		c->last_in_valid = true;
		c->answers_since = 0;
		spin_unlock(&c->lock);
	}
	rcu_read_unlock();
	return seen;
}

/* A free in-flight slot; the oldest is given up if all are taken. */
static struct xfrm_hc_check_inflight *
xfrm_hc_check_slot(struct xfrm_hc_check *c, bool *evicted)
{
	struct xfrm_hc_check_inflight *slot = &c->inflight[0];
	int i;

	*evicted = false;
	for (i = 0; i < XFRM_HC_CHECK_INFLIGHT; i++) {
		if (!c->inflight[i].deadline_ns)
			return &c->inflight[i];
		if (c->inflight[i].sent_ns < slot->sent_ns)
			slot = &c->inflight[i];
	}
	*evicted = true;
	return slot;
}

/*
 * Check probes share the CPUs' probe budget with peers' probes (timers.c).
 * A check of the host's (a netns of the initial user namespace) ranks with
 * a peer's routine probe. One made by root of another user namespace, which
 * anyone may create, gives way first: a tenant's checks at 10 ms must not
 * shed the host's own peers' probes.
 */
static unsigned int xfrm_hc_check_probe_priority(const struct xfrm_hc_check *c)
{
	return c->hn->net->user_ns == &init_user_ns ? 75 : 25;
}

static void xfrm_hc_check_probe(struct xfrm_hc_check *c,
				const struct xfrm_hc_check_conf *conf,
				ktime_t now)
{
	struct xfrm_hc_check_inflight *slot;
	struct xfrm_hc_probe_route route = {};
	u64 now_ns = ktime_to_ns(now);
	bool evicted;
	u64 start;
	u8 cmd = 0;
	u32 seq;
	int err;

	if (conf->mode == XFRM_HC_CHECK_MODE_OPTIMIZED &&
	    xfrm_hc_check_traffic_seen(c)) {
		spin_lock(&c->lock);
		c->probes_skipped++;
		cmd = xfrm_hc_check_outcome_locked(c, true, now);
		spin_unlock(&c->lock);
		xfrm_hc_check_notify(c, cmd);
		return;
	}
	/* Not sent, so neither lost nor answered: no news for the check. */
	if (xfrm_hc_probe_budget_spent_pct() >= xfrm_hc_check_probe_priority(c)) {
		atomic64_inc(&c->hn->probes_shed);
		return;
	}

	spin_lock(&c->lock);
	seq = ++c->seq;
	slot = xfrm_hc_check_slot(c, &evicted);
	if (evicted) {
		c->probes_lost++;
		cmd = xfrm_hc_check_outcome_locked(c, false, now);
	}
	slot->seq = seq;
	slot->sent_ns = now_ns;
	slot->deadline_ns = now_ns + (u64)xfrm_hc_check_timeout_ms(c) *
				     NSEC_PER_MSEC;
	c->probes_sent++;
	spin_unlock(&c->lock);
	xfrm_hc_check_notify(c, cmd);

	route.family = conf->family;
	route.src = conf->src;
	route.dst = conf->dst;
	route.if_id = conf->if_id;
	route.oif = conf->ifindex;
	start = local_clock();
	err = xfrm_hc_probe_send_check(c->hn, c->id, seq, &route);
	xfrm_hc_probe_budget_charge(start);

	spin_lock(&c->lock);
	if (err) {
		/* Not sent (no route, no SA): lost now, not at its deadline. */
		if (slot->seq == seq && slot->deadline_ns) {
			slot->deadline_ns = 0;
			c->probes_lost++;
			c->send_errors++;
			cmd = xfrm_hc_check_outcome_locked(c, false, now);
		}
	} else if (route.peer_known) {
		c->tunnel_known = true;
		c->tunnel = route.peer_key;
	}
	spin_unlock(&c->lock);
	xfrm_hc_check_notify(c, cmd);
}

/* Under c->lock: the oldest probe whose time is up, or NULL. */
static struct xfrm_hc_check_inflight *
xfrm_hc_check_expired(struct xfrm_hc_check *c, u64 now_ns)
{
	struct xfrm_hc_check_inflight *oldest = NULL;
	int i;

	for (i = 0; i < XFRM_HC_CHECK_INFLIGHT; i++) {
		struct xfrm_hc_check_inflight *s = &c->inflight[i];

		if (s->deadline_ns && s->deadline_ns <= now_ns &&
		    (!oldest || s->sent_ns < oldest->sent_ns))
			oldest = s;
	}
	return oldest;
}

/* Under c->lock: wake for the next probe or the next deadline. */
static void xfrm_hc_check_rearm(struct xfrm_hc_check *c)
{
	u64 next = ktime_to_ns(c->next_send);
	int i;

	for (i = 0; i < XFRM_HC_CHECK_INFLIGHT; i++)
		if (c->inflight[i].deadline_ns &&
		    c->inflight[i].deadline_ns < next)
			next = c->inflight[i].deadline_ns;
	/* A little slack lets the hrtimer code fire neighbours together. */
	hrtimer_set_expires_range_ns(&c->timer, ns_to_ktime(next),
				     min_t(u64, (u64)c->conf.interval_ms *
						NSEC_PER_MSEC / 64,
					   NSEC_PER_MSEC));
}

static enum hrtimer_restart xfrm_hc_check_timer_fired(struct hrtimer *timer)
{
	struct xfrm_hc_check *c = container_of(timer, struct xfrm_hc_check,
					       timer);
	struct xfrm_hc_check_inflight *s;
	struct xfrm_hc_check_conf conf;
	ktime_t now = ktime_get();
	u64 now_ns = ktime_to_ns(now);
	bool due;
	u8 cmd;

	if (READ_ONCE(c->removed))
		return HRTIMER_NORESTART;

	/* Probes whose time is up are lost, oldest first. */
	for (;;) {
		spin_lock(&c->lock);
		s = xfrm_hc_check_expired(c, now_ns);
		if (!s) {
			spin_unlock(&c->lock);
			break;
		}
		s->deadline_ns = 0;
		c->probes_lost++;
		cmd = xfrm_hc_check_outcome_locked(c, false, now);
		spin_unlock(&c->lock);
		xfrm_hc_check_notify(c, cmd);
	}

	spin_lock(&c->lock);
	xfrm_hc_check_settle(&c->sm, now_ns);
	conf = c->conf;
	/* An interface's if_id can be changed under it: use the current one. */
	if (c->dev)
		conf.if_id = xfrm_hc_failover_if_id(c->dev);
	due = !ktime_before(now, c->next_send);
	if (due) {
		u32 cur = xfrm_hc_check_cur_interval(&c->sm, conf.interval_ms);

		/* Absolute: no drift; a tick that ran long skips, not bunches. */
		c->next_send = ktime_add_ms(c->next_send, cur);
		if (ktime_before(c->next_send, now))
			c->next_send = ktime_add_ms(now, cur);
	}
	spin_unlock(&c->lock);

	if (due)
		xfrm_hc_check_probe(c, &conf, now);

	spin_lock(&c->lock);
	xfrm_hc_check_rearm(c);
	spin_unlock(&c->lock);
	return HRTIMER_RESTART;
}

/* Under c->lock and RTNL: the name of the interface, stable under RTNL. */
static void xfrm_hc_check_copy_ifname(struct xfrm_hc_check *c)
{
	ASSERT_RTNL();
	if (c->dev)
		strscpy(c->ifname, c->dev->name, sizeof(c->ifname));
	else
		c->ifname[0] = '\0';
}

/* Start at a random phase within the interval: checks spread out. */
static void xfrm_hc_check_timer_start(struct xfrm_hc_check *c)
{
	spin_lock_bh(&c->lock);
	c->next_send = ktime_add_ns(ktime_get(),
				    mul_u64_u32_shr((u64)c->conf.interval_ms *
						    NSEC_PER_MSEC,
						    get_random_u32(), 32));
	xfrm_hc_check_rearm(c);
	spin_unlock_bh(&c->lock);
	hrtimer_start_expires(&c->timer, HRTIMER_MODE_ABS_SOFT);
}

/**
 * xfrm_hc_check_add() - create a check and start probing
 * @hn: the namespace's state, its lock held
 * @name: a name not in use (the caller checked)
 * @conf: its settings, checked
 * @dev: the XFRM interface of @conf->ifindex, referenced; taken over
 * @extack: for errors
 *
 * Context: process, RTNL held (taken before @hn's lock), for @dev's name.
 * Return: 0 or a negative errno; @dev is released on error.
 */
int xfrm_hc_check_add(struct xfrm_hc_net *hn, const char *name,
		      const struct xfrm_hc_check_conf *conf,
		      struct net_device *dev, struct netlink_ext_ack *extack)
{
	struct xfrm_hc_check *c;
	int err;

	lockdep_assert_held(&hn->lock);
	if (hn->nchecks >= READ_ONCE(xfrm_hc_max_checks)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many checks: see the max_checks module parameter");
		err = -ENOSPC;
		goto err_put;
	}
	err = xfrm_hc_probe_net_enable(hn);
	if (err) {
		NL_SET_ERR_MSG_MOD(extack, "cannot hook probe answers");
		goto err_put;
	}
	if (!xfrm_hc_limit_take(XFRM_HC_OBJ_CHECK)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "too many checks on this host: see the max_checks_total module parameter");
		err = -ENOSPC;
		goto err_put;
	}
	c = kzalloc(sizeof(*c), GFP_KERNEL_ACCOUNT);
	if (!c) {
		xfrm_hc_obj_gone(XFRM_HC_OBJ_CHECK);
		err = -ENOMEM;
		goto err_put;
	}
	c->hn = hn;
	strscpy(c->name, name, sizeof(c->name));
	spin_lock_init(&c->lock);
	c->conf = *conf;
	c->dev = dev;
	if (dev)
		netdev_tracker_alloc(dev, &c->dev_tracker, GFP_KERNEL);
	xfrm_hc_check_copy_ifname(c);
	c->last_change = ktime_get();
	hrtimer_init(&c->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
	c->timer.function = xfrm_hc_check_timer_fired;
	err = xa_alloc(&hn->check_ids, &c->id, c, xa_limit_31b, GFP_KERNEL);
	if (err) {
		if (dev)
			netdev_put(dev, &c->dev_tracker);
		kfree(c);
		xfrm_hc_obj_gone(XFRM_HC_OBJ_CHECK);
		return err;
	}
	list_add_tail_rcu(&c->node, &hn->checks);
	hn->nchecks++;
	hn->checks_generation++;
	xfrm_hc_check_timer_start(c);
	return 0;

err_put:
	if (dev)
		dev_put(dev);
	return err;
}

/**
 * xfrm_hc_check_set() - change a check's settings, keep its state
 * @c: the check; its namespace's lock held
 * @conf: the new settings, checked
 * @dev: the XFRM interface of @conf->ifindex, referenced; taken over
 *
 * Context: process, RTNL held (taken before the namespace's lock), for
 * @dev's name; waits for a running tick.
 */
void xfrm_hc_check_set(struct xfrm_hc_check *c,
		       const struct xfrm_hc_check_conf *conf,
		       struct net_device *dev)
{
	struct net_device *old = NULL, *extra = NULL;
	netdevice_tracker old_tracker;

	lockdep_assert_held(&c->hn->lock);
	c->hn->checks_generation++;
	hrtimer_cancel(&c->timer);
	spin_lock_bh(&c->lock);
	/* A carrier we turned off goes back on before anything changes. */
	if (c->dev != dev || conf->action != XFRM_HC_ACTION_FAILOVER)
		xfrm_hc_failover_release(c);
	c->conf = *conf;
	if (c->dev == dev) {
		/* One reference is enough: drop the caller's. */
		extra = dev;
	} else {
		old = c->dev;
		old_tracker = c->dev_tracker;
		c->dev = dev;
		if (dev)
			netdev_tracker_alloc(dev, &c->dev_tracker, GFP_ATOMIC);
	}
	xfrm_hc_check_copy_ifname(c);
	xfrm_hc_failover_apply(c);
	spin_unlock_bh(&c->lock);
	if (old)
		netdev_put(old, &old_tracker);
	if (extra)
		dev_put(extra);
	xfrm_hc_check_timer_start(c);
}

/* Under c->lock, from process context: let go of the interface. */
static struct net_device *xfrm_hc_check_drop_dev(struct xfrm_hc_check *c,
						 netdevice_tracker *tracker)
{
	struct net_device *dev = c->dev;

	xfrm_hc_failover_release(c);
	*tracker = c->dev_tracker;
	c->dev = NULL;
	c->ifname[0] = '\0';
	c->conf.ifindex = 0;
	return dev;
}

/**
 * xfrm_hc_check_del() - stop and free a check
 * @c: the check; its namespace's lock held
 *
 * Context: process; waits for a running tick. Answers being handled see
 * @c->removed under its lock and send nothing more.
 */
void xfrm_hc_check_del(struct xfrm_hc_check *c)
{
	struct xfrm_hc_net *hn = c->hn;
	netdevice_tracker tracker;
	struct net_device *dev;

	lockdep_assert_held(&hn->lock);
	list_del_rcu(&c->node);
	xa_erase(&hn->check_ids, c->id);
	hn->nchecks--;
	hn->checks_generation++;
	spin_lock_bh(&c->lock);
	WRITE_ONCE(c->removed, true);
	if (c->sm.state == XFRM_HC_CHECK_STATE_DOWN)
		atomic64_dec(&hn->checks_down);
	dev = xfrm_hc_check_drop_dev(c, &tracker);
	spin_unlock_bh(&c->lock);
	hrtimer_cancel(&c->timer);
	if (dev)
		netdev_put(dev, &tracker);
	kfree_rcu(c, rcu);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_CHECK);
}

/**
 * xfrm_hc_check_flush() - delete every check of a namespace
 * @hn: the namespace's state, its lock held
 */
void xfrm_hc_check_flush(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_check *c, *tmp;

	list_for_each_entry_safe(c, tmp, &hn->checks, node)
		xfrm_hc_check_del(c);
}

/* Decrypted by ESP, and by the check's if_id's SAs if it has one. */
static bool xfrm_hc_check_came_through(const struct xfrm_hc_check *c,
				       const struct sk_buff *skb)
{
	u32 if_id = c->dev ? xfrm_hc_failover_if_id(c->dev) : c->conf.if_id;
	struct sec_path *sp = skb_sec_path(skb);
	int i;

	for (i = 0; sp && i < sp->len; i++) {
		const struct xfrm_state *x = sp->xvec[i];

		if (x->id.proto == IPPROTO_ESP && (!if_id || x->if_id == if_id))
			return true;
	}
	return false;
}

/**
 * xfrm_hc_check_answered() - an answer to a check's probe arrived
 * @hn: the namespace's state
 * @id: the check's id, from the answer
 * @seq: the probe's sequence number, from the answer
 * @skb: the answer, for its security path
 *
 * Context: the probe hook, under RCU. An answer after its probe's
 * deadline was already counted lost, and is ignored.
 */
void xfrm_hc_check_answered(struct xfrm_hc_net *hn, u32 id, u32 seq,
			    const struct sk_buff *skb)
{
	struct xfrm_hc_check *c = xa_load(&hn->check_ids, id);
	ktime_t now = ktime_get();
	u64 now_ns = ktime_to_ns(now);
	u8 cmd = 0;
	int i;

	if (!c)
		return;
	spin_lock(&c->lock);
	if (c->removed || !xfrm_hc_check_came_through(c, skb))
		goto out;
	for (i = 0; i < XFRM_HC_CHECK_INFLIGHT; i++) {
		struct xfrm_hc_check_inflight *s = &c->inflight[i];
		u32 rtt_us;

		if (s->seq != seq || !s->deadline_ns || now_ns > s->deadline_ns)
			continue;
		s->deadline_ns = 0;
		rtt_us = div_u64(now_ns - s->sent_ns, NSEC_PER_USEC);
		if (!c->probes_answered++ || rtt_us < c->rtt_min_us)
			c->rtt_min_us = rtt_us;
		c->rtt_max_us = max(c->rtt_max_us, rtt_us);
		c->rtt_last_us = rtt_us;
		c->rtt_sum_us += rtt_us;
		c->answers_since++;
		c->last_answer = now;
		cmd = xfrm_hc_check_outcome_locked(c, true, now);
		break;
	}
out:
	spin_unlock(&c->lock);
	xfrm_hc_check_notify(c, cmd);
}

/*
 * An interface a check uses is going away: let go of it, keep probing.
 * Or it was renamed: take its new name, under RTNL as the notifier runs.
 */
static int xfrm_hc_check_netdev_event(struct notifier_block *nb,
				      unsigned long event, void *ptr)
{
	struct net_device *dev = netdev_notifier_info_to_dev(ptr);
	struct xfrm_hc_net *hn;
	struct xfrm_hc_check *c;

	if ((event != NETDEV_UNREGISTER && event != NETDEV_CHANGENAME) ||
	    !xfrm_hc_failover_dev_ok(dev))
		return NOTIFY_DONE;
	hn = xfrm_hc_net(dev_net(dev));
	mutex_lock(&hn->lock);
	list_for_each_entry(c, &hn->checks, node) {
		netdevice_tracker tracker;
		struct net_device *held = NULL;

		spin_lock_bh(&c->lock);
		if (c->dev == dev && event == NETDEV_CHANGENAME)
			xfrm_hc_check_copy_ifname(c);
		else if (c->dev == dev)
			held = xfrm_hc_check_drop_dev(c, &tracker);
		spin_unlock_bh(&c->lock);
		if (held)
			netdev_put(held, &tracker);
	}
	mutex_unlock(&hn->lock);
	return NOTIFY_DONE;
}

static struct notifier_block xfrm_hc_check_netdev_nb = {
	.notifier_call = xfrm_hc_check_netdev_event,
};

/**
 * xfrm_hc_check_notifier_init() - follow interfaces that checks use
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_check_notifier_init(void)
{
	return register_netdevice_notifier(&xfrm_hc_check_netdev_nb);
}

/**
 * xfrm_hc_check_notifier_exit() - stop following interfaces
 */
void xfrm_hc_check_notifier_exit(void)
{
	unregister_netdevice_notifier(&xfrm_hc_check_netdev_nb);
}
