// SPDX-License-Identifier: GPL-2.0
/*
 * Where a health check is declared down, and up again.
 *
 * Every probe ends answered or lost (timed out, or not sendable). A check
 * goes down after `misses` consecutive losses and up after `up`
 * consecutive answers: the hold-down that keeps a marginal path from
 * moving traffic back and forth. The first verdict of a new check is
 * reached the same way from "unknown".
 *
 * A check that still changes state more than 3 times in 15 s is flapping:
 * each further change doubles its interval, which slows the flapping down,
 * until 15 s pass without a change.
 */

#include <linux/kernel.h>
#include <linux/xfrm_hc.h>

#include "check_state.h"

static void xfrm_hc_check_note_change(struct xfrm_hc_check_sm *sm,
				      u64 now_ns)
{
	u8 oldest;

	sm->changes[sm->next] = now_ns;
	sm->next = (sm->next + 1) % ARRAY_SIZE(sm->changes);
	/* The ring is full of changes; the oldest is the next to go. */
	oldest = sm->next;
	if (sm->changes[oldest] &&
	    now_ns - sm->changes[oldest] < XFRM_HC_FLAP_WINDOW_NS) {
		sm->flapping = true;
		sm->shift = min_t(u8, sm->shift + 1, XFRM_HC_FLAP_MAX_SHIFT);
	}
}

/**
 * xfrm_hc_check_outcome() - feed one probe's outcome to a check
 * @sm: the check's state machine
 * @misses: losses in a row that make it down
 * @up: answers in a row that make it up
 * @answered: the probe was answered in time (or, optimized, traffic seen)
 * @now_ns: monotonic time, not 0
 *
 * Return: true if the state changed.
 */
bool xfrm_hc_check_outcome(struct xfrm_hc_check_sm *sm, u8 misses, u8 up,
			   bool answered, u64 now_ns)
{
	u8 old = sm->state;

	if (answered) {
		sm->misses = 0;
		if (sm->successes < U8_MAX)
			sm->successes++;
		if (sm->state != XFRM_HC_CHECK_STATE_UP && sm->successes >= up)
			sm->state = XFRM_HC_CHECK_STATE_UP;
	} else {
		sm->successes = 0;
		if (sm->misses < U8_MAX)
			sm->misses++;
		if (sm->state != XFRM_HC_CHECK_STATE_DOWN &&
		    sm->misses >= misses)
			sm->state = XFRM_HC_CHECK_STATE_DOWN;
	}
	if (sm->state == old)
		return false;
	/* A first verdict is not a flap. */
	if (old != XFRM_HC_CHECK_STATE_UNKNOWN)
		xfrm_hc_check_note_change(sm, now_ns);
	return true;
}

/**
 * xfrm_hc_check_settle() - end flapping after a quiet window
 * @sm: the check's state machine
 * @now_ns: monotonic time
 *
 * Return: true if the check stopped flapping: its interval is back.
 */
bool xfrm_hc_check_settle(struct xfrm_hc_check_sm *sm, u64 now_ns)
{
	u8 last = (sm->next + ARRAY_SIZE(sm->changes) - 1) %
		  ARRAY_SIZE(sm->changes);

	if (!sm->flapping || now_ns - sm->changes[last] < XFRM_HC_FLAP_WINDOW_NS)
		return false;
	sm->flapping = false;
	sm->shift = 0;
	return true;
}

/**
 * xfrm_hc_check_cur_interval() - the interval a check uses now
 * @sm: the check's state machine
 * @interval_ms: its configured interval
 *
 * Return: @interval_ms, doubled for each flap step, at most one hour.
 */
u32 xfrm_hc_check_cur_interval(const struct xfrm_hc_check_sm *sm,
			       u32 interval_ms)
{
	u64 ms = (u64)interval_ms << sm->shift;

	return min_t(u64, ms, XFRM_HC_INTERVAL_MS_MAX);
}
