#!/usr/bin/python3
"""Script test of vmptrst-analyze against independently computed values.

Every check prints "PASS name" or "FAIL name: why".  Reference values come
from numpy (quantiles: numpy's default "linear", i.e. type 7), math.comb
(the exact binomial order-statistic interval) and scipy.stats.mannwhitneyu
(method="asymptotic").  Missing numpy, scipy or gnuplot is a failure.
"""
import csv
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from testlib import HERE, TOOL, GEN, results, check, run, gen, rows_of, finish  # noqa: E402


try:
    import numpy as np
    import scipy.stats
except ImportError as e:
    check("deps: python3-numpy and python3-scipy", False,
          f"{e} (apt-get install python3-numpy python3-scipy)")
    print("analysis script test cannot run")
    sys.exit(1)
check("deps: gnuplot", shutil.which("gnuplot") is not None,
      "gnuplot not found (apt-get install gnuplot-nox)")


def ci_rank(n):
    """Largest l with P(B <= l-1) <= 0.025, B ~ Bin(n, 1/2); 0 if none."""
    if n < 6:
        return 0
    cdf, l = 0, 0
    for k in range(n):
        p = math.comb(n, k) / 2 ** n
        if cdf + p > 0.025:
            return k
        cdf += p
    return l


def close(a, b, tol=1e-9):
    if a == "" or b is None:
        return a == "" and b is None
    return abs(float(a) - b) <= tol * max(1.0, abs(b))


def ref_stats(x):
    x = np.sort(np.asarray(x, dtype=float))
    n = len(x)
    if n == 0:
        return None
    med = np.quantile(x, 0.5)
    mad = float(np.median(np.abs(x - med)))
    dev = np.abs(x - med)
    out = int(np.sum(dev > 3.5 / 0.6745 * mad)) if mad > 0 else int(np.sum(x != med))
    l = ci_rank(n)
    r = {"n": n, "min": x[0], "max": x[-1], "mean": float(np.mean(x)),
         "stddev": float(np.std(x, ddof=1)) if n > 1 else None, "mad": mad,
         "outliers": out, "median_ci_low": x[l - 1] if l else None,
         "median_ci_high": x[n - l] if l else None}
    for name, q in (("p01", .01), ("p05", .05), ("p25", .25), ("median", .5),
                    ("p75", .75), ("p95", .95), ("p99", .99)):
        r[name] = float(np.quantile(x, q))
    return r


def compare_stats(name, row, ref):
    bad = []
    for k, v in ref.items():
        if k == "n":
            if int(row["n"]) != v:
                bad.append(f"n {row['n']} != {v}")
        elif k == "outliers":
            if int(row[k]) != v:
                bad.append(f"outliers {row[k]} != {v}")
        elif not close(row[k], v):
            bad.append(f"{k} {row[k]!r} != {v!r}")
    return check(name, not bad, "; ".join(bad))


