// SPDX-License-Identifier: GPL-2.0
/* Teardown of a peer's SAs with libnl-xfrm-3, for teardown and daemon. */

#include <stdio.h>
#include <string.h>
#include <linux/xfrm_hc.h>
#include <netlink/netlink.h>
#include <netlink/addr.h>
#include <netlink/xfrm/sa.h>

#include "print.h"
#include "xfrm.h"
#include "common.h"

/* Returns 0, or a negative libnl error. */
static int sa_delete(struct nl_sock *sk, const struct hc_peer *p,
		     const struct hc_sa *s)
{
	const struct hc_addr *dst;
	struct nl_addr *daddr;
	struct xfrmnl_sa *sa;
	int err;

	dst = s->dir == XFRM_HC_DIR_IN ? &p->local : &p->remote;
	sa = xfrmnl_sa_alloc();
	if (!sa)
		return -NLE_NOMEM;
	daddr = nl_addr_build(p->family, dst->b, dst->len);
	if (!daddr) {
		xfrmnl_sa_put(sa);
		return -NLE_NOMEM;
	}
	xfrmnl_sa_set_daddr(sa, daddr);
	nl_addr_put(daddr);
	/* libnl takes the SPI in host order and converts it. */
	xfrmnl_sa_set_spi(sa, s->spi);
	xfrmnl_sa_set_proto(sa, s->proto);
	xfrmnl_sa_set_family(sa, p->family);
	if (s->mark_mask)
		xfrmnl_sa_set_mark(sa, s->mark, s->mark_mask);
	err = xfrmnl_sa_delete(sk, sa, 0);
	xfrmnl_sa_put(sa);
	return err;
}

int hc_xfrm_teardown(const struct hc_peer *p)
{
	struct nl_sock *sk;
	unsigned int i;
	int failed = 0;
	int err;

	sk = nl_socket_alloc();
	if (!sk) {
		hc_err("out of memory");
		return -1;
	}
	err = nl_connect(sk, NETLINK_XFRM);
	if (err) {
		hc_err("cannot open an XFRM netlink socket: %s",
		       nl_geterror(err));
		nl_socket_free(sk);
		return -1;
	}
	for (i = 0; i < p->n_sas; i++) {
		err = sa_delete(sk, p, &p->sas[i]);
		/* ESRCH: expired or deleted by the IKE daemon meanwhile. */
		if (err == -NLE_OBJ_NOTFOUND)
			hc_print_teardown(p, &p->sas[i], "gone", NULL);
		else if (err)
			hc_print_teardown(p, &p->sas[i], "failed",
					  nl_geterror(err));
		else
			hc_print_teardown(p, &p->sas[i], "deleted", NULL);
		if (err && err != -NLE_OBJ_NOTFOUND)
			failed++;
	}
	nl_socket_free(sk);
	return failed;
}
