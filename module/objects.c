// SPDX-License-Identifier: GPL-2.0
/*
 * Live object counts, for leak checks. The test harness reads them from
 * debugfs (xfrm_hc/objects) once every namespace is gone, and unload warns
 * if any is not back to zero: a leaked SA holds its xfrm_state forever.
 * The same debugfs directory has the timers' lateness histogram
 * (xfrm_hc/timer_lateness), which the scale benchmark reads.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/seq_file.h>

#include "objects.h"
#include "timer_wheel.h"
#include "timers.h"

atomic_long_t xfrm_hc_objects[__XFRM_HC_OBJ_MAX];

static const char * const xfrm_hc_obj_names[__XFRM_HC_OBJ_MAX] = {
	[XFRM_HC_OBJ_PEER] = "peers",
	[XFRM_HC_OBJ_SA] = "sas",
	[XFRM_HC_OBJ_SA_CHANGE] = "sa_changes",
	[XFRM_HC_OBJ_RULE] = "rules",
	[XFRM_HC_OBJ_CHECK] = "checks",
	[XFRM_HC_OBJ_PROFILE] = "profiles",
	[XFRM_HC_OBJ_ACTION] = "actions",
};

static struct dentry *xfrm_hc_debugfs;

static int xfrm_hc_objects_show(struct seq_file *m, void *v)
{
	int i;

	for (i = 0; i < __XFRM_HC_OBJ_MAX; i++)
		seq_printf(m, "%s %ld\n", xfrm_hc_obj_names[i],
			   atomic_long_read(&xfrm_hc_objects[i]));
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_objects);

static int xfrm_hc_lateness_show(struct seq_file *m, void *v)
{
	return xfrm_hc_timer_lateness_show(m);
}
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_lateness);

static int xfrm_hc_wheels_file_show(struct seq_file *m, void *v)
{
	return xfrm_hc_wheels_show(m);
}
DEFINE_SHOW_ATTRIBUTE(xfrm_hc_wheels_file);

/**
 * xfrm_hc_objects_init() - publish the counts in debugfs
 *
 * Without debugfs the counts are still kept, and checked at unload.
 */
void xfrm_hc_objects_init(void)
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
 * xfrm_hc_objects_exit() - remove the debugfs files; report what leaked
 *
 * Called last, after rcu_barrier(): every count must be zero by then.
 */
void xfrm_hc_objects_exit(void)
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
