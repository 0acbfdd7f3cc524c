// SPDX-License-Identifier: GPL-2.0
/*
 * Per-peer interval timers.
 *
 * There is one timer per peer, and it fires once per interval:
 *  - it reads the peer's SA counters (the data path is never touched);
 *    if one of its SAs is dead, deleted without a word to us (MOBIKE, an
 *    offload device's flush), it judges nothing and asks for a resync,
 *  - hands them to the state machine in liveness.c,
 *  - sends the event if the state changed, acts on a death (action.c),
 *    and sends a probe if one is due (probe.c),
 *  - sends a NAT-T keepalive if one is due (natt_keepalive.c); it also
 *    wakes early for one when the interval is longer than natt-keepalive,
 *  - and re-arms itself at an absolute time one jittered interval on.
 *
 * Why this scales to 100k peers: a tick runs in softirq on the CPU whose
 * timing wheel holds the peer (timer_wheel.c: one hrtimer per CPU, not per
 * peer), costs O(SAs of the peer) and takes no lock shared with other
 * peers. Peers are spread over the CPUs by id: put where their SAs were
 * added, every tick would run on the IKE daemon's CPU, and that one CPU
 * would do all the ticks, probes and answers. A random first phase and a
 * random stretch of each interval spread 50k peers over the interval
 * instead of letting them fire together.
 *
 * Probes are what costs (a route, an XFRM bundle, ESP, and the answer):
 * each CPU may spend at most probe_cpu_pct of its time sending them, and
 * probes are shed too while its softirq share nears probe_softirq_pct
 * (probe_budget.c). Past that, ticks still run but shed their probe, so a
 * host asked for more probes than it can send stays responsive instead of
 * spending every cycle in softirq.
 *
 * Health checks (check.c) do not use the wheels: each has its own soft
 * hrtimer. The wheels exist for count: 100k hrtimers would each be a tree
 * insert and an expiry of their own. Checks are few (max_checks, 1,024 a
 * namespace by default): at that count an hrtimer each costs nothing, and
 * keeps a check's probe timeouts to the microsecond where a wheel slot is
 * about a millisecond, a tenth of the shortest interval (10 ms). Should
 * checks ever number in the tens of thousands, they belong on the wheels.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/random.h>
#include <linux/sched/isolation.h>
#include <linux/smp.h>

#include "action.h"
#include "debugfs.h"
#include "echo_requester.h"
#include "events.h"
#include "km.h"
#include "liveness.h"
#include "natt_keepalive.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "probe_budget.h"
#include "timer_wheel.h"
#include "timers.h"

static void xfrm_hc_probe_send_charged(struct xfrm_hc_peer *peer,
				       const struct xfrm_hc_probe_target *t)
{
	u64 start = local_clock();
	int err;

	err = xfrm_hc_probe_send(peer, t);
	xfrm_hc_probe_budget_charge(start);
	if (err) {
		spin_lock(&peer->lock);
		xfrm_hc_liveness_probe_unsent(&peer->lv);
		spin_unlock(&peer->lock);
		if (t->echo && err == -EHOSTUNREACH)
			xfrm_hc_echo_unrouted(peer);
	}
}

/*
 * How the peer is probed: its target by ICMP, else by echo once it has
 * answered one (echo_requester.c), else not at all. @use says whether to
 * send a discovery echo besides.
 */
static u8 xfrm_hc_tick_method(struct xfrm_hc_peer *peer,
			      const struct xfrm_hc_profile *prof,
			      struct xfrm_hc_tick *tick,
			      struct xfrm_hc_probe_target *target,
			      enum xfrm_hc_echo_use *use)
{
	*use = XFRM_HC_ECHO_NONE;
	tick->can_probe = xfrm_hc_probe_target(peer, prof, target);
	if (tick->can_probe)
		return XFRM_HC_PROBE_METHOD_ICMP;
	*use = xfrm_hc_echo_plan(peer, target);
	if (*use != XFRM_HC_ECHO_PROBE)
		return XFRM_HC_PROBE_METHOD_PASSIVE;
	tick->can_probe = true;
	tick->probe_idle = true;
	return XFRM_HC_PROBE_METHOD_ECHO;
}

/* The next tick is at @expires: when to wake, earlier for a NAT-T keepalive. */
static ktime_t xfrm_hc_timer_next(struct xfrm_hc_peer *peer, ktime_t expires,
				  ktime_t keepalive)
{
	peer->expires = expires;
	if (keepalive && ktime_before(keepalive, expires))
		return keepalive;
	return expires;
}

/*
 * Where the tick's evidence comes from: counters, minus our own probes.
 * False if a dead SA makes the counters stale: then nothing is taken.
 */
