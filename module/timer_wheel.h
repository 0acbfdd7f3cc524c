/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_TIMER_WHEEL_H
#define _XFRM_HC_TIMER_WHEEL_H

#include <linux/hrtimer.h>
#include <linux/list.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

/*
 * Slots of 2^20 ns (~1.05 ms). The near wheel reaches ~1.07 s ahead, the
 * far wheel (slots of one near turn) ~9 min; later entries go round it.
 */
#define XFRM_HC_WHEEL_SLOT_SHIFT 20
#define XFRM_HC_WHEEL_NEAR_BITS 10
#define XFRM_HC_WHEEL_NEAR_SLOTS BIT(XFRM_HC_WHEEL_NEAR_BITS)
#define XFRM_HC_WHEEL_FAR_BITS 9
#define XFRM_HC_WHEEL_FAR_SLOTS BIT(XFRM_HC_WHEEL_FAR_BITS)
/* Entries a pass runs at most; why this many: timer_wheel.c. */
#define XFRM_HC_WHEEL_BUDGET 64

/**
 * struct xfrm_hc_wheel_entry - something a wheel wakes, inside its owner
 * @node: in a slot of its wheel, or in the wheel's due list
 * @slot: the near slot it is due in (low 32 bits of the absolute number)
 * @cpu: its wheel
 * @cancelled: taken off; the run that holds it must not put it back
 */
struct xfrm_hc_wheel_entry {
	struct hlist_node node;
	u32 slot;
	u16 cpu;
	bool cancelled;
};

/* Called for a due entry; returns when to wake it next, 0 for never. */
typedef ktime_t (*xfrm_hc_wheel_fn)(struct xfrm_hc_wheel_entry *e);

/**
 * struct xfrm_hc_wheel - one CPU's timing wheel
 * @lock: everything below; BH-safe
 * @timer: fires when the next slot with entries ends, or a far slot is due
 *	to move to the near wheel
 * @armed: when @timer is set to fire, KTIME_MAX if it is not
 * @clk: the first near slot not yet run (absolute slot number)
 * @far_clk: the first far slot not yet moved (absolute far slot number);
 *	it may lag, which costs a look at a slot, never a lost entry
 * @fn: what to call for a due entry
 * @running: the entry whose @fn runs now, with @lock dropped
 * @waited: a canceller waits on @wait for @running's run to end
 * @wait: where cancellers sleep
 * @due: entries taken out of their slot, oldest first, to be run by this
 *	pass or, past its budget, the next
 * @due_end: where the next entry due goes: the last one's next, or
 *	@due's first
 * @cpu: the CPU it belongs to
 * @entries: entries it holds, running or not
 * @near_pending: which near slots hold entries (maybe stale: set, empty)
 * @far_pending: the same for the far slots
 * @near: near slots, by absolute slot number modulo their count
 * @far: far slots, by absolute slot number / near slots, modulo their count
 */
struct xfrm_hc_wheel {
	spinlock_t lock;	/* the fields below */
	struct hrtimer timer;
	ktime_t armed;
	u64 clk;
	u64 far_clk;
	xfrm_hc_wheel_fn fn;
	struct xfrm_hc_wheel_entry *running;
	bool waited;
	wait_queue_head_t wait;
	struct hlist_head due;
	struct hlist_node **due_end;
	unsigned int cpu;
	unsigned int entries;
	DECLARE_BITMAP(near_pending, XFRM_HC_WHEEL_NEAR_SLOTS);
	DECLARE_BITMAP(far_pending, XFRM_HC_WHEEL_FAR_SLOTS);
	struct hlist_head near[XFRM_HC_WHEEL_NEAR_SLOTS];
	struct hlist_head far[XFRM_HC_WHEEL_FAR_SLOTS];
};

void xfrm_hc_wheel_setup(struct xfrm_hc_wheel *w, unsigned int cpu,
			 xfrm_hc_wheel_fn fn, u64 now_ns);
void xfrm_hc_wheel_place(struct xfrm_hc_wheel *w,
			 struct xfrm_hc_wheel_entry *e, u64 wake_ns);
void xfrm_hc_wheel_collect(struct xfrm_hc_wheel *w, u64 now_ns);
u64 xfrm_hc_wheel_next_ns(struct xfrm_hc_wheel *w);
bool xfrm_hc_wheel_run(struct xfrm_hc_wheel *w, u64 now_ns);
void __xfrm_hc_wheel_cancel(struct xfrm_hc_wheel *w,
			    struct xfrm_hc_wheel_entry *e);

int xfrm_hc_wheels_init(xfrm_hc_wheel_fn fn);
void xfrm_hc_wheels_exit(void);
void xfrm_hc_wheel_add(struct xfrm_hc_wheel_entry *e, unsigned int cpu,
		       ktime_t wake);
void xfrm_hc_wheel_cancel(struct xfrm_hc_wheel_entry *e);
int xfrm_hc_wheels_show(struct seq_file *m);

#endif /* _XFRM_HC_TIMER_WHEEL_H */
