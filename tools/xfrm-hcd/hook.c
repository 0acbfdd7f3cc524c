// SPDX-License-Identifier: GPL-2.0
/*
 * Hooks: a command run through /bin/sh for each event, with the event in
 * its environment (XFRM_HC_EVENT, XFRM_HC_JSON, the peer's or the check's
 * fields), and a line when it starts and when it exits.
 */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>

#include "common.h"
#include "print.h"
#include "xfrm-hcd.h"

void hcd_hook_reap(void)
{
	int status;
	pid_t pid;

	while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
		int code = WIFEXITED(status) ? WEXITSTATUS(status) :
			   128 + WTERMSIG(status);

		open_json_object(NULL);
		print_string(PRINT_ANY, "action", "%s", "hook-exit");
		print_uint(PRINT_ANY, "pid", " pid %u", pid);
		print_uint(PRINT_ANY, "status", " status %u\n", code);
		close_json_object();
		print_end();
	}
}

static void hook_env_check(const struct hc_check *c)
{
	char buf[HC_ADDR_STRLEN];

	setenv("XFRM_HC_CHECK", c->name, 1);
	setenv("XFRM_HC_SRC", hc_addr_str(&c->src, buf, sizeof(buf)), 1);
	setenv("XFRM_HC_DST", hc_addr_str(&c->dst, buf, sizeof(buf)), 1);
	if (c->ifname[0])
		setenv("XFRM_HC_DEV", c->ifname, 1);
	if (HC_CHECK_HAS(c, IF_ID)) {
		snprintf(buf, sizeof(buf), "%u", c->if_id);
		setenv("XFRM_HC_IF_ID", buf, 1);
	}
	setenv("XFRM_HC_STATE", hc_kw_name(hc_kw_check_state, c->state), 1);
}

static void hook_env(const struct hc_event *ev, const char *json)
{
	const struct hc_peer *p = &ev->peer;
	char buf[HC_ADDR_STRLEN];

	setenv("XFRM_HC_EVENT", hc_event_name(ev->type), 1);
	setenv("XFRM_HC_JSON", json ? json : "", 1);
	if (ev->type == HC_EVENT_RESYNC)
		return;
	if (hc_event_is_check(ev)) {
		hook_env_check(&ev->check);
		return;
	}
	setenv("XFRM_HC_REMOTE", hc_addr_str(&p->remote, buf, sizeof(buf)), 1);
	setenv("XFRM_HC_LOCAL", hc_addr_str(&p->local, buf, sizeof(buf)), 1);
	snprintf(buf, sizeof(buf), "%u", p->if_id);
	setenv("XFRM_HC_IF_ID", buf, 1);
	setenv("XFRM_HC_STATE", hc_kw_name(hc_kw_state, p->state), 1);
	setenv("XFRM_HC_REASON", hc_kw_name(hc_kw_reason, p->reason), 1);
}

void hcd_hook_run(const char *cmd, const struct hc_event *ev)
{
	char *json = hc_event_json(ev);
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		hc_err("cannot run the hook: %s", strerror(errno));
	} else if (!pid) {
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGCHLD, SIG_DFL);
		hook_env(ev, json);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(127);
	} else {
		open_json_object(NULL);
		print_string(PRINT_ANY, "action", "%s", "hook");
		print_string(PRINT_ANY, "event", " %s", hc_event_name(ev->type));
		print_uint(PRINT_ANY, "pid", " pid %u\n", pid);
		close_json_object();
		print_end();
	}
	free(json);
}