tmp = tempfile.mkdtemp(prefix="analysis-test.")
try:
    A = os.path.join(tmp, "a")
    truth = gen(A)
    rc, out, err = run("summary", A)
    check("summary exits 0", rc == 0, err)
    S = rows_of(os.path.join(A, "summary.csv"))
    by = {(r["point"], r["instruction"], r["metric"]): r for r in S}
    names = {"0": "uniform", "1": "normal", "2": "bimodal", "3": "constant",
             "4": "single", "6": "baseline-only"}
    for pt, t in truth.items():
        insn = t["instruction"]
        if pt in names and insn != "none":
            compare_stats(f"summary {names[pt]}: {insn} tsc vs numpy",
                          by[(pt, insn, "tsc")], ref_stats(t["x"]))
            net = ref_stats(t["net"])
            r = by[(pt, insn, "tsc")]
            ok = close(r["net_per_insn"], net["median"]) and \
                close(r["net_ci_low"], net["median_ci_low"]) and \
                close(r["net_ci_high"], net["median_ci_high"]) and \
                int(r["net_pairs"]) == net["n"]
            check(f"summary {names[pt]}: net per insn and its CI", ok,
                  f"{r['net_per_insn']} [{r['net_ci_low']}, {r['net_ci_high']}] vs "
                  f"{net['median']} [{net['median_ci_low']}, {net['median_ci_high']}]")
        if pt in names:
            compare_stats(f"summary {names[pt]}: baseline tsc vs numpy",
                          by[(pt, "none", "tsc")], ref_stats(t["base"]))
    r = by[("4", "vmptrst", "tsc")]
    check("single sample: empty CI with a reason, empty stddev",
          r["median_ci_low"] == r["median_ci_high"] == r["stddev"] == "" and r["ci_reason"]
          and r["net_ci_low"] == "" and r["net_reason"], str(r))
    r = by[("5", "vmptrst", "tsc")]
    check("empty point: n 0, no numbers, counted mismatches, reason",
          r["n"] == "0" and r["median"] == r["min"] == r["outliers"] == "" and
          r["mismatches"] == "10" and r["ci_reason"] == "no measured samples", str(r))
    check("mismatch rows counted, not used", by[("1", "vmptrst", "tsc")]["mismatches"] == "3")
    check("baseline-only point has no net estimate",
          by[("6", "none", "tsc")]["net_per_insn"] == "" and
          ("6", "vmptrst", "tsc") not in by)
    check("units named", by[("0", "vmptrst", "tsc")]["unit"] == "TSC ticks per window" and
          by[("0", "vmptrst", "tsc")]["net_unit"] == "TSC ticks per instruction")

    # LF line ends and no final newline: same summary
    L = os.path.join(tmp, "lf")
    gen(L, "--lf")
    with open(os.path.join(L, "samples.csv"), "rb+") as f:
        f.seek(-1, 2)
        f.truncate()
    run("summary", L)
    with open(os.path.join(A, "summary.csv")) as f1, open(os.path.join(L, "summary.csv")) as f2:
        check("LF and no final newline: identical summary", f1.read() == f2.read())

    # compare: +80 ticks per window (+10 per instruction) in B
    B = os.path.join(tmp, "b")
    tb = gen(B, "--shift", "80", "--seed", "2", "--microcode", "0xf4")
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "cmp"))
    check("compare exits 0", rc == 0, err)
    check("compare prints the microcode difference first",
          out.split("\n")[2].startswith("meta differs: microcode"), out[:300])
    C = {r["point_a"]: r for r in rows_of(os.path.join(tmp, "cmp", "compare.csv"))}
    for pt in ("0", "1", "3"):
        r = C[pt]
        check(f"shift +10/insn point {pt}: slower, positive difference",
              r["verdict"] == "slower" and float(r["diff"]) > 0, str(r))
    for pt in ("0", "1", "2"):
        r = C[pt]
        a, b = np.sort(truth[pt]["net"]), np.sort(tb[pt]["net"])
        p = scipy.stats.mannwhitneyu(a, b, alternative="two-sided",
                                     method="asymptotic").pvalue
        sa, sb = ref_stats(a), ref_stats(b)
        se = math.hypot((sa["median_ci_high"] - sa["median_ci_low"]) / (2 * 1.959963984540054),
                        (sb["median_ci_high"] - sb["median_ci_low"]) / (2 * 1.959963984540054))
        d = sb["median"] - sa["median"]
        ok = close(r["diff"], d) and close(r["p_mannwhitney"], p, 1e-6) and \
            close(r["diff_ci_low"], d - 1.959963984540054 * se) and \
            close(r["diff_ci_high"], d + 1.959963984540054 * se)
        check(f"compare point {pt}: difference, CI and Mann-Whitney p vs scipy", ok,
              f"{r['diff']} [{r['diff_ci_low']}, {r['diff_ci_high']}] p={r['p_mannwhitney']} "
              f"vs {d} [{d - 1.96 * se}, {d + 1.96 * se}] p={p}")
    check("compare: too few samples gives no verdict and a reason",
          C["4"]["verdict"] == "" and C["4"]["diff_ci_low"] == "" and C["4"]["reason"])
    rc, out, err = run("compare", B, A, "-o", os.path.join(tmp, "cmp-r"))
    C = {r["point_a"]: r for r in rows_of(os.path.join(tmp, "cmp-r", "compare.csv"))}
    check("reverse shift: faster, negative difference",
          C["0"]["verdict"] == "faster" and float(C["0"]["diff"]) < 0, str(C["0"]))
    rc, out, err = run("compare", A, A, "-o", os.path.join(tmp, "cmp-same"))
    C = rows_of(os.path.join(tmp, "cmp-same", "compare.csv"))
    check("identical runs: every verdict same",
          all(r["verdict"] in ("same", "") for r in C) and
          sum(r["verdict"] == "same" for r in C) == 5, str([r["verdict"] for r in C]))
    # a point missing from B is listed, not dropped (matched by axes, not number)
    D = os.path.join(tmp, "d")
    gen(D, "--seed", "3")
    with open(os.path.join(D, "samples.csv"), newline="") as f:
        lines = f.read().split("\r\n")
    keep = [l for l in lines if not l.startswith("0,")]
    keep = [l if l.startswith("point") or not l else "9" + l[1:] if l.startswith("1,") else l
            for l in keep]
    with open(os.path.join(D, "samples.csv"), "w", newline="") as f:
        f.write("\r\n".join(keep))
    rc, out, err = run("compare", A, D, "-o", os.path.join(tmp, "cmp-d"))
    C = rows_of(os.path.join(tmp, "cmp-d", "compare.csv"))
    st = {(r["point_a"], r["point_b"]): r["status"] for r in C}
    check("point only in A listed; renumbered point matched by axes",
          st.get(("0", "")) == "only_a" and st.get(("1", "9")) == "both", str(st))
    cdfs = [f for f in os.listdir(os.path.join(tmp, "cmp", "plots")) if f.endswith(".png")]
    check("compare: overlaid CDF plots", len(cdfs) >= 5, str(cdfs))

    # plots
    rc, out, err = run("plot", A)
    check("plot exits 0", rc == 0, err)
    P = os.path.join(A, "plots")
    pngs = [f for f in os.listdir(P) if f.endswith(".png")]
    svgs = [f for f in os.listdir(P) if f.endswith(".svg")]
    # box-memtype: no point differs from the reference in memtype alone
    want = ["hist-p0-tsc", "cdf-p0-tsc", "box-offset", "box-point-vmptrst",
            "box-point-mov", "heatmap-offset-memtype", "cdf-p6-tsc"]
    check("plot files exist", all(w + ".png" in pngs and w + ".svg" in svgs and
                                  os.path.exists(os.path.join(P, w + ".gp")) for w in want),
          str(sorted(pngs)))
    badpng = []
    for p in pngs:
        with open(os.path.join(P, p), "rb") as f:
            h = f.read(24)
        if h[:8] != b"\x89PNG\r\n\x1a\n" or h[12:16] != b"IHDR" or \
                int.from_bytes(h[16:20], "big") < 100:
            badpng.append(p)
    check("PNGs valid (signature, IHDR, size)", pngs and not badpng, str(badpng))
    badsvg = []
    for s in svgs:
        try:
            root = ET.parse(os.path.join(P, s)).getroot()
            if not root.tag.endswith("svg"):
                badsvg.append(s)
        except ET.ParseError as e:
            badsvg.append(f"{s}: {e}")
    check("SVGs valid XML with an svg root", svgs and not badsvg, str(badsvg))
    nolabel = [g for g in os.listdir(P) if g.endswith(".gp") and g != "all.gp" and
               "emulated — not real timing" not in open(os.path.join(P, g)).read()]
    check("every plot of an emulated run says so", not nolabel, str(nolabel))
    N = os.path.join(tmp, "native")
    gen(N, "--platform", "native")
    run("plot", N)
    gp = open(os.path.join(N, "plots", "hist-p0-tsc.gp")).read()
    check("native run: no emulation stamp, title names CPU and microcode",
          "emulated" not in gp.lower() and "Test CPU" in gp and "0xf0" in gp)

    rc, out, err = run("report", A)
    html = open(os.path.join(A, "report.html")).read()
    ext = [w for w in ("<script src", "<link", "cdn", "@import") if w in html]
    check("report: self-contained, SVG inlined, sortable table",
          rc == 0 and html.count("<svg") == len(svgs) and not ext and
          "sortable" in html and "Emulated run" in html, f"rc={rc} ext={ext} {err}")

    # events, flags, not-measured fields
    E = os.path.join(tmp, "ev")
    os.makedirs(E)
    shutil.copy(os.path.join(A, "meta.csv"), E)
    with open(os.path.join(E, "samples.csv"), "w", newline="") as f:
        f.write("point,instruction,cpu,offset,cache,memtype,page,tlb,vmcs,serialize,unroll,"
                "sample,tsc,check,cycles,flag_smi\r\n")
        for s in range(20):
            cyc = "" if s % 5 == 0 else str(100 + s)
            f.write(f"0,vmptrst,1,0,hot,wb,4k,warm,loaded,lfence,4,{s},{400 + s},ok,{cyc},"
                    f"{1 if s == 7 else 0}\r\n")
            f.write(f"0,none,1,0,hot,wb,4k,warm,loaded,lfence,4,{s},{40},ok,{cyc and 10},0\r\n")
    rc, out, err = run("summary", E)
    S = {(r["instruction"], r["metric"]): r for r in rows_of(os.path.join(E, "summary.csv"))}
    cyc = [100 + s for s in range(20) if s % 5 and s != 7]
    r = S.get(("vmptrst", "cycles"), {})
    check("event column: statistics, empty = not measured, flagged rows excluded",
          rc == 0 and r.get("flagged") == "1" and r.get("missing") == "4" and
          int(r.get("n", -1)) == len(cyc) and close(r["median"], float(np.median(cyc))) and
          r["unit"] == "events per window", f"{err} {r}")
    run("plot", E)
    check("per-event plots", os.path.exists(os.path.join(E, "plots", "hist-p0-cycles.png")))

    # events counted in two passes of one point: each pass paired on its own
    P2 = os.path.join(tmp, "passes")
    os.makedirs(P2)
    shutil.copy(os.path.join(A, "meta.csv"), P2)
    with open(os.path.join(P2, "samples.csv"), "w", newline="") as f:
        f.write("point,instruction,cpu,offset,cache,memtype,page,tlb,ad,vmcs,serialize,unroll,"
                "pass,sample,tsc,check,cycles,uops\r\n")
        for p, (cyc, uops) in enumerate([("110", ""), ("", "7")]):
            for s in range(12):
                f.write(f"0,vmptrst,1,0,hot,wb,4k,warm,set,loaded,lfence,1,{p},{s},{200 + 10 * p},ok,"
                        f"{cyc},{uops}\r\n")
                f.write(f"0,none,1,0,hot,wb,4k,warm,set,loaded,lfence,1,{p},{s},40,ok,"
                        f"{cyc and '10'},{uops and '1'}\r\n")
    rc, out, err = run("summary", P2)
    S = {(r["pass"], r["instruction"], r["metric"]): r
         for r in rows_of(os.path.join(P2, "summary.csv"))} if rc == 0 else {}
    check("two passes of a point: each its own pairs, net per pass",
          rc == 0 and S.get(("0", "vmptrst", "tsc"), {}).get("net_per_insn") == "160" and
          S.get(("1", "vmptrst", "tsc"), {}).get("net_per_insn") == "170" and
          S.get(("0", "vmptrst", "cycles"), {}).get("n") == "12" and
          S.get(("1", "vmptrst", "uops"), {}).get("n") == "12" and
          S.get(("0", "vmptrst", "uops"), {}).get("n") == "0", f"{err} {sorted(S)}")

    # malformed input: file and line on stderr, exit 1
    M = os.path.join(tmp, "bad")
    os.makedirs(M)
    shutil.copy(os.path.join(A, "meta.csv"), M)
    head = "point,instruction,cpu,offset,cache,memtype,page,tlb,vmcs,serialize,unroll,sample,tsc,check\r\n"
    good1 = "0,vmptrst,1,0,hot,wb,4k,warm,loaded,lfence,4,{},400,ok\r\n"
    good = good1.format(0)

    def goods(k):  # k rows, sample 0 .. k-1 (a sample index twice is an error)
        return "".join(good1.format(i) for i in range(k))
    cases = [("bad number", head + goods(3) + "0,vmptrst,1,0,hot,wb,4k,warm,loaded,lfence,4,0,4x0,ok\r\n", 5),
             ("field count", head + good + "0,vmptrst,1,0\r\n", 3),
             ("bad check", head + goods(2) + good1.format(2).replace("ok", "maybe"), 4),
             ("unterminated quote", head + good + "0,\"vmptrst,1\r\n", 3),
             ("axis conflict", head + good + good.replace("lfence", "cpuid"), 3)]
    for name, text, line in cases:
        with open(os.path.join(M, "samples.csv"), "w", newline="") as f:
            f.write(text)
        rc, out, err = run("summary", M)
        want = f"vmptrst-analyze: {M}/samples.csv:{line}: "
        check(f"malformed ({name}): line {line} reported, exit 1",
              rc == 1 and err.startswith(want) and err.count("\n") == 1, f"rc={rc} {err!r}")
    rc, out, err = run("summary", os.path.join(tmp, "nonexistent"))
    check("missing directory: exit 1, one line", rc == 1 and err.count("\n") == 1, err)

    # command line
    for args in ([], ["summary"], ["plot", "a", "b"], ["compare", A], ["frobnicate"],
                 ["compare", A, B, "--threshold"], ["compare", A, B, "--alpha", "2"]):
        rc, out, err = run(*args)
        check(f"usage error {args[:1]}: exit 2", rc == 2 and err.startswith("vmptrst-analyze: ")
              or (rc == 2 and not args), f"rc={rc} {err!r}")
    for c in ("summary", "plot", "report", "compare"):
        rc, out, err = run(c, "--help")
        check(f"{c} --help", rc == 0 and out.startswith("usage: vmptrst-analyze " + c))
finally:
    shutil.rmtree(tmp)

finish("script")
