#!/usr/bin/python3
"""What the plots and headline.csv show, on a synthetic run with known points.

Plots: every axis plot (box-AXIS.dat) and the offset x memtype heatmap hold
exactly the vmptrst points that differ from the sweep's reference setup in
that axis (those two axes) alone, plus one reference point; cells with no
such point say "not measured"; box-point is one plot per instruction.
headline.csv: the slope over unroll recovers the known per-instruction cost
from a TSC that steps in 7-tick units, the add chain calibrates cycles, the
MOV control and the ratio sit next to vmptrst; a single unroll falls back to
the per-pair median; without a core clock, cycles are empty with a reason.
Prints "PASS name" / "FAIL name: why", like check.py.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np
from testlib import HERE, TOOL, results, check, run  # noqa: E402


AXES = ["point", "instruction", "cpu", "offset", "cache", "memtype", "page",
        "tlb", "vmcs", "serialize", "unroll"]
REF = {"cpu": "0", "offset": "0", "cache": "hot", "memtype": "wb", "page": "4k",
       "tlb": "warm", "vmcs": "loaded", "serialize": "lfence", "unroll": "1"}
Q = 7			# the TSC's step, ticks
COST = {"vmptrst": 23.3, "mov": 4.1, "add": 0.5}	# ticks per instruction
TSC_KHZ = 2000000
# point: instruction and the axes it changes from the reference
POINTS = [
    ("vmptrst", {}),                                  # 0 reference
    ("vmptrst", {"offset": "8"}),                     # 1
    ("vmptrst", {"offset": "60"}),                    # 2
    ("vmptrst", {"memtype": "wc"}),                   # 3
    ("vmptrst", {"memtype": "uc-"}),                  # 4
    ("vmptrst", {"cache": "flushed"}),                # 5
    ("vmptrst", {"offset": "60", "memtype": "wc"}),   # 6 two axes: heatmap only
    ("mov", {}),                                      # 7 another instruction
    ("vmptrst", {}),                                  # 8 the reference again
    ("vmptrst", {"unroll": "4"}),                     # 9
    ("vmptrst", {"unroll": "16"}),                    # 10
    ("vmptrst", {"page": "2m", "cache": "flushed"}),  # 11 two axes: nowhere
    ("add", {"unroll": "16"}),                        # 12
    ("add", {"unroll": "64"}),                        # 13
    ("add", {"unroll": "256"}),                       # 14
    ("mov", {"unroll": "4"}),                         # 15
    ("mov", {"unroll": "16"}),                        # 16
]


# points.csv's section of each point, in config order; point 17 skipped
SECTIONS = ["ref", "offsets", "offsets", "memtype", "memtype", "cache", "grid",
            "mov", "again", "unroll", "unroll", "odd", "refs", "refs", "refs",
            "movu", "movu"]
SKIP_REASON = "memory type wt not available to the module"


def write_points(d):
    """points.csv as the driver writes it, with a section column."""
    cols = ["point", "instruction"] + AXES[2:] + ["samples", "status", "reason",
                                                  "records", "section"]
    rows = [",".join(cols)]
    for p, (insn, ch) in enumerate(POINTS):
        ax = dict(REF, **ch)
        rows.append(",".join([str(p), insn] + [ax[a] for a in AXES[2:]] +
                             ["1500", "measured", "", "3000", SECTIONS[p]]))
    ax = dict(REF, memtype="wt")
    rows.append(",".join(["17", "vmptrst"] + [ax[a] for a in AXES[2:]] +
                         ["1500", "skipped", SKIP_REASON, "0", "memtype"]))
    with open(os.path.join(d, "points.csv"), "w") as f:
        f.write("\r\n".join(rows) + "\r\n")


def make_run(d, skip=(), platform="native", shift=None):
    rng = np.random.default_rng(7)
    os.makedirs(d, exist_ok=True)
    rows = [",".join(AXES + ["sample", "tsc", "check"])]
    for p, (insn, ch) in enumerate(POINTS):
        if p in skip:
            continue
        ax = dict(REF, **ch)
        u = int(ax["unroll"])
        for s in range(1500):
            # a TSC that steps every Q ticks, read at a random phase
            base = Q * np.floor((40 + rng.normal(0, 1) + rng.uniform(0, Q)) / Q)
            x = Q * np.floor((40 + COST[insn] * u + (shift or {}).get(p, 0) + rng.normal(0, 1) +
                              rng.uniform(0, Q)) / Q)
            for i, v in ((insn, x), ("none", base)):
                vals = [str(p), i] + [ax[a] for a in AXES[2:]]
                rows.append(",".join(vals + [str(s), str(int(v)), "ok"]))
    with open(os.path.join(d, "samples.csv"), "w") as f:
        f.write("\r\n".join(rows) + "\r\n")
    with open(os.path.join(d, "meta.csv"), "w") as f:
        f.write(f"key,value\r\ntool,vmptrst-bench\r\nplatform,{platform}\r\n"
                f"tsc_khz,{TSC_KHZ}\r\ncpu_model_name,Test CPU\r\nmicrocode,0x1\r\n")


def dat_points(path, col=7):
    """Point ids (field col, quoted) of a .dat file's data rows."""
    out = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            fields = [x.strip('"') for x in
                      __import__("shlex").split(line)]
            out.append(fields[col])
    return out


