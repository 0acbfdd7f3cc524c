// SPDX-License-Identifier: GPL-2.0
/*
 * The "xfrm_hc" generic netlink family: commands, their policies, and the
 * multicast group that events go to.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <net/genetlink.h>
#include <linux/xfrm_hc.h>

#include "compat.h"
#include "netlink.h"
#include "pernet.h"
#include "xfrm_hc.h"

/* VERSION_GET takes no attributes: strict validation rejects any. */
static const struct nla_policy xfrm_hc_version_policy[XFRM_HC_A_MAX + 1] = {
};

static int xfrm_hc_nl_put_stat(struct sk_buff *skb, int type, u64 value)
{
	return nla_put_u64_64bit(skb, type, value, XFRM_HC_STAT_PAD);
}

/**
 * xfrm_hc_nl_fill_version() - put the version and counters into a message
 * @skb: the message, with its genl header already in place
 * @hn: the state of the netns the counters describe
 *
 * Return: 0, or -EMSGSIZE if @skb has no room.
 */
int xfrm_hc_nl_fill_version(struct sk_buff *skb, struct xfrm_hc_net *hn)
{
	struct nlattr *stats;

	if (nla_put_string(skb, XFRM_HC_A_MODULE_VERSION,
			   XFRM_HC_MODULE_VERSION) ||
	    nla_put_u32(skb, XFRM_HC_A_GENL_VERSION, XFRM_HC_GENL_VERSION))
		return -EMSGSIZE;

	stats = nla_nest_start(skb, XFRM_HC_A_STATS);
	if (!stats)
		return -EMSGSIZE;
	if (xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_NETNS,
				xfrm_hc_netns_count()) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_REQUESTS,
				atomic64_read(&hn->requests)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_ADDED,
				atomic64_read(&hn->sa_added)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_DELETED,
				atomic64_read(&hn->sa_deleted)) ||
	    xfrm_hc_nl_put_stat(skb, XFRM_HC_STAT_SA_FLUSHES,
				atomic64_read(&hn->sa_flushes))) {
		nla_nest_cancel(skb, stats);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, stats);
	return 0;
}

static struct genl_family xfrm_hc_genl_family;

static int xfrm_hc_nl_version_get(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(genl_info_net(info));
	struct sk_buff *msg;
	void *hdr;
	int err;

	atomic64_inc(&hn->requests);

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	hdr = genlmsg_put_reply(msg, info, &xfrm_hc_genl_family, 0,
				XFRM_HC_CMD_VERSION_GET);
	if (!hdr) {
		err = -EMSGSIZE;
		goto err_free;
	}
	err = xfrm_hc_nl_fill_version(msg, hn);
	if (err)
		goto err_free;
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return err;
}

static const struct genl_ops xfrm_hc_genl_ops[] = {
	{
		.cmd = XFRM_HC_CMD_VERSION_GET,
		.doit = xfrm_hc_nl_version_get,
		.policy = xfrm_hc_version_policy,
		.maxattr = XFRM_HC_A_MAX,
		/* Admin of the caller's own netns, even in a user ns. */
		.flags = GENL_UNS_ADMIN_PERM,
	},
};

static const struct genl_multicast_group xfrm_hc_genl_mcgrps[] = {
	{
		.name = XFRM_HC_MCGRP_EVENTS,
		.flags = GENL_MCAST_CAP_NET_ADMIN,
	},
};

static struct genl_family xfrm_hc_genl_family __ro_after_init = {
	.name = XFRM_HC_GENL_NAME,
	.version = XFRM_HC_GENL_VERSION,
	.maxattr = XFRM_HC_A_MAX,
	.netnsok = true,
	.parallel_ops = true,
	.module = THIS_MODULE,
	.ops = xfrm_hc_genl_ops,
	.n_ops = ARRAY_SIZE(xfrm_hc_genl_ops),
	.resv_start_op = XFRM_HC_CMD_VERSION_GET + 1,
	.mcgrps = xfrm_hc_genl_mcgrps,
	.n_mcgrps = ARRAY_SIZE(xfrm_hc_genl_mcgrps),
};

/**
 * xfrm_hc_nl_init() - register the generic netlink family
 *
 * Return: 0 or a negative errno.
 */
int xfrm_hc_nl_init(void)
{
	return genl_register_family(&xfrm_hc_genl_family);
}

/**
 * xfrm_hc_nl_exit() - unregister the generic netlink family
 */
void xfrm_hc_nl_exit(void)
{
	genl_unregister_family(&xfrm_hc_genl_family);
}

MODULE_ALIAS_GENL_FAMILY(XFRM_HC_GENL_NAME);
