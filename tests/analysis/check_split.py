#!/usr/bin/python3
"""mode=guest's exit/entry split through every command: a synthetic run
(gensplit.py: the add chain, then vmcall plain and with field
exception-bitmap and guest-cs-sel, vmptrst and mov in mode guest, at unroll
1, 2, 4, 8, records of one variant made wrong on purpose) through summary,
headline.csv, the report, export, compare and the catalogue.  Each round
trip of an instruction that exits is followed by its exit and entry rows:
numpy's dithered mean (fit.c's) of the halves that pass the check (exit >
0, entry > 0, exit + entry <= tsc + one TSC step), at the longest unroll,
with its 95% CI, in ticks, ns and cycles; the records that fail it counted
and named, never averaged in; a run from before the split has none.
Prints "PASS name" / "FAIL name: why", like check.py.
"""
import json
import os
import re
import shutil
import sys
import tempfile
from functools import reduce
from math import gcd

import numpy as np
import testlib
from testlib import HERE, check, dithered_mean, export_invalid, finish, headline_section, rows_of, run

GEN = os.path.join(HERE, "gensplit.py")
EXITS = ["vmptrst", "vmcall", "vmcall field=exception-bitmap", "vmcall field=guest-cs-sel"]
WRONG = "vmcall field=exception-bitmap"
RAW = "raw, not net of the baseline"


def gen(d, *args):
    return testlib.gen(d, *args, script=GEN)


def label(r):
    out = r["instruction"]
    if r.get("field"):
        out += f" field={r['field']}"
    if r.get("part"):
        out += f": {r['part']}"
    elif r.get("mode") == "guest" and r["instruction"] in ("vmptrst", "vmcall"):
        out += ": round trip"
    return out


def step_of(truth):
    """az_tsc_step: the GCD of the baselines' windows."""
    return float(reduce(gcd, (int(b) for t in truth["points"].values() for b in t["base"]), 0))


def add_slope(truth):
    us = [16, 64, 256]
    means = []
    for u in us:
        t = [t for t in truth["points"].values() if t["label"] == "add" and t["unroll"] == u][0]
        d = np.array(t["x"]) - np.array(t["base"])
        means.append(dithered_mean(d, 1.0)[0])
    return np.polyfit(us, means, 1)[0]


def check_headline(A, truth):
    rc, out, err = run("summary", A)
    pts = {t["label"]: p for p, t in truth["points"].items() if t.get("unroll") == 8}
    # every record of vmptrst and vmcall's three variants has a split, but NONE's two
    want = (f"exit/entry split: 5 of {4 * 4 * 400 - 2} records failed its check "
            "(exit > 0, entry > 0, exit + entry <= the record's tsc + one TSC step), left out of the "
            f"exit and entry rows: point {pts[WRONG]} ({WRONG}) 5; 2 records without a split")
    check("split: summary exits 0 and warns, naming the point and the count", rc == 0 and want in err,
          err[:600])
    rows = rows_of(os.path.join(A, "headline.csv"))
    head = list(rows[0].keys()) if rows else []
    check("split: headline.csv has part, right before points",
          "part" in head and head[head.index("part") + 1] == "points", str(head[:20]))
    summ = rows_of(os.path.join(A, "summary.csv"))
    check("split: exit_ticks and entry_ticks are no metrics of summary.csv",
          summ and {r["metric"] for r in summ} == {"tsc"}, str({r["metric"] for r in summ}))
    names = [label(r) for r in rows]
    want = ["add"]
    for n in ["vmptrst", "vmcall"]:
        want += [f"{n}: round trip", f"{n}: exit", f"{n}: entry"]
    want += ["mov"]
    for n in EXITS[2:]:
        want += [f"{n}: round trip", f"{n}: exit", f"{n}: entry"]
    check("split: each guest round trip followed by its exit and entry rows, in the headline's order",
          names == want, str(names))
    by = {label(r): r for r in rows}
    q = step_of(truth)
    slope = add_slope(truth)
    worst, bad = 0.0, []
    for n in EXITS:
        lab = truth["labels"][n]
        for part in ("exit", "entry"):
            r = by.get(f"{n}: {part}", {})
            m, se = dithered_mean(lab[part], q)
            got = [float(r.get(k) or "nan") for k in ("ticks_per_insn", "ci_low", "ci_high",
                                                       "ns_per_insn", "cycles_per_insn")]
            exp = [m, m - 1.959963984540054 * se, m + 1.959963984540054 * se, m / 2, m / slope]
            worst = max(worst, max(abs(g - e) / e for g, e in zip(got, exp)))
            if not (r.get("method") == "mean" and r.get("unroll") == "8" and
                    r.get("points") == pts[n] and r.get("pairs") == str(len(lab[part])) and
                    RAW in r.get("reason", "") and r.get("control") == "" and
                    float(r.get("cycles_ci_low") or "nan") <= got[4] <= float(r.get("cycles_ci_high") or "nan")):
                bad.append(f"{n}: {part}: {r}")
    check("split: each half is numpy's dithered mean of the halves that pass, its CI, ns, cycles (1e-9)",
          worst <= 1e-9, str(worst))
    check("split: ... method mean, at the longest unroll, its point, its records, raw, no control",
          not bad, str(bad[:1])[:600])
    r = by.get(f"{WRONG}: exit", {})
    check("split: the wrong records are counted in the halves' reason, not averaged in",
          "5 of 398 records failed the split check (exit > 0, entry > 0, exit + entry <= the "
          "record's tsc + one TSC step): left out" in r.get("reason", "") and
          "2 records without a split" in r.get("reason", "") and r.get("pairs") == "393",
          r.get("reason", "")[:600])
    rt = by.get("vmptrst: round trip", {})
    check("split: the round trip rows are as before (vmptrst's control is vmcall's round trip)",
          rt.get("part") == "" and rt.get("method") == "slope" and rt.get("control") == "vmcall" and
          abs(float(rt["ticks_per_insn"]) - 1500) < 0.5, str(rt)[:300])
    check("split: no halves for mov (no exit) nor the add chain",
          by["mov"]["part"] == "" and "mov: exit" not in names and "add: exit" not in names)
    return by


