#!/usr/bin/python3
"""Fixtures for the analysis tests: run directories with known distributions.

gen.py DIR [--shift S] [--seed N] [--lf] [--platform P] [--microcode M] [--guest]
       [--conformance documented|differs|unreachable] [--start-time T]

Writes DIR/meta.csv and DIR/samples.csv in the driver's format (CRLF, or LF
with --lf) and DIR/truth.json: the exact values each point was built from.
Points (every axis but `point` differs between them, so runs match by axes):
  0  uniform   vmptrst vs baseline, offset 0
  1  normal    vmptrst vs baseline, offset 8, with a few mismatch rows
  2  bimodal   mov vs baseline, offset 4092 (page split)
  3  constant  vmptrst vs baseline, offset 64 (identical TSC values)
  4  single    one sample pair, offset 16
  5  empty     every row a mismatch, offset 32
  6  baseline  instruction=none only, offset 128
--shift S adds S TSC ticks to every instruction window (not to baselines).
--guest adds the `mode` column after `instruction` (the points above
mode=root) and mode=guest points at point 0's setup, which differ from
root points in mode (or instruction) alone:
  7  vmptrst   uniform 2000..2400, offset 0 (point 0's setup in a guest)
  8  cpuid     normal 1500, offset 0
  9  vmcall    normal 1200, offset 0
  10 mov       normal 450, offset 0 (the guest's no-exit control)
Without it, the file is a run from before the mode axis (no mode column).
--conformance KIND writes DIR/conformance.csv (conformfix.py); without it
the run is one from before ABI 9 (no file).  --start-time T: meta.csv's
start_time (none without it).
"""
import json
import sys

import numpy as np

import conformfix

AXES = "point,instruction,cpu,offset,cache,memtype,page,tlb,vmcs,serialize,unroll"
HEADER = AXES + ",sample,tsc,check"
UNROLL = 8


def points(rng, shift):
    n = 2000
    base = np.round(rng.normal(60, 3, n))
    yield 0, "vmptrst", 0, "wb", np.round(rng.uniform(400, 600, n)) + shift, base, []
    base = np.round(rng.normal(60, 3, 3000))
    yield 1, "vmptrst", 8, "uc", np.round(rng.normal(800, 40, 3000)) + shift, base, [5, 17, 2999]
    half = n // 2
    bim = np.concatenate([rng.normal(300, 10, half), rng.normal(700, 10, n - half)])
    rng.shuffle(bim)
    yield 2, "mov", 4092, "wb", np.round(bim) + shift, np.round(rng.normal(60, 3, n)), []
    yield 3, "vmptrst", 64, "wb", np.full(500, 480.0) + shift, np.full(500, 60.0), []
    yield 4, "vmptrst", 16, "wb", np.array([500.0]) + shift, np.array([60.0]), []
    yield 5, "vmptrst", 32, "wb", np.full(10, 500.0) + shift, np.full(10, 60.0), list(range(10))
    yield 6, "none", 128, "wb", None, np.round(rng.normal(60, 3, 1000)), []


def guest_points(rng, shift):
    n = 1500
    base = lambda: np.round(rng.normal(60, 3, n))
    yield 7, "vmptrst", 0, "wb", np.round(rng.uniform(2000, 2400, n)) + shift, base(), []
    yield 8, "cpuid", 0, "wb", np.round(rng.normal(1500, 30, n)) + shift, base(), []
    yield 9, "vmcall", 0, "wb", np.round(rng.normal(1200, 30, n)) + shift, base(), []
    yield 10, "mov", 0, "wb", np.round(rng.normal(450, 10, n)) + shift, base(), []


def main():
    args = sys.argv[1:]
    out = args[0]
    shift = float(args[args.index("--shift") + 1]) if "--shift" in args else 0.0
    seed = int(args[args.index("--seed") + 1]) if "--seed" in args else 1
    platform = args[args.index("--platform") + 1] if "--platform" in args else "bochs"
    microcode = args[args.index("--microcode") + 1] if "--microcode" in args else "0xf0"
    eol = "\n" if "--lf" in args else "\r\n"
    guest = "--guest" in args
    rng = np.random.default_rng(seed)
    truth = {}
    rows = [HEADER.replace("instruction,", "instruction,mode,") if guest else HEADER]
    pts = list(points(rng, shift)) + (list(guest_points(rng, shift)) if guest else [])
    for pt, insn, off, mt, x, base, bad in pts:
        mode = ("guest," if pt >= 7 else "root,") if guest else ""
        axes = lambda i: f"{pt},{i},{mode}2,{off},hot,{mt},4k,warm,loaded,lfence,{UNROLL}"
        keep_x, keep_b, net = [], [], []
        for s in range(len(base)):
            pair = [("none", base[s])] if x is None else [(insn, x[s]), ("none", base[s])]
            if s % 2:
                pair.reverse()
            for i, v in pair:
                chk = "mismatch" if (s in bad and i != "none") else "ok"
                rows.append(f"{axes(i)},{s},{int(v)},{chk}")
            if x is not None and s not in bad:
                keep_x.append(x[s])
                net.append((x[s] - base[s]) / UNROLL)
            keep_b.append(base[s])
        truth[str(pt)] = {"instruction": insn, "x": keep_x, "base": keep_b, "net": net,
                          "mismatches": len(bad) if x is not None else 0,
                          "mode": "guest" if pt >= 7 else "root"}
    with open(f"{out}/samples.csv", "w", newline="") as f:
        f.write(eol.join(rows) + eol)
    meta = [("key", "value"), ("tool", "vmptrst-bench"), ("platform", platform),
            ("timing_note", "emulated: timings are not real" if platform in ("bochs", "qemu")
             else "native"),
            ("host", "lab1"), ("kernel", "6.12.0-test"),
            ("cpu_model_name", "Test CPU, \"quoted\" model"), ("microcode", microcode),
            ("tsc_khz", "2000000"), ("tool_commit", "abc123")]
    if "--start-time" in args:
        meta.append(("start_time", args[args.index("--start-time") + 1]))
    with open(f"{out}/meta.csv", "w", newline="") as f:
        for k, v in meta:
            v = '"' + v.replace('"', '""') + '"' if ("," in v or '"' in v) else v
            f.write(f"{k},{v}{eol}")
    if "--conformance" in args:
        conformfix.write(out, args[args.index("--conformance") + 1])
    with open(f"{out}/truth.json", "w") as f:
        json.dump(truth, f)


main()
