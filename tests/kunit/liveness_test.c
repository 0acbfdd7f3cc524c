// SPDX-License-Identifier: GPL-2.0
/* KUnit: the dead peer state machine and interval arithmetic. */

#include <kunit/test.h>
#include <linux/time64.h>

#include "liveness.h"

static const struct xfrm_hc_profile default_prof = {
	.interval_ms = 1000, .misses = 3, .up = 1, .jitter_pct = 10,
	.mode = XFRM_HC_MODE_ON_DEMAND,
};

static const struct xfrm_hc_tick busy = { .in_data = 5, .out_data = 5 };
static const struct xfrm_hc_tick one_way = { .out_data = 5 };
static const struct xfrm_hc_tick silent = {};

static struct xfrm_hc_verdict run(struct kunit *test,
				  struct xfrm_hc_liveness *lv,
				  const struct xfrm_hc_profile *prof,
				  struct xfrm_hc_tick tick, int times)
{
	struct xfrm_hc_verdict v = {};

	while (times--)
		v = xfrm_hc_liveness_tick(lv, prof, &tick);
	return v;
}

static void busy_tunnel_stays_up_without_probes(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = busy;
	struct xfrm_hc_verdict v;
	int i;

	t.can_probe = true;
	for (i = 0; i < 100; i++) {
		v = xfrm_hc_liveness_tick(&lv, &default_prof, &t);
		KUNIT_EXPECT_FALSE(test, v.changed);
		KUNIT_EXPECT_FALSE(test, v.send_probe);
		KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	}
}

