#!/usr/bin/python3
"""Cycles in the catalogue (schema version 4), on synthetic runs by
genclock.py (one host, a TSC stepping by 21 ticks; imul 3 cycles, chase 4):

- history and catalog compare of two identical-setup runs whose core clocks
  differ by 2 %: ticks differ (their intervals do not overlap), cycles are
  `same`, and the line says it is the core clock, not the instruction;
- a real 5 % change (imul 3 -> 3.15 cycles) is marked in cycles (higher,
  about +5 %), chase beside it stays `same`;
- a run without the add chain (no calibration): cycles "not measured" with
  headline.csv's reason, an empty field in history.csv, never 0;
- migration from a version-3 catalogue (made here with the v3 schema from
  rows the tool catalogued): the cycles columns are added empty, history says
  why, `catalog add DIR` again fills them and says so once; a headline.csv
  written before the cycles columns: not measured, then filled once
  `summary` has rewritten it.
Prints "PASS name" / "FAIL name: why"."""
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile

from check_catalog import V1_DDL
from testlib import HERE, check, run, rows_of, finish

GENC = os.path.join(HERE, "genclock.py")
IMUL = "instruction=imul"
# name: microcode, start (minutes past 10:00), genclock arguments
RUNS = {
    "a": ("0x1", 0, ["--seed", "31"]),
    "b": ("0x2", 5, ["--seed", "32", "--scale", "1.02"]),         # the clock 2 % apart
    "c": ("0x3", 10, ["--seed", "33", "--lat", "imul=3.15"]),      # imul 5 % slower
    "d": ("0x4", 15, ["--seed", "34", "--no-add"]),                # no calibration
}
V3_MIGRATIONS = """
ALTER TABLE run ADD COLUMN emulated INTEGER NOT NULL DEFAULT 0;
CREATE TABLE conformance (run_id INTEGER NOT NULL REFERENCES run(id), seq INTEGER NOT NULL,
 branch TEXT NOT NULL, cpl INTEGER NOT NULL, operation TEXT NOT NULL, condition TEXT NOT NULL,
 expected_vector TEXT NOT NULL, expected_error_code TEXT, observed_vector TEXT,
 observed_error_code TEXT, cr2 TEXT, memory_changed TEXT, flags_after TEXT, stored TEXT,
 verdict TEXT NOT NULL, reason TEXT, PRIMARY KEY (run_id, branch));
"""


def synth(d, name, *extra):
    mc, minute, args = RUNS[name]
    os.makedirs(d)
    subprocess.run([sys.executable, GENC, d, "--microcode", mc,
                    "--start", f"2024-06-01T10:{minute:02d}:00Z", *args, *extra], check=True)


def history(db, setup, out):
    """history's stdout and its history.csv rows by run id."""
    rc, so, err = run("catalog", "history", db, "--setup", setup, "-o", out)
    p = os.path.join(out, "history.csv")
    rows = {r["run"]: r for r in rows_of(p)} if rc == 0 and os.path.exists(p) else {}
    return rc, so, err, rows


def table_line(out, run_id):
    """The history table's line of run RUN_ID (host lab1)."""
    return ([l for l in out.splitlines() if re.match(rf"lab1\s+\S+\s+\S+(?: \(changed\))?\s+{run_id}\s", l)]
            + [""])[0]


def pair_block(out, setup_word):
    """catalog compare's catalogue line of the first setup beginning SETUP_WORD."""
    return ([l for l in out.splitlines() if l.startswith("  " + setup_word + " ")] + [""])[0]


