// SPDX-License-Identifier: GPL-2.0
/*
 * The timer structure peers' ticks share: one hrtimer per CPU, not one per
 * peer. An hrtimer is 64 bytes, a sixth of a peer; an entry here is 24.
 *
 * Each CPU has a hashed timing wheel in two levels:
 *  - near: 1024 slots of ~1.05 ms, the next ~1.07 s;
 *  - far: 512 slots of one near turn each, the next ~9 min. A far slot's
 *    entries move to the near wheel when its time comes; one due later
 *    still (intervals go up to an hour) goes round again.
 * Adding and cancelling are O(1), under the wheel's lock, which only the
 * CPU's own ticks and configuration changes take. The CPU's hrtimer is
 * set for the end of the next near slot that holds an entry, or for the
 * next far slot to move: it never fires for nothing, and an idle wheel
 * costs no wake-up. An entry runs at most one slot after its time, as
 * late as the coalescing slack each peer's own hrtimer used to have.
 *
 * An entry runs with the lock dropped; cancelling sleeps until that run
 * ends, as hrtimer_cancel() does on PREEMPT_RT, and the run does not put
 * back an entry cancelled meanwhile. It must not spin: on PREEMPT_RT the
 * softirq is a thread the canceller may outrank, and a lock the entry
 * waits for may belong to a task the spin keeps off its CPU. The run
 * wakes the wheel's waitqueue only when a canceller is on it.
 *
 * A pass runs at most XFRM_HC_WHEEL_BUDGET (64) entries; the rest stay
 * due, oldest first, and the timer fires again at once. 50,000 peers due
 * in one slot would otherwise hold the CPU in one softirq call for tens
 * of milliseconds; between passes the softirq code runs the others
 * (NET_RX: the probes' answers, IKE) and, past its 2 ms, hands over to
 * ksoftirqd, so tasks run too. Why 64: a tick costs about a microsecond,
 * some ten with a probe, so a pass stays well under those 2 ms even when
 * every tick probes, and its own cost (one hrtimer interrupt) stays a few
 * percent of it. NAPI's default weight is 64 for the same reasons.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/cpumask.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "timer_wheel.h"

#define XFRM_HC_WHEEL_NEAR_MASK (XFRM_HC_WHEEL_NEAR_SLOTS - 1)
#define XFRM_HC_WHEEL_FAR_MASK (XFRM_HC_WHEEL_FAR_SLOTS - 1)

static struct xfrm_hc_wheel **xfrm_hc_wheels;

/* The absolute slot an entry's 32 bits stand for: the one nearest @clk. */
static u64 xfrm_hc_wheel_entry_slot(const struct xfrm_hc_wheel *w,
				    const struct xfrm_hc_wheel_entry *e)
{
	s64 ahead = (s32)(e->slot - (u32)w->clk);

	return ahead < 0 ? w->clk : w->clk + ahead;
}

static void xfrm_hc_wheel_insert(struct xfrm_hc_wheel *w,
				 struct xfrm_hc_wheel_entry *e)
{
	u64 slot = xfrm_hc_wheel_entry_slot(w, e);
	unsigned int i;

	if (slot - w->clk < XFRM_HC_WHEEL_NEAR_SLOTS) {
		i = slot & XFRM_HC_WHEEL_NEAR_MASK;
		hlist_add_head(&e->node, &w->near[i]);
		__set_bit(i, w->near_pending);
	} else {
		i = (slot >> XFRM_HC_WHEEL_NEAR_BITS) & XFRM_HC_WHEEL_FAR_MASK;
		hlist_add_head(&e->node, &w->far[i]);
		__set_bit(i, w->far_pending);
	}
}

/* Start counting slots at @now_ns; only for a wheel with no entry. */
static void xfrm_hc_wheel_set_clock(struct xfrm_hc_wheel *w, u64 now_ns)
{
	w->clk = now_ns >> XFRM_HC_WHEEL_SLOT_SHIFT;
	w->far_clk = (w->clk >> XFRM_HC_WHEEL_NEAR_BITS) + 1;
}

