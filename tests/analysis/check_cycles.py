#!/usr/bin/python3
"""Cycles from the add chain with an honest interval (analysis/cycles.c), on
synthetic runs by genclock.py (a TSC stepping by 21 ticks, jittered; imul 3
cycles, chase 4):
- a clean run keeps a tight interval (within ±1.5 %: ten rounds of 200
  samples on a 21-tick TSC, the per-round calibration itself varies by
  about 0.7 %) that holds the truth, narrower than the slowed run's;
- the add chain slowed by 3 % in 3 of 10 rounds: the interval widens, holds
  the truth, and headline.csv and the report say in words that the core
  clock moved;
- compare of two identical-setup runs whose calibrations differ by 2 % (the
  core clock, or the add chain slowed in half of B's rounds) says `same` in
  cycles.
No timing of this machine is asserted.  Prints "PASS name" / "FAIL name: why"."""
import os
import shutil
import subprocess
import sys
import tempfile

from testlib import HERE, check, run, rows_of, finish

GENC = os.path.join(HERE, "genclock.py")
TRUTH = {"imul": 3.0, "chase": 4.0}
SEEDS = range(1, 6)


def synth(d, *args):
    os.makedirs(d)
    subprocess.run([sys.executable, GENC, d, *args], check=True)
    rc, out, err = run("summary", d)
    assert rc == 0, err
    return {r["instruction"]: r for r in rows_of(os.path.join(d, "headline.csv"))}


def cyc(r):
    return float(r["cycles_per_insn"]), float(r["cycles_ci_low"]), float(r["cycles_ci_high"])


tmp = tempfile.mkdtemp(prefix="analysis-cycles.")
try:
    for s in SEEDS:
        clean = synth(f"{tmp}/clean{s}", "--seed", str(s))
        slow = synth(f"{tmp}/slow{s}", "--seed", str(s), "--slow", "3")
        for insn, t in TRUTH.items():
            v, lo, hi = cyc(clean[insn])
            check(f"clean seed {s}: {insn} {v:.3f} [{lo:.3f}, {hi:.3f}] holds {t:g}", lo <= t <= hi)
            check(f"clean seed {s}: {insn} interval within ±1.5 %", (hi - lo) / 2 / v <= 0.015,
                  f"±{100 * (hi - lo) / 2 / v:.2f} %")
            sv, slo, shi = cyc(slow[insn])
            check(f"slowed seed {s}: {insn} {sv:.3f} [{slo:.3f}, {shi:.3f}] holds {t:g}",
                  slo <= t <= shi)
            check(f"slowed seed {s}: {insn} interval wider than the clean run's",
                  shi - slo > hi - lo, f"{shi - slo:.4f} vs {hi - lo:.4f}")
            check(f"slowed seed {s}: {insn} reason says the core clock moved, with the fix",
                  "the core clock moved by" in slow[insn]["reason"]
                  and "APERF/MPERF" in slow[insn]["reason"], slow[insn]["reason"])
    # the report's conditions box and estimator cell
    rc, out, err = run("report", f"{tmp}/slow1")
    html = open(f"{tmp}/slow1/report.html").read()
    check("report of the slowed run: conditions box says the core clock moved",
          rc == 0 and "cycles: the core clock moved by" in html, err)
    check("report of the slowed run: the estimator cell says the cycles column is ±",
          "the cycles column is \u00b1" in html)
    rc, out, err = run("report", f"{tmp}/clean2")
    html = open(f"{tmp}/clean2/report.html").read()
    check("report of a clean run within ±1 % (seed 2): no clock words",
          "the core clock moved" not in html)
    # compare: calibrations 2 % apart, the same instructions
    for name, args in (("core clock 2 % faster in B", ["--scale", "1.02"]),
                       ("B's add chain 2 % slower in 5 of 10 rounds",
                        ["--slow", "2", "--slow-rounds", "5"])):
        a, b = f"{tmp}/cmp-a-{len(args)}", f"{tmp}/cmp-b-{len(args)}"
        synth(a, "--seed", "21")
        synth(b, "--seed", "22", "--microcode", "0x2", *args)
        rc, out, err = run("compare", a, b, "-o", f"{tmp}/cmp-{len(args)}")
        rows = {r["setup"].split()[0]: r for r in rows_of(f"{tmp}/cmp-{len(args)}/compare-cycles.csv")}
        for insn in TRUTH:
            r = rows.get("instruction=" + insn, {})
            check(f"compare, {name}: {insn} in cycles is same", rc == 0 and r.get("verdict") == "same",
                  f"rc {rc} {r} {err}")
        check(f"compare, {name}: stdout counts the cycles verdicts",
              "cycles per instruction (compare-cycles.csv" in out and "slower 0" in out.split("cycles per instruction")[1], out[-400:])
finally:
    shutil.rmtree(tmp)
finish("check_cycles")
