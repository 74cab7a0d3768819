#!/usr/bin/python3
"""VMPTRST's family through every command: a synthetic run (genfamily.py:
vmptrst and mov, then every instruction of the family with every variant it
takes, at unroll 1, 2, 4, 8) through summary, headline.csv, the report,
export, compare and the catalogue.  The family's points are grouped by
instruction and target, field or type; each headline row is named by its
instruction and variant ("vmread field=guest-rip"), its slope is numpy's
(the dithered per-unroll means, least squares) and it says it is net of the
baseline only; the MOV control pairs with vmptrst alone.  A run from before
the variant columns matches the new run's vmptrst and mov setups.  Prints
"PASS name" / "FAIL name: why", like check.py.
"""
import json
import os
import re
import shutil
import sys
import tempfile

import numpy as np
import testlib
from testlib import HERE, check, dithered_mean, export_invalid, finish, headline_section, rows_of, run

GEN = os.path.join(HERE, "genfamily.py")
NAMES = ["vmptrst", "mov", "vmptrld target=same", "vmptrld target=other",
         "vmclear target=other", "vmclear target=current",
         "vmread field=guest-cs-sel", "vmread field=exception-bitmap",
         "vmread field=guest-debugctl", "vmread field=guest-rip",
         "vmread field=vm-instruction-error", "vmwrite field=guest-cs-sel",
         "vmwrite field=exception-bitmap", "vmwrite field=guest-debugctl",
         "vmwrite field=guest-rip", "invvpid type=address", "invvpid type=single",
         "invvpid type=all", "invvpid type=single-global", "invept type=single",
         "invept type=global", "vmxon-vmxoff"]
ONLY = "net of the baseline only: the MOV control pairs with vmptrst"


def gen(d, *args):
    return testlib.gen(d, *args, script=GEN)


def label(r):
    out = r["instruction"]
    for k in ("target", "field", "type"):
        if r.get(k):
            out += f" {k}={r[k]}"
    return out


def slope_of(truth, pts):
    """The least-squares slope of the per-unroll dithered means of x - baseline."""
    us = sorted({truth[p]["unroll"] for p in pts})
    means = []
    for u in us:
        d = np.concatenate([np.array(truth[p]["x"]) - np.array(truth[p]["base"])
                            for p in pts if truth[p]["unroll"] == u])
        means.append(dithered_mean(d, 1.0)[0])
    return np.polyfit(us, means, 1)[0]


def check_headline(A, truth):
    rc, out, err = run("summary", A)
    check("family: summary exits 0", rc == 0, err)
    rows = rows_of(os.path.join(A, "headline.csv"))
    head = list(rows[0].keys()) if rows else []
    check("family: headline.csv's columns: instruction, target, field, type, mode, ...",
          head[:5] == ["instruction", "target", "field", "type", "mode"], str(head[:6]))
    names = [label(r) for r in rows]
    check("family: one headline row per instruction and variant, in the headline's order",
          names == NAMES, str(names))
    by = {label(r): r for r in rows}
    worst = 0.0
    for name in NAMES:
        pts = [p for p, t in truth.items() if t["label"] == name]
        r = by.get(name, {})
        if name == "vmclear target=current":
            t = truth[pts[0]]
            want = np.median(np.array(t["x"]) - np.array(t["base"]))
            check("family: vmclear target=current, one unroll: the pair median, numpy's",
                  r.get("method") == "pair-median" and float(r["ticks_per_insn"]) == want,
                  f"{r.get('method')} {r.get('ticks_per_insn')} want {want}")
            continue
        want = slope_of(truth, pts)
        got = float(r.get("ticks_per_insn", "nan"))
        worst = max(worst, abs(got - want) / want)
        if not (r.get("method") == "slope" and abs(got - want) <= 1e-9 * want):
            check(f"family: {name}: the slope over unroll 1 2 4 8", False, f"{got} want {want}")
    check("family: every other row's slope is numpy's over its own points (1e-9)",
          worst <= 1e-9, str(worst))
    costs = {t["label"]: t["cost"] for t in truth.values()}
    off = [n for n in NAMES if abs(float(by[n]["ticks_per_insn"]) - costs[n]) > 0.1]
    check("family: ... and within 0.1 tick of the cost the run was built from", not off, str(off))
    v, m = by["vmptrst"], by["mov"]
    check("family: vmptrst's control is mov at its setup, the ratio to it",
          v["control"] == "mov" and
          abs(float(v["ratio_to_control"]) - float(v["ticks_per_insn"]) /
              float(m["ticks_per_insn"])) < 1e-12, str(v["control"]))
    fam = [by[n] for n in NAMES[2:]]
    check("family: the family's rows have no control and say they are net of the baseline only",
          all(r["control"] == "" and ONLY in r["reason"] for r in fam) and
          ONLY not in v["reason"] and ONLY not in m["reason"],
          str([(r["control"], r["reason"]) for r in fam[:2]]))
    check("family: a variant column is empty where the instruction takes none",
          v["target"] == v["field"] == v["type"] == "" and
          by["vmread field=guest-rip"]["target"] == by["vmxon-vmxoff"]["type"] == "",
          str(v))
    return rows


