// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to a dead peer's SAs, beyond the event: "clear" deletes
 * them and "restart" leaves them; both send the IKE daemon the kernel's
 * usual hard-expire message, so unmodified strongSwan and libreswan react
 * as they would to an SA that ran out of lifetime.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <net/xfrm.h>

#include "action.h"
#include "peer.h"

/* As the XFRM core's own lifetime timer does, under the SA's lock. */
static void xfrm_hc_action_sa(struct xfrm_state *x, bool delete)
{
	spin_lock_bh(&x->lock);
	if (x->km.state == XFRM_STATE_VALID &&
	    (!delete || !__xfrm_state_delete(x)))
		km_state_expired(x, 1, 0);
	spin_unlock_bh(&x->lock);
}

/**
 * xfrm_hc_action_run() - act on a peer declared dead
 * @peer: the peer
 * @action: enum xfrm_hc_action
 *
 * Context: any, the peer's timer included. Our key manager hook hears of
 * the deletions and the peer goes away through the usual path.
 */
void xfrm_hc_action_run(struct xfrm_hc_peer *peer, u8 action)
{
	struct xfrm_hc_sa *sa;

	if (action != XFRM_HC_ACTION_CLEAR && action != XFRM_HC_ACTION_RESTART)
		return;
	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node)
		xfrm_hc_action_sa(sa->x, action == XFRM_HC_ACTION_CLEAR);
	rcu_read_unlock();
}
