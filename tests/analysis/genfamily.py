#!/usr/bin/python3
"""A synthetic run of VMPTRST's family, in the driver's format.

genfamily.py DIR [--seed N] [--shift VARIANT=TICKS ...] [--old] [--microcode M]
               [--start-time T]

Writes DIR/meta.csv, DIR/samples.csv (the columns point, instruction,
target, field, type, mode, cpu, ... as vmptrst-bench writes them, the
variants empty where an instruction takes none) and DIR/truth.json: per
point its instruction, variant label, unroll, cost and the sample pairs.
Points, each at unroll 1, 2, 4 and 8 (vmclear current at 1 only), in the
order family.ini measures them: vmptrst (40 ticks per instruction) and mov
(1), then every instruction of the family with every variant it takes
(COSTS below).  A window is round(N(60, 3)) for the baseline and that plus
cost x unroll plus round(N(0, 3)) for the instruction: the headline's slope
is the cost, its pair median at unroll 1 about the cost.  The noise depends
on the seed alone, so two runs with one seed differ only by --shift:
"vmread field=guest-rip=4" adds 4 ticks per instruction to that variant.
--old writes vmptrst and mov alone without the target, field and type
columns: a run from before them.
"""
import sys

import numpy as np
from testlib import gen_args, native_meta, write_run

COSTS = [
    ("vmptrst", "", "", "", 40), ("mov", "", "", "", 1),
    ("vmptrld", "same", "", "", 120), ("vmptrld", "other", "", "", 160),
    ("vmclear", "other", "", "", 300),
    ("vmread", "", "guest-cs-sel", "", 20), ("vmread", "", "exception-bitmap", "", 22),
    ("vmread", "", "guest-debugctl", "", 24), ("vmread", "", "guest-rip", "", 26),
    ("vmread", "", "vm-instruction-error", "", 30),
    ("vmwrite", "", "guest-cs-sel", "", 30), ("vmwrite", "", "exception-bitmap", "", 32),
    ("vmwrite", "", "guest-debugctl", "", 34), ("vmwrite", "", "guest-rip", "", 36),
    ("invvpid", "", "", "address", 200), ("invvpid", "", "", "single", 220),
    ("invvpid", "", "", "all", 240), ("invvpid", "", "", "single-global", 260),
    ("invept", "", "", "single", 400), ("invept", "", "", "global", 450),
    ("vmxon-vmxoff", "", "", "", 2000),
    ("vmclear", "current", "", "", 350),
]
UNROLLS = [1, 2, 4, 8]
N = 400


def label(insn, target, field, typ):
    """"vmread field=guest-rip", as the headline names a row."""
    out = insn
    for k, v in (("target", target), ("field", field), ("type", typ)):
        if v:
            out += f" {k}={v}"
    return out


def main():
    out, seed, old, opt, shift = gen_args(sys.argv[1:])
    rng = np.random.default_rng(seed)
    head = "point,instruction," + ("" if old else "target,field,type,") + \
        "mode,cpu,offset,cache,memtype,page,tlb,ad,vmcs,serialize,unroll,pass,sample,tsc,check"
    rows, truth, pt = [head], {}, 0
    for insn, target, field, typ, cost in COSTS:
        if old and insn not in ("vmptrst", "mov"):
            continue
        name = label(insn, target, field, typ)
        cost += shift.get(name, 0)
        for u in ([1] if name == "vmclear target=current" else UNROLLS):
            base = np.round(rng.normal(60, 3, N))
            x = base + cost * u + np.round(rng.normal(0, 3, N))
            var = "" if old else f"{target},{field},{typ},"
            axes = f"{pt},%s,{var}root,0,0,hot,wb,4k,warm,set,loaded,lfence,{u},0"
            for s in range(N):
                pair = [(insn, x[s]), ("none", base[s])]
                if s % 2:
                    pair.reverse()
                for i, v in pair:
                    rows.append(f"{axes % i},{s},{int(v)},ok")
            truth[str(pt)] = {"instruction": insn, "label": name, "unroll": u, "cost": cost,
                              "x": x.tolist(), "base": base.tolist()}
            pt += 1
    meta = native_meta(opt("--microcode", "0xf0"), opt("--start-time", "2026-12-01T10:00:00Z"))
    write_run(out, rows, meta, truth)


main()
