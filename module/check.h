/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_CHECK_H
#define _XFRM_HC_CHECK_H

#include <linux/hrtimer.h>
#include <linux/netdevice.h>
#include <linux/spinlock.h>
#include <linux/xfrm_hc.h>
#include <net/xfrm.h>

#include "check_state.h"
#include "peer.h"

struct xfrm_hc_net;
struct sk_buff;

#define XFRM_HC_CHECK_NAMSIZ	32
/* Probes in flight at once: a timeout is at most 8 intervals. */
#define XFRM_HC_CHECK_INFLIGHT	16
#define XFRM_HC_CHECK_MAX_TIMEOUT_INTERVALS 8

/**
 * struct xfrm_hc_check_conf - a health check's settings
 * @family: of @src and @dst
 * @src: inner source of probes
 * @dst: what is probed
 * @ifindex: the XFRM interface it goes through, 0 for none
 * @if_id: XFRM if_id of the policies used, 0 to let routing decide
 * @interval_ms: between probes
 * @timeout_ms: a probe's answer must come within this, 0 for one interval
 * @misses: losses in a row that make the check down
 * @up: answers in a row that make it up
 * @mode: enum xfrm_hc_check_mode
 * @action: enum xfrm_hc_action
 */
struct xfrm_hc_check_conf {
	u16 family;
	xfrm_address_t src;
	xfrm_address_t dst;
	int ifindex;
	u32 if_id;
	u32 interval_ms;
	u32 timeout_ms;
	u8 misses;
	u8 up;
	u8 mode;
	u8 action;
};

/**
 * struct xfrm_hc_check_inflight - a probe waiting for its answer
 * @seq: its sequence number
 * @sent_ns: when it left
 * @deadline_ns: when it counts as lost; 0 for a free slot
 */
struct xfrm_hc_check_inflight {
	u32 seq;
	u64 sent_ns;
	u64 deadline_ns;
};

/**
 * struct xfrm_hc_check - a named probe of one destination through a tunnel
 * @node: in xfrm_hc_net.checks, RCU list
 * @hn: the namespace's state
 * @id: index in xfrm_hc_net.check_ids, which answers name
 * @name: unique in the namespace
 * @timer: sends probes and times them out
 * @lock: everything below, against the timer and answers
 * @conf: settings
 * @dev: the interface of @conf.ifindex, held; NULL once it is gone
 * @dev_tracker: for @dev's reference
 * @ifname: @dev's name, "" without: copied under RTNL, which renames hold,
 *	so that reports (events from softirq too) never read a name that is
 *	being changed
 * @carrier_off: we turned @dev's carrier off (failover)
 * @sm: the state machine
 * @inflight: probes waiting for answers
 * @next_send: when the next probe is due
 * @seq: sequence number of the last probe
 * @tunnel_known: @tunnel is set
 * @tunnel: key of the peer whose SA carried the last probe: not its id,
 *	which the next peer made takes once the peer is gone
 * @last_in_valid: @last_in and @last_in_peer are set
 * @last_in_peer: key of the peer @last_in was read from
 * @last_in: its inbound packets at the last due time
 * @answers_since: answers since then, not traffic for "optimized"
 * @probes_sent: probes sent
 * @probes_answered: answered in time
 * @probes_lost: timed out or not sendable
 * @probes_skipped: not sent, as traffic came in (optimized)
 * @send_errors: could not be routed or sent
 * @transitions: state changes
 * @rtt_min_us: smallest round trip
 * @rtt_max_us: largest round trip
 * @rtt_last_us: last round trip
 * @rtt_sum_us: sum of round trips, for the average
 * @last_change: when the state last changed
 * @last_answer: when a probe was last answered
 * @removed: unlinked; the timer must not re-arm
 * @rcu: for freeing
 */
struct xfrm_hc_check {
	struct list_head node;
	struct xfrm_hc_net *hn;
	u32 id;
	char name[XFRM_HC_CHECK_NAMSIZ];
	struct hrtimer timer;

	spinlock_t lock;	/* the fields below */
	struct xfrm_hc_check_conf conf;
	struct net_device *dev;
	netdevice_tracker dev_tracker;
	char ifname[IFNAMSIZ];
	bool carrier_off;
	struct xfrm_hc_check_sm sm;
	struct xfrm_hc_check_inflight inflight[XFRM_HC_CHECK_INFLIGHT];
	ktime_t next_send;
	u32 seq;
	bool tunnel_known;
	struct xfrm_hc_peer_key tunnel;
	bool last_in_valid;
	struct xfrm_hc_peer_key last_in_peer;
	u64 last_in;
	u32 answers_since;
	u64 probes_sent;
	u64 probes_answered;
	u64 probes_lost;
	u64 probes_skipped;
	u64 send_errors;
	u64 transitions;
	u32 rtt_min_us;
	u32 rtt_max_us;
	u32 rtt_last_us;
	u64 rtt_sum_us;
	ktime_t last_change;
	ktime_t last_answer;

	bool removed;
	struct rcu_head rcu;
};

struct xfrm_hc_check *xfrm_hc_check_find(struct xfrm_hc_net *hn,
					 const char *name);
int xfrm_hc_check_add(struct xfrm_hc_net *hn, const char *name,
		      const struct xfrm_hc_check_conf *conf,
		      struct net_device *dev, struct netlink_ext_ack *extack);
void xfrm_hc_check_set(struct xfrm_hc_check *c,
		       const struct xfrm_hc_check_conf *conf,
		       struct net_device *dev);
void xfrm_hc_check_del(struct xfrm_hc_check *c);
void xfrm_hc_check_flush(struct xfrm_hc_net *hn);
void xfrm_hc_check_answered(struct xfrm_hc_net *hn, u32 id, u32 seq,
			    const struct sk_buff *skb);
u32 xfrm_hc_check_timeout_ms(const struct xfrm_hc_check *c);
int xfrm_hc_check_notifier_init(void);
void xfrm_hc_check_notifier_exit(void);

extern unsigned int xfrm_hc_max_checks;

#endif /* _XFRM_HC_CHECK_H */
