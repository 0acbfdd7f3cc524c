// SPDX-License-Identifier: GPL-2.0
/*
 * The health check commands of the "xfrm_hc" family: add, set, del, get,
 * and the A_CHECK nest that answers and the check-down/up events carry.
 */

#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/netdevice.h>
#include <linux/rtnetlink.h>
#include <net/genetlink.h>

#include "check.h"
#include "failover.h"
#include "netlink.h"
#include "pernet.h"

/* Not const: 6.1's NLA_POLICY_FULL_RANGE takes a plain pointer. */
static struct netlink_range_validation xfrm_hc_check_interval_range = {
	.min = XFRM_HC_INTERVAL_MS_MIN,
	.max = XFRM_HC_INTERVAL_MS_MAX,
};

/* 0 is "one interval". */
static struct netlink_range_validation xfrm_hc_check_timeout_range = {
	.max = XFRM_HC_INTERVAL_MS_MAX,
};

static const struct nla_policy xfrm_hc_check_policy[XFRM_HC_CHECK_MAX + 1] = {
	[XFRM_HC_CHECK_NAME] = { .type = NLA_NUL_STRING,
				 .len = XFRM_HC_CHECK_NAMSIZ - 1 },
	[XFRM_HC_CHECK_SRC] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_CHECK_DST] = { .type = NLA_BINARY, .len = 16 },
	[XFRM_HC_CHECK_IFINDEX] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_IF_ID] = { .type = NLA_U32 },
	[XFRM_HC_CHECK_INTERVAL_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &xfrm_hc_check_interval_range),
	[XFRM_HC_CHECK_MISSES] = NLA_POLICY_MIN(NLA_U8, 1),
	[XFRM_HC_CHECK_UP] = NLA_POLICY_MIN(NLA_U8, 1),
	[XFRM_HC_CHECK_TIMEOUT_MS] =
		NLA_POLICY_FULL_RANGE(NLA_U32, &xfrm_hc_check_timeout_range),
	[XFRM_HC_CHECK_MODE] = NLA_POLICY_MAX(NLA_U8, XFRM_HC_CHECK_MODE_MAX),
	[XFRM_HC_CHECK_ACTION] = NLA_POLICY_MAX(NLA_U8, XFRM_HC_ACTION_MAX),
};

const struct nla_policy xfrm_hc_check_cmd_policy[XFRM_HC_A_MAX + 1] = {
	[XFRM_HC_A_CHECK] = NLA_POLICY_NESTED(xfrm_hc_check_policy),
};

/* What a new check is unless told otherwise. */
static const struct xfrm_hc_check_conf xfrm_hc_check_defaults = {
	.interval_ms = 1000,
	.misses = 3,
	.up = 3,
	.mode = XFRM_HC_CHECK_MODE_PERIODIC,
	.action = XFRM_HC_ACTION_NOTIFY,
};

/* The A_CHECK nest of a request, parsed; its NAME, checked. */
static int xfrm_hc_nl_check_parse(struct genl_info *info, struct nlattr **tb,
				  const char **name)
{
	struct nlattr *attr = info->attrs[XFRM_HC_A_CHECK];
	const char *p;
	int err;

	if (GENL_REQ_ATTR_CHECK(info, XFRM_HC_A_CHECK)) {
		NL_SET_ERR_MSG_MOD(info->extack, "a check is required");
		return -EINVAL;
	}
	err = nla_parse_nested(tb, XFRM_HC_CHECK_MAX, attr,
			       xfrm_hc_check_policy, info->extack);
	if (err)
		return err;
	if (!tb[XFRM_HC_CHECK_NAME]) {
		NL_SET_ERR_MSG_ATTR(info->extack, attr,
				    "the check needs a name");
		return -EINVAL;
	}
	*name = nla_data(tb[XFRM_HC_CHECK_NAME]);
	for (p = *name; *p; p++)
		if (!isalnum(*p) && *p != '_' && *p != '.' && *p != '-')
			break;
	if (!**name || *p) {
		NL_SET_ERR_MSG_ATTR(info->extack, tb[XFRM_HC_CHECK_NAME],
				    "a check name is 1 to 31 of A-Z a-z 0-9 _ . -");
		return -EINVAL;
	}
	return 0;
}

/* The XFRM interface of an ifindex, referenced, or an error. */
static struct net_device *xfrm_hc_nl_check_dev(struct net *net,
					       const struct nlattr *attr,
					       struct netlink_ext_ack *extack)
{
	struct net_device *dev;

