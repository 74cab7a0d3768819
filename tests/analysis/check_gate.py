#!/usr/bin/python3
"""compare as a gate: --fail-on, the closing counts, the setup columns, the
warnings (runs differing beyond microcode, emulated runs) and the effect
sizes (ticks, ns, %, each with its CI) against a numpy reference.

Prints "PASS name" / "FAIL name: why", like check.py.
"""
import csv
import math
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from testlib import HERE, TOOL, GEN, results, check, run, rows_of, finish  # noqa: E402

Z = 1.959963984540054


def gen(d, *args, **meta):
    os.makedirs(d)
    subprocess.run([sys.executable, GEN, d, *args], check=True)
    if meta:
        path = os.path.join(d, "meta.csv")
        with open(path, newline="") as f:
            lines = f.read().split("\r\n")[:-1]
        keys = [l.split(",", 1)[0] for l in lines]
        for k, v in meta.items():
            if k in keys:
                lines[keys.index(k)] = f"{k},{v}"
            else:
                lines.append(f"{k},{v}")
        with open(path, "w", newline="") as f:
            f.write("".join(l + "\r\n" for l in lines))
    with open(os.path.join(d, "truth.json")) as f:
        import json
        return json.load(f)


def median_ci(x):
    """Exact order-statistic 95% interval of the median (README)."""
    x = np.sort(np.asarray(x, float))
    n, cdf, l = len(x), 0.0, 0
    for k in range(n):
        p = math.comb(n, k) / 2 ** n
        if cdf + p > 0.025:
            l = k
            break
        cdf += p
    return x[l - 1], x[n - l]


def close(s, v, tol=1e-9):
    return s != "" and abs(float(s) - v) <= tol * max(1.0, abs(v))