def check_report(A):
    rc, out, err = run("report", A)
    page = open(os.path.join(A, "report.html")).read() if rc == 0 else ""
    first = headline_section(page)
    cells = re.findall(r"<tr><td>([^<]*)</td><td class=\"setup\">([^<]*)</td>", first)
    check("family: the report's first table names each row by instruction and variant",
          [c[0] for c in cells if c[0] != "vmclear target=current"] ==
          [n for n in NAMES if n != "vmclear target=current"], str(cells[:4]))
    check("family: ... its setup cell holds no variant (all at the reference)",
          cells and all(c[1] == "reference" for c in cells), str(cells[:4]))
    check("family: ... and the family's control cell says net of the baseline only",
          first.count(">net of the baseline only</span>") == len(NAMES) - 3,
          str(first.count(">net of the baseline only</span>")))


def check_export(A):
    rc, out, err = run("export", A)
    doc = json.loads(out) if rc == 0 else {}
    valid = export_invalid(doc)
    check("family: export's JSON passes export.schema.json", rc == 0 and not valid, err + valid)
    names = [b["name"] for b in doc.get("benchmarks", [])]
    check("family: benchmark names carry the variant, and no empty one",
          any(n.startswith("p32/vmread/field:guest-rip/mode:root/") for n in names) and
          any(n.startswith("p0/vmptrst/mode:root/") for n in names) and
          not any(re.search(r"/(target|field|type):/", n) for n in names), str(names[:3]))
    head = {label(h): h for h in doc.get("headline", [])}
    check("family: export's headline rows carry target, field and type",
          head.get("invvpid type=single", {}).get("type") == "single" and
          set(head) == set(NAMES), str(list(head)[:4]))
    rc, out, err = run("export", A, "--format", "md")
    rows = [l for l in out.splitlines() if l.startswith("| vmread field=guest-rip ")]
    every = [l for l in out.splitlines() if l.startswith("Every row: ")]
    check("family: export md names the row and lists no empty variant as common to every row",
          rc == 0 and len(rows) == 1 and every and "target=" not in every[0] and
          "field=" not in every[0], f"{rows} {every[:1]}")


def check_compare(tmp, A):
    B = os.path.join(tmp, "b")
    gen(B, "--shift", "vmread field=guest-rip=4", "--microcode", "0xf1")
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "cmp"))
    C = rows_of(os.path.join(tmp, "cmp", "compare.csv")) if rc in (0, 4) else []
    v = {(r["point_a"], r["instruction"], r["target"], r["field"], r["type"]): r["verdict"]
         for r in C}
    slower = sorted(k for k, x in v.items() if x == "slower")
    check("family: compare pairs by variant; only vmread field=guest-rip is slower",
          len(C) == 85 and all(r["status"] == "both" and r["point_a"] == r["point_b"]
                               for r in C) and
          [k[3] for k in slower] == ["guest-rip"] * 4 and
          all(k[1] == "vmread" for k in slower) and
          sum(x == "same" for x in v.values()) == 81, str(slower))
    cyc = rows_of(os.path.join(tmp, "cmp", "compare-cycles.csv")) if rc in (0, 4) else []
    setups = [r["setup"] for r in cyc]
    check("family: compare-cycles.csv's setups name the variant, never an empty one",
          any(s.startswith("instruction=vmread field=guest-rip mode=root") for s in setups) and
          any(s.startswith("instruction=vmptrst mode=root") for s in setups) and
          not any(re.search(r"(target|field|type)= ", s) for s in setups), str(setups[:3]))
    O = os.path.join(tmp, "old")
    gen(O, "--old", "--microcode", "0xe0", "--start-time", "2026-11-01T10:00:00Z")
    rc, out, err = run("compare", O, A, "-o", os.path.join(tmp, "cmp-old"))
    C = rows_of(os.path.join(tmp, "cmp-old", "compare.csv")) if rc in (0, 4) else []
    st = {}
    for r in C:
        st[r["status"]] = st.get(r["status"], 0) + 1
    both = [r for r in C if r["status"] == "both"]
    check("family: a run without the variant columns matches vmptrst and mov (8 both, 77 in B only)",
          st == {"both": 8, "only_b": 77} and
          all(r["instruction"] in ("vmptrst", "mov") for r in both), f"{rc} {err} {st}")
    return B, O


def check_catalog(tmp, A, O):
    db = os.path.join(tmp, "c.db")
    rc, out, err = run("catalog", "add", db, O, A)
    check("family: catalog add takes the family run and one from before its columns", rc == 0, err)
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmread field=guest-rip",
                       "-o", os.path.join(tmp, "h1"))
    rows = [l for l in out.splitlines() if l.startswith("lab1 ")]
    check("family: history of vmread field=guest-rip: one setup, the family run's row",
          rc == 0 and "setup: instruction=vmread field=guest-rip cpu=0 " in out and
          len(rows) == 1, f"{rc} {err} {out}")
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmptrst",
                       "-o", os.path.join(tmp, "h2"))
    rows = [l for l in out.splitlines() if l.startswith("lab1 ")]
    check("family: history of vmptrst: one setup in both runs (no empty variant in it)",
          rc == 0 and "more than one" not in err and len(rows) == 2, f"{rc} {err} {out}")


def main():
    tmp = tempfile.mkdtemp(prefix="vb-family-")
    try:
        A = os.path.join(tmp, "a")
        truth = gen(A)
        check_headline(A, truth)
        check_report(A)
        check_export(A)
        B, O = check_compare(tmp, A)
        check_catalog(tmp, A, O)
    finally:
        shutil.rmtree(tmp)
    finish("family")


if __name__ == "__main__":
    sys.exit(main())
