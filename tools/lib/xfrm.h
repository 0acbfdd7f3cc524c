/* SPDX-License-Identifier: GPL-2.0 */
/* Deleting a peer's SAs through XFRM netlink (libnl-xfrm-3). */
#ifndef XFRM_HC_TOOL_XFRM_H
#define XFRM_HC_TOOL_XFRM_H

#include "attrs.h"

/*
 * Deletes each SA of P (its destination is P's remote for an outbound SA,
 * P's local for an inbound one) and prints a line for each: deleted,
 * already gone, or failed. Returns the number that failed, or -1 when
 * XFRM netlink could not be opened.
 */
int hc_xfrm_teardown(const struct hc_peer *p);

#endif