/**
 * xfrm_hc_wheel_setup() - an empty wheel
 * @w: the wheel, zeroed
 * @cpu: the CPU it belongs to
 * @fn: what to call for a due entry
 * @now_ns: the time now (CLOCK_MONOTONIC)
 */
void xfrm_hc_wheel_setup(struct xfrm_hc_wheel *w, unsigned int cpu,
			 xfrm_hc_wheel_fn fn, u64 now_ns)
{
	spin_lock_init(&w->lock);
	init_waitqueue_head(&w->wait);
	w->due_end = &w->due.first;
	w->armed = KTIME_MAX;
	xfrm_hc_wheel_set_clock(w, now_ns);
	w->fn = fn;
	w->cpu = cpu;
}

/**
 * xfrm_hc_wheel_place() - put an entry in the slot of a time
 * @w: the wheel, its lock held
 * @e: the entry, in no list
 * @wake_ns: when it is due; a time past is due in the next run
 */
void xfrm_hc_wheel_place(struct xfrm_hc_wheel *w,
			 struct xfrm_hc_wheel_entry *e, u64 wake_ns)
{
	u64 slot = max(wake_ns >> XFRM_HC_WHEEL_SLOT_SHIFT, w->clk);

	e->slot = (u32)slot;
	e->cpu = w->cpu;
	xfrm_hc_wheel_insert(w, e);
}

/*
 * The first pending slot at or after @base, counting from @base's index:
 * @base + the distance, or U64_MAX. Clears the bits of emptied slots.
 */
static u64 xfrm_hc_wheel_first(unsigned long *pending, struct hlist_head *slots,
			       unsigned int nslots, u64 base)
{
	unsigned int start = base & (nslots - 1);
	unsigned int i;

	for (;;) {
		i = find_next_bit(pending, nslots, start);
		if (i >= nslots)
			i = find_first_bit(pending, nslots);
		if (i >= nslots)
			return U64_MAX;
		if (!hlist_empty(&slots[i]))
			return base + ((i - start) & (nslots - 1));
		__clear_bit(i, pending);
	}
}

static u64 xfrm_hc_wheel_near_next(struct xfrm_hc_wheel *w)
{
	return xfrm_hc_wheel_first(w->near_pending, w->near,
				   XFRM_HC_WHEEL_NEAR_SLOTS, w->clk);
}

static u64 xfrm_hc_wheel_far_next(struct xfrm_hc_wheel *w)
{
	return xfrm_hc_wheel_first(w->far_pending, w->far,
				   XFRM_HC_WHEEL_FAR_SLOTS, w->far_clk);
}

/* Move far slot @f's entries on: to the near wheel, or round again. */
static void xfrm_hc_wheel_cascade(struct xfrm_hc_wheel *w, u64 f)
{
	unsigned int i = f & XFRM_HC_WHEEL_FAR_MASK;
	struct xfrm_hc_wheel_entry *e;
	struct hlist_node *tmp;
	HLIST_HEAD(moving);

	w->clk = max(w->clk, f << XFRM_HC_WHEEL_NEAR_BITS);
	w->far_clk = f + 1;
	hlist_move_list(&w->far[i], &moving);
	__clear_bit(i, w->far_pending);
	hlist_for_each_entry_safe(e, tmp, &moving, node) {
		hlist_del(&e->node);
		xfrm_hc_wheel_insert(w, e);
	}
}

/* After the entries due already: a pass past its budget left them. */
static void xfrm_hc_wheel_due_add(struct xfrm_hc_wheel *w,
				  struct xfrm_hc_wheel_entry *e)
{
	e->node.next = NULL;
	e->node.pprev = w->due_end;
	*w->due_end = &e->node;
	w->due_end = &e->node.next;
}

