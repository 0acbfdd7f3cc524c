/* SPDX-License-Identifier: GPL-2.0 */
/* xfrm-hcd, the service: its settings, and its parts. */
#ifndef XFRM_HCD_H
#define XFRM_HCD_H

#include <stdbool.h>
#include <stdint.h>

#include "attrs.h"

struct hcd_config {
	bool teardown;			/* delete the SAs of dead peers */
	const char *hook;		/* run for every event, or NULL */
	uint32_t rate;			/* teardowns a second, and the burst */
	const char *metrics_file;	/* kept up to date, or NULL */
	uint32_t metrics_interval;	/* seconds */
};

/* Acts on events until SIGINT or SIGTERM: returns the exit status. */
int hcd_run(const struct hcd_config *cfg);

/* Starts CMD for EV, and does not wait for it. */
void hcd_hook_run(const char *cmd, const struct hc_event *ev);
/* Collects the hooks that exited, with a line for each. */
void hcd_hook_reap(void);

/*
 * Collects and writes the exposition to PATH.tmp, then renames it to PATH,
 * so that a reader never sees a partial file. Returns 0, or -1 after
 * printing why.
 */
int hc_metrics_write_file(const char *path);

#endif