def check_history(tmp, db, dirs):
    rc, out, err, rows = history(db, IMUL, os.path.join(tmp, "hist"))
    check("history of imul exits 0 with four runs", rc == 0 and len(rows) == 4, (rc, err[-300:]))
    a, b, c, d = (rows.get(k, {}) for k in "1234")
    head = {r["instruction"]: r for r in rows_of(os.path.join(dirs["a"], "headline.csv"))}["imul"]
    check("history.csv: run 1's cycles and interval are its headline.csv's",
          a.get("cycles_per_insn") and float(a["cycles_per_insn"]) == float(head["cycles_per_insn"])
          and float(a["cycles_ci_low"]) == float(head["cycles_ci_low"])
          and a.get("cycles_source") == "add chain" and a.get("clock_moved_pct"), a)
    check("clock 2 % apart (run 1 -> 2): ticks differ, their intervals apart",
          b.get("ticks_change") in ("higher", "lower") and abs(float(b.get("ticks_change_pct") or 0)) > 1.5, b)
    check("clock 2 % apart (run 1 -> 2): no change in cycles (intervals overlap)",
          b.get("cycles_change") == "same" and abs(float(b.get("cycles_change_pct") or 9)) < 1, b)
    check("clock 2 % apart: the table says the core clock moved, not the instruction",
          "cycles same" in table_line(out, 2) and "the core clock moved, not the instruction" in table_line(out, 2),
          table_line(out, 2))
    check("imul 5 % slower (run 2 -> 3): marked in cycles, higher by about 5 %",
          c.get("cycles_change") == "higher" and 4 < float(c.get("cycles_change_pct") or 0) < 6, c)
    check("imul 5 % slower: the table says CHANGED in cycles",
          "cycles CHANGED: higher" in table_line(out, 3), table_line(out, 3))
    check("no calibration (run 4): cycles empty in history.csv, never 0, with headline.csv's reason",
          d.get("cycles_per_insn") == "" and d.get("cycles_ci_low") == "" and d.get("cycles_source") == ""
          and d.get("cycles_reason", "").startswith("core clock unknown") and d.get("cycles_change") == "", d)
    check("no calibration: the table says not measured with the reason",
          "not measured: core clock unknown" in table_line(out, 4)
          and "cycles not measured in run 4" in table_line(out, 4), table_line(out, 4))
    check("history's closing count: cycles higher 1, same 1, not compared 1",
          "cycles higher 1, lower 0, same 1, not compared 1; ticks" in out, out[-400:])
    rc, out, err, rows = history(db, "instruction=chase", os.path.join(tmp, "hist-chase"))
    check("chase unchanged across the imul change (run 2 -> 3): cycles same",
          rows.get("3", {}).get("cycles_change") == "same", rows.get("3"))
    rc, out, err = run("catalog", "show", db, "4")
    check("show of the run without calibration: cycles not measured with the reason, no 0 in its place",
          rc == 0 and "not measured: core clock unknown" in out, out[-600:])


def check_compare(tmp, db):
    for a, b, want, name in (
            ("0x1", "0x2", "higher 0, lower 0, same 4, not compared 0", "clock 2 % apart"),
            ("0x2", "0x3", "higher 1, lower 0, same 3, not compared 0", "imul 5 % slower"),
            ("0x3", "0x4", "higher 0, lower 0, same 0, not compared 3", "no calibration in B")):
        rc, out, err = run("catalog", "compare", db, "--microcode", a, "--microcode", b,
                           "-o", os.path.join(tmp, f"cmp{a}{b}"))
        last = out.rstrip().splitlines()[-1] if out.strip() else ""
        check(f"catalog compare {a} -> {b} ({name}): exit 0, closing cycles count {want}",
              rc == 0 and last.endswith("(intervals that do not overlap): " + want), (rc, last, err[-300:]))
        line = pair_block(out, IMUL)
        if name == "clock 2 % apart":
            check("catalog compare, clock 2 % apart: imul's ticks differ, cycles same, the clock named",
                  re.search(r"cycles same \([+-]0\.\d %\), ticks (higher|lower) \([+-][12]\.\d %\): the core clock moved, not the instruction", line), line)
            check("catalog compare, clock 2 % apart: ticks, ns and cycles with their intervals, A -> B",
                  re.search(r"^    ticks/insn\s+[\d.]+ \[[\d.]+, [\d.]+\] -> [\d.]+ \[", out, re.M)
                  and re.search(r"^    ns/insn\s+[\d.]+ \[", out, re.M)
                  and re.search(r"^    cycles/insn\s+[\d.]+ \[[\d.]+, [\d.]+\] -> [\d.]+ \[.*add chain, clock moved", out, re.M), out[:1500])
        elif name == "imul 5 % slower":
            check("catalog compare, imul 5 % slower: marked CHANGED in cycles",
                  re.search(r"cycles CHANGED: higher \(\+[45]\.\d %\)", line), line)
        else:
            check("catalog compare, B without calibration: cycles not measured in B, with the reason",
                  line.startswith("  " + IMUL) and "cycles not measured in run 4" in line
                  and "-> not measured: core clock unknown" in out, line)


def v3_copy(src, dst):
    """A version-3 catalogue holding src's runs: the v3 schema, the v3 columns."""
    con = sqlite3.connect(dst)
    con.executescript(V1_DDL + V3_MIGRATIONS)
    con.execute("ATTACH ? AS s", (src,))
    cols = "id, samples_sha256, path, host, cpu_model, microcode, kernel, start_time, config, config_sha256, platform, added, emulated"
    con.execute(f"INSERT INTO run ({cols}) SELECT {cols} FROM s.run")
    for t in ("meta", "point", "summary"):
        con.execute(f"INSERT INTO {t} SELECT * FROM s.{t}")
    con.execute("INSERT INTO headline SELECT run_id, instruction, setup, unroll, points, method, ticks, ci_low, ci_high, ns, ns_ci_low, ns_ci_high, reason FROM s.headline")
    con.commit()
    con.execute("DETACH s")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()


