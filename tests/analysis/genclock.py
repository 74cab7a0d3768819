#!/usr/bin/python3
"""genclock.py DIR [--seed S] [--slow PCT] [--slow-rounds K] [--scale F]
[--microcode X] [--start TIME] [--lat INSN=CYCLES] [--no-add]
[--insn INSN[@MODE]=CYCLES]... [--host H] [--model M] [--kernel K]
[--platform P] [--points]: a synthetic `--backend user` run like configs/user.ini on a
host with no cycle counter: add (1 cycle), imul (3) and chase (4) at unroll
16, 64 and 256 and a MOV store at unroll 1, in 10 interleaved rounds of 200
samples per point, read through a TSC that advances in steps of 21 ticks
(random phase) with 1 tick of jitter.  The core clock is 1.675 cycles per tick times
--scale (a run whose calibration differs); --slow PCT slows the add chain
alone by PCT % in --slow-rounds of the 10 rounds (default 3): a busy SMT
sibling moving the calibration during the run.  --lat imul=3.15 sets an
instruction's latency (a real change); --no-add leaves the add chain out (no
calibration: no cycles); --start sets meta.csv's start_time.  --insn
vmptrst=24 adds a family of that instruction (unroll 16, 64, 256) at that
latency, in mode MODE (default root), e.g. vmptrst@guest=300 (headline.csv
has rows of vmptrst, mov, add, imul, chase, cpuid and vmcall).
--host, --model (cpu_model_name), --kernel and --platform set meta.csv's
values (defaults lab1, Synthetic CPU, 6.12.0-test, native); --points writes
points.csv too.  Writes meta.csv and samples.csv."""
import sys

import numpy as np

STEP, ROUNDS, PER = 21, 10, 200
LAT = {"add": 1.0, "imul": 3.0, "chase": 4.0, "mov": 12.0}


def points(args):
    """(point, instruction, unroll, mode): the add chain unless --no-add,
    then each --insn family."""
    chains = ("imul", "chase") if "--no-add" in args else ("add", "imul", "chase")
    fams = [(a, "root") for a in chains]
    fams += [tuple((args[k + 1].split("=")[0] + "@root").split("@")[:2])
             for k, a in enumerate(args) if a == "--insn"]
    return [(i, insn, u, mode) for i, (insn, u, mode) in enumerate(
        [(a, u, m) for a, m in fams for u in (16, 64, 256)] + [("mov", 1, "root")])]


def opt(args, name, default):
    return type(default)(args[args.index(name) + 1]) if name in args else default


def main():
    args = sys.argv[1:]
    out = args[0]
    rng = np.random.default_rng(opt(args, "--seed", 1))
    slow, nslow = opt(args, "--slow", 0.0), opt(args, "--slow-rounds", 3)
    cpt = 1.675 * opt(args, "--scale", 1.0)     # core cycles per TSC tick
    slowed = set(rng.choice(ROUNDS, nslow, replace=False)) if slow else set()
    lat = dict(LAT)
    for k, a in enumerate(args):
        if a in ("--lat", "--insn"):
            insn, v = args[k + 1].split("=")
            lat[insn] = float(v)
    pts = points(args)

    def read(cycles):
        """TSC readings of windows of `cycles` core cycles: stepped, jittered."""
        ticks = cycles / cpt + rng.normal(0, 1, len(cycles))
        t0 = rng.uniform(0, STEP, len(cycles))
        return np.floor((t0 + ticks) / STEP) * STEP - np.floor(t0 / STEP) * STEP

    rows = {p: [] for p, _, _, _ in pts}
    for r in range(ROUNDS):
        for pt, insn, u, mode in pts:
            key = insn if mode == "root" else f"{insn}@{mode}"
            cyc = lat[key] * (1 + slow / 100 if insn == "add" and r in slowed else 1)
            base = read(np.full(PER, 70.0))
            x = read(70.0 + u * cyc + np.zeros(PER))
            for k in range(PER):
                s = r * PER + k
                ax = f"{pt},%s,{mode},0,0,hot,wb,4k,warm,set,loaded,lfence,{u},0,{s}"
                rows[pt].append(f"{ax % 'none'},{int(max(base[k], 0))},ok")
                rows[pt].append(f"{ax % insn},{int(max(x[k], 0))},ok")
    with open(f"{out}/samples.csv", "w") as f:
        f.write("point,instruction,mode,cpu,offset,cache,memtype,page,tlb,ad,vmcs,"
                "serialize,unroll,pass,sample,tsc,check\n")
        for pt, _, _, _ in pts:
            f.write("\n".join(rows[pt]) + "\n")
    if "--points" in args:
        with open(f"{out}/points.csv", "w") as f:
            f.write("point,instruction,unroll,status,reason,records\n")
            f.write("".join(f"{pt},{insn},{u},measured,,{len(rows[pt])}\n" for pt, insn, u, _ in pts))
    with open(f"{out}/meta.csv", "w") as f:
        f.write("key,value\nplatform,%s\nhost,%s\nkernel,%s\n"
                "cpu_model_name,%s\nmicrocode,%s\ntsc_khz,1790843\n"
                "rounds,%d\ntarget_isolated,no\n" % (
                    opt(args, "--platform", "native"), opt(args, "--host", "lab1"),
                    opt(args, "--kernel", "6.12.0-test"), opt(args, "--model", "Synthetic CPU"),
                    opt(args, "--microcode", "0x1"), ROUNDS))
        if "--start" in args:
            f.write("start_time,%s\n" % opt(args, "--start", ""))


main()
