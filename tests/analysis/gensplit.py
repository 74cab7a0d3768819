#!/usr/bin/python3
"""A synthetic mode=guest run with the exit/entry split, in the driver's format.

gensplit.py DIR [--seed N] [--shift VARIANT=TICKS ...] [--old] [--microcode M]
               [--start-time T]

Writes DIR/meta.csv, DIR/samples.csv (the columns vmptrst-bench writes
from ABI 11: ...,tsc,exit_ticks,entry_ticks,check,flag_nmi,flag_smi) and
DIR/truth.json.  Points, each at unroll 1, 2, 4 and 8, in this order:
the add chain (mode root, unroll 16, 64, 256: 1 tick per add, the cycles'
clock), then in mode guest vmcall plain, vmcall field=exception-bitmap,
vmcall field=guest-cs-sel, vmptrst and mov (COSTS: the round trip per
instruction; EXIT and ENTRY the halves' means).  A window is round(N(60,
3)) for the baseline and that plus cost x unroll plus round(N(0, 3)) for
the instruction; a record of an instruction that exits has exit_ticks
round(N(EXIT, 4)) and entry_ticks round(N(ENTRY, 4)), the baseline and mov
rows neither.  At the longest unroll of vmcall field=exception-bitmap,
records are made wrong on purpose (FAIL): three whose halves add up to
more than their window plus a TSC step, one whose exit half is 0, one
whose entry half is empty; and two have neither half (NONE: the driver's
VB_SAMPLE_SPLIT_BAD).  truth.json: per point its label, unroll, cost,
pairs, and the halves that pass the check; per label the records that
fail it and those without a split.  --shift "vmcall field=exception-bitmap=5"
adds 5 ticks to that variant's exit half (the round trip unchanged).
--old writes the same run without the split columns (before ABI 11).
"""
import sys

import numpy as np
from testlib import gen_args, native_meta, write_run

# label, instruction, field, round trip per instruction, exit, entry
COSTS = [
    ("vmcall", "vmcall", "", 1200, 300, 420),
    ("vmcall field=exception-bitmap", "vmcall", "exception-bitmap", 1350, 310, 540),
    ("vmcall field=guest-cs-sel", "vmcall", "guest-cs-sel", 1260, 305, 470),
    ("vmptrst", "vmptrst", "", 1500, 320, 430),
    ("mov", "mov", "", 2, None, None),
]
UNROLLS = [1, 2, 4, 8]
N = 400
FAIL = {"over": [5, 77, 201], "zero": [9], "half": [150]}
NONE = [30, 31]


def main():
    out, seed, old, opt, shift = gen_args(sys.argv[1:])
    rng = np.random.default_rng(seed)
    head = ("point,instruction,target,field,type,mode,cpu,offset,cache,memtype,page,tlb,ad,"
            "vmcs,serialize,unroll,pass,sample,tsc," + ("" if old else "exit_ticks,entry_ticks,") +
            "check,flag_nmi,flag_smi")
    rows, truth, labels, pt = [head], {"points": {}, "labels": {}}, {}, 0

    def emit(axes, s, insn, v, split):
        ex = "" if old else ("%s,%s," % split)
        rows.append(f"{axes % insn},{s},{int(v)},{ex}ok,0,0")

    for u in (16, 64, 256):	# the add chain: 1 tick per add
        base = np.round(rng.normal(60, 3, N))
        x = base + u + np.round(rng.normal(0, 2, N))
        axes = f"{pt},%s,,,,root,0,0,hot,wb,4k,warm,set,loaded,lfence,{u},0"
        for s in range(N):
            for i, v in ([("add", x[s]), ("none", base[s])][::1 if s % 2 == 0 else -1]):
                emit(axes, s, i, v, ("", ""))
        truth["points"][str(pt)] = {"label": "add", "unroll": u, "x": x.tolist(),
                                    "base": base.tolist()}
        pt += 1
    for label, insn, field, cost, exm, enm in COSTS:
        lab = {"exit": [], "entry": [], "failed": 0, "none": 0, "unroll": UNROLLS[-1]}
        labels[label] = lab
        for u in UNROLLS:
            base = np.round(rng.normal(60, 3, N))
            x = base + cost * u + np.round(rng.normal(0, 3, N))
            exits = exm is not None
            if exits:
                xh = np.round(rng.normal(exm + shift.get(label, 0), 4, N))
                nh = np.round(rng.normal(enm, 4, N))
            axes = f"{pt},%s,,{field},,guest,0,0,hot,wb,4k,warm,set,loaded,lfence,{u},0"
            wrong = label == "vmcall field=exception-bitmap" and u == UNROLLS[-1] and not old
            for s in range(N):
                split = ("", "")
                if exits:
                    split = (int(xh[s]), int(nh[s]))
                    if wrong and s in FAIL["over"]:
                        split = (int(xh[s]), int(x[s]) - int(xh[s]) + 2)	# step 1: over
                    elif wrong and s in FAIL["zero"]:
                        split = (0, int(nh[s]))
                    elif wrong and s in FAIL["half"]:
                        split = (int(xh[s]), "")
                    elif wrong and s in NONE:
                        split = ("", "")
                pair = [(insn, x[s], split), ("none", base[s], ("", ""))]
                if s % 2:
                    pair.reverse()
                for i, v, sp in pair:
                    emit(axes, s, i, v, sp)
                if not exits or u != UNROLLS[-1] or old:
                    continue
                if wrong and s in NONE:
                    lab["none"] += 1
                elif wrong and any(s in v for v in FAIL.values()):
                    lab["failed"] += 1
                else:
                    lab["exit"].append(float(split[0]))
                    lab["entry"].append(float(split[1]))
            truth["points"][str(pt)] = {"label": label, "instruction": insn, "unroll": u,
                                        "cost": cost, "x": x.tolist(), "base": base.tolist()}
            pt += 1
    truth["labels"] = labels
    meta = native_meta(opt("--microcode", "0xf0"), opt("--start-time", "2026-12-01T10:00:00Z"))
    meta.append(("target_isolated", "yes"))
    if not old:
        meta.append(("split_bad", str(sum(v["none"] for v in labels.values()))))
    write_run(out, rows, meta, truth)


main()
