/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The dead peer state machine, with no kernel dependencies: everything it
 * knows comes in through struct xfrm_hc_tick, so KUnit drives it directly.
 */
#ifndef _XFRM_HC_LIVENESS_H
#define _XFRM_HC_LIVENESS_H

#include <linux/types.h>

#include "profile.h"

/**
 * struct xfrm_hc_liveness - what one peer's past intervals left behind
 * @state: enum xfrm_hc_peer_state
 * @reason: enum xfrm_hc_reason of the last death
 * @misses: consecutive intervals in which evidence was due and none came
 * @successes: consecutive intervals with evidence while dead
 * @probe_outstanding: a probe is out and nothing has answered since
 * @probe_sent: the last tick on time sent it, so the next one judges it;
 *	false once a tick shed the probe that would have followed it
 */
struct xfrm_hc_liveness {
	u8 state;
	u8 reason;
	u8 misses;
	u8 successes;
	bool probe_outstanding;
	bool probe_sent;
};

/**
 * struct xfrm_hc_tick - what happened in the interval that just ended
 * @in_data: packets the peer's inbound SAs decrypted, our probe replies not
 *	counted
 * @out_data: packets its outbound SAs sent, our probes not counted
 * @probe_answered: an answer to our probe came back through the peer's SA
 * @late: the timer fired more than half an interval late
 * @can_probe: the peer has a probe target
 * @probe_idle: its probe is worth sending on an idle tunnel in every
 *	mode: xfrm-hc's echo, which costs only the two gateways
 * @budget_spent_pct: how much of this CPU's room for probes is used, 0-100:
 *	its sending share (probe_cpu_pct) spent in the current window, or
 *	its softirq share against probe_softirq_pct, whichever is more
 */
struct xfrm_hc_tick {
	u64 in_data;
	u64 out_data;
	bool probe_answered;
	bool late;
	bool can_probe;
	bool probe_idle;
	u8 budget_spent_pct;
};

/**
 * struct xfrm_hc_verdict - what the tick decided
 * @changed: @state differs from before the tick
 * @state: the state after the tick (enum xfrm_hc_peer_state)
 * @send_probe: send one probe now
 * @probe_shed: a probe was due, but the CPU had no budget left for it
 *	at its priority
 */
struct xfrm_hc_verdict {
	bool changed;
	u8 state;
	bool send_probe;
	bool probe_shed;
};

struct xfrm_hc_verdict xfrm_hc_liveness_tick(struct xfrm_hc_liveness *lv,
					     const struct xfrm_hc_profile *prof,
					     const struct xfrm_hc_tick *tick);
void xfrm_hc_liveness_probe_unsent(struct xfrm_hc_liveness *lv);
u64 xfrm_hc_interval_ns(const struct xfrm_hc_profile *prof, u32 rnd);
bool xfrm_hc_tick_is_late(u64 expected_ns, u64 now_ns, u32 interval_ms);
u8 xfrm_hc_probe_room_used(u64 spent_ns, u64 window_ns, unsigned int cpu_pct,
			   unsigned int softirq_pct,
			   unsigned int softirq_max_pct);

#endif /* _XFRM_HC_LIVENESS_H */
