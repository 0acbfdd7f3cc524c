/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The health check state machine, with no kernel dependencies: each probe's
 * outcome comes in through xfrm_hc_check_outcome(), so KUnit drives it.
 */
#ifndef _XFRM_HC_CHECK_STATE_H
#define _XFRM_HC_CHECK_STATE_H

#include <linux/types.h>

/* More than this many state changes within the window is flapping. */
#define XFRM_HC_FLAP_CHANGES	3
#define XFRM_HC_FLAP_WINDOW_NS	(15ULL * 1000 * 1000 * 1000)
/* A flapping check's interval doubles, up to this many times. */
#define XFRM_HC_FLAP_MAX_SHIFT	4

/**
 * struct xfrm_hc_check_sm - what a check's past probes left behind
 * @state: enum xfrm_hc_check_state
 * @flapping: more than XFRM_HC_FLAP_CHANGES changes in the window
 * @shift: the interval in use is the configured one << @shift
 * @misses: consecutive probes lost
 * @successes: consecutive probes answered
 * @changes: times of the last changes between up and down, a ring
 * @next: where in @changes the next change goes
 */
struct xfrm_hc_check_sm {
	u8 state;
	bool flapping;
	u8 shift;
	u8 misses;
	u8 successes;
	u8 next;
	u64 changes[XFRM_HC_FLAP_CHANGES + 1];
};

bool xfrm_hc_check_outcome(struct xfrm_hc_check_sm *sm, u8 misses, u8 up,
			   bool answered, u64 now_ns);
bool xfrm_hc_check_settle(struct xfrm_hc_check_sm *sm, u64 now_ns);
u32 xfrm_hc_check_cur_interval(const struct xfrm_hc_check_sm *sm,
			       u32 interval_ms);

#endif /* _XFRM_HC_CHECK_STATE_H */
