/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The echo's wire format, between two hosts running xfrm-hc.
 *
 * An echo travels inside the tunnel as a UDP datagram to port echo_port
 * (4501 by default) from the same port, and its payload is laid out as
 * the Mode 2 message of draft-ietf-ipsecme-encrypted-esp-ping (the ESP
 * Echo Protocol): sub-type, flags, data length, identifier, sequence, an
 * optional return SPI, and data the responder copies back unchanged. The
 * draft carries it as ESP next header 144 (AGGFRAG), which stock 6.1 and
 * 6.12 drop on tunnel-mode input before any hook sees it; on a kernel
 * that passes it, only the carrier changes. docs/echo.md has the details.
 */
#ifndef _XFRM_HC_ECHO_WIRE_H
#define _XFRM_HC_ECHO_WIRE_H

#include <linux/types.h>

#define XFRM_HC_ECHO_PORT_DEFAULT	4501

/* Sub-types: ours until the draft's are assigned. */
enum {
	XFRM_HC_ECHO_REQUEST = 1,
	XFRM_HC_ECHO_RESPONSE = 2,
};

/* Flags: a return SPI follows the sequence number. */
#define XFRM_HC_ECHO_F_RETURN_SPI	0x01

/* What a responder copies back at most: more is not an echo of ours. */
#define XFRM_HC_ECHO_DATA_MAX		256

/**
 * struct xfrm_hc_echo_hdr - the echo message, before its data
 * @sub_type: XFRM_HC_ECHO_REQUEST or XFRM_HC_ECHO_RESPONSE
 * @flags: XFRM_HC_ECHO_F_*; unknown flags are ignored
 * @data_len: bytes of data after the header (and return SPI)
 * @id: the requester's identifier, copied back
 * @seq: the requester's sequence number, copied back
 *
 * xfrm-hc's requests carry a signed struct xfrm_hc_probe_payload as data.
 */
struct xfrm_hc_echo_hdr {
	u8 sub_type;
	u8 flags;
	__be16 data_len;
	__be32 id;
	__be32 seq;
};

#endif /* _XFRM_HC_ECHO_WIRE_H */