	dev = dev_get_by_index(net, nla_get_u32(attr));
	if (!dev) {
		NL_SET_ERR_MSG_ATTR(extack, attr, "no such interface");
		return ERR_PTR(-ENODEV);
	}
	if (!xfrm_hc_failover_dev_ok(dev)) {
		NL_SET_ERR_MSG_ATTR(extack, attr,
				    "dev is not an XFRM interface (type xfrm)");
		dev_put(dev);
		return ERR_PTR(-EINVAL);
	}
	return dev;
}

/* Apply the settings in @tb over @conf; *@dev is its interface, held. */
static int xfrm_hc_nl_check_conf(struct net *net, struct nlattr **tb,
				 struct xfrm_hc_check_conf *conf,
				 struct net_device **dev,
				 struct netlink_ext_ack *extack)
{
	u16 src_family = conf->family, dst_family = conf->family;
	struct nlattr *a;
	int err;

	if (tb[XFRM_HC_CHECK_IFINDEX] && tb[XFRM_HC_CHECK_IF_ID]) {
		NL_SET_ERR_MSG_ATTR(extack, tb[XFRM_HC_CHECK_IF_ID],
				    "dev and if_id are exclusive: an XFRM interface has its if_id");
		return -EINVAL;
	}
	a = tb[XFRM_HC_CHECK_SRC];
	if (a) {
		err = xfrm_hc_nl_get_addr(a, &conf->src, &src_family, extack);
		if (err)
			return err;
	}
	a = tb[XFRM_HC_CHECK_DST];
	if (a) {
		err = xfrm_hc_nl_get_addr(a, &conf->dst, &dst_family, extack);
		if (err)
			return err;
	}
	/* A set may give one of them: the other is the check's own. */
	if (src_family != dst_family) {
		NL_SET_ERR_MSG_ATTR(extack, a ?: tb[XFRM_HC_CHECK_SRC],
				    "src and dst must be of one family");
		return -EINVAL;
	}
	conf->family = src_family;
	if (tb[XFRM_HC_CHECK_INTERVAL_MS])
		conf->interval_ms = nla_get_u32(tb[XFRM_HC_CHECK_INTERVAL_MS]);
	if (tb[XFRM_HC_CHECK_TIMEOUT_MS])
		conf->timeout_ms = nla_get_u32(tb[XFRM_HC_CHECK_TIMEOUT_MS]);
	if (tb[XFRM_HC_CHECK_MISSES])
		conf->misses = nla_get_u8(tb[XFRM_HC_CHECK_MISSES]);
	if (tb[XFRM_HC_CHECK_UP])
		conf->up = nla_get_u8(tb[XFRM_HC_CHECK_UP]);
	if (tb[XFRM_HC_CHECK_MODE])
		conf->mode = nla_get_u8(tb[XFRM_HC_CHECK_MODE]);
	if (tb[XFRM_HC_CHECK_ACTION])
		conf->action = nla_get_u8(tb[XFRM_HC_CHECK_ACTION]);
	if (conf->timeout_ms &&
	    (conf->timeout_ms < 10 ||
	     conf->timeout_ms > XFRM_HC_CHECK_MAX_TIMEOUT_INTERVALS *
				conf->interval_ms)) {
		NL_SET_ERR_MSG_MOD(extack,
				   "timeout must be 10 ms to 8 intervals (0: one interval)");
		return -EINVAL;
	}

	if (tb[XFRM_HC_CHECK_IF_ID]) {
		conf->if_id = nla_get_u32(tb[XFRM_HC_CHECK_IF_ID]);
		conf->ifindex = 0;
		if (*dev)
			dev_put(*dev);
		*dev = NULL;
	} else if (tb[XFRM_HC_CHECK_IFINDEX]) {
		if (*dev)
			dev_put(*dev);
		*dev = NULL;
		conf->ifindex = 0;
		conf->if_id = 0;
		if (nla_get_u32(tb[XFRM_HC_CHECK_IFINDEX])) {
			*dev = xfrm_hc_nl_check_dev(net,
						    tb[XFRM_HC_CHECK_IFINDEX],
						    extack);
			if (IS_ERR(*dev)) {
				err = PTR_ERR(*dev);
				*dev = NULL;
				return err;
			}
			conf->ifindex = (*dev)->ifindex;
			conf->if_id = xfrm_hc_failover_if_id(*dev);
		}
	}
	if (conf->action == XFRM_HC_ACTION_FAILOVER && !*dev) {
		NL_SET_ERR_MSG_MOD(extack,
				   "action failover needs dev: an XFRM interface");
		return -EINVAL;
	}
	return 0;
}

