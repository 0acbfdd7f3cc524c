/* SPDX-License-Identifier: GPL-2.0 */
/* Output in text or JSON (-j), pretty with -p. */
#ifndef XFRM_HC_TOOL_PRINT_H
#define XFRM_HC_TOOL_PRINT_H

#include <stdint.h>

/*
 * A small streaming JSON writer. KEY is NULL inside arrays and at the top.
 * Objects and arrays nest up to 16 deep.
 */
void json_open(const char *key, char bracket);	/* '{' or '[' */
void json_close(void);
void json_str(const char *key, const char *val);
void json_u64(const char *key, uint64_t val);
/* Ends the current top-level value with a newline and flushes it. */
void json_end(void);

#endif
