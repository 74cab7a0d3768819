/* SPDX-License-Identifier: GPL-2.0 */
/* Shared by the in-guest checkers (vb_check.c, vb_fuzz.c). */
#ifndef VB_EXPECT_H
#define VB_EXPECT_H

#include <stdint.h>
#include "vmptrst_bench_abi.h"

/*
 * What a record must hold afterwards: the poison (baseline), the expected
 * pointer (vmptrst, mov), or for the reference chains the accumulator: 1 +
 * unroll (add), 1 (imul), the operand's own address (chase: taken from the
 * first chase record, which must sit at the operand's offset in its page).
 */
static inline uint64_t record_want(uint8_t insn, const struct vb_run *r,
			    uint64_t chase_addr)
{
	switch (insn) {
	case VB_INSN_NONE:
		return r->poison;
	case VB_INSN_ADD:
		return 1 + (uint64_t)r->unroll;
	case VB_INSN_IMUL:
		return 1;
	case VB_INSN_CHASE:
		return (chase_addr & 0xfff) == (r->offset & 0xfff) && chase_addr ?
		       chase_addr : ~chase_addr;
	default:
		return r->expected;
	}
}

#endif /* VB_EXPECT_H */
