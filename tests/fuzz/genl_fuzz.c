// SPDX-License-Identifier: GPL-2.0
/*
 * The xfrm_hc generic netlink family under random and mutated requests:
 *
 *   genl_fuzz COUNT [SEED]
 *
 * Every command (and now and then any number), as a request or a dump,
 * with random attributes: known and unknown types, right and wrong
 * lengths, nests of the family's attribute sets and nested garbage, up to
 * hundreds of attributes, and byte-flipped or cut copies of earlier
 * messages. Each answer is read. Prints what was accepted and rejected,
 * and each (command, errno) that was rejected without an extack message;
 * exits 1 if one of those came from the family rather than the genl core
 * (which answers a command or dump it has no handler for with EOPNOTSUPP
 * before the family sees it). Run it as root in a namespace of its own.
 */
#include <errno.h>
#include <linux/genetlink.h>
#include <linux/netlink.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/xfrm_hc.h>

#ifndef NETLINK_EXT_ACK
#define NETLINK_EXT_ACK 11
#endif
#ifndef NETLINK_CAP_ACK
#define NETLINK_CAP_ACK 10
#endif

#define HDRS ((int)(NLMSG_HDRLEN + GENL_HDRLEN))
#define BUF_SIZE 65536
#define MSG_MAX 16384

static uint64_t rng_state;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 11);
}

static uint32_t below(uint32_t n)
{
	return n ? rnd() % n : 0;
}

static int sk;
static uint32_t seq;
static uint8_t rbuf[BUF_SIZE];

/* Highest attribute of each nest the family knows, by top-level type. */
static int nest_max(int type)
{
	switch (type) {
	case XFRM_HC_A_STATS: return XFRM_HC_STAT_MAX;
	case XFRM_HC_A_PROFILE: return XFRM_HC_PROFILE_MAX;
	case XFRM_HC_A_RULE: return XFRM_HC_RULE_MAX;
	case XFRM_HC_A_PEER: return XFRM_HC_PEER_MAX;
	case XFRM_HC_A_CHECK: return XFRM_HC_CHECK_MAX;
	default: return 0;
	}
}

/* A value that tends to sit on an edge. */
static void put_value(uint8_t *p, int len)
{
	static const uint32_t edges[] = {
		0, 1, 2, 3, 9, 10, 16, 100, 255, 256, 1000, 3600, 65535,
		3600000, 0x7fffffff, 0x80000000, 0xffffffff,
	};
	uint32_t v = below(3) ? edges[below(sizeof(edges) / sizeof(edges[0]))] : rnd();
	int i;

	for (i = 0; i < len; i++)
		p[i] = i < 4 ? (uint8_t)(v >> (8 * i)) : (uint8_t)rnd();
	if (len > 0 && below(4) == 0) {
		/* A string, NUL-terminated or not. */
		for (i = 0; i < len; i++)
			p[i] = "abcXYZ09_.-/ \xff"[below(14)];
		if (below(2))
			p[len - 1] = 0;
	}
}

static int payload_len(void)
{
	/* Mostly the sizes of real attributes, so more get past the policy. */
	static const int sane[] = { 1, 2, 4, 8, 4, 16 };
	static const int lens[] = { 0, 1, 2, 3, 4, 5, 8, 16, 17, 32, 40 };

	if (below(5) < 3)
		return sane[below(sizeof(sane) / sizeof(sane[0]))];
	return below(8) ? lens[below(sizeof(lens) / sizeof(lens[0]))] : (int)below(300);
}

/* Appends attributes to BUF at *OFF (bounded by END); NEST_MAX > 0 picks
 * types of that set, DEPTH bounds nesting.
 */
static void put_attrs(uint8_t *buf, int *off, int end, int max, int depth)
{
	int n = below(16) ? (int)below(4) : (int)below(400);
	int i;

	for (i = 0; i < n; i++) {
		struct nlattr *a = (struct nlattr *)(buf + *off);
		int start = *off, type, len, inner;

		if (*off + NLA_HDRLEN + 512 > end)
			return;
		type = max && below(10) ? 1 + (int)below(max + 2) : (int)below(0x8000);
		*off += NLA_HDRLEN;
		inner = depth ? nest_max(type) : 0;
		if (!max && inner && below(5)) {
			put_attrs(buf, off, end, inner, depth - 1);
			if (below(4) == 0)
				type |= NLA_F_NESTED;
		} else if (depth && below(12) == 0) {
			/* garbage nest: attributes of no known set */
			put_attrs(buf, off, end, 0, depth - 1);
			type |= NLA_F_NESTED;
		} else if (max && depth && below(8) == 0) {
			/* a nest inside a nest (RULE_PROFILE, PEER_PROFILE) */
			put_attrs(buf, off, end, XFRM_HC_PROFILE_MAX, depth - 1);
		} else {
			len = payload_len();
			put_value(buf + *off, len);
			*off += NLA_ALIGN(len);
			a->nla_len = NLA_HDRLEN + len;
			a->nla_type = type;
			continue;
		}
		a->nla_len = *off - start;
		a->nla_type = type;
	}
}

