#!/usr/bin/python3
"""mode is a setup axis everywhere: a synthetic run with guest points (gen.py
--guest: point 7 is point 0's setup in mode guest, 8..10 the cpuid, vmcall
and mov points of that guest setup) through summary, headline.csv, the report,
compare, export, fleet and the catalogue.  Guest rows are grouped apart from
root rows, never pooled; in the headline the guest vmptrst row comes with the
cpuid, vmcall and mov rows of its setup after it, and its control is the
VMCALL round trip there.  A run from before the mode axis (no mode column)
matches mode=root.  Prints "PASS name" / "FAIL name: why", like check.py.
"""
import json
import os
import shutil
import sqlite3  # noqa: F401  (the catalogue's tests need it too)
import sys
import tempfile

import numpy as np
from testlib import check, finish, gen, rows_of, run

UNROLL = 8


def check_summary(A, truth):
    rc, out, err = run("summary", A)
    check("guest: summary exits 0", rc == 0, err)
    rows = rows_of(os.path.join(A, "summary.csv"))
    check("guest: summary.csv has the mode column", rows and "mode" in rows[0], str(rows[:1]))
    tsc = {(r["point"], r["instruction"]): r for r in rows if r["metric"] == "tsc"}
    for p, mode in (("0", "root"), ("7", "guest")):
        r = tsc.get((p, "vmptrst"), {})
        want = np.median(truth[p]["x"])
        check(f"guest: point {p} ({mode}) has its own median, of its own rows only",
              r.get("mode") == mode and float(r.get("median", "nan")) == want,
              f"{r.get('mode')} {r.get('median')} want {want}")
    pooled = np.median(truth["0"]["x"] + truth["7"]["x"])
    check("guest: ... and not the median of root and guest pooled",
          float(tsc[("7", "vmptrst")]["median"]) != pooled and
          float(tsc[("0", "vmptrst")]["median"]) != pooled, str(pooled))


def check_headline(A, truth):
    rows = rows_of(os.path.join(A, "headline.csv"))
    check("guest: headline.csv has mode, control, control_ticks_per_insn, ratio_to_control",
          rows and all(k in rows[0] for k in ("mode", "control", "control_ticks_per_insn",
                                               "ratio_to_control")) and
          "mov_ticks_per_insn" not in rows[0], str(rows[:1]))
    at0 = [(r["instruction"], r["mode"], r["points"]) for r in rows if r["offset"] == "0"]
    check("guest: offset 0's rows: root vmptrst alone, then the guest setup's vmptrst, "
          "cpuid, vmcall, mov in that order, each its own point",
          at0 == [("vmptrst", "root", "0"), ("vmptrst", "guest", "7"), ("cpuid", "guest", "8"),
                  ("vmcall", "guest", "9"), ("mov", "guest", "10")], str(at0))
    modes = [r["mode"] for r in rows]
    check("guest: every root row before the first guest row",
          "guest" in modes and "root" not in modes[modes.index("guest"):], str(modes))
    g = {r["instruction"]: r for r in rows if r["mode"] == "guest"}
    want = np.median(truth["7"]["net"])
    check("guest: the guest vmptrst row is the median of its own pairs (pair-median)",
          g["vmptrst"]["method"] == "pair-median" and
          float(g["vmptrst"]["ticks_per_insn"]) == want,
          f'{g["vmptrst"]["ticks_per_insn"]} want {want}')
    t, c = float(g["vmptrst"]["ticks_per_insn"]), float(g["vmcall"]["ticks_per_insn"])
    check("guest: its control is the VMCALL round trip at the same setup, and the ratio to it",
          g["vmptrst"]["control"] == "vmcall" and
          float(g["vmptrst"]["control_ticks_per_insn"]) == c and
          abs(float(g["vmptrst"]["ratio_to_control"]) - t / c) < 1e-12, str(g["vmptrst"]))
    check("guest: cpuid, vmcall and mov rows carry no control of their own",
          all(g[i]["control"] == g[i]["control_ticks_per_insn"] == "" for i in
              ("cpuid", "vmcall", "mov")), str(g))
    root = [r for r in rows if r["mode"] == "root" and r["instruction"] == "vmptrst"]
    check("guest: root vmptrst rows never take the guest's vmcall (no mov at their setups)",
          all(r["control"] == "" for r in root), str([r["control"] for r in root]))
    return g


def check_report_export(A):
    rc, out, err = run("report", A)
    page = open(os.path.join(A, "report.html")).read() if rc == 0 else ""
    check("guest: report shows the guest setup and the control's header",
          rc == 0 and "mode=guest" in page and "guest: VMCALL" in page, err)
    rc, out, err = run("export", A)
    doc = json.loads(out) if rc == 0 else {}
    names = [b["name"] for b in doc.get("benchmarks", [])]
    check("guest: export names guest benchmarks by their mode",
          any(n.startswith("p7/vmptrst/mode:guest/") for n in names) and
          any(n.startswith("p0/vmptrst/mode:root/") for n in names), str(names[:3]))
    head = doc.get("headline", [])
    check("guest: export's headline has the control columns",
          any(h.get("control") == "vmcall" and h.get("mode") == "guest" for h in head),
          str(head[:1]))
    rc, out, err = run("export", A, "--format", "md")
    check("guest: export md has the control columns",
          rc == 0 and "ratio to control" in out and "vmcall" in out, err)


