/* SPDX-License-Identifier: GPL-2.0 */
#ifndef _XFRM_HC_PROBE_MAC_H
#define _XFRM_HC_PROBE_MAC_H

#include <linux/rcupdate.h>
#include <linux/siphash.h>
#include <linux/types.h>

#include "peer.h"

struct xfrm_hc_net;
struct sk_buff;

/* "xhc1": marks a payload as one of our probes, signed or forged. */
#define XFRM_HC_PROBE_MAGIC	0x78686331
/* A key signs probes this long at least; answers may use it twice as long. */
#define XFRM_HC_PROBE_KEY_LIFETIME	(120 * HZ)

/* Who sent a probe: enum of xfrm_hc_probe_payload.kind */
enum {
	XFRM_HC_PROBE_PEER,
	XFRM_HC_PROBE_CHECK,
};

/**
 * struct xfrm_hc_probe_payload - what a probe carries, echoed back
 * @magic: XFRM_HC_PROBE_MAGIC
 * @kind: XFRM_HC_PROBE_PEER or XFRM_HC_PROBE_CHECK
 * @pad: zero
 * @id: the peer's or check's id
 * @seq: the probe's sequence number
 * @epoch: which key signed it
 * @pad2: zero
 * @sent_ns: when it left, for the round trip
 * @mac: siphash of the fields above and of the tunnel that carried it
 *
 * The far end's IP stack echoes it back, so every probed gateway reads it:
 * the MAC, unlike a shared secret, tells it nothing it could forge with.
 */
struct xfrm_hc_probe_payload {
	__be32 magic;
	u8 kind;
	u8 pad[3];
	__be32 id;
	__be32 seq;
	__be32 epoch;
	__be32 pad2;
	__be64 sent_ns;
	__be64 mac;
};

/**
 * struct xfrm_hc_probe_keys - a namespace's probe keys
 * @cur: signs new probes
 * @prev: the key before, still good for answers
 * @epoch: @cur's number; @prev's is one less
 * @expires: in jiffies: the next probe after this makes a new key
 * @rcu: for freeing once replaced
 */
struct xfrm_hc_probe_keys {
	siphash_key_t cur;
	siphash_key_t prev;
	u32 epoch;
	unsigned long expires;
	struct rcu_head rcu;
};

int xfrm_hc_probe_mac_net_init(struct xfrm_hc_net *hn);
void xfrm_hc_probe_mac_net_exit(struct xfrm_hc_net *hn);
void xfrm_hc_probe_sign(struct xfrm_hc_net *hn,
			struct xfrm_hc_probe_payload *p,
			const struct xfrm_hc_peer_key *tunnel);
bool xfrm_hc_probe_verify(struct xfrm_hc_net *hn,
			  const struct xfrm_hc_probe_payload *p,
			  const struct xfrm_hc_peer_key *tunnel);
bool xfrm_hc_probe_verify_skb(struct xfrm_hc_net *hn,
			      const struct xfrm_hc_probe_payload *p,
			      const struct sk_buff *skb);

#endif /* _XFRM_HC_PROBE_MAC_H */