static bool xfrm_hc_tick_gather(struct xfrm_hc_peer *peer,
				struct xfrm_hc_tick *tick, ktime_t now)
{
	u64 in, out;

	if (!xfrm_hc_peer_counters_take(peer, &in, &out))
		return false;
	peer->in_packets += in;
	peer->out_packets += out;
	/*
	 * Our probes and their answers ride the same SAs, and so do the
	 * peer's echoes and our replies: not data. The peer's echoes show
	 * it alive, not that it hears us.
	 */
	tick->in_data = in - min_t(u64, in, peer->answers_tick +
				   peer->echo_requests_tick);
	tick->out_data = out - min_t(u64, out, peer->probes_tick);
	tick->probe_answered = peer->answers_tick > 0;
	peer->probes_tick = 0;
	peer->answers_tick = 0;
	peer->echo_requests_tick = 0;
	if (tick->in_data)
		peer->last_in_seen = now;
	if (tick->in_data || tick->probe_answered)
		peer->last_evidence = now;
	return true;
}

/* A peer's tick, from its CPU's wheel: returns when to wake it next. */
static ktime_t xfrm_hc_timer_fired(struct xfrm_hc_wheel_entry *e)
{
	struct xfrm_hc_peer *peer = container_of(e, struct xfrm_hc_peer, timer);
	struct xfrm_hc_net *hn = xfrm_hc_peer_hn(peer);
	struct xfrm_hc_probe_target target;
	enum xfrm_hc_echo_use echo_use;
	bool confirm = false;
	struct xfrm_hc_verdict v = {};
	struct xfrm_hc_tick tick = {};
	struct xfrm_hc_profile prof;
	ktime_t now = ktime_get();
	ktime_t keepalive, next;
	bool tick_due, stale;
	u8 old_state, method;

	if (READ_ONCE(peer->removed))
		return 0;

	spin_lock(&peer->lock);
	/* Replaced settings are taken up here, at the next tick. */
	xfrm_hc_profile_read(peer->profile, &prof);
	tick_due = !ktime_before(now, peer->expires);
	spin_unlock(&peer->lock);
	keepalive = xfrm_hc_natt_keepalive_tick(peer, &prof, now);
	if (!tick_due) {
		/* Woken for a keepalive only. */
		return xfrm_hc_timer_next(peer, peer->expires, keepalive);
	}
	method = xfrm_hc_tick_method(peer, &prof, &tick, &target, &echo_use);
	if (tick.can_probe || echo_use == XFRM_HC_ECHO_DISCOVER)
		tick.budget_spent_pct = xfrm_hc_probe_budget_spent_pct();

	spin_lock(&peer->lock);
	xfrm_hc_lateness_record(peer->expires, now);
	tick.late = xfrm_hc_tick_is_late(ktime_to_ns(peer->expires),
					 ktime_to_ns(now), prof.interval_ms);
	old_state = peer->lv.state;
	stale = !xfrm_hc_tick_gather(peer, &tick, now);
	if (!stale) {
		if (method == XFRM_HC_PROBE_METHOD_ECHO) {
			xfrm_hc_echo_judge(peer, prof.misses, &tick);
			if (!tick.can_probe)
				method = XFRM_HC_PROBE_METHOD_PASSIVE;
		}
		v = xfrm_hc_liveness_tick(&peer->lv, &prof, &tick);
		if (v.changed)
			peer->last_change = now;
		/* A passive peer's miss: ask the far side whether it hears. */
		confirm = method == XFRM_HC_PROBE_METHOD_PASSIVE &&
			  !tick.late && peer->lv.misses &&
			  echo_use != XFRM_HC_ECHO_DISCOVER;
	}
	peer->probe_method = method;
	spin_unlock(&peer->lock);

	/*
	 * A dead SA: judge nothing from its frozen count. A delete we heard
	 * of leaves with the pending batch of changes, no walk needed (a
	 * rekey every hour of 100k SAs would otherwise walk them every few
	 * seconds). One still there with nothing pending was deleted behind
	 * our back: have the tables walked (a migration, say, added its
	 * successor unannounced too). No verdict and no probe until then.
	 */
	if (stale && !delayed_work_pending(&hn->sa_work))
		xfrm_hc_km_resync_batched(hn);
	if (tick.late)
		atomic64_inc(&hn->late_ticks);
	if (v.changed) {
		if (v.state == XFRM_HC_STATE_DEAD)
			atomic64_inc(&hn->peers_dead);
		else if (old_state == XFRM_HC_STATE_DEAD)
			atomic64_dec(&hn->peers_dead);
		xfrm_hc_event_state(peer, v.state, GFP_ATOMIC);
		/* Cleared SAs are gone: a probe would only ask IKE for new ones. */
		if (v.state == XFRM_HC_STATE_DEAD &&
		    prof.action == XFRM_HC_ACTION_CLEAR)
			v.send_probe = false;
		if (v.state == XFRM_HC_STATE_DEAD)
			xfrm_hc_action_run(peer, prof.action);
	}
	if (v.send_probe)
		xfrm_hc_probe_send_charged(peer, &target);
	else if (v.probe_shed)
		atomic64_inc(&hn->probes_shed);
	/* Discovery has the lowest priority: only from a CPU half idle. */
	if (echo_use == XFRM_HC_ECHO_DISCOVER && !stale && !tick.late &&
	    tick.budget_spent_pct < 50)
		xfrm_hc_probe_send_charged(peer, &target);
	else if (confirm && xfrm_hc_probe_budget_spent_pct() < 75 &&
		 xfrm_hc_echo_confirm(peer, &target))
		xfrm_hc_probe_send_charged(peer, &target);

	/* Absolute: no drift. A tick that ran long skips, not bunches. */
	next = ktime_add_ns(peer->expires,
			    xfrm_hc_interval_ns(&prof, get_random_u32()));
	if (ktime_before(next, now))
		next = ktime_add_ns(now, xfrm_hc_interval_ns(&prof,
							     get_random_u32()));
	return xfrm_hc_timer_next(peer, next, keepalive);
}

