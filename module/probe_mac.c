// SPDX-License-Identifier: GPL-2.0
/*
 * Where probes are signed, and answers told from forgeries.
 *
 * Every probe is signed with a keyed MAC (siphash) over who sent it, its
 * sequence, its send time and the tunnel that carried it out. An answer
 * counts only if an SA of that same tunnel decrypted it: another tenant's
 * gateway, answering through its own tunnel, cannot make one that passes,
 * and a probed gateway learns nothing from the probes it echoes.
 *
 * The key of a namespace is replaced every XFRM_HC_PROBE_KEY_LIFETIME by
 * the first probe after that time; answers signed with the key before are
 * still taken, so a probe can be answered for at least that long. A
 * namespace that sends no probes keeps its key, and has nothing to sign.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/random.h>
#include <linux/skbuff.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "pernet.h"
#include "probe_mac.h"

/* The signed part of a payload: everything before the MAC. */
#define XFRM_HC_PROBE_SIGNED offsetof(struct xfrm_hc_probe_payload, mac)

/* What the MAC covers: the payload's signed part, then the tunnel. */
struct xfrm_hc_probe_mac_input {
	u8 signed_part[XFRM_HC_PROBE_SIGNED];
	struct xfrm_hc_peer_key tunnel;
} __aligned(SIPHASH_ALIGNMENT);

static u64 xfrm_hc_probe_mac(const struct xfrm_hc_probe_payload *p,
			     const struct xfrm_hc_peer_key *tunnel,
			     const siphash_key_t *key)
{
	struct xfrm_hc_probe_mac_input in;

	/* Zeroed, so the padding after the key is no stray stack bytes. */
	memset(&in, 0, sizeof(in));
	memcpy(in.signed_part, p, sizeof(in.signed_part));
	in.tunnel = *tunnel;
	return siphash(&in, sizeof(in), key);
}

static struct xfrm_hc_probe_keys *xfrm_hc_probe_keys_new(gfp_t gfp)
{
	struct xfrm_hc_probe_keys *keys = kzalloc(sizeof(*keys), gfp);

	if (!keys)
		return NULL;
	get_random_bytes(&keys->cur, sizeof(keys->cur));
	keys->expires = jiffies + XFRM_HC_PROBE_KEY_LIFETIME;
	return keys;
}

/*
 * A new key, the current one kept as the previous. Context: softirq, from
 * a probe's send; another CPU rotating at the same time does it for us,
 * and without memory the old key stays for the next probe to try again.
 */
static void xfrm_hc_probe_keys_rotate(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_probe_keys *old, *keys;

	if (!spin_trylock_bh(&hn->probe_keys_lock))
		return;
	old = rcu_dereference_protected(hn->probe_keys,
					lockdep_is_held(&hn->probe_keys_lock));
	if (time_before_eq(jiffies, old->expires))
		goto out;
	keys = xfrm_hc_probe_keys_new(GFP_ATOMIC);
	if (!keys)
		goto out;
	keys->prev = old->cur;
	keys->epoch = old->epoch + 1;
	rcu_assign_pointer(hn->probe_keys, keys);
	kfree_rcu(old, rcu);
out:
	spin_unlock_bh(&hn->probe_keys_lock);
}

/**
 * xfrm_hc_probe_mac_net_init() - a namespace's first probe key
 * @hn: the namespace's state
 *
 * Return: 0 or -ENOMEM.
 */
int xfrm_hc_probe_mac_net_init(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_probe_keys *keys = xfrm_hc_probe_keys_new(GFP_KERNEL);

	if (!keys)
		return -ENOMEM;
	spin_lock_init(&hn->probe_keys_lock);
	/* A random first epoch: answers to a namespace before are void. */
	keys->epoch = get_random_u32();
	RCU_INIT_POINTER(hn->probe_keys, keys);
	return 0;
}

/**
 * xfrm_hc_probe_mac_net_exit() - free a namespace's probe keys
 * @hn: the namespace's state
 *
 * Answer hooks still running read the keys under RCU: freed after them.
 */
void xfrm_hc_probe_mac_net_exit(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_probe_keys *keys;

	keys = rcu_replace_pointer(hn->probe_keys, NULL, true);
	if (keys)
		kfree_rcu(keys, rcu);
}

/**
 * xfrm_hc_probe_sign() - set a probe's epoch and MAC
 * @hn: the namespace's state
 * @p: the payload, every field but @p->epoch and @p->mac set
 * @tunnel: the key of the peer whose outbound SA carries the probe
 *
 * Context: softirq, or any context that may take a spinlock with BHs off.
 */
void xfrm_hc_probe_sign(struct xfrm_hc_net *hn,
			struct xfrm_hc_probe_payload *p,
			const struct xfrm_hc_peer_key *tunnel)
{
	struct xfrm_hc_probe_keys *keys;

	rcu_read_lock();
	keys = rcu_dereference(hn->probe_keys);
	if (time_after(jiffies, keys->expires)) {
		xfrm_hc_probe_keys_rotate(hn);
		keys = rcu_dereference(hn->probe_keys);
	}
	p->epoch = htonl(keys->epoch);
	p->mac = cpu_to_be64(xfrm_hc_probe_mac(p, tunnel, &keys->cur));
	rcu_read_unlock();
}

/**
 * xfrm_hc_probe_verify() - whether we signed a payload for a tunnel
 * @hn: the namespace's state
 * @p: the payload of an answer
 * @tunnel: the key of the peer whose inbound SA decrypted the answer
 *
 * Context: RCU read side.
 * Return: true if @p is unchanged from a probe of ours carried by
 * @tunnel's outbound SA, with the current or the previous key.
 */
bool xfrm_hc_probe_verify(struct xfrm_hc_net *hn,
			  const struct xfrm_hc_probe_payload *p,
			  const struct xfrm_hc_peer_key *tunnel)
{
	struct xfrm_hc_probe_keys *keys = rcu_dereference(hn->probe_keys);
	u32 epoch = ntohl(p->epoch);
	const siphash_key_t *key;

	if (!keys)
		return false;
	if (epoch == keys->epoch)
		key = &keys->cur;
	else if (epoch == keys->epoch - 1)
		key = &keys->prev;
	else
		return false;
	return be64_to_cpu(p->mac) == xfrm_hc_probe_mac(p, tunnel, key);
}

/**
 * xfrm_hc_probe_verify_skb() - whether an answer came back as it went out
 * @hn: the namespace's state
 * @p: its payload
 * @skb: the answer, for the SAs that decrypted it
 *
 * An SA's key seen inbound is the key of its peer's outbound SAs, so an
 * answer passes only through the tunnel its probe left by.
 * Context: RCU read side (a netfilter hook).
 * Return: true if one of the SAs @skb came through signed @p's probe.
 */
bool xfrm_hc_probe_verify_skb(struct xfrm_hc_net *hn,
			      const struct xfrm_hc_probe_payload *p,
			      const struct sk_buff *skb)
{
	struct sec_path *sp = skb_sec_path(skb);
	struct xfrm_hc_peer_key tunnel;
	int i;

	for (i = 0; sp && i < sp->len; i++) {
		xfrm_hc_peer_key_of_state(sp->xvec[i], XFRM_HC_DIR_IN, &tunnel);
		if (xfrm_hc_probe_verify(hn, p, &tunnel))
			return true;
	}
	return false;
}
