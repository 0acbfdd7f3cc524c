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
 * each CPU may spend at most probe_cpu_pct of its time sending them, over
 * 100 ms windows. Past that, ticks still run but shed their probe, so a
 * host asked for more probes than it can send stays responsive instead of
 * spending every cycle in softirq. Sending is only part of a probe's
 * cost: its answer is decrypted in the receive softirq, where we cannot
 * time it (on 6.12 an ESP packet also walks a per-CPU list of every
 * inbound SA that received on that CPU). So probes are shed as well while
 * the CPU's softirq share nears probe_softirq_pct, whatever its cause;
 * the tasks on that CPU (the IKE daemon, the routing daemon) keep the
 * rest. Which probes go first as the budget runs low is liveness.c's call.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel_stat.h>
#include <linux/math64.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/random.h>
#include <linux/sched/isolation.h>
#include <linux/seq_file.h>
#include <linux/smp.h>

#include "action.h"
#include "events.h"
#include "km.h"
#include "liveness.h"
#include "natt_keepalive.h"
#include "peer.h"
#include "pernet.h"
#include "probe.h"
#include "timer_wheel.h"
#include "timers.h"

/*
 * How late ticks run, for the scale benchmark and for operators: a
 * log-linear histogram of microseconds, four buckets per power of two
 * (at most 25 % too coarse), per CPU so that 100k timers share no line.
 */
#define XFRM_HC_LATE_SUB_BITS 2
#define XFRM_HC_LATE_SUB BIT(XFRM_HC_LATE_SUB_BITS)
#define XFRM_HC_LATE_BUCKETS (XFRM_HC_LATE_SUB * (33 - XFRM_HC_LATE_SUB_BITS))

static DEFINE_PER_CPU(u64 [XFRM_HC_LATE_BUCKETS], xfrm_hc_lateness);

static unsigned int xfrm_hc_late_bucket(u32 us)
{
	unsigned int e;

	if (us < XFRM_HC_LATE_SUB)
		return us;
	e = fls(us) - 1;
	return XFRM_HC_LATE_SUB * (e - XFRM_HC_LATE_SUB_BITS + 1) +
	       ((us >> (e - XFRM_HC_LATE_SUB_BITS)) & (XFRM_HC_LATE_SUB - 1));
}

/* The smallest lateness, in microseconds, that lands in @b. */
static u64 xfrm_hc_late_bucket_floor(unsigned int b)
{
	unsigned int e = b / XFRM_HC_LATE_SUB + XFRM_HC_LATE_SUB_BITS - 1;

	if (b < XFRM_HC_LATE_SUB)
		return b;
	return (u64)(XFRM_HC_LATE_SUB + b % XFRM_HC_LATE_SUB) <<
	       (e - XFRM_HC_LATE_SUB_BITS);
}

static void xfrm_hc_lateness_record(ktime_t expires, ktime_t now)
{
	s64 late_us = ktime_us_delta(now, expires);

	late_us = clamp_t(s64, late_us, 0, U32_MAX);
	this_cpu_inc(xfrm_hc_lateness[xfrm_hc_late_bucket(late_us)]);
}

/**
 * xfrm_hc_timer_lateness_show() - the lateness histogram, for debugfs
 * @m: where to print "FLOOR_US COUNT" for each bucket that is not empty
 *
 * Return: 0
 */
int xfrm_hc_timer_lateness_show(struct seq_file *m)
{
	unsigned int b;
	int cpu;

	for (b = 0; b < XFRM_HC_LATE_BUCKETS; b++) {
		u64 n = 0;

		for_each_possible_cpu(cpu)
			n += per_cpu(xfrm_hc_lateness, cpu)[b];
		if (n)
			seq_printf(m, "%llu %llu\n", xfrm_hc_late_bucket_floor(b),
				   n);
	}
	return 0;
}

/* A share of a CPU: 0 or past 100 is refused (EINVAL), not clamped. */
static int xfrm_hc_param_set_pct(const char *val,
				 const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 100);
}

static const struct kernel_param_ops xfrm_hc_param_pct_ops = {
	.set = xfrm_hc_param_set_pct,
	.get = param_get_uint,
};

static unsigned int xfrm_hc_probe_cpu_pct __read_mostly = 25;
module_param_cb(probe_cpu_pct, &xfrm_hc_param_pct_ops, &xfrm_hc_probe_cpu_pct,
		0644);
MODULE_PARM_DESC(probe_cpu_pct,
		 "share of each CPU that sending probes may take, 1-100 (past it, probes are shed)");

