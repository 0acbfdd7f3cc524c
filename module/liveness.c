// SPDX-License-Identifier: GPL-2.0
/*
 * Where a peer is declared dead, and up again.
 *
 * Once per interval the timer side hands in what the peer's SA counters and
 * probes showed (struct xfrm_hc_tick). Evidence of life is inbound data or
 * an answered probe. A miss is an interval in which evidence was due and
 * none came: a probe was out, or we kept sending (one-way traffic). An
 * interval in which nothing was due and nothing came is idle, not a miss,
 * so an idle tunnel without a probe target is never called dead.
 *
 * Bound: after the link is cut, the first tick may still see traffic from
 * before the cut; from the second on, each interval is a miss while we
 * send or probe, so death comes within (misses + 1) intervals, each
 * stretched by at most the jitter.
 *
 * A tick more than half an interval late (the CPU is overloaded) counts no
 * miss and sends no probe: probing harder than the host can bear would
 * starve it further. A tick on time whose CPU has spent its probe budget
 * judges as usual but sheds its probe. The one still out stays out (an
 * answer to it still counts), but its loss was counted once already: the
 * intervals until a probe goes out again count no miss and reset none.
 * So misses are lost probes, never one lost probe counted again, and an
 * overloaded host does not call a peer dead for one dropped answer.
 *
 * What is left of the budget goes first to the probes that decide a
 * verdict: a peer with a miss counted needs its next answer to be judged
 * fairly. A dead peer's probe only looks for its return, and after a mass
 * failure those would otherwise take the whole budget and keep the peers
 * cut at the same time from ever being found dead.
 */

#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/time64.h>

#include "liveness.h"

static bool xfrm_hc_probes_idle(const struct xfrm_hc_profile *prof,
				const struct xfrm_hc_tick *tick)
{
	return tick->can_probe &&
	       (tick->probe_idle || prof->mode != XFRM_HC_MODE_ON_DEMAND);
}

static bool xfrm_hc_want_probe(const struct xfrm_hc_liveness *lv,
			       const struct xfrm_hc_profile *prof,
			       const struct xfrm_hc_tick *tick)
{
	if (!tick->can_probe)
		return false;
	/* Dead peers are probed so that their return is seen. */
	if (lv->state == XFRM_HC_STATE_DEAD || lv->misses)
		return true;
	switch (prof->mode) {
	case XFRM_HC_MODE_PERIODIC:
		return true;
	case XFRM_HC_MODE_IDLE:
		return !tick->in_data;
	default:
		return !tick->in_data && (tick->out_data || tick->probe_idle);
	}
}

/* Percent of the CPU's probe budget below which a probe may still go. */
static unsigned int xfrm_hc_probe_priority(const struct xfrm_hc_liveness *lv)
{
	if (lv->state == XFRM_HC_STATE_DEAD)
		return 50;
	if (lv->misses)
		return 100;
	return 75;
}

static void xfrm_hc_set_state(struct xfrm_hc_liveness *lv,
			      struct xfrm_hc_verdict *v, u8 state)
{
	if (lv->state == state)
		return;
	lv->state = state;
	v->changed = true;
}

/**
 * xfrm_hc_liveness_tick() - account for one interval of a peer
 * @lv: the peer's liveness, updated
 * @prof: its profile
 * @tick: what the interval showed
 *
 * Return: the new state, whether it changed, and whether to probe now.
 */