tmp = tempfile.mkdtemp(prefix="analysis-gate.")
try:
    A, B, N1, N2, K = (os.path.join(tmp, x) for x in ("a", "b", "n1", "n2", "k"))
    ta = gen(A)
    tb = gen(B, "--shift", "25", "--seed", "2", "--microcode", "0xf4", tsc_khz="2500000")

    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "c1"), "--fail-on", "slower")
    last = out.rstrip("\n").split("\n")[-1]
    check("--fail-on slower, +25 ticks per window: exit 4, says why on one line",
          rc == 4 and err.count("\n") == 1 and "--fail-on slower" in err, f"rc={rc} {err!r}")
    check("closing count line", last == "faster 0, slower 3, same 2, only-A 0, only-B 0", last)
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "c2"), "--fail-on", "faster")
    check("--fail-on faster, B slower: exit 0", rc == 0, f"rc={rc} {err!r}")
    rc, out, err = run("compare", B, A, "-o", os.path.join(tmp, "c3"), "--fail-on", "any")
    check("--fail-on any, B faster: exit 4", rc == 4, f"rc={rc} {err!r}")
    rc, out, err = run("compare", A, A, "-o", os.path.join(tmp, "c4"), "--fail-on", "any")
    last = out.rstrip("\n").split("\n")[-1]
    check("identical runs, --fail-on any: exit 0, all same",
          rc == 0 and last == "faster 0, slower 0, same 5, only-A 0, only-B 0", f"rc={rc} {last}")
    rc, out, err = run("compare", A, B, "--fail-on", "worse")
    check("--fail-on worse: exit 2, one line", rc == 2 and err.count("\n") == 1, err)

    # setup columns, point numbers, effect sizes against numpy
    C = rows_of(os.path.join(tmp, "c1", "compare.csv"))
    head = list(C[0].keys())
    check("compare.csv: point numbers and setup columns, no axes string",
          head[:4] == ["status", "point_a", "point_b", "instruction"] and
          "offset" in head and "memtype" in head and "axes" not in head and
          "point" not in head and "cpu" not in head, str(head))
    by = {r["point_a"]: r for r in C}
    for pt in ("0", "1", "3"):
        r = by[pt]
        a, b = np.asarray(ta[pt]["net"]), np.asarray(tb[pt]["net"])
        ma, mb = float(np.median(a)), float(np.median(b))
        (la, ha), (lb, hb) = median_ci(a), median_ci(b)
        sa, sb = (ha - la) / (2 * Z), (hb - lb) / (2 * Z)
        d = mb - ma
        half = Z * math.hypot(sa, sb)
        ns = mb * 1e6 / 2500000 - ma * 1e6 / 2000000
        nhalf = Z * math.hypot(sa * 1e6 / 2000000, sb * 1e6 / 2500000)
        want = {"diff": d, "diff_ci_low": d - half, "diff_ci_high": d + half,
                "diff_ns": ns, "diff_ns_ci_low": ns - nhalf, "diff_ns_ci_high": ns + nhalf,
                "diff_pct": 100 * d / abs(ma), "diff_pct_ci_low": 100 * (d - half) / abs(ma),
                "diff_pct_ci_high": 100 * (d + half) / abs(ma)}
        bad = [f"{k}={r[k]} want {v}" for k, v in want.items() if not close(r[k], v)]
        check(f"point {pt}: effect in ticks, ns (each run's tsc_khz), % with CIs vs numpy",
              not bad and r["verdict"] == "slower", "; ".join(bad))
    check("a +25-tick shift per window is +3.125 ticks per instruction (unroll 8)",
          close(by["3"]["diff"], 3.125), by["3"]["diff"])
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "c5"))
    vl = [l for l in out.split("\n") if l.startswith("slower ")]
    check("stdout: point numbers and setup values per line",
          vl and vl[0].split()[1:5] == ["0", "0", "vmptrst", "0"], str(vl[:1]))

    # emulated runs: stdout, compare.csv and the plots' titles
    wi = out.find("WARNING: emulated")
    check("emulated runs: warning on stdout above the verdicts",
          0 <= wi < out.find("\nslower "), out[:600])
    check("emulated runs: warning column in compare.csv",
          all("emulated" in r["warning"] for r in C), C[0]["warning"])
    gps = [g for g in os.listdir(os.path.join(tmp, "c5", "plots")) if g.endswith(".gp") and
           g != "all.gp"]
    check("emulated runs: every compare plot's title says so",
          gps and all("EMULATED" in open(os.path.join(tmp, "c5", "plots", g)).read()
                      for g in gps), str(gps))

    # native runs differing in microcode only: no warning at all
    gen(N1, "--platform", "native", governor="performance", turbo="off")
    gen(N2, "--platform", "native", "--seed", "2", "--microcode", "0xf4",
        governor="performance", turbo="off")
    rc, out, err = run("compare", N1, N2, "-o", os.path.join(tmp, "c6"))
    C = rows_of(os.path.join(tmp, "c6", "compare.csv"))
    check("native runs, microcode only: no WARNING, empty warning column",
          rc == 0 and "WARNING" not in out and all(r["warning"] == "" for r in C), out[:400])
    # ... and differing in kernel and governor as well: loud, named, above the verdicts
    gen(K, "--platform", "native", "--seed", "2", "--microcode", "0xf4",
        kernel="6.1.0-test", governor="powersave", turbo="off")
    rc, out, err = run("compare", N1, K, "-o", os.path.join(tmp, "c7"))
    C = rows_of(os.path.join(tmp, "c7", "compare.csv"))
    first = min(out.find("\n" + v) for v in ("slower", "same ", "faster", "-  ") if
                out.find("\n" + v) >= 0)
    block = out[:first]
    check("runs differing beyond microcode: WARNING block names kernel and governor",
          rc == 0 and "WARNING: the runs differ in more than microcode" in block and
          "WARNING:   kernel" in block and "WARNING:   governor" in block and
          "turbo" not in block.split("WARNING: the runs")[1] and "emulated" not in block,
          block)
    check("runs differing beyond microcode: warning column names them",
          all("kernel" in r["warning"] and "governor" in r["warning"] and
              "microcode" in r["warning"] for r in C), C[0]["warning"])
finally:
    shutil.rmtree(tmp)

finish("gate")