def check_migration(tmp, db, dirs):
    v3 = os.path.join(tmp, "v3.sqlite")
    v3_copy(db, v3)
    rc, out, err, rows = history(v3, IMUL, os.path.join(tmp, "hist-v3"))
    con = sqlite3.connect(v3)
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    filled = con.execute("SELECT count(*) FROM headline WHERE cycles IS NOT NULL").fetchone()[0]
    read = con.execute("SELECT count(*) FROM run WHERE headline_cycles IS NOT NULL").fetchone()[0]
    con.close()
    check("migration v3 -> v4: user_version 4, the cycles columns there and empty",
          rc == 0 and ver == 4 and filled == 0 and read == 0, (rc, ver, filled, read, err))
    r1 = rows.get("1", {})
    check("migrated run: history says not measured, catalogued before version 4, and how to fill",
          r1.get("cycles_per_insn") == "" and "catalogued before the catalogue kept cycles" in r1.get("cycles_reason", "")
          and "catalog add DB DIR again" in r1.get("cycles_reason", "")
          and "not measured: the run was catalogued before" in table_line(out, 1), (r1, table_line(out, 1)))
    rc, out, err = run("catalog", "add", v3, dirs["a"], dirs["b"])
    check("catalog add DIR again on a migrated run: its cycles added, said once per run",
          rc == 0 and out.count("(its headline.csv cycles added)") == 2 and "0 added, 2 already there" in out, out + err)
    rc, out, err, rows = history(v3, IMUL, os.path.join(tmp, "hist-v3b"))
    head = {r["instruction"]: r for r in rows_of(os.path.join(dirs["a"], "headline.csv"))}["imul"]
    check("after the add: run 1's cycles are its headline.csv's; 1 -> 2 same in cycles, ticks apart",
          rows.get("1", {}).get("cycles_per_insn") and float(rows["1"]["cycles_per_insn"]) == float(head["cycles_per_insn"])
          and rows.get("2", {}).get("cycles_change") == "same"
          and rows["2"].get("ticks_change") in ("higher", "lower"), rows)
    check("runs not added again stay not measured, with the reason",
          "catalog add DB DIR again" in rows.get("3", {}).get("cycles_reason", ""), rows.get("3"))
    rc, out, err = run("catalog", "add", v3, dirs["a"])
    check("a third add changes nothing", rc == 0 and "cycles added" not in out, out)


def check_old_headline(tmp, dirs):
    """A headline.csv written before the cycles columns."""
    e = os.path.join(tmp, "e")
    RUNS["e"] = ("0x5", 20, ["--seed", "35"])
    synth(e, "e")
    run("summary", e)
    h = os.path.join(e, "headline.csv")
    rows = rows_of(h)
    keep = [k for k in rows[0] if not k.startswith("cycles") and k != "clock_moved_pct"]
    with open(h, "w", newline="") as f:
        f.write(",".join(keep) + "\r\n")
        for r in rows:
            f.write(",".join('"%s"' % r[k].replace('"', '""') if "," in r[k] else r[k] for k in keep) + "\r\n")
    db = os.path.join(tmp, "old.sqlite")
    rc, out, err = run("catalog", "add", db, e)
    rc2, out2, err2, hist = history(db, IMUL, os.path.join(tmp, "hist-old"))
    check("a headline.csv without the cycles columns is added; cycles not measured: it has none, how to fix",
          rc == 0 and "its headline.csv has no cycles columns" in hist.get("1", {}).get("cycles_reason", "")
          and hist["1"].get("cycles_per_insn") == "" and hist["1"].get("ticks_per_insn"), (out, err, hist))
    run("summary", e)
    rc, out, err = run("catalog", "add", db, e)
    rc2, out2, err2, hist = history(db, IMUL, os.path.join(tmp, "hist-old2"))
    check("once summary rewrote it, catalog add fills its cycles",
          rc == 0 and "(its headline.csv cycles added)" in out and hist.get("1", {}).get("cycles_per_insn"), (out, hist))


def main():
    tmp = tempfile.mkdtemp(prefix="vb-catcyc-")
    try:
        dirs = {n: os.path.join(tmp, n) for n in RUNS}
        for n, d in dirs.items():
            synth(d, n)
        db = os.path.join(tmp, "lab.sqlite")
        rc, out, err = run("catalog", "add", db, *dirs.values())
        check("four synthetic runs added", rc == 0 and "4 added" in out, out + err)
        check_history(tmp, db, dirs)
        check_compare(tmp, db)
        check_migration(tmp, db, dirs)
        check_old_headline(tmp, dirs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("catalog_cycles")


if __name__ == "__main__":
    main()