/* Out of its slot or the due list. */
static void xfrm_hc_wheel_unlink(struct xfrm_hc_wheel *w,
				 struct xfrm_hc_wheel_entry *e)
{
	if (w->due_end == &e->node.next)
		w->due_end = e->node.pprev;
	hlist_del_init(&e->node);
}

/**
 * xfrm_hc_wheel_collect() - take out every entry whose slot has ended
 * @w: the wheel, its lock held
 * @now_ns: the time now
 *
 * The entries go on @w->due, after those already there, slot by slot.
 * Far slots due by @now_ns are moved first, in order with the near slots,
 * so none is skipped however long the wheel slept.
 */
void xfrm_hc_wheel_collect(struct xfrm_hc_wheel *w, u64 now_ns)
{
	u64 now = now_ns >> XFRM_HC_WHEEL_SLOT_SHIFT;
	struct xfrm_hc_wheel_entry *e;
	struct hlist_node *tmp;

	for (;;) {
		u64 s = xfrm_hc_wheel_near_next(w);
		u64 f = xfrm_hc_wheel_far_next(w);
		u64 fs = f == U64_MAX ? U64_MAX : f << XFRM_HC_WHEEL_NEAR_BITS;
		unsigned int i;

		if (fs <= now && fs <= s) {
			xfrm_hc_wheel_cascade(w, f);
			continue;
		}
		if (s >= now)
			break;
		i = s & XFRM_HC_WHEEL_NEAR_MASK;
		hlist_for_each_entry_safe(e, tmp, &w->near[i], node) {
			hlist_del(&e->node);
			xfrm_hc_wheel_due_add(w, e);
		}
		__clear_bit(i, w->near_pending);
		w->clk = s + 1;
	}
	/* Nothing else is due before now: skip the empty slots. */
	w->clk = max(w->clk, now);
	w->far_clk = max(w->far_clk, (w->clk >> XFRM_HC_WHEEL_NEAR_BITS) + 1);
}

/**
 * xfrm_hc_wheel_next_ns() - when the wheel's timer must fire next
 * @w: the wheel, its lock held
 *
 * Return: 0 (at once) if entries are due, left by a pass past its budget;
 * else the end of the first near slot with entries, or the start of the
 * next far slot to move, whichever is first; U64_MAX if the wheel is empty.
 */
u64 xfrm_hc_wheel_next_ns(struct xfrm_hc_wheel *w)
{
	u64 s, f, t = U64_MAX;

	if (!hlist_empty(&w->due))
		return 0;
	s = xfrm_hc_wheel_near_next(w);
	f = xfrm_hc_wheel_far_next(w);

	if (s != U64_MAX)
		t = (s + 1) << XFRM_HC_WHEEL_SLOT_SHIFT;
	if (f != U64_MAX)
		t = min(t, f << (XFRM_HC_WHEEL_NEAR_BITS +
				 XFRM_HC_WHEEL_SLOT_SHIFT));
	return t;
}

/* Set the timer for the wheel's next event. Lock held, on its CPU. */
static void xfrm_hc_wheel_arm(struct xfrm_hc_wheel *w)
{
	u64 t = xfrm_hc_wheel_next_ns(w);

	if (t == U64_MAX) {
		/* A timer still set fires once for nothing; harmless. */
		w->armed = KTIME_MAX;
		return;
	}
	w->armed = ns_to_ktime(t);
	/*
	 * Entries left due: fire again, but after this softirq call. A time
	 * not after the one it runs timers up to would have it run us again
	 * before it returns.
	 */
	hrtimer_start(&w->timer, t ? w->armed : ktime_add_ns(ktime_get(), 1),
		      HRTIMER_MODE_ABS_PINNED_SOFT);
}

/**
 * xfrm_hc_wheel_run() - one pass of a wheel: run the entries due
 * @w: the wheel, its lock held; dropped while each entry runs
 * @now_ns: the time now
 *
 * Runs at most XFRM_HC_WHEEL_BUDGET entries, the oldest first.
 *
 * Return: true if entries are left due, for another pass.
 */
