// SPDX-License-Identifier: GPL-2.0
/*
 * What the module shows in debugfs (xfrm_hc/), for tests, benchmarks and
 * operators:
 *  - objects: live object counts, for leak checks. The test harness reads
 *    them once every namespace is gone, and unload warns if any is not
 *    back to zero: a leaked SA holds its xfrm_state forever.
 *  - timer_lateness: how late peers' ticks ran, which the scale benchmark
 *    reads; kept here, recorded by each tick (timers.c).
 *  - timer_wheels: the per-CPU wheels' occupancy (timer_wheel.c).
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/seq_file.h>

#include "debugfs.h"
#include "objects.h"
#include "timer_wheel.h"

atomic_long_t xfrm_hc_objects[__XFRM_HC_OBJ_MAX];

static const char * const xfrm_hc_obj_names[__XFRM_HC_OBJ_MAX] = {
	[XFRM_HC_OBJ_PEER] = "peers",
	[XFRM_HC_OBJ_SA] = "sas",
	[XFRM_HC_OBJ_SA_CHANGE] = "sa_changes",
	[XFRM_HC_OBJ_RULE] = "rules",
	[XFRM_HC_OBJ_CHECK] = "checks",
	[XFRM_HC_OBJ_PROFILE] = "profiles",
	[XFRM_HC_OBJ_ACTION] = "actions",
	[XFRM_HC_OBJ_ECHO_TARGET] = "echo_targets",
};

static struct dentry *xfrm_hc_debugfs;

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

/**
 * xfrm_hc_lateness_record() - count a tick in the lateness histogram
 * @expires: when it was due
 * @now: when it ran
 *
 * Context: any; per CPU, so that 100k timers share no line.
 */
void xfrm_hc_lateness_record(ktime_t expires, ktime_t now)
{
	s64 late_us = ktime_us_delta(now, expires);

	late_us = clamp_t(s64, late_us, 0, U32_MAX);
	this_cpu_inc(xfrm_hc_lateness[xfrm_hc_late_bucket(late_us)]);
}

/* "FLOOR_US COUNT" for each bucket that is not empty. */
static int xfrm_hc_lateness_show(struct seq_file *m, void *v)
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
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_lateness);

static int xfrm_hc_objects_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < __XFRM_HC_OBJ_MAX; i++)
		seq_printf(m, "%s %ld\n", xfrm_hc_obj_names[i],
			   atomic_long_read(&xfrm_hc_objects[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_objects);

static int xfrm_hc_wheels_file_show(struct seq_file *m, void *v)
{
	return xfrm_hc_wheels_show(m);
}
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_wheels_file);

/**
 * xfrm_hc_debugfs_init() - publish the counts and histograms in debugfs
 *
 * Without debugfs they are still kept, and the counts checked at unload.
 */
void xfrm_hc_debugfs_init(void)
{
	xfrm_hc_debugfs = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("objects", 0400, xfrm_hc_debugfs, NULL,
			    &xfrm_hc_objects_fops);
	debugfs_create_file("timer_lateness", 0400, xfrm_hc_debugfs, NULL,
			    &xfrm_hc_lateness_fops);
	debugfs_create_file("timer_wheels", 0400, xfrm_hc_debugfs, NULL,
			    &xfrm_hc_wheels_file_fops);
}

/**
 * xfrm_hc_debugfs_exit() - remove the debugfs files; report what leaked
 *
 * Called last, after rcu_barrier(): every count must be zero by then.
 */
void xfrm_hc_debugfs_exit(void)
{
	bool leaked = false;
	int i;

	debugfs_remove_recursive(xfrm_hc_debugfs);
	for (i = 0; i < __XFRM_HC_OBJ_MAX; i++) {
		long n = atomic_long_read(&xfrm_hc_objects[i]);

		if (n) {
			pr_err("%ld %s not freed at unload\n", n,
			       xfrm_hc_obj_names[i]);
			leaked = true;
		}
	}
	WARN_ON_ONCE(leaked);
}