/*
 * One failover check per interface: with two, the first to come up would
 * turn the carrier on while the other still says down.
 */
static int xfrm_hc_nl_check_failover_free(struct xfrm_hc_net *hn,
					  const struct xfrm_hc_check *self,
					  const struct xfrm_hc_check_conf *conf,
					  const struct net_device *dev,
					  struct netlink_ext_ack *extack)
{
	struct xfrm_hc_check *c;

	if (conf->action != XFRM_HC_ACTION_FAILOVER)
		return 0;
	list_for_each_entry(c, &hn->checks, node) {
		if (c != self && c->dev == dev &&
		    c->conf.action == XFRM_HC_ACTION_FAILOVER) {
			NL_SET_ERR_MSG_MOD(extack,
					   "another check already fails over this interface");
			return -EBUSY;
		}
	}
	return 0;
}

/**
 * xfrm_hc_nl_check_add() - XFRM_HC_CMD_CHECK_ADD
 * @skb: the request
 * @info: its parsed form
 *
 * Return: 0 or a negative errno, explained in extack.
 */
int xfrm_hc_nl_check_add(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct xfrm_hc_check_conf conf = xfrm_hc_check_defaults;
	struct nlattr *tb[XFRM_HC_CHECK_MAX + 1];
	struct net_device *dev = NULL;
	const char *name;
	int err;

	err = xfrm_hc_nl_check_parse(info, tb, &name);
	if (err)
		return err;
	if (!tb[XFRM_HC_CHECK_SRC] || !tb[XFRM_HC_CHECK_DST]) {
		NL_SET_ERR_MSG_ATTR(info->extack, info->attrs[XFRM_HC_A_CHECK],
				    "a check needs src and dst");
		return -EINVAL;
	}
	/* RTNL first, as the netdev notifier has it: for the dev's name. */
	rtnl_lock();
	mutex_lock(&hn->lock);
	if (xfrm_hc_check_find(hn, name)) {
		NL_SET_ERR_MSG_MOD(info->extack, "a check of that name exists");
		err = -EEXIST;
		goto out;
	}
	err = xfrm_hc_nl_check_conf(hn->net, tb, &conf, &dev, info->extack) ?:
	      xfrm_hc_nl_check_failover_free(hn, NULL, &conf, dev,
					     info->extack);
	if (err) {
		if (dev)
			dev_put(dev);
		goto out;
	}
	err = xfrm_hc_check_add(hn, name, &conf, dev, info->extack);
out:
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

/* The check a request names, under hn->lock; or an error. */
static struct xfrm_hc_check *xfrm_hc_nl_check_named(struct xfrm_hc_net *hn,
						    const char *name,
						    struct genl_info *info)
{
	struct xfrm_hc_check *c = xfrm_hc_check_find(hn, name);

	if (!c)
		NL_SET_ERR_MSG_MOD(info->extack, "no check of that name");
	return c;
}

/**
 * xfrm_hc_nl_check_set() - XFRM_HC_CMD_CHECK_SET
 * @skb: the request
 * @info: its parsed form
 *
 * Return: 0 or a negative errno, explained in extack.
 */
int xfrm_hc_nl_check_set(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct nlattr *tb[XFRM_HC_CHECK_MAX + 1];
	struct xfrm_hc_check_conf conf;
	struct net_device *dev;
	struct xfrm_hc_check *c;
	const char *name;
	int err;

	err = xfrm_hc_nl_check_parse(info, tb, &name);
	if (err)
		return err;
	/* RTNL first, as the netdev notifier has it: for the dev's name. */
	rtnl_lock();
	mutex_lock(&hn->lock);
	c = xfrm_hc_nl_check_named(hn, name, info);
	if (!c) {
		err = -ENOENT;
		goto out;
	}
	/* Under hn->lock only the notifier changes c->dev: it cannot now. */
	spin_lock_bh(&c->lock);
	conf = c->conf;
	dev = c->dev;
	if (dev)
		dev_hold(dev);
	spin_unlock_bh(&c->lock);
	err = xfrm_hc_nl_check_conf(hn->net, tb, &conf, &dev, info->extack) ?:
	      xfrm_hc_nl_check_failover_free(hn, c, &conf, dev, info->extack);
	if (err) {
		if (dev)
			dev_put(dev);
		goto out;
	}
	xfrm_hc_check_set(c, &conf, dev);
out:
	mutex_unlock(&hn->lock);
	rtnl_unlock();
	return err;
}

/**
 * xfrm_hc_nl_check_del() - XFRM_HC_CMD_CHECK_DEL
 * @skb: the request
 * @info: its parsed form
 *
 * Return: 0 or a negative errno, explained in extack.
 */
int xfrm_hc_nl_check_del(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct nlattr *tb[XFRM_HC_CHECK_MAX + 1];
	struct xfrm_hc_check *c;
	const char *name;
	int err;

	err = xfrm_hc_nl_check_parse(info, tb, &name);
	if (err)
		return err;
	mutex_lock(&hn->lock);
	c = xfrm_hc_nl_check_named(hn, name, info);
	if (c)
		xfrm_hc_check_del(c);
	mutex_unlock(&hn->lock);
	return c ? 0 : -ENOENT;
}

/**
 * xfrm_hc_nl_check_size() - room a check's attributes need in a message
 *
 * Return: bytes, generous.
 */
size_t xfrm_hc_nl_check_size(void)
{
	return NLMSG_HDRLEN + GENL_HDRLEN + 512;
}

/* A snapshot of what a check reports, taken under its lock. */
struct xfrm_hc_check_report {
	struct xfrm_hc_check_conf conf;
	char ifname[IFNAMSIZ];
	u8 state;
	bool flapping;
	u32 cur_interval_ms;
	u64 sent, answered, lost, skipped, errors, transitions;
	u32 rtt_min, rtt_max, rtt_last;
	u64 rtt_sum;
	ktime_t last_change, last_answer;
};

static void xfrm_hc_check_snapshot(struct xfrm_hc_check *c,
				   struct xfrm_hc_check_report *r)
{
	spin_lock_bh(&c->lock);
	r->conf = c->conf;
	strscpy(r->ifname, c->ifname, sizeof(r->ifname));
	r->state = c->sm.state;
	r->flapping = c->sm.flapping;
	r->cur_interval_ms = xfrm_hc_check_cur_interval(&c->sm,
							c->conf.interval_ms);
	r->sent = c->probes_sent;
	r->answered = c->probes_answered;
	r->lost = c->probes_lost;
	r->skipped = c->probes_skipped;
	r->errors = c->send_errors;
	r->transitions = c->transitions;
	r->rtt_min = c->rtt_min_us;
	r->rtt_max = c->rtt_max_us;
	r->rtt_last = c->rtt_last_us;
	r->rtt_sum = c->rtt_sum_us;
	r->last_change = c->last_change;
	r->last_answer = c->last_answer;
	spin_unlock_bh(&c->lock);
}

static int xfrm_hc_nl_put_u64(struct sk_buff *skb, int type, u64 v)
{
	return nla_put_u64_64bit(skb, type, v, XFRM_HC_CHECK_PAD);
}

static int xfrm_hc_nl_put_check_rtt(struct sk_buff *skb,
				    const struct xfrm_hc_check_report *r)
{
	if (!r->answered)
		return 0;
	return nla_put_u32(skb, XFRM_HC_CHECK_RTT_MIN_US, r->rtt_min) ||
	       nla_put_u32(skb, XFRM_HC_CHECK_RTT_AVG_US,
			   div64_u64(r->rtt_sum, r->answered)) ||
	       nla_put_u32(skb, XFRM_HC_CHECK_RTT_MAX_US, r->rtt_max) ||
	       nla_put_u32(skb, XFRM_HC_CHECK_RTT_LAST_US, r->rtt_last);
}

/**
 * xfrm_hc_nl_put_check() - put a check into a message as XFRM_HC_A_CHECK
 * @skb: the message
 * @c: the check
 * @cmd: the message's command; CHECK_DOWN adds how long detection took
 *
 * Context: any; takes the check's lock.
 * Return: 0, or -EMSGSIZE.
 */
int xfrm_hc_nl_put_check(struct sk_buff *skb, struct xfrm_hc_check *c, u8 cmd)
{
	struct xfrm_hc_check_report r;
	ktime_t now = ktime_get();
	struct nlattr *nest;
	int alen;

	xfrm_hc_check_snapshot(c, &r);
	alen = xfrm_hc_addr_len(r.conf.family);
	nest = nla_nest_start(skb, XFRM_HC_A_CHECK);
	if (!nest)
		return -EMSGSIZE;
	if (nla_put_string(skb, XFRM_HC_CHECK_NAME, c->name) ||
	    nla_put(skb, XFRM_HC_CHECK_SRC, alen, &r.conf.src) ||
	    nla_put(skb, XFRM_HC_CHECK_DST, alen, &r.conf.dst) ||
	    (r.conf.ifindex &&
	     nla_put_u32(skb, XFRM_HC_CHECK_IFINDEX, r.conf.ifindex)) ||
	    (r.ifname[0] &&
	     nla_put_string(skb, XFRM_HC_CHECK_IFNAME, r.ifname)) ||
	    (r.conf.if_id &&
	     nla_put_u32(skb, XFRM_HC_CHECK_IF_ID, r.conf.if_id)) ||
	    nla_put_u32(skb, XFRM_HC_CHECK_INTERVAL_MS, r.conf.interval_ms) ||
	    nla_put_u32(skb, XFRM_HC_CHECK_TIMEOUT_MS, r.conf.timeout_ms) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_MISSES, r.conf.misses) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_UP, r.conf.up) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_MODE, r.conf.mode) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_ACTION, r.conf.action) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_STATE, r.state) ||
	    nla_put_u8(skb, XFRM_HC_CHECK_FLAPPING, r.flapping) ||
	    nla_put_u32(skb, XFRM_HC_CHECK_CUR_INTERVAL_MS,
			r.cur_interval_ms) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_PROBES_SENT, r.sent) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_PROBES_ANSWERED,
			       r.answered) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_PROBES_LOST, r.lost) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_PROBES_SKIPPED,
			       r.skipped) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_SEND_ERRORS, r.errors) ||
	    xfrm_hc_nl_put_check_rtt(skb, &r) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_TRANSITIONS,
			       r.transitions) ||
	    xfrm_hc_nl_put_u64(skb, XFRM_HC_CHECK_LAST_CHANGE_MS,
			       xfrm_hc_ms_since(r.last_change, now)))
		goto err;
	/* Last answer to verdict: in the event, and in dumps while down. */
	if ((cmd == XFRM_HC_CMD_CHECK_DOWN ||
	     r.state == XFRM_HC_CHECK_STATE_DOWN) && r.last_answer &&
	    nla_put_u32(skb, XFRM_HC_CHECK_DETECT_MS,
			xfrm_hc_ms_since(r.last_answer, r.last_change)))
		goto err;
	nla_nest_end(skb, nest);
	return 0;