bool xfrm_hc_wheel_run(struct xfrm_hc_wheel *w, u64 now_ns)
{
	struct xfrm_hc_wheel_entry *e;
	unsigned int n;
	ktime_t wake;

	xfrm_hc_wheel_collect(w, now_ns);
	for (n = 0; n < XFRM_HC_WHEEL_BUDGET && !hlist_empty(&w->due); n++) {
		e = hlist_entry(w->due.first, struct xfrm_hc_wheel_entry, node);
		xfrm_hc_wheel_unlink(w, e);
		WRITE_ONCE(w->running, e);
		spin_unlock(&w->lock);
		wake = w->fn(e);
		spin_lock(&w->lock);
		/* Release: a canceller that sees the run over sees all it did. */
		smp_store_release(&w->running, NULL);
		if (w->waited) {
			w->waited = false;
			wake_up_all(&w->wait);
		}
		if (e->cancelled)
			continue;
		if (wake)
			xfrm_hc_wheel_place(w, e, ktime_to_ns(wake));
		else
			w->entries--;
	}
	return !hlist_empty(&w->due);
}

static enum hrtimer_restart xfrm_hc_wheel_fired(struct hrtimer *timer)
{
	struct xfrm_hc_wheel *w = container_of(timer, struct xfrm_hc_wheel,
					       timer);

	spin_lock(&w->lock);
	/* Adds meanwhile need not move the timer: the pass sets it last. */
	w->armed = 0;
	xfrm_hc_wheel_run(w, ktime_get_ns());
	/* Started again from its own callback: it stays on this CPU. */
	xfrm_hc_wheel_arm(w);
	spin_unlock(&w->lock);
	return HRTIMER_NORESTART;
}

/* On the wheel's CPU, from the IPI: fire now, and the run sets it right. */
static void xfrm_hc_wheel_kick(void *arg)
{
	struct xfrm_hc_wheel *w = arg;

	hrtimer_start(&w->timer, 0, HRTIMER_MODE_ABS_PINNED_SOFT);
}

/**
 * xfrm_hc_wheel_add() - wake an entry at a time, on a CPU
 * @e: the entry, in no wheel (new, or cancelled)
 * @cpu: the CPU whose wheel takes it; this one if that CPU is offline, or
 *	if the caller cannot wait for another CPU
 * @wake: when
 *
 * Context: process or softirq. An entry earlier than everything in the
 * other CPU's wheel needs its timer moved, which only that CPU can do:
 * then this waits for an IPI.
 */
void xfrm_hc_wheel_add(struct xfrm_hc_wheel_entry *e, unsigned int cpu,
		       ktime_t wake)
{
	bool can_wait = in_task() && !irqs_disabled();
	struct xfrm_hc_wheel *w;
	bool kick = false;

	if (cpu >= nr_cpu_ids || !cpu_online(cpu) || !can_wait)
		cpu = raw_smp_processor_id();
	w = xfrm_hc_wheels[cpu];

	spin_lock_bh(&w->lock);
	/*
	 * An empty wheel's clock stops; a month later the 32 bits of a slot
	 * would be read as past. A wheel with entries fires at least once a
	 * far turn, which keeps its clock.
	 */
	if (!w->entries)
		xfrm_hc_wheel_set_clock(w, ktime_get_ns());
	e->cancelled = false;
	xfrm_hc_wheel_place(w, e, ktime_to_ns(wake));
	w->entries++;
	if (ktime_before(ns_to_ktime(xfrm_hc_wheel_next_ns(w)), w->armed)) {
		if (w->cpu == smp_processor_id())
			xfrm_hc_wheel_arm(w);
		else
			kick = true;
	}
	spin_unlock_bh(&w->lock);
	/* Gone offline meanwhile: its timer moves here, and still runs it. */
	if (kick && smp_call_function_single(cpu, xfrm_hc_wheel_kick, w, 1))
		xfrm_hc_wheel_kick(w);
}

