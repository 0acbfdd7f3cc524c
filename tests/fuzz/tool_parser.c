// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target: the xfrm-hc tool's batch-file reader and, through it,
 * every command's argument parser (the same ones "xfrm-hc OBJECT COMMAND
 * ARGS" runs). The input is a batch file; its first byte also picks plain
 * or JSON output. Netlink is genl_stub.c: nothing leaves the process.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "xfrm-hc.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	FILE *f;

	if (!size)
		return 0;
	memset(&hc_opts, 0, sizeof(hc_opts));
	hc_opts.json = data[0] & 1;
	hc_opts.pretty = data[0] & 2;
	f = fmemopen((void *)data, size, "r");
	if (!f)
		return 0;
	hc_batch_stream(f, "fuzz");
	fclose(f);
	return 0;
}
