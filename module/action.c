// SPDX-License-Identifier: GPL-2.0
/*
 * What happens to a dead peer's SAs, beyond the event: "clear" deletes
 * them and "restart" leaves them; both send the IKE daemon the kernel's
 * usual hard-expire message, so unmodified strongSwan and libreswan react
 * as they would to an SA that ran out of lifetime.
 *
 * A verdict comes from a timer, in softirq, and may come for thousands of
 * peers at once (a concentrator's uplink fails). Acting there would send
 * every expire message in one burst: the IKE daemon's netlink socket
 * overflows (ENOBUFS) and the daemon never hears of most of them. So the
 * timer only queues the SAs; a per-netns work item acts on them in process
 * context, at most action_rate SAs a second, in small batches that leave
 * the daemon time to read between them.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/slab.h>
#include <net/xfrm.h>

#include "action.h"
#include "objects.h"
#include "peer.h"
#include "pernet.h"

/*
 * 1,000 SAs a second: charon and pluto each take an expire message in well
 * under a millisecond, and a default socket buffer (208 KiB) holds some 200
 * of them, so a batch of 10 every 10 ms never fills it. 10,000 dead peers
 * with two SAs each are all told within 20 s.
 */
static unsigned int xfrm_hc_action_rate __read_mostly = 1000;

static int xfrm_hc_action_rate_set(const char *val,
				   const struct kernel_param *kp)
{
	return param_set_uint_minmax(val, kp, 1, 1000000);
}

static const struct kernel_param_ops xfrm_hc_action_rate_ops = {
	.set = xfrm_hc_action_rate_set,
	.get = param_get_uint,
};

module_param_cb(action_rate, &xfrm_hc_action_rate_ops, &xfrm_hc_action_rate,
		0644);
MODULE_PARM_DESC(action_rate,
		 "SAs a second that clear and restart act on (expire messages to the IKE daemon), 1-1000000");

/* Between batches: 10 ms, as many jiffies as that rounds up to. */
static unsigned long xfrm_hc_action_period(void)
{
	return max(msecs_to_jiffies(10), 1UL);
}

/**
 * struct xfrm_hc_action_item - one SA waiting for its action
 * @node: in xfrm_hc_net.actions
 * @x: the SA, referenced
 * @delete: "clear": delete it as well as tell
 */
struct xfrm_hc_action_item {
	struct list_head node;
	struct xfrm_state *x;
	bool delete;
};

/* As the XFRM core's own lifetime timer does, under the SA's lock. */
static void xfrm_hc_action_sa(struct xfrm_state *x, bool delete)
{
	spin_lock_bh(&x->lock);
	if (x->km.state == XFRM_STATE_VALID &&
	    (!delete || !__xfrm_state_delete(x)))
		km_state_expired(x, 1, 0);
	spin_unlock_bh(&x->lock);
}

static void xfrm_hc_action_item_free(struct xfrm_hc_action_item *item)
{
	xfrm_state_put(item->x);
	kfree(item);
	xfrm_hc_obj_gone(XFRM_HC_OBJ_ACTION);
}

/* SAs to act on in one batch: the rate spread over the periods. */
static unsigned int xfrm_hc_action_batch(void)
{
	u64 n = (u64)READ_ONCE(xfrm_hc_action_rate) *
		jiffies_to_msecs(xfrm_hc_action_period());

	return max_t(u64, DIV_ROUND_UP_ULL(n, MSEC_PER_SEC), 1);
}

static void xfrm_hc_action_work(struct work_struct *work)
{
	struct xfrm_hc_net *hn = container_of(to_delayed_work(work),
					      struct xfrm_hc_net,
					      action_work);
	struct xfrm_hc_action_item *item, *tmp;
	unsigned int n = xfrm_hc_action_batch();
	LIST_HEAD(batch);
	bool more;

	spin_lock_bh(&hn->action_lock);
	list_for_each_entry_safe(item, tmp, &hn->actions, node) {
		if (!n--)
			break;
		list_move_tail(&item->node, &batch);
	}
	more = !list_empty(&hn->actions);
	spin_unlock_bh(&hn->action_lock);

	list_for_each_entry_safe(item, tmp, &batch, node) {
		xfrm_hc_action_sa(item->x, item->delete);
		xfrm_hc_action_item_free(item);
	}
	if (more && !READ_ONCE(hn->exiting))
		queue_delayed_work(system_wq, &hn->action_work,
				   xfrm_hc_action_period());
}

/**
 * xfrm_hc_action_run() - act on a peer declared dead
 * @peer: the peer
 * @action: enum xfrm_hc_action
 *
 * Context: any, the peer's timer included: the SAs are only queued. Our
 * key manager hook hears of the deletions and the peer goes away through
 * the usual path.
 */
void xfrm_hc_action_run(struct xfrm_hc_peer *peer, u8 action)
{
	struct xfrm_hc_net *hn = xfrm_hc_peer_hn(peer);
	struct xfrm_hc_action_item *item;
	struct xfrm_hc_sa *sa;
	LIST_HEAD(items);

	if (action != XFRM_HC_ACTION_CLEAR && action != XFRM_HC_ACTION_RESTART)
		return;
	rcu_read_lock();
	hlist_for_each_entry_rcu(sa, &peer->sas, peer_node) {
		item = kmalloc(sizeof(*item), GFP_ATOMIC);
		if (!item) {
			/* Better a burst than a dead peer left as it is. */
			xfrm_hc_action_sa(sa->x,
					  action == XFRM_HC_ACTION_CLEAR);
			continue;
		}
		xfrm_hc_obj_made(XFRM_HC_OBJ_ACTION);
		xfrm_state_hold(sa->x);
		item->x = sa->x;
		item->delete = action == XFRM_HC_ACTION_CLEAR;
		list_add_tail(&item->node, &items);
	}
	rcu_read_unlock();
	if (list_empty(&items))
		return;
	spin_lock_bh(&hn->action_lock);
	list_splice_tail(&items, &hn->actions);
	spin_unlock_bh(&hn->action_lock);
	/* A no-op while a batch is pending: the queue drains at the rate. */
	if (!READ_ONCE(hn->exiting))
		queue_delayed_work(system_wq, &hn->action_work, 0);
}

/**
 * xfrm_hc_action_net_init() - an empty action queue for a namespace
 * @hn: the namespace's state
 */
void xfrm_hc_action_net_init(struct xfrm_hc_net *hn)
{
	spin_lock_init(&hn->action_lock);
	INIT_LIST_HEAD(&hn->actions);
	INIT_DELAYED_WORK(&hn->action_work, xfrm_hc_action_work);
}

/**
 * xfrm_hc_action_net_exit() - drop a namespace's pending actions
 * @hn: the namespace's state, marked exiting, with no peer or check left
 *	that could queue more
 *
 * Its SAs are going with the namespace: nobody is left to tell.
 */
void xfrm_hc_action_net_exit(struct xfrm_hc_net *hn)
{
	struct xfrm_hc_action_item *item, *tmp;

	cancel_delayed_work_sync(&hn->action_work);
	list_for_each_entry_safe(item, tmp, &hn->actions, node)
		xfrm_hc_action_item_free(item);
	INIT_LIST_HEAD(&hn->actions);
}