/**
 * __xfrm_hc_wheel_cancel() - take an entry off a wheel for good
 * @w: the wheel it was added to
 * @e: the entry, added or not
 *
 * Context: process. Sleeps until a run of the entry ends; the entry is
 * not put back. It may be added again after.
 */
void __xfrm_hc_wheel_cancel(struct xfrm_hc_wheel *w,
			    struct xfrm_hc_wheel_entry *e)
{
	bool running;

	spin_lock_bh(&w->lock);
	running = w->running == e;
	if (!e->cancelled && (running || !hlist_unhashed(&e->node)))
		w->entries--;
	e->cancelled = true;
	if (!hlist_unhashed(&e->node))
		xfrm_hc_wheel_unlink(w, e);
	if (running)
		w->waited = true;
	spin_unlock_bh(&w->lock);
	if (!running)
		return;
	/* Pairs with the release after the run: then all it did is seen. */
	wait_event(w->wait, smp_load_acquire(&w->running) != e);
}

/**
 * xfrm_hc_wheel_cancel() - take an entry off its wheel for good
 * @e: the entry, added or not
 *
 * Context: process; as __xfrm_hc_wheel_cancel(), on the entry's wheel.
 */
void xfrm_hc_wheel_cancel(struct xfrm_hc_wheel_entry *e)
{
	__xfrm_hc_wheel_cancel(xfrm_hc_wheels[e->cpu], e);
}

/**
 * xfrm_hc_wheels_show() - how many entries each CPU's wheel holds
 * @m: where to print "CPU ENTRIES" for each possible CPU
 *
 * Return: 0
 */
int xfrm_hc_wheels_show(struct seq_file *m)
{
	unsigned int cpu, n;

	if (!xfrm_hc_wheels)
		return 0;
	for_each_possible_cpu(cpu) {
		struct xfrm_hc_wheel *w = xfrm_hc_wheels[cpu];

		if (!w)
			continue;
		spin_lock_bh(&w->lock);
		n = w->entries;
		spin_unlock_bh(&w->lock);
		seq_printf(m, "%u %u\n", cpu, n);
	}
	return 0;
}

/**
 * xfrm_hc_wheels_init() - a wheel for every possible CPU
 * @fn: what to call for a due entry
 *
 * Return: 0 or -ENOMEM.
 */
int xfrm_hc_wheels_init(xfrm_hc_wheel_fn fn)
{
	u64 now = ktime_get_ns();
	unsigned int cpu;

	xfrm_hc_wheels = kcalloc(nr_cpu_ids, sizeof(*xfrm_hc_wheels),
				 GFP_KERNEL);
	if (!xfrm_hc_wheels)
		return -ENOMEM;
	for_each_possible_cpu(cpu) {
		struct xfrm_hc_wheel *w;

		w = kvzalloc_node(sizeof(*w), GFP_KERNEL, cpu_to_node(cpu));
		if (!w) {
			xfrm_hc_wheels_exit();
			return -ENOMEM;
		}
		xfrm_hc_wheel_setup(w, cpu, fn, now);
		hrtimer_init(&w->timer, CLOCK_MONOTONIC, HRTIMER_MODE_ABS_SOFT);
		w->timer.function = xfrm_hc_wheel_fired;
		xfrm_hc_wheels[cpu] = w;
	}
	return 0;
}

/**
 * xfrm_hc_wheels_exit() - stop and free the wheels
 *
 * Context: every entry cancelled; no more are added.
 */
void xfrm_hc_wheels_exit(void)
{
	unsigned int cpu;

	if (!xfrm_hc_wheels)
		return;
	for_each_possible_cpu(cpu) {
		struct xfrm_hc_wheel *w = xfrm_hc_wheels[cpu];

		if (!w)
			continue;
		hrtimer_cancel(&w->timer);
		kvfree(w);
	}
	kfree(xfrm_hc_wheels);
	xfrm_hc_wheels = NULL;
}
