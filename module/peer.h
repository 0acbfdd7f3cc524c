/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PEER_H
#define _XFRM_HC_PEER_H

#include <linux/rbtree.h>
#include <linux/rhashtable-types.h>
#include <linux/spinlock.h>
#include <net/xfrm.h>

#include "liveness.h"
#include "profile.h"
#include "timer_wheel.h"

struct xfrm_hc_echo_target;
struct xfrm_hc_net;

/**
 * struct xfrm_hc_peer_key - what makes SAs belong to one remote gateway
 * @local: our outer address
 * @remote: the gateway's outer address
 * @local_port: our NAT-T UDP port, 0 without encapsulation
 * @remote_port: the gateway's NAT-T UDP port: many clients behind one NAT
 *	address differ only here
 * @if_id: XFRM interface id
 * @family: AF_INET or AF_INET6
 * @pad: zero, so keys hash and compare as bytes
 */
struct xfrm_hc_peer_key {
	xfrm_address_t local;
	xfrm_address_t remote;
	__be16 local_port;
	__be16 remote_port;
	u32 if_id;
	u16 family;
	u16 pad;
};

/**
 * struct xfrm_hc_peer - one remote gateway and the SAs to it
 * @node: in xfrm_hc_net.peers
 * @key: its identity
 * @id: index in xfrm_hc_net.peer_ids
 * @remote_node: in xfrm_hc_net.peers_by_remote; changed under hn->lock
 * @sas: its SAs (struct xfrm_hc_sa), RCU list; changed under hn->lock
 * @timer: its entry in a CPU's timing wheel, for the interval ticks
 * @rcu: for freeing, once @timer is stopped for good
 * @expires: when the tick is due, to tell late runs
 * @lock: protects @profile and what follows it, against the timer and
 *	readers
 * @profile: how it is watched, and the rule that matched it; shared
 * @lv: the state machine's memory
 * @removed: unlinked; the timer must not re-arm
 * @probe_method: how its last tick probed it (enum xfrm_hc_probe_method)
 * @probe_seq: sequence number of the last probe
 * @in_packets: inbound packets at the last tick, SAs since gone included
 * @out_packets: outbound packets at the last tick, the same
 * @probes_sent: probes sent
 * @probes_answered: answers received
 * @probes_tick: probes sent in the current interval
 * @answers_tick: answers received in the current interval
 * @echo_requests_tick: the peer's echo requests decrypted in the current
 *	interval: its probes, not data (our replies count in @probes_tick)
 * @rtt_min_us: smallest probe round trip
 * @rtt_max_us: largest probe round trip
 * @natt_keepalives: NAT-T keepalives sent
 * @rtt_sum_us: sum of round trips, for the average
 * @last_change: when @lv.state last changed
 * @last_in_seen: when inbound traffic was last seen, 0 if never
 * @last_evidence: when evidence of life was last seen
 * @natt_quiet_since: since when the peer's outbound SAs sent nothing
 * @echo_target: where its echoes go, once found from its SAs and their
 *	policies (echo_requester.c); RCU, replaced under @lock
 * @echo_answered_seq: the echo last answered: an answer to it or to an
 *	older one is a replay
 * @echo_retry_at: in jiffies: when to look for the echo again, while the
 *	peer is not known to answer it
 * @echo_reply_window: in jiffies, low 32 bits: when the responder's
 *	current second of replies to this peer began
 * @echo_replies: replies to this peer in that second (echo_rate)
 * @echo_state: enum xfrm_hc_echo_state
 * @echo_tries: discovery echoes unanswered in a row, for the back-off;
 *	while it answers echoes, those unanswered in a row while its
 *	traffic showed it alive
 *
 * 240 bytes on a production kernel: 208 before the echo's state (32),
 * which puts a peer and its share of the tables past 256. The order packs
 * it, the per-interval counts are 16 bits (a few probes an interval) and
 * the keepalive count 32 (one each 20 s or more), @rcu takes the room of
 * the stopped timer, the counts at the last look live in each SA, and the
 * namespace in the shared profile. Keep it so (pahole).
 */
struct xfrm_hc_peer {
	struct rhash_head node;
	struct xfrm_hc_peer_key key;
	u32 id;
	struct hlist_head sas;
	struct rb_node remote_node;
	union {
		struct xfrm_hc_wheel_entry timer;
		struct rcu_head rcu;
	};
	ktime_t expires;