def differs(p):
    return set(POINTS[p][1])


def main():
    tmp = tempfile.mkdtemp(prefix="vb-views-")
    try:
        A = os.path.join(tmp, "a")
        make_run(A)
        rc, out, err = run("summary", A)
        check("views: summary exits 0", rc == 0, err)
        rc, out, err = run("plot", A)
        check("views: plot exits 0", rc == 0, err)
        P = os.path.join(A, "plots")
        vm = [p for p, (i, _) in enumerate(POINTS) if i == "vmptrst"]
        for axis, ref in (("offset", 0), ("memtype", 0), ("cache", 8), ("unroll", 8)):
            want = sorted([p for p in vm if differs(p) == {axis}] + [ref])
            path = os.path.join(P, f"box-{axis}.dat")
            got = sorted(int(x) for x in dat_points(path)) if os.path.exists(path) else None
            check(f"views: box-{axis}.dat holds exactly the points differing in {axis} alone, and the nearest reference",
                  got == want, f"got {got}, want {want}")
        for axis in ("page",):
            check(f"views: no box-{axis} (no point differs in {axis} alone)",
                  not os.path.exists(os.path.join(P, f"box-{axis}.dat")))
        path = os.path.join(P, "heatmap-offset-memtype.dat")
        got = dat_points(path, 5) if os.path.exists(path) else []
        want = sorted([p for p in vm if differs(p) and differs(p) <= {"offset", "memtype"}] + [0])
        check("views: heatmap holds exactly the points differing in offset and memtype alone",
              sorted(int(x) for x in got if x != "-") == want, f"got {got}, want {want}")
        check("views: heatmap's 3 empty cells of 3 x 3 are marked not measured",
              len(got) == 9 and got.count("-") == 3, str(got))
        with open(os.path.join(P, "heatmap-offset-memtype.gp")) as f:
            check("views: heatmap labels empty cells 'not measured'", "not measured" in f.read())
        boxes = {i: dat_points(os.path.join(P, f"box-point-{i}.dat"))
                 for i in ("vmptrst", "mov", "add")
                 if os.path.exists(os.path.join(P, f"box-point-{i}.dat"))}
        check("views: box-point is one plot per instruction, each holding only its points",
              {i: sorted(map(int, v)) for i, v in boxes.items()} ==
              {i: [p for p, (j, _) in enumerate(POINTS) if j == i] for i in ("vmptrst", "mov", "add")},
              str(boxes))
        with open(os.path.join(P, "box-point-vmptrst.dat")) as f:
            labels = [__import__("shlex").split(l)[6] for l in f if not l.startswith("#")]
        check("views: box-point labels name the setup", "memtype=wc" in labels and
              "offset=60 memtype=wc" in labels and "reference p0" in labels, str(labels))

        path = os.path.join(P, "unroll-vmptrst.dat")
        got = sorted(int(x) for x in dat_points(path, 8)) if os.path.exists(path) else None
        check("views: unroll-vmptrst.dat holds the reference family (points 0 8 9 10)",
              got == [0, 8, 9, 10], str(got))
        with open(os.path.join(P, "unroll-vmptrst.gp")) as f:
            m = __import__("re").search(r"^slope = (\S+)$", f.read(), __import__("re").M)
        unroll_slope = float(m.group(1)) if m else None
        check("views: unroll plot's least-squares slope within 1% of 23.3",
              m and abs(unroll_slope - 23.3) < 0.233, m and m.group(1))
        unrolls = sorted(f for f in os.listdir(P) if f.startswith("unroll-") and f.endswith(".dat"))
        check("views: unroll plots only for families of two or more unrolls",
              unrolls == ["unroll-add.dat", "unroll-mov.dat", "unroll-vmptrst.dat"], str(unrolls))
        check("views: per-point histogram and CDF of the per-pair net value",
              all(os.path.exists(os.path.join(P, f"{k}-net-p1.png")) for k in ("hist", "cdf")))

        # headline.csv
        H = os.path.join(A, "headline.csv")
        rows = list(csv.DictReader(open(H))) if os.path.exists(H) else []
        check("views: summary writes headline.csv", rows, "missing or empty")

        def row(insn, **ax):
            for r in rows:
                if r["instruction"] == insn and all(r[k] == v for k, v in ax.items()):
                    return r
            return None
        v = row("vmptrst", offset="0", memtype="wb", cache="hot", page="4k")
        m = row("mov", offset="0")
        a = row("add")
        ok = v is not None and m is not None and a is not None
        check("views: headline rows for vmptrst, mov and add at the reference", ok, str(rows[:3]))
        if ok:
            t, lo, hi = (float(v[k]) for k in ("ticks_per_insn", "ci_low", "ci_high"))
            check("views: headline vmptrst is a slope over unroll 1 4 16 from points 0 8 9 10",
                  v["method"] == "slope" and v["unroll"] == "1 4 16" and
                  v["points"].split() == ["0", "8", "9", "10"], str(v))
            check("views: slope within 1% of the true 23.3 ticks, CI covers it",
                  abs(t - 23.3) < 0.233 and lo <= 23.3 <= hi and hi - lo < 1, f"{t} [{lo}, {hi}]")
            check("views: ns = ticks / (tsc_khz / 1e6)",
                  abs(float(v["ns_per_insn"]) - t / (TSC_KHZ / 1e6)) < 1e-9, v["ns_per_insn"])
            check("views: unroll-vmptrst plot's slope is the headline's",
                  unroll_slope is not None and abs(unroll_slope - t) < 1e-9 * t,
                  f"plot {unroll_slope}, headline {t}")
            ta = float(a["ticks_per_insn"])
            check("views: add slope within 1% of 0.5 ticks", abs(ta - 0.5) < 0.005, str(ta))
            check("views: cycles from the add chain, within 1.5% of 46.6",
                  v["cycles_source"].startswith("add") and
                  abs(float(v["cycles_per_insn"]) - 46.6) < 0.7 and
                  abs(float(v["cycles_per_insn"]) - t / ta) < 1e-9, str(v))
            check("views: cycles from the add chain on a CPU not known isolated: the reason says so",
                  "not isolated" in v["reason"], v["reason"])
            with open(os.path.join(A, "meta.csv"), "a") as f:
                f.write("target_isolated,yes\r\n")
            rc2, _, err2 = run("summary", A)
            iso = [r for r in csv.DictReader(open(H)) if r["instruction"] == "vmptrst" and
                   r["method"] == "slope"]
            check("views: ... and on an isolated one it does not",
                  rc2 == 0 and iso and "not isolated" not in iso[0]["reason"], err2 + str(iso[:1]))
            check("views: MOV control and ratio next to vmptrst",
                  v["control"] == "mov" and
                  abs(float(v["control_ticks_per_insn"]) - 4.1) < 0.1 and
                  abs(float(v["ratio_to_control"]) - t / float(m["ticks_per_insn"])) < 1e-9, str(v))
            check("views: mov row carries no control of its own",
                  m["control"] == "" and m["control_ticks_per_insn"] == "" and
                  m["ratio_to_control"] == "", str(m))
        p1 = row("vmptrst", offset="8")
        check("views: a single unroll falls back to the per-pair median",
              p1 is not None and p1["method"] == "pair-median" and
              p1["ticks_per_insn"] == p1["pair_median_ticks"], str(p1))
        check("views: one headline row per setup (17 points -> 10 rows)", len(rows) == 10,
              str(len(rows)))
        check("views: vmptrst rows first, then mov, then add",
              [r["instruction"] for r in rows] == ["vmptrst"] * 8 + ["mov", "add"],
              str([r["instruction"] for r in rows]))

        B = os.path.join(tmp, "b")
        make_run(B, skip=(12, 13, 14))
        rc, out, err = run("summary", B)
        rows = list(csv.DictReader(open(os.path.join(B, "headline.csv")))) if rc == 0 else []
        with open(os.path.join(B, "headline.csv"), newline="") as f:
            widths = {len(r) for r in csv.reader(f)}
        check("views: headline.csv rows have the header's width (reasons quoted)",
              len(widths) == 1, str(widths))
        check("views: without a core clock, cycles are empty and the reason says so",
              rows and all(r["cycles_per_insn"] == "" and "core clock unknown" in r["reason"]
                           for r in rows), err or str(rows[:1]))
        # the report, organised per section of points.csv
        write_points(A)
        rc, out, err = run("report", A)
        check("views: report exits 0 with points.csv", rc == 0, err)
        with open(os.path.join(A, "report.html")) as f:
            page = f.read()
        parts = __import__("re").split(r"<h3>", page)
        where = {}
        for part in parts[1:]:
            name = part.split("]", 1)[0].lstrip("[") if part.startswith("[") else "(none)"
            for fig in __import__("re").findall(r"<figcaption>([^<]+)\.svg</figcaption>", part):
                where[fig] = name
        want = {"box-offset": "offsets", "heatmap-offset-memtype": "offsets",
                "box-memtype": "memtype", "box-cache": "cache", "box-unroll": "unroll",
                "unroll-vmptrst": "unroll", "unroll-add": "refs"}
        check("views: report places each plot under the section that varies its axis",
              all(where.get(k) == v for k, v in want.items()),
              str({k: where.get(k) for k in want}))
        order = [p.split("]", 1)[0].lstrip("[") for p in parts[1:] if p.startswith("[")]
        check("views: report's sections in the order configured",
              order == list(dict.fromkeys(SECTIONS)), str(order))
        check("views: report lists the skipped point with its reason",
              SKIP_REASON in page and "<td>17</td>" in page)
        check("views: the headline comes before the first section",
              0 < page.find('id="headline"') < page.find("<h3>"))

        # drift: the reference measured at points 0 and 8
        def drift_rows(html):
            t = html.split('id="drift"', 1)[1].split("</table>", 1)[0] if 'id="drift"' in html else ""
            return [r for r in t.split("<tr>")[1:] if "<td>" in r]
        dr = drift_rows(page)
        check("views: drift lists the one repeated setup, vmptrst at points 0 (ref) and 8 (again)",
              len(dr) == 1 and "point 0 (ref)" in dr[0] and "point 8 (again)" in dr[0], str(dr))
        check("views: drift of two equal measurements: CIs overlap",
              len(dr) == 1 and "CIs overlap" in dr[0], str(dr))
        B = os.path.join(tmp, "b")
        make_run(B, skip=(17,), shift={8: 10})
        shutil.copy(os.path.join(A, "points.csv"), os.path.join(B, "points.csv"))
        rc, out, err = run("report", B)
        with open(os.path.join(B, "report.html")) as f:
            dr = drift_rows(f.read())
        m = __import__("re").search(r"<td>([0-9.]+) &ndash; ([0-9.]+)", dr[0]) if len(dr) == 1 else None
        check("views: drift of +10 ticks at point 8: CIs apart, medians 10 +- one TSC step apart",
              rc == 0 and m and "CIs apart" in dr[0] and
              abs(float(m.group(2)) - float(m.group(1)) - 10) <= Q, err + str(dr))
    finally:
        shutil.rmtree(tmp)
    return 0 if all(results) else 1


if __name__ == "__main__":
    sys.exit(main())