def check_compare(tmp, A):
    B = os.path.join(tmp, "b")
    gen(B, "--guest", "--seed", "2", "--shift", "40")
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "cmp"))
    C = rows_of(os.path.join(tmp, "cmp", "compare.csv")) if rc in (0, 4) else []
    pairs = {(r["point_a"], r["point_b"]): r for r in C}
    check("guest: compare pairs root with root and guest with guest (0-0, 7-7)",
          ("0", "0") in pairs and ("7", "7") in pairs and
          not any(a != b and "" not in (a, b) for a, b in pairs), str(sorted(pairs)))
    check("guest: compare.csv says each pair's mode",
          pairs.get(("7", "7"), {}).get("mode") == "guest" and
          pairs.get(("0", "0"), {}).get("mode") == "root", str(pairs.get(("7", "7"))))
    # a run from before the mode axis: its points are mode=root
    O = os.path.join(tmp, "old")
    gen(O, "--seed", "3", "--microcode", "0xe0")
    rc, out, err = run("compare", O, A, "-o", os.path.join(tmp, "cmp-old"))
    C = rows_of(os.path.join(tmp, "cmp-old", "compare.csv")) if rc in (0, 4) else []
    st = {(r["point_a"], r["point_b"]): r["status"] for r in C}
    check("guest: a run without the mode column matches the root points, its guest ones only in B",
          st.get(("0", "0")) == "both" and st.get(("1", "1")) == "both" and
          st.get(("", "7")) == "only_b" and st.get(("", "9")) == "only_b", str(st))
    return B, O


def check_fleet(tmp, A, B):
    F = os.path.join(tmp, "fleet")
    for h, d in (("h1", A), ("h2", B)):
        os.makedirs(os.path.join(F, h))
        for f in ("meta.csv", "samples.csv"):
            shutil.copy(os.path.join(d, f), os.path.join(F, h, f))
    rc, out, err = run("fleet", F)
    rows = rows_of(os.path.join(F, "fleet.csv")) if rc in (0, 2) else []
    vm = {(r["setup"], r["host"]) for r in rows if r["instruction"] == "vmptrst"}
    gsetups = {s for s, _ in vm if "mode=guest" in s}
    check("guest: fleet keeps the guest vmptrst setup apart, one row per host",
          len(gsetups) == 1 and {(s, h) for s in gsetups for h in ("h1", "h2")} <= vm,
          f"rc={rc} {err} {sorted(vm)[:4]}")


def check_catalog(tmp, A, O):
    db = os.path.join(tmp, "c.db")
    rc, out, err = run("catalog", "add", db, A, O)
    check("guest: catalog add takes a guest run and one from before the mode axis", rc == 0, err)
    setup = "instruction=vmptrst offset=0 memtype=wb"
    rc, out, err = run("catalog", "history", db, "--setup", setup, "-o", os.path.join(tmp, "h0"))
    check("guest: history of a setup in both modes: never pooled, name the mode",
          rc == 2 and "matches more than one setup" in err and "mode=guest" in err, f"{rc} {err}")
    rc, out, err = run("catalog", "history", db, "--setup", setup + " mode=guest",
                       "-o", os.path.join(tmp, "h1"))
    check("guest: history of mode=guest: the guest run's row alone",
          rc == 0 and "setup: instruction=vmptrst mode=guest " in out and
          len(table_rows(out)) == 1, f"{rc} {err} {out}")
    rc, out, err = run("catalog", "compare", db, "--microcode", "0xe0", "--microcode", "0xf0",
                       "-o", os.path.join(tmp, "cc"))
    last = out.strip().splitlines()[-1] if out.strip() else ""
    check("guest: catalog compare pairs the old run with the new one by their root setups",
          rc in (0, 4) and "1 pairs (1 compared" in last, f"{rc} {err} {last}")
    rc, out2, err = run("catalog", "history", db, "--setup", setup + " mode=root",
                        "-o", os.path.join(tmp, "h2"))
    check("guest: history of mode=root: the new run's root row and the old run's, one setup",
          rc == 0 and "more than one" not in err and len(table_rows(out2)) == 2,
          f"{rc} {err} {out2}")


def table_rows(out):
    """history's table rows: gen.py's host is lab1."""
    return [l for l in out.splitlines() if l.startswith("lab1 ")]


def main():
    tmp = tempfile.mkdtemp(prefix="vb-guest-")
    try:
        A = os.path.join(tmp, "a")
        truth = gen(A, "--guest")
        check_summary(A, truth)
        check_headline(A, truth)
        check_report_export(A)
        B, O = check_compare(tmp, A)
        check_fleet(tmp, A, B)
        check_catalog(tmp, A, O)
    finally:
        shutil.rmtree(tmp)
    finish("guest")


if __name__ == "__main__":
    sys.exit(main())