static unsigned int xfrm_hc_probe_softirq_pct __read_mostly = 75;
module_param_cb(probe_softirq_pct, &xfrm_hc_param_pct_ops,
		&xfrm_hc_probe_softirq_pct, 0644);
MODULE_PARM_DESC(probe_softirq_pct,
		 "softirq share of a CPU (probe answers and all other network work) at which even urgent probes are shed, 1-100; 100: no limit");

#define XFRM_HC_PROBE_BUDGET_WINDOW_NS (100 * NSEC_PER_MSEC)

/**
 * struct xfrm_hc_probe_budget - one CPU's probe budget
 * @start: when the current window began (local_clock())
 * @spent: time spent sending probes in it
 * @softirq_start: the CPU's softirq time when it began
 * @softirq_pct: the CPU's softirq share, smoothed over windows
 */
struct xfrm_hc_probe_budget {
	u64 start;
	u64 spent;
	u64 softirq_start;
	u8 softirq_pct;
};

static DEFINE_PER_CPU(struct xfrm_hc_probe_budget, xfrm_hc_probe_budget);

/*
 * Fold the window that ends into the smoothed softirq share. Without
 * IRQ_TIME_ACCOUNTING (Debian) softirq time is sampled at each tick: a
 * window holds only 25 samples at HZ=250, hence the smoothing (a quarter
 * per window, so a change shows within about half a second).
 */
static void xfrm_hc_probe_budget_roll(struct xfrm_hc_probe_budget *b, u64 now)
{
	u64 softirq = kcpustat_this_cpu->cpustat[CPUTIME_SOFTIRQ];
	u64 pct = div64_u64((softirq - b->softirq_start) * 100,
			    max_t(u64, now - b->start, 1));

	b->softirq_pct = (3 * b->softirq_pct + min_t(u64, pct, 100)) / 4;
	b->softirq_start = softirq;
	b->start = now;
	b->spent = 0;
}

/**
 * xfrm_hc_probe_budget_spent_pct() - how much of this CPU's room for probes
 *	is used
 *
 * Context: softirq (a peer's tick or a check's timer), on the CPU that
 * sends.
 * Return: percent, 0-100, compared with a probe's priority.
 */
u8 xfrm_hc_probe_budget_spent_pct(void)
{
	struct xfrm_hc_probe_budget *b = this_cpu_ptr(&xfrm_hc_probe_budget);
	u64 now = local_clock();

	/* Ticks run in softirq on this CPU: no preemption in between. */
	if (now - b->start >= XFRM_HC_PROBE_BUDGET_WINDOW_NS)
		xfrm_hc_probe_budget_roll(b, now);
	return xfrm_hc_probe_room_used(b->spent, XFRM_HC_PROBE_BUDGET_WINDOW_NS,
				       READ_ONCE(xfrm_hc_probe_cpu_pct),
				       b->softirq_pct,
				       READ_ONCE(xfrm_hc_probe_softirq_pct));
}

/**
 * xfrm_hc_probe_budget_charge() - count a probe's sending against the budget
 * @start: local_clock() when its sending began
 *
 * Context: softirq, on the CPU that sent it.
 */
void xfrm_hc_probe_budget_charge(u64 start)
{
	this_cpu_add(xfrm_hc_probe_budget.spent, local_clock() - start);
}

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
	}
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
	/* Our probes and their answers ride the same SAs: not data. */
	tick->in_data = in - min_t(u64, in, peer->answers_tick);
	tick->out_data = out - min_t(u64, out, peer->probes_tick);
	tick->probe_answered = peer->answers_tick > 0;
	peer->probes_tick = 0;
	peer->answers_tick = 0;
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
	struct xfrm_hc_verdict v = {};
	struct xfrm_hc_tick tick = {};
	struct xfrm_hc_profile prof;
	ktime_t now = ktime_get();
	ktime_t keepalive, next;
	bool tick_due, stale;
	u8 old_state;

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
	tick.can_probe = xfrm_hc_probe_target(peer, &prof, &target);
	if (tick.can_probe)
		tick.budget_spent_pct = xfrm_hc_probe_budget_spent_pct();

	spin_lock(&peer->lock);
	xfrm_hc_lateness_record(peer->expires, now);
	tick.late = xfrm_hc_tick_is_late(ktime_to_ns(peer->expires),
					 ktime_to_ns(now), prof.interval_ms);
	old_state = peer->lv.state;
	stale = !xfrm_hc_tick_gather(peer, &tick, now);
	if (!stale) {
		v = xfrm_hc_liveness_tick(&peer->lv, &prof, &tick);
		if (v.changed)
			peer->last_change = now;
	}
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