static void one_way_traffic_kills_after_misses(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_verdict v;

	v = run(test, &lv, &default_prof, one_way, 2);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	v = run(test, &lv, &default_prof, one_way, 1);
	KUNIT_EXPECT_TRUE(test, v.changed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, lv.reason, XFRM_HC_REASON_ONE_WAY_TRAFFIC);
	/* Dead stays dead, without more events, while nothing comes back. */
	v = run(test, &lv, &default_prof, one_way, 10);
	KUNIT_EXPECT_FALSE(test, v.changed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
}

static void idle_without_target_is_idle_not_dead(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_verdict v;
	int changes = 0, i;

	for (i = 0; i < 100; i++) {
		v = xfrm_hc_liveness_tick(&lv, &default_prof, &silent);
		changes += v.changed;
		KUNIT_EXPECT_NE(test, v.state, XFRM_HC_STATE_DEAD);
	}
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_IDLE);
	KUNIT_EXPECT_EQ(test, changes, 1);
	/* Traffic brings it back. */
	v = run(test, &lv, &default_prof, busy, 1);
	KUNIT_EXPECT_TRUE(test, v.changed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
}

static void on_demand_probes_only_when_worried(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = silent;
	struct xfrm_hc_verdict v;

	t.can_probe = true;
	/* Idle both ways: on-demand does not worry. */
	v = run(test, &lv, &default_prof, t, 3);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_IDLE);
	/* We send, the peer does not: worry, probe. */
	t.out_data = 1;
	v = run(test, &lv, &default_prof, t, 1);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	/* The answer clears the worry. */
	t = silent;
	t.can_probe = true;
	t.probe_answered = true;
	v = run(test, &lv, &default_prof, t, 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
}

static void idle_mode_probe_timeout(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = silent;
	struct xfrm_hc_verdict v;
	int i;

	prof.mode = XFRM_HC_MODE_IDLE;
	t.can_probe = true;
	/* Healthy idle tunnel: every probe answered, never idle or dead. */
	v = run(test, &lv, &prof, t, 1);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	for (i = 0; i < 50; i++) {
		t.probe_answered = true;
		v = xfrm_hc_liveness_tick(&lv, &prof, &t);
		KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
		KUNIT_EXPECT_FALSE(test, v.changed);
		KUNIT_EXPECT_TRUE(test, v.send_probe);
	}
	/* Cut: misses unanswered probes make it dead, for probe timeout. */
	t.probe_answered = false;
	v = run(test, &lv, &prof, t, prof.misses - 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	v = run(test, &lv, &prof, t, 1);
	KUNIT_EXPECT_TRUE(test, v.changed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, lv.reason, XFRM_HC_REASON_PROBE_TIMEOUT);
	/* Dead peers go on being probed, to see them return. */
	KUNIT_EXPECT_TRUE(test, v.send_probe);
}

/* The echo probes idle tunnels in on-demand mode too, and detects a cut. */
static void echo_probes_idle_tunnel_in_on_demand(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = silent;
	struct xfrm_hc_verdict v;
	int i;

	t.can_probe = true;
	t.probe_idle = true;
	v = run(test, &lv, &default_prof, t, 1);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	for (i = 0; i < 20; i++) {
		t.probe_answered = true;
		v = xfrm_hc_liveness_tick(&lv, &default_prof, &t);
		KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
		KUNIT_EXPECT_FALSE(test, v.changed);
		KUNIT_EXPECT_TRUE(test, v.send_probe);
	}
	/* A busy tunnel needs no echo. */
	v = run(test, &lv, &default_prof, busy, 1);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	t.probe_answered = false;
	v = run(test, &lv, &default_prof, t, default_prof.misses + 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, lv.reason, XFRM_HC_REASON_PROBE_TIMEOUT);
}

static void periodic_probes_even_when_busy(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = busy;
	struct xfrm_hc_verdict v;

	prof.mode = XFRM_HC_MODE_PERIODIC;
	t.can_probe = true;
	v = run(test, &lv, &prof, t, 1);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	/* Without a target there is nothing to send. */
	t.can_probe = false;
	v = run(test, &lv, &prof, t, 1);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
}

static void up_threshold_needs_consecutive_successes(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_verdict v;

	prof.up = 3;
	v = run(test, &lv, &prof, one_way, prof.misses);
	KUNIT_ASSERT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	v = run(test, &lv, &prof, busy, 2);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	/* A gap restarts the count. */
	v = run(test, &lv, &prof, one_way, 1);
	v = run(test, &lv, &prof, busy, 2);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	v = run(test, &lv, &prof, busy, 1);
	KUNIT_EXPECT_TRUE(test, v.changed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	KUNIT_EXPECT_EQ(test, lv.reason, XFRM_HC_REASON_NONE);
}

static void late_ticks_do_not_count_misses(struct kunit *test)
{
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = one_way;
	struct xfrm_hc_verdict v;

	t.late = true;
	v = run(test, &lv, &default_prof, t, 20);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	/* Evidence still counts when late. */
	t = busy;
	t.late = true;
	lv.state = XFRM_HC_STATE_DEAD;
	v = run(test, &lv, &default_prof, t, 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
}

static void late_ticks_shed_probes(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = {};
	struct xfrm_hc_verdict v;

	prof.mode = XFRM_HC_MODE_PERIODIC;
	t.can_probe = true;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	/* Late: no new probe; the one out is still out... */
	t.late = true;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	/* ...and unanswered at the next tick on time, a miss. */
	t.late = false;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	KUNIT_EXPECT_EQ(test, lv.misses, 1);
	/* An answer seen late clears it: no miss next time. */
	t.late = true;
	t.probe_answered = true;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	t.late = false;
	t.probe_answered = false;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
}

/* Over the CPU's probe budget: judged as usual, the new probe shed. */
static void over_budget_sheds_probe_keeps_judging(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = {};
	struct xfrm_hc_verdict v;

	prof.mode = XFRM_HC_MODE_PERIODIC;
	t.can_probe = true;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	/* Unanswered: a miss, as on any tick on time; no new probe. */
	t.budget_spent_pct = 100;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_FALSE(test, v.send_probe);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	KUNIT_EXPECT_EQ(test, lv.misses, 1);
	KUNIT_EXPECT_TRUE(test, lv.probe_outstanding);
	/*
	 * Still none, and still shed: that loss is counted already. However
	 * long the overload, one lost answer is one miss, never a death.
	 */
	v = run(test, &lv, &prof, t, 10);
	KUNIT_EXPECT_EQ(test, lv.misses, 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	/* An answer clears it; with no budget nothing new goes out. */
	t.probe_answered = true;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	KUNIT_EXPECT_FALSE(test, lv.probe_outstanding);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_UP);
	/* Budget back: probing resumes. */
	t.budget_spent_pct = 0;
	t.probe_answered = false;
	v = xfrm_hc_liveness_tick(&lv, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	KUNIT_EXPECT_FALSE(test, v.probe_shed);
}

/* A probe that never left (no route through the peer's SAs) is not due. */
static void unsent_probe_counts_no_miss(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_tick t = {};
	struct xfrm_hc_verdict v;
	int i;

	prof.mode = XFRM_HC_MODE_PERIODIC;
	t.can_probe = true;
	for (i = 0; i < 10; i++) {
		v = xfrm_hc_liveness_tick(&lv, &prof, &t);
		KUNIT_EXPECT_TRUE(test, v.send_probe);
		xfrm_hc_liveness_probe_unsent(&lv);
	}
	KUNIT_EXPECT_EQ(test, lv.misses, 0);
	KUNIT_EXPECT_NE(test, v.state, XFRM_HC_STATE_DEAD);
	/* One-way traffic still kills it: only the probe said nothing. */
	t.out_data = 5;
	for (i = 0; i < 4; i++) {
		v = xfrm_hc_liveness_tick(&lv, &prof, &t);
		xfrm_hc_liveness_probe_unsent(&lv);
	}
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
}

/*
 * A low budget goes to verdicts first: a peer with a miss counted gets its
 * probe up to the last percent, a routine probe up to 75 %, a dead peer's
 * up to 50 %. So dead peers cannot keep others from being found dead.
 */
static void low_budget_goes_to_verdicts_first(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness routine = {}, worried = {}, dead = {};
	struct xfrm_hc_tick t = {};
	struct xfrm_hc_verdict v;

	prof.mode = XFRM_HC_MODE_PERIODIC;
	t.can_probe = true;
	worried.probe_outstanding = true;
	worried.probe_sent = true;
	dead.state = XFRM_HC_STATE_DEAD;

	t.budget_spent_pct = 99;
	v = xfrm_hc_liveness_tick(&worried, &prof, &t);
	KUNIT_EXPECT_EQ(test, worried.misses, 1);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	v = xfrm_hc_liveness_tick(&routine, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	KUNIT_EXPECT_FALSE(test, routine.probe_outstanding);

	t.budget_spent_pct = 75;
	v = xfrm_hc_liveness_tick(&routine, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	t.budget_spent_pct = 74;
	v = xfrm_hc_liveness_tick(&routine, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	KUNIT_EXPECT_TRUE(test, routine.probe_outstanding);

	t.budget_spent_pct = 50;
	v = xfrm_hc_liveness_tick(&dead, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	t.budget_spent_pct = 49;
	v = xfrm_hc_liveness_tick(&dead, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.send_probe);

	/* Spent: even a verdict's probe is shed; the one sent still counts. */
	t.budget_spent_pct = 100;
	v = xfrm_hc_liveness_tick(&worried, &prof, &t);
	KUNIT_EXPECT_TRUE(test, v.probe_shed);
	KUNIT_EXPECT_EQ(test, worried.misses, 2);
	/* Budget back: the next probe goes, and its loss is the third. */
	t.budget_spent_pct = 0;
	v = xfrm_hc_liveness_tick(&worried, &prof, &t);
	KUNIT_EXPECT_EQ(test, worried.misses, 2);
	KUNIT_EXPECT_TRUE(test, v.send_probe);
	v = xfrm_hc_liveness_tick(&worried, &prof, &t);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
	KUNIT_EXPECT_EQ(test, worried.reason, XFRM_HC_REASON_PROBE_TIMEOUT);
}

/*
 * The room for probes: the sending budget spent, or the CPU's softirq share
 * against its limit, whichever is more. At the limit even a verdict's probe
 * (priority 100) is shed; routine ones (75) at three quarters of it.
 */
static void softirq_share_uses_probe_room(struct kunit *test)
{
	const u64 w = 100 * NSEC_PER_MSEC;

	/* Half of a 10 % sending budget spent, softirq quiet. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(5 * NSEC_PER_MSEC, w, 10,
						      0, 75), 50);
	/* Nothing sent, but softirq at its limit: all used. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(0, w, 10, 75, 75), 100);
	/* At three quarters of the limit: routine probes stop. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(0, w, 10, 57, 76), 75);
	/* The larger of the two counts. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(5 * NSEC_PER_MSEC, w, 10,
						      60, 80), 75);
	/* 100 is no limit: a CPU all in softirq still has its budget. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(0, w, 10, 100, 100), 0);
	/* Past both: capped; nonsense parameters are clamped, not divided by. */
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(w, w, 10, 100, 50), 100);
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(NSEC_PER_MSEC, w, 0, 0, 0),
			100);
	KUNIT_EXPECT_EQ(test, xfrm_hc_probe_room_used(0, 0, 10, 0, 75), 0);
}

static void misses_one_is_honoured(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	struct xfrm_hc_liveness lv = {};
	struct xfrm_hc_verdict v;

	prof.misses = 1;
	v = run(test, &lv, &prof, one_way, 1);
	KUNIT_EXPECT_EQ(test, v.state, XFRM_HC_STATE_DEAD);
}

static void interval_jitter_stretches_within_bounds(struct kunit *test)
{
	struct xfrm_hc_profile prof = default_prof;
	u64 base = 1000 * NSEC_PER_MSEC;

	KUNIT_EXPECT_EQ(test, xfrm_hc_interval_ns(&prof, 0), base);
	KUNIT_EXPECT_LT(test, xfrm_hc_interval_ns(&prof, U32_MAX),
			base + base / 10);
	KUNIT_EXPECT_GT(test, xfrm_hc_interval_ns(&prof, U32_MAX),
			base + base / 10 - base / 1000);
	KUNIT_EXPECT_EQ(test, xfrm_hc_interval_ns(&prof, 1U << 31),
			base + base / 20);
	prof.jitter_pct = 0;
	KUNIT_EXPECT_EQ(test, xfrm_hc_interval_ns(&prof, U32_MAX), base);
	/* Extremes of the allowed range do not overflow. */
	prof.interval_ms = 3600 * 1000;
	prof.jitter_pct = 25;
	KUNIT_EXPECT_EQ(test, xfrm_hc_interval_ns(&prof, 1U << 31),
			3600ULL * NSEC_PER_SEC / 8 * 9);
	prof.interval_ms = 10;
	KUNIT_EXPECT_EQ(test, xfrm_hc_interval_ns(&prof, 0),
			10 * NSEC_PER_MSEC);
}

static void late_is_more_than_half_an_interval(struct kunit *test)
{
	u64 due = 5 * NSEC_PER_SEC;

	KUNIT_EXPECT_FALSE(test, xfrm_hc_tick_is_late(due, due, 100));
	KUNIT_EXPECT_FALSE(test, xfrm_hc_tick_is_late(due, due - 1, 100));
	KUNIT_EXPECT_FALSE(test,
			   xfrm_hc_tick_is_late(due, due + 50 * NSEC_PER_MSEC,
						100));
	KUNIT_EXPECT_TRUE(test,
			  xfrm_hc_tick_is_late(due, due + 50 * NSEC_PER_MSEC + 1,
					       100));
}

static struct kunit_case liveness_test_cases[] = {
	KUNIT_CASE(busy_tunnel_stays_up_without_probes),
	KUNIT_CASE(one_way_traffic_kills_after_misses),
	KUNIT_CASE(idle_without_target_is_idle_not_dead),
	KUNIT_CASE(on_demand_probes_only_when_worried),
	KUNIT_CASE(idle_mode_probe_timeout),
	KUNIT_CASE(echo_probes_idle_tunnel_in_on_demand),
	KUNIT_CASE(periodic_probes_even_when_busy),
	KUNIT_CASE(up_threshold_needs_consecutive_successes),
	KUNIT_CASE(late_ticks_do_not_count_misses),
	KUNIT_CASE(late_ticks_shed_probes),
	KUNIT_CASE(over_budget_sheds_probe_keeps_judging),
	KUNIT_CASE(unsent_probe_counts_no_miss),
	KUNIT_CASE(low_budget_goes_to_verdicts_first),
	KUNIT_CASE(softirq_share_uses_probe_room),
	KUNIT_CASE(misses_one_is_honoured),
	KUNIT_CASE(interval_jitter_stretches_within_bounds),
	KUNIT_CASE(late_is_more_than_half_an_interval),
	{}
};

static struct kunit_suite liveness_test_suite = {
	.name = "xfrm_hc_liveness",
	.test_cases = liveness_test_cases,
};

kunit_test_suite(liveness_test_suite);