def check_report(A):
    rc, out, err = run("report", A)
    page = open(os.path.join(A, "report.html")).read() if rc == 0 else ""
    first = page[page.find('<h2 id="headline"'):]
    cells = re.findall(r"<tr><td>([^<]*)</td>", headline_section(page))
    check("split: the report's first table names the rows round trip, exit, entry",
          cells[1:4] == ["vmptrst: round trip", "vmptrst: exit", "vmptrst: entry"] and
          f"{WRONG}: exit" in cells, str(cells[:8]))
    expl = first[first.find('<p class="expl">'):]
    expl = expl[:expl.find("</p>")]
    check("split: ... says what each half holds and that it is raw, not net of the baseline",
          "raw, not net of the baseline" in expl and "TSC the CPU stored during the exit" in expl and
          "handler's first RDTSC" in expl and "VMRESUME with its checks" in expl and
          "do not add up to the round trip" in expl, expl[:300])
    cond = re.search(r'<div class="(\w+)" id="split">([^<]*)</div>', page)
    check("split: the conditions name the records that failed the check, in the warning colour",
          cond and cond.group(1) == "warn" and "5 of " in cond.group(2) and
          f"({WRONG}) 5" in cond.group(2), cond.group(0) if cond else "no split line")


def check_export(A):
    rc, out, err = run("export", A)
    doc = json.loads(out) if rc == 0 else {}
    valid = export_invalid(doc)
    check("split: export's JSON passes export.schema.json, export_version 3",
          rc == 0 and not valid and doc.get("export_version") == 3, err + valid)
    head = doc.get("headline", [])
    parts = [(h["instruction"], h.get("field"), h.get("part")) for h in head]
    check("split: export's headline rows carry part (null for a round trip)",
          ("vmcall", "exception-bitmap", "exit") in parts and
          ("vmcall", "exception-bitmap", None) in parts and
          all(isinstance(h.get("ticks_per_insn"), float) for h in head if h.get("part")),
          str(parts[:6]))
    rc, out, err = run("export", A, "--format", "md")
    lines = out.splitlines()
    hdr = [l for l in lines if l.startswith("| instruction ")]
    check("split: export md names the rows with their part and has no part column",
          rc == 0 and any(l.startswith(f"| {WRONG}: exit ") for l in lines) and
          any(l.startswith("| vmcall: round trip ") for l in lines) and
          hdr and "| part " not in hdr[0], str(hdr[:1]))