static const int cmds[] = {
	XFRM_HC_CMD_VERSION_GET, XFRM_HC_CMD_DEFAULTS_GET,
	XFRM_HC_CMD_DEFAULTS_SET, XFRM_HC_CMD_RULE_ADD, XFRM_HC_CMD_RULE_DEL,
	XFRM_HC_CMD_RULE_GET, XFRM_HC_CMD_RULE_FLUSH, XFRM_HC_CMD_PEER_GET,
	XFRM_HC_CMD_CHECK_ADD, XFRM_HC_CMD_CHECK_SET, XFRM_HC_CMD_CHECK_DEL,
	XFRM_HC_CMD_CHECK_GET,
};

static int build(uint8_t *msg, uint16_t family, int *cmd_out, int *dump_out)
{
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	int off = NLMSG_HDRLEN + GENL_HDRLEN;
	int cmd, dump;

	cmd = below(10) ? cmds[below(sizeof(cmds) / sizeof(cmds[0]))] : (int)below(256);
	dump = below(5) == 0;
	nlh->nlmsg_type = family;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | (dump ? NLM_F_DUMP : 0);
	nlh->nlmsg_seq = ++seq;
	nlh->nlmsg_pid = 0;
	g->cmd = cmd;
	g->version = below(10) ? XFRM_HC_GENL_VERSION : below(256);
	g->reserved = 0;
	put_attrs(msg, &off, MSG_MAX, 0, 3);
	nlh->nlmsg_len = off;
	*cmd_out = cmd;
	*dump_out = dump;
	return off;
}

/* Flip, cut or stretch a copy of an earlier message. */
static int mutate(uint8_t *msg, int len)
{
	int i, n = 1 + below(8);
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;

	for (i = 0; i < n && len > HDRS; i++) {
		int at = NLMSG_HDRLEN + below(len - NLMSG_HDRLEN);

		switch (below(3)) {
		case 0: msg[at] ^= 1 << below(8); break;
		case 1: msg[at] = (uint8_t)rnd(); break;
		default: len = at; break;
		}
	}
	nlh->nlmsg_len = len;
	nlh->nlmsg_seq = ++seq;
	return len;
}

struct answer {
	int err;	/* 0: accepted */
	int extack;	/* an extack message came with it */
};

static struct answer talk(const uint8_t *msg, int len)
{
	struct answer ans = { 0, 0 };

	if (send(sk, msg, len, 0) < 0) {
		ans.err = errno;
		ans.extack = -1;	/* the socket refused it: not an answer */
		return ans;
	}
	for (;;) {
		int n = recv(sk, rbuf, sizeof(rbuf), 0);
		struct nlmsghdr *h;

		if (n < 0) {
			ans.err = errno;
			ans.extack = -1;
			return ans;
		}
		for (h = (struct nlmsghdr *)rbuf; NLMSG_OK(h, n); h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_type == NLMSG_DONE)
				return ans;
			if (h->nlmsg_type != NLMSG_ERROR)
				continue;
			struct nlmsgerr *e = NLMSG_DATA(h);

			ans.err = -e->error;
			if (e->error && (h->nlmsg_flags & NLM_F_ACK_TLVS)) {
				/* CAP_ACK: the request is not echoed back. */
				int alen = h->nlmsg_len - NLMSG_HDRLEN - sizeof(*e);
				struct nlattr *a = (struct nlattr *)(e + 1);

				while (alen >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN &&
				       a->nla_len <= alen) {
					if ((a->nla_type & NLA_TYPE_MASK) == NLMSGERR_ATTR_MSG)
						ans.extack = 1;
					alen -= NLA_ALIGN(a->nla_len);
					a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
				}
			}
			return ans;
		}
	}
}

