// SPDX-License-Identifier: GPL-2.0
/*
 * The probe budget: how much of each CPU sending probes may take. Peers'
 * ticks (timers.c) and checks' timers (check.c) charge the time each
 * probe took to send to the CPU that sent it, over 100 ms windows, and
 * ask before each probe how much is used; which probes go first as it
 * runs low is liveness.c's call (xfrm_hc_probe_room_used()). A probe's
 * answer is decrypted in the receive softirq, where it cannot be timed:
 * the CPU's softirq share counts too (probe_softirq_pct).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel_stat.h>
#include <linux/math64.h>
#include <linux/minmax.h>
#include <linux/moduleparam.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>

#include "liveness.h"
#include "probe_budget.h"

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