err:
	nla_nest_cancel(skb, nest);
	return -EMSGSIZE;
}

/**
 * xfrm_hc_nl_check_get() - XFRM_HC_CMD_CHECK_GET for one check
 * @skb: the request
 * @info: its parsed form
 *
 * Return: 0 or a negative errno, explained in extack.
 */
int xfrm_hc_nl_check_get(struct sk_buff *skb, struct genl_info *info)
{
	struct xfrm_hc_net *hn = xfrm_hc_nl_net(info);
	struct nlattr *tb[XFRM_HC_CHECK_MAX + 1];
	struct xfrm_hc_check *c;
	struct sk_buff *msg;
	const char *name;
	void *hdr;
	int err;

	err = xfrm_hc_nl_check_parse(info, tb, &name);
	if (err)
		return err;
	msg = xfrm_hc_nl_reply_new(info, XFRM_HC_CMD_CHECK_GET, &hdr);
	if (!msg)
		return -ENOMEM;
	mutex_lock(&hn->lock);
	c = xfrm_hc_nl_check_named(hn, name, info);
	err = c ? xfrm_hc_nl_put_check(msg, c, XFRM_HC_CMD_CHECK_GET) :
		  -ENOENT;
	mutex_unlock(&hn->lock);
	if (err) {
		nlmsg_free(msg);
		return err;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

/**
 * xfrm_hc_nl_check_dump() - XFRM_HC_CMD_CHECK_GET as a dump of all checks
 * @skb: the dump's buffer
 * @cb: the dump; args[0] is how many checks were sent
 *
 * Return: the buffer's length, 0 when done, or a negative errno.
 */
int xfrm_hc_nl_check_dump(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct xfrm_hc_net *hn = xfrm_hc_net(sock_net(skb->sk));
	struct xfrm_hc_check *c;
	long i = 0;
	void *hdr;

	/* By position: a check added or removed meanwhile flags the dump. */
	mutex_lock(&hn->lock);
	cb->seq = hn->checks_generation;
	list_for_each_entry(c, &hn->checks, node) {
		if (i++ < cb->args[0])
			continue;
		hdr = xfrm_hc_nl_dump_put(skb, cb, XFRM_HC_CMD_CHECK_GET);
		if (!hdr)
			break;
		genl_dump_check_consistent(cb, hdr);
		if (xfrm_hc_nl_put_check(skb, c, XFRM_HC_CMD_CHECK_GET)) {
			genlmsg_cancel(skb, hdr);
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0]++;
	}
	mutex_unlock(&hn->lock);
	return skb->len;
}
