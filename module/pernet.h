/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PERNET_H
#define _XFRM_HC_PERNET_H

#include <linux/atomic.h>
#include <linux/llist.h>
#include <linux/mutex.h>
#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <net/net_namespace.h>

#include "profile.h"

struct xfrm_hc_probe_keys;

/**
 * struct xfrm_hc_net - state of xfrm_hc in one network namespace
 * @net: the namespace
 * @lock: serialises changes to the tables, the rules and the defaults
 * @default_profile: the settings of the built-in default rule, which its
 *	peers hold; changed by "defaults set"
 * @rules: rules by priority, RCU list
 * @peers: peers by key (struct xfrm_hc_peer_key)
 * @peer_ids: peers by id, the cursor of dumps
 * @peers_by_remote: peers in order of remote address, for the rules that
 *	name a remote prefix: a rule's change looks at its own peers only
 * @sas: monitored SAs by their struct xfrm_state (struct xfrm_hc_sa)
 * @checks: health checks, RCU list, in the order they were added
 * @check_ids: health checks by id, which probe answers carry
 * @nchecks: health checks in @checks
 * @npeers: peers in the tables
 * @nsas: SAs in the tables
 * @generation: bumped on every peer added or removed, for dumps
 * @sa_generation: bumped on every SA added to or removed from a peer, for
 *	dumps that split a peer's SAs over several messages
 * @rules_generation: bumped on every rule added or removed, for dumps
 * @checks_generation: bumped on every check added, changed or removed, for
 *	dumps
 * @sa_events: SA changes queued by the key manager hook
 * @sa_work: applies @sa_events in process context
 * @sa_flags: XFRM_HC_SA_RESYNC: the next @sa_work walks all SAs instead
 *	(flush, lost event); a bit, as xchg() on a bool is not portable
 * @exiting: the namespace is going away: queue no more work
 * @action_lock: protects @actions
 * @actions: SAs of dead peers waiting for clear or restart (action.c)
 * @action_work: acts on @actions, at the action_rate
 * @probe_hooks: the probe answer hooks are registered
 * @echo_hooks: the echo hooks are registered (echo_responder.c)
 * @echo_responder: answer echo requests; "defaults set echo-responder"
 * @echo_work: looks up echo targets for the peers that asked
 *	(echo_requester.c)
 * @echo_peerless_lock: protects the two fields below
 * @echo_peerless_window: in jiffies, low 32 bits: when the current second
 *	of replies through SAs of no peer began (echo_responder.c)
 * @echo_peerless_replies: replies through SAs of no peer in that second
 * @probe_keys: sign our probes, so that answers cannot be forged
 *	(probe_mac.c); replaced under @probe_keys_lock, read under RCU
 * @probe_keys_lock: serialises replacing @probe_keys
 * @requests: generic netlink requests served
 * @sa_added: SA add and update notifications seen
 * @sa_deleted: SA delete and expire notifications seen
 * @sa_flushes: SA flush notifications seen
 * @peers_dead: peers in state dead now
 * @probes_sent: probes sent
 * @probes_answered: probes answered
 * @events_sent: events multicast
 * @events_dropped: events that could not be built or reached a listener
 * @late_ticks: timer runs more than half an interval late
 * @checks_down: health checks down now
 * @natt_keepalives: NAT-T keepalives sent
 * @peers_refused: peers not made, the namespace being at max_peers
 * @probes_shed: probes not sent, the CPU being past its probe budget
 * @probes_unrouted: probes not sent, their route not through an SA of
 *	their peer (for a check: through no SA)
 * @answers_rejected: answers in our format that we did not sign for the
 *	tunnel that brought them: forged, or too old; echo answers also
 *	replayed or late
 * @echo_answered: echo requests answered
 * @echo_limited: echo requests not answered: past echo_rate or the CPU's
 *	probe budget
 * @echo_unrouted: echo requests not answered: no route back by their
 *	tunnel
 */
struct xfrm_hc_net {
	struct net *net;
	struct mutex lock;	/* tables, rules, defaults */
	struct xfrm_hc_shared_profile *default_profile;
	struct list_head rules;
	struct rhashtable peers;
	struct xarray peer_ids;
	struct rb_root peers_by_remote;
	struct rhashtable sas;
	struct list_head checks;
	struct xarray check_ids;
	u32 nchecks;
	u32 npeers;
	u32 nsas;
	u32 generation;
	u32 sa_generation;
	u32 rules_generation;
	u32 checks_generation;
	struct llist_head sa_events;
	struct delayed_work sa_work;
	unsigned long sa_flags;
	bool exiting;
	spinlock_t action_lock;	/* @actions */
	struct list_head actions;
	struct delayed_work action_work;
	bool probe_hooks;
	bool echo_hooks;
	bool echo_responder;
	struct delayed_work echo_work;
	spinlock_t echo_peerless_lock;	/* the two fields below */
	u32 echo_peerless_window;
	u32 echo_peerless_replies;
	struct xfrm_hc_probe_keys __rcu *probe_keys;
	spinlock_t probe_keys_lock;	/* replacing @probe_keys */

	atomic64_t requests;
	atomic64_t sa_added;
	atomic64_t sa_deleted;
	atomic64_t sa_flushes;
	atomic64_t peers_dead;
	atomic64_t probes_sent;
	atomic64_t probes_answered;
	atomic64_t events_sent;
	atomic64_t events_dropped;
	atomic64_t late_ticks;
	atomic64_t checks_down;
	atomic64_t natt_keepalives;
	atomic64_t peers_refused;
	atomic64_t probes_shed;
	atomic64_t probes_unrouted;
	atomic64_t answers_rejected;
	atomic64_t echo_answered;
	atomic64_t echo_limited;
	atomic64_t echo_unrouted;
};

/* Bits of xfrm_hc_net.sa_flags. */
enum {
	XFRM_HC_SA_RESYNC,
};

struct xfrm_hc_net *xfrm_hc_net(const struct net *net);
u64 xfrm_hc_netns_count(void);
int xfrm_hc_pernet_init(void);
void xfrm_hc_pernet_resync_all(void);
void xfrm_hc_pernet_exit(void);

#endif /* _XFRM_HC_PERNET_H */