	struct xfrm_hc_shared_profile *profile;
	spinlock_t lock;	/* @profile and the fields below */
	struct xfrm_hc_liveness lv;
	bool removed;
	u8 probe_method;
	u32 probe_seq;
	u64 in_packets;
	u64 out_packets;
	u64 probes_sent;
	u64 probes_answered;
	u16 probes_tick;
	u16 answers_tick;
	u16 echo_requests_tick;
	u16 echo_replies;
	u32 rtt_min_us;
	u32 rtt_max_us;
	u32 natt_keepalives;
	u32 echo_answered_seq;
	u64 rtt_sum_us;
	ktime_t last_change;
	ktime_t last_in_seen;
	ktime_t last_evidence;
	ktime_t natt_quiet_since;
	struct xfrm_hc_echo_target __rcu *echo_target;
	unsigned long echo_retry_at;
	u32 echo_reply_window;
	u8 echo_state;
	u8 echo_tries;
};

/**
 * struct xfrm_hc_sa - one monitored SA
 * @x: the SA, referenced
 * @hash_node: in xfrm_hc_net.sas, by @x
 * @peer_node: in its peer's sas
 * @rcu: for freeing
 * @last_packets: the SA's packet count at its peer's last tick
 * @natt_packets: outbound, the low 32 bits of its count at the last NAT-T
 *	keepalive look: only compared, and 2^32 packets between two looks
 *	are out of reach
 * @peer_id: the id of the peer it belongs to; a peer keeps its id while it
 *	has SAs (31 bits: with @dir, 4 bytes, not the 8 of a pointer)
 * @dir: enum xfrm_hc_dir
 *
 * Found by the SA's address, not through its peer's key: an update in
 * place can change the ports or the if_id that made the key, and the old
 * key is lost with them. 64 bytes, a tenth of the SA it watches. The
 * counts at the last look are the SA's own, so that an SA that comes or
 * goes between two looks brings neither its past nor a negative delta.
 */
struct xfrm_hc_sa {
	struct xfrm_state *x;
	struct rhash_head hash_node;
	struct hlist_node peer_node;
	struct rcu_head rcu;
	u64 last_packets;
	u32 natt_packets;
	u32 peer_id:31;
	u32 dir:1;
};

/**
 * xfrm_hc_peer_hn() - a peer's namespace state
 * @peer: the peer
 *
 * Every profile a peer holds is of its namespace, so the pointer is kept
 * once there and not in each peer.
 * Context: RCU, the peer's lock or the netns lock: a profile replaced
 * under them is freed after a grace period.
 * Return: the namespace's state.
 */
static inline struct xfrm_hc_net *xfrm_hc_peer_hn(const struct xfrm_hc_peer *peer)
{
	return READ_ONCE(peer->profile)->hn;
}

void xfrm_hc_peer_key_build(struct xfrm_hc_peer_key *key, u16 family,
			    const xfrm_address_t *saddr,
			    const xfrm_address_t *daddr, __be16 encap_sport,
			    __be16 encap_dport, u32 if_id, u8 dir);
void xfrm_hc_peer_key_of_state(struct xfrm_state *x, u8 dir,
			       struct xfrm_hc_peer_key *key);
int xfrm_hc_sa_attach(struct xfrm_hc_net *hn, struct xfrm_state *x, u8 dir,
		      struct xfrm_hc_shared_profile *sp);
bool xfrm_hc_sa_detach(struct xfrm_hc_net *hn, struct xfrm_state *x,
		       bool gone);
void xfrm_hc_sa_sweep(struct xfrm_hc_net *hn);
void xfrm_hc_peer_index_add(struct rb_root *root, struct xfrm_hc_peer *peer);
struct xfrm_hc_peer *xfrm_hc_peer_next_in_prefix(struct rb_root *root,
						 u16 family,
						 const xfrm_address_t *prefix,
						 u8 plen,
						 struct xfrm_hc_peer *prev);
struct xfrm_hc_peer *xfrm_hc_peer_find(struct xfrm_hc_net *hn,
				       const struct xfrm_hc_peer_key *key);
struct xfrm_hc_peer *xfrm_hc_peer_find_by_state(struct xfrm_hc_net *hn,
						struct xfrm_state *x);
bool xfrm_hc_peer_has_sa(struct xfrm_hc_peer *peer, struct xfrm_state *x);
void xfrm_hc_peer_set_profile(struct xfrm_hc_peer *peer,
			      struct xfrm_hc_shared_profile *sp);
void xfrm_hc_peer_counters(struct xfrm_hc_peer *peer, u64 *in, u64 *out);
bool xfrm_hc_peer_counters_take(struct xfrm_hc_peer *peer, u64 *in,
				u64 *out);
int xfrm_hc_peer_tables_init(struct xfrm_hc_net *hn);
void xfrm_hc_peer_tables_destroy(struct xfrm_hc_net *hn);
int xfrm_hc_peer_cache_init(void);
void xfrm_hc_peer_cache_exit(void);

#endif /* _XFRM_HC_PEER_H */