struct xfrm_hc_verdict xfrm_hc_liveness_tick(struct xfrm_hc_liveness *lv,
					     const struct xfrm_hc_profile *prof,
					     const struct xfrm_hc_tick *tick)
{
	struct xfrm_hc_verdict v = {};
	bool evidence = tick->in_data || tick->probe_answered;
	bool due = lv->probe_sent || tick->out_data;

	if (evidence) {
		lv->misses = 0;
		if (lv->state != XFRM_HC_STATE_DEAD) {
			xfrm_hc_set_state(lv, &v, XFRM_HC_STATE_UP);
		} else if (++lv->successes >= prof->up) {
			lv->successes = 0;
			lv->reason = XFRM_HC_REASON_NONE;
			xfrm_hc_set_state(lv, &v, XFRM_HC_STATE_UP);
		}
	} else if (due) {
		lv->successes = 0;
		/* Our own timer starved: that says nothing about the peer. */
		if (!tick->late && lv->state != XFRM_HC_STATE_DEAD &&
		    ++lv->misses >= prof->misses) {
			lv->misses = 0;
			lv->reason = lv->probe_sent ?
				     XFRM_HC_REASON_PROBE_TIMEOUT :
				     XFRM_HC_REASON_ONE_WAY_TRAFFIC;
			xfrm_hc_set_state(lv, &v, XFRM_HC_STATE_DEAD);
		}
	} else if (lv->probe_outstanding) {
		/* Its loss is counted; the next probe was shed: no news. */
	} else {
		lv->successes = 0;
		lv->misses = 0;
		/* Idle means "cannot tell"; a peer we go on to probe can. */
		if (lv->state == XFRM_HC_STATE_UP &&
		    !xfrm_hc_probes_idle(prof, tick))
			xfrm_hc_set_state(lv, &v, XFRM_HC_STATE_IDLE);
	}

	if (tick->late) {
		/*
		 * Starved: a probe now only adds to the load that made us late,
		 * and load shed here lets the next tick run on time. A probe
		 * still out stays out, and is judged by that tick.
		 */
		if (evidence) {
			lv->probe_outstanding = false;
			lv->probe_sent = false;
		}
	} else {
		v.send_probe = xfrm_hc_want_probe(lv, prof, tick);
		if (v.send_probe &&
		    tick->budget_spent_pct >= xfrm_hc_probe_priority(lv)) {
			v.send_probe = false;
			v.probe_shed = true;
			if (evidence)
				lv->probe_outstanding = false;
			lv->probe_sent = false;
		} else {
			lv->probe_outstanding = v.send_probe;
			lv->probe_sent = v.send_probe;
		}
	}
	v.state = lv->state;
	return v;
}

/**
 * xfrm_hc_liveness_probe_unsent() - the probe a verdict asked for never left
 * @lv: the peer's liveness
 *
 * It had no route, or one not through the peer's SAs: no answer is due
 * for it, and the peer is judged on its traffic alone, as if it had no
 * probe target. A probe target that routes elsewhere says nothing about
 * the peer.
 */
void xfrm_hc_liveness_probe_unsent(struct xfrm_hc_liveness *lv)
{
	lv->probe_sent = false;
	lv->probe_outstanding = false;
}

/**
 * xfrm_hc_interval_ns() - the length of the next interval
 * @prof: the profile
 * @rnd: a random number; its spread decides the jitter
 *
 * Jitter only stretches an interval, so a peer is never looked at before
 * its interval is up, and timers of many peers drift apart.
 *
 * Return: nanoseconds.
 */
u64 xfrm_hc_interval_ns(const struct xfrm_hc_profile *prof, u32 rnd)
{
	u64 base = (u64)prof->interval_ms * NSEC_PER_MSEC;
	u64 spread = div_u64(base * prof->jitter_pct, 100);

	if (!spread)
		return base;
	return base + mul_u64_u32_shr(spread, rnd, 32);
}

/**
 * xfrm_hc_tick_is_late() - did a timer fire so late that it must not count
 * @expected_ns: when it was due
 * @now_ns: when it ran
 * @interval_ms: the peer's interval
 *
 * Return: true if it ran more than half an interval after it was due.
 */
bool xfrm_hc_tick_is_late(u64 expected_ns, u64 now_ns, u32 interval_ms)
{
	return now_ns > expected_ns &&
	       now_ns - expected_ns > (u64)interval_ms * NSEC_PER_MSEC / 2;
}

/**
 * xfrm_hc_probe_room_used() - how much of a CPU's room for probes is used
 * @spent_ns: time spent sending probes in the current budget window
 * @window_ns: the window's length
 * @cpu_pct: the share of the CPU sending may take (probe_cpu_pct), 1-100
 * @softirq_pct: the CPU's softirq share, 0-100
 * @softirq_max_pct: the softirq share at which even urgent probes stop
 *	(probe_softirq_pct), 1-100; 100 is no limit
 *
 * Sending is only part of a probe's cost: its answer is decrypted in the
 * receive softirq, which cannot be timed per probe. So the CPU's softirq
 * share counts too, whatever its cause.
 *
 * Return: percent, 0-100, compared with a probe's priority.
 */
u8 xfrm_hc_probe_room_used(u64 spent_ns, u64 window_ns, unsigned int cpu_pct,
			   unsigned int softirq_pct,
			   unsigned int softirq_max_pct)
{
	u64 used;

	cpu_pct = clamp(cpu_pct, 1U, 100U);
	softirq_max_pct = clamp(softirq_max_pct, 1U, 100U);
	/* spent is far below 2^64 / 10^4 ns (21 days): no overflow. */
	used = div64_u64(spent_ns * 100 * 100, max_t(u64, window_ns, 1) * cpu_pct);
	if (softirq_max_pct < 100)
		used = max_t(u64, used, softirq_pct * 100 / softirq_max_pct);
	return min_t(u64, used, 100);
}