/**
 * xfrm_hc_timer_init() - set up a peer's timer, not yet armed
 * @peer: the peer
 */
void xfrm_hc_timer_init(struct xfrm_hc_peer *peer)
{
	INIT_HLIST_NODE(&peer->timer.node);
}

/* The CPU a peer's ticks run on: by id, over the online timer CPUs. */
static unsigned int xfrm_hc_timer_cpu(const struct xfrm_hc_peer *peer)
{
	/* Not the isolated (nohz_full) CPUs: they are not ours to wake. */
	const struct cpumask *hk = housekeeping_cpumask(HK_TYPE_TIMER);
	unsigned int n = cpumask_weight_and(hk, cpu_online_mask);

	if (!n)
		return nr_cpu_ids;
	return cpumask_nth_and(peer->id % n, hk, cpu_online_mask);
}

/* Arm at a random phase within one interval, after a full one if asked. */
static void xfrm_hc_timer_arm_phase(struct xfrm_hc_peer *peer, bool skip_one)
{
	struct xfrm_hc_profile prof;
	ktime_t first, wake;

	spin_lock_bh(&peer->lock);
	xfrm_hc_profile_read(peer->profile, &prof);
	first = ktime_add_ns(ktime_get(),
			     (skip_one ? xfrm_hc_interval_ns(&prof, 0) : 0) +
			     mul_u64_u32_shr((u64)prof.interval_ms *
					     NSEC_PER_MSEC,
					     get_random_u32(), 32));
	wake = xfrm_hc_timer_next(peer, first, 0);
	spin_unlock_bh(&peer->lock);
	xfrm_hc_wheel_add(&peer->timer, xfrm_hc_timer_cpu(peer), wake);
}

/**
 * xfrm_hc_timer_start() - arm a new peer's timer at a random phase
 * @peer: the peer, in the tables
 *
 * The first look comes after one full interval: a new SA has had no time
 * to carry traffic.
 */
void xfrm_hc_timer_start(struct xfrm_hc_peer *peer)
{
	xfrm_hc_timer_arm_phase(peer, true);
}

/**
 * xfrm_hc_timer_interval_changed() - apply a new interval now
 * @peer: the peer, in the tables, its profile already changed
 *
 * Context: process; waits for a running tick. Without this a peer moved
 * from 1 h to 100 ms would keep its old schedule for up to an hour.
 */
void xfrm_hc_timer_interval_changed(struct xfrm_hc_peer *peer)
{
	xfrm_hc_wheel_cancel(&peer->timer);
	if (!READ_ONCE(peer->removed))
		xfrm_hc_timer_arm_phase(peer, false);
}

/**
 * xfrm_hc_timer_stop() - stop a removed peer's timer for good
 * @peer: the peer, already marked removed
 *
 * Waits for a running tick, which sees the mark and does not re-arm.
 */
void xfrm_hc_timer_stop(struct xfrm_hc_peer *peer)
{
	xfrm_hc_wheel_cancel(&peer->timer);
}

/**
 * xfrm_hc_timers_init() - the per-CPU wheels peers' ticks run from
 *
 * Return: 0 or -ENOMEM.
 */
int xfrm_hc_timers_init(void)
{
	return xfrm_hc_wheels_init(xfrm_hc_timer_fired);
}

/**
 * xfrm_hc_timers_exit() - stop the wheels
 *
 * Context: after every peer is gone.
 */
void xfrm_hc_timers_exit(void)
{
	xfrm_hc_wheels_exit();
}