static uint16_t resolve(void)
{
	uint8_t msg[256] = { 0 };
	struct nlmsghdr *nlh = (struct nlmsghdr *)msg;
	struct genlmsghdr *g = NLMSG_DATA(nlh);
	struct nlattr *a = (struct nlattr *)((uint8_t *)g + GENL_HDRLEN);
	int n;

	a->nla_type = CTRL_ATTR_FAMILY_NAME;
	a->nla_len = NLA_HDRLEN + sizeof(XFRM_HC_GENL_NAME);
	memcpy(a + 1, XFRM_HC_GENL_NAME, sizeof(XFRM_HC_GENL_NAME));
	nlh->nlmsg_len = NLMSG_HDRLEN + GENL_HDRLEN + NLA_ALIGN(a->nla_len);
	nlh->nlmsg_type = GENL_ID_CTRL;
	nlh->nlmsg_flags = NLM_F_REQUEST;
	nlh->nlmsg_seq = ++seq;
	g->cmd = CTRL_CMD_GETFAMILY;
	g->version = 1;
	if (send(sk, msg, nlh->nlmsg_len, 0) < 0)
		return 0;
	n = recv(sk, rbuf, sizeof(rbuf), 0);
	nlh = (struct nlmsghdr *)rbuf;
	if (n < 0 || !NLMSG_OK(nlh, n) || nlh->nlmsg_type != GENL_ID_CTRL)
		return 0;
	n = nlh->nlmsg_len - NLMSG_HDRLEN - GENL_HDRLEN;
	a = (struct nlattr *)((uint8_t *)NLMSG_DATA(nlh) + GENL_HDRLEN);
	while (n >= NLA_HDRLEN && a->nla_len >= NLA_HDRLEN) {
		if (a->nla_type == CTRL_ATTR_FAMILY_ID)
			return *(uint16_t *)(a + 1);
		n -= NLA_ALIGN(a->nla_len);
		a = (struct nlattr *)((uint8_t *)a + NLA_ALIGN(a->nla_len));
	}
	return 0;
}

/* Rejections without an extack message, by command (256: no genl header) and errno. */
static unsigned long silent[257][160];

static int known_cmd(int cmd)
{
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (cmds[i] == cmd)
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	static uint8_t msg[MSG_MAX], last[MSG_MAX];
	unsigned long count, i, accepted = 0, rejected = 0, refused = 0, core = 0;
	int one = 1, last_len = 0, bad = 0, cmd, e;
	uint16_t family;

	if (argc < 2) {
		fprintf(stderr, "usage: genl_fuzz COUNT [SEED]\n");
		return 2;
	}
	count = strtoul(argv[1], NULL, 0);
	rng_state = argc > 2 ? strtoull(argv[2], NULL, 0) : 0x9e3779b97f4a7c15ULL;
	if (!rng_state)
		rng_state = 1;
	sk = socket(AF_NETLINK, SOCK_RAW, NETLINK_GENERIC);
	if (sk < 0 || setsockopt(sk, SOL_NETLINK, NETLINK_EXT_ACK, &one, sizeof(one)) ||
	    setsockopt(sk, SOL_NETLINK, NETLINK_CAP_ACK, &one, sizeof(one))) {
		perror("netlink socket");
		return 2;
	}
	family = resolve();
	if (!family) {
		fprintf(stderr, "family %s not found\n", XFRM_HC_GENL_NAME);
		return 2;
	}
	for (i = 0; i < count; i++) {
		struct answer ans;
		int len, dump, slot;

		if (last_len && below(8) == 0) {
			memcpy(msg, last, last_len);
			len = mutate(msg, last_len);
			/* What the kernel reads as the command, if it can. */
			cmd = len >= HDRS ? msg[NLMSG_HDRLEN] : 256;
		} else {
			len = build(msg, family, &cmd, &dump);
			memcpy(last, msg, len);
			last_len = len;
		}
		ans = talk(msg, len);
		if (ans.extack < 0) {
			refused++;	/* e.g. a cut header: the socket said no */
			continue;
		}
		if (!ans.err) {
			accepted++;
			continue;
		}
		rejected++;
		if (!ans.extack) {
			slot = ans.err < 160 ? ans.err : 159;
			silent[cmd][slot]++;
		}
	}
	for (cmd = 0; cmd <= 256; cmd++) {
		for (e = 0; e < 160; e++) {
			if (!silent[cmd][e])
				continue;
			/*
			 * The genl core answers a message too short for its
			 * header (256), an unknown command, and a dump of a
			 * command without one (or the reverse) with EINVAL or
			 * EOPNOTSUPP before the family runs; the family itself
			 * never returns EOPNOTSUPP.
			 */
			if (cmd == 256 || e == EOPNOTSUPP || !known_cmd(cmd)) {
				core += silent[cmd][e];
				continue;
			}
			printf("no extack from xfrm_hc: cmd %d errno %d (%s): %lu\n",
			       cmd, e, strerror(e), silent[cmd][e]);
			bad = 1;
		}
	}
	printf("messages %lu accepted %lu rejected %lu refused-by-socket %lu\n",
	       count, accepted, rejected, refused);
	printf("rejected by the genl core before the family, without extack: %lu\n",
	       core);
	return bad;
}