def check_compare(tmp, A):
    B = os.path.join(tmp, "b")
    gen(B, "--shift", f"{WRONG}=5", "--microcode", "0xf1")
    rc, out, err = run("compare", A, B, "-o", os.path.join(tmp, "cmp"))
    C = rows_of(os.path.join(tmp, "cmp", "compare.csv")) if rc in (0, 4) else []
    check("split: compare's points are the round trips: none changed",
          C and all(r["verdict"] in ("same", "") for r in C), str([r["verdict"] for r in C][:8]))
    cyc = rows_of(os.path.join(tmp, "cmp", "compare-cycles.csv")) if rc in (0, 4) else []
    v = {r["setup"]: r["verdict"] for r in cyc}
    slower = [s for s, x in v.items() if x == "slower"]
    check("split: compare-cycles.csv pairs the halves by part; only the shifted exit is slower",
          len(slower) == 1 and slower[0].startswith(f"instruction=vmcall field=exception-bitmap mode=guest")
          and slower[0].endswith(" part=exit") and
          any(s.endswith(" part=entry") for s in v), f"{slower} {list(v)[:3]}")


def check_catalog(tmp, A, O):
    db = os.path.join(tmp, "c.db")
    rc, out, err = run("catalog", "add", db, O, A)
    check("split: catalog add takes the split run and one from before it", rc == 0, err)
    rc, out, err = run("catalog", "table", db, "--metric", "ticks", "--format", "csv")
    cols = {r["column"] for r in rows_of_text(out)} if rc == 0 else set()
    check("split: catalog table has a column per part",
          {"vmcall mode=guest part=exit", "vmcall mode=guest part=entry",
           "vmcall field=exception-bitmap mode=guest part=exit", "vmcall mode=guest"} <= cols,
          str(sorted(cols))[:500])
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmcall mode=guest",
                       "-o", os.path.join(tmp, "h1"))
    rows = [l for l in out.splitlines() if l.startswith("lab1 ")]
    check("split: history of vmcall in mode guest: the plain round trip, in both runs",
          rc == 0 and "part=" not in out and "field=" not in out and len(rows) == 2,
          f"{rc} {err} {out}"[:600])
    rc, out, err = run("catalog", "history", db, "--setup",
                       "instruction=vmcall field=exception-bitmap part=exit",
                       "-o", os.path.join(tmp, "h2"))
    rows = [l for l in out.splitlines() if l.startswith("lab1 ")]
    check("split: history of its exit half: the split run's row alone, method mean",
          rc == 0 and len(rows) == 1 and " mean " in rows[0], f"{rc} {err} {out}"[:600])


def rows_of_text(text):
    import csv
    import io
    return list(csv.DictReader(io.StringIO(text)))


def check_old(O):
    rc, out, err = run("summary", O)
    rows = rows_of(os.path.join(O, "headline.csv")) if rc == 0 else []
    check("split: a run from before the split: no exit or entry rows, no warning",
          rows and all(r["part"] == "" for r in rows) and "split" not in err, err)
    rc, out, err = run("report", O)
    page = open(os.path.join(O, "report.html")).read() if rc == 0 else ""
    check("split: ... and no split line in its report's conditions", rc == 0 and 'id="split"' not in page)


def check_bad(tmp):
    d = os.path.join(tmp, "bad")
    gen(d)
    path = os.path.join(d, "samples.csv")
    text = open(path, newline="").read().split("\r\n")
    fields = text[20].split(",")
    fields[19] = "x"	# exit_ticks
    text[20] = ",".join(fields)
    open(path, "w", newline="").write("\r\n".join(text))
    rc, out, err = run("summary", d)
    check("split: an exit_ticks that is no number: exit 1, file and line",
          rc == 1 and ":21: " in err and "exit_ticks" in err and "not a number" in err,
          f"{rc} {err} {fields}")
    text[0] = text[0].replace("entry_ticks,", "")
    text = [text[0]] + [",".join(l.split(",")[:20] + l.split(",")[21:]) for l in text[1:] if l]
    open(path, "w", newline="").write("\r\n".join(text) + "\r\n")
    rc, out, err = run("summary", d)
    check("split: exit_ticks without entry_ticks: exit 1, the header's line",
          rc == 1 and ":1: exit_ticks and entry_ticks come together" in err, f"{rc} {err}")


def main():
    tmp = tempfile.mkdtemp(prefix="vb-split-")
    try:
        A = os.path.join(tmp, "a")
        truth = gen(A)
        check_headline(A, truth)
        check_report(A)
        check_export(A)
        check_compare(tmp, A)
        O = os.path.join(tmp, "old")
        gen(O, "--old", "--microcode", "0xe0", "--start-time", "2026-11-01T10:00:00Z")
        check_old(O)
        check_catalog(tmp, A, O)
        check_bad(tmp)
    finally:
        shutil.rmtree(tmp)
    finish("split")


if __name__ == "__main__":
    sys.exit(main())
