#!/usr/bin/python3
"""catalog merge DB OTHER...: two labs' catalogues (catlabs.py) with one run
in both.

- lab A then lab B into a new DB: the counts on each line, the run in both
  kept once, new run ids, every table of every run carried across row for
  row (meta, point, summary, headline, conformance);
- idempotent: the same files again add nothing and change no row;
- a conflict (the shared run with another headline value and microcode in
  B): named with both catalogues and folders, DB's rows kept, the rest
  merged, exit 4, one line on stderr;
- one transaction: a newer schema, a file that is not a database or a
  missing file among the OTHERs leaves DB as it was (exit 1, one line
  naming the file);
- an older OTHER (schema 3) is read through the migration in memory, the
  file unchanged; its runs then lack cycles and conformance rows, which a
  later merge of the same runs at schema 4 fills (said once);
- bad command lines exit 2, --help 0.
Prints "PASS name" / "FAIL name: why"."""
import hashlib
import os
import re
import shutil
import sqlite3
import tempfile

from catlabs import RUNS, make_labs, one_line, run_ids
from check_catalog_cycles import v3_copy
from testlib import check, run, finish

TABLES = ("meta", "point", "summary", "headline", "conformance")


def dump(db):
    """Every row of every table, the run ids as they are."""
    con = sqlite3.connect(db)
    out = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}"))) for t in ("run",) + TABLES}
    con.close()
    return out


def rows_by_sha(db, table):
    """{samples_sha256: sorted rows of table without run_id}."""
    con = sqlite3.connect(db)
    cols = [r[1] for r in con.execute(f"PRAGMA table_info({table})") if r[1] != "run_id"]
    got = {}
    for r in con.execute(f"SELECT r.samples_sha256, {', '.join('t.' + c for c in cols)} FROM {table} t JOIN run r ON r.id = t.run_id"):
        got.setdefault(r[0], []).append(repr(r[1:]))
    con.close()
    return {k: sorted(v) for k, v in got.items()}


def run_row(db, sha):
    con = sqlite3.connect(db)
    con.row_factory = sqlite3.Row
    r = con.execute("SELECT * FROM run WHERE samples_sha256 = ?", (sha,)).fetchone()
    con.close()
    return dict(r) if r else {}


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def check_merge(tmp, dirs, labs):
    db = os.path.join(tmp, "all.sqlite")
    rc, out, err = run("catalog", "merge", db, labs["A"], labs["B"])
    check("merge A and B into a new DB: exit 0, nothing on stderr", rc == 0 and err == "", (rc, err))
    check("merge: a line per OTHER with its counts (B's a2 already there from A)",
          f"{labs['A']}: 4 runs added, 0 already present, 0 conflicts\n" in out
          and f"{labs['B']}: 2 runs added, 1 already present, 0 conflicts\n" in out, out)
    ids = run_ids(db, dirs)
    check("merge: six runs, each once, ids 1 to 6", sorted(ids.values()) == list(range(1, 7)) and len(ids) == 6, ids)
    b_ids = run_ids(labs["B"], dirs)
    check("merge: B's runs get new ids (b1, b2 are runs 2, 3 in B, 5, 6 in DB)",
          (b_ids["b1"], b_ids["b2"], ids["b1"], ids["b2"]) == (2, 3, 5, 6), (b_ids, ids))
    for t in TABLES:
        want = {}
        for lab in "AB":
            want.update(rows_by_sha(labs[lab], t))
        got = rows_by_sha(db, t)
        check(f"merge: table {t} carried across, every run's rows as in its lab", got == want and got,
              (len(got), len(want), [k[:8] for k in set(got) ^ set(want)]))
    con = sqlite3.connect(db)
    conf = con.execute("SELECT count(*) FROM conformance WHERE run_id = ?", (ids["a1"],)).fetchone()[0]
    pts = con.execute("SELECT count(*) FROM point WHERE run_id = ?", (ids["a1"],)).fetchone()[0]
    con.close()
    want = len(open(os.path.join(dirs["a1"], "points.csv")).read().splitlines()) - 1
    check("merge: a1's 14 conformance rows and its points.csv rows", conf == 14 and pts == want > 0, (conf, pts, want))
    s_b2 = [s for s, n in __import__("catlabs").sha_of(dirs).items() if n == "b2"][0]
    r = run_row(db, s_b2)
    check("merge: the run row's values (host, platform, emulated, folder) as in B",
          (r.get("host"), r.get("platform"), r.get("emulated"), r.get("path")) == ("b-emu", "bochs", 1, dirs["b2"]), r)

    before = dump(db)
    rc, out, err = run("catalog", "merge", db, labs["B"], labs["A"])
    check("merge again: nothing added, all present, exit 0",
          rc == 0 and f"{labs['B']}: 0 runs added, 3 already present, 0 conflicts" in out
          and f"{labs['A']}: 0 runs added, 4 already present, 0 conflicts" in out, out + err)
    check("merge again: no row of any table changed", dump(db) == before, "dump differs")
    rc, out, err = run("catalog", "merge", db, db)
    check("merge of DB into itself: all present, nothing changed",
          rc == 0 and "0 runs added, 6 already present, 0 conflicts" in out and dump(db) == before, out + err)
    rc, out, err = run("catalog", "list", db)
    check("the merged catalogue lists six runs, b2 emulated", rc == 0 and out.rstrip().endswith("6 runs")
          and "bochs (emulated)" in out, out)
    return db


def check_conflict(tmp, dirs, labs):
    other = os.path.join(tmp, "labB-changed.sqlite")
    shutil.copy(labs["B"], other)
    a2 = run_ids(other, dirs)["a2"]
    con = sqlite3.connect(other)
    con.execute("UPDATE headline SET ticks = ticks + 1 WHERE run_id = ? AND instruction = 'vmptrst'", (a2,))
    con.execute("UPDATE run SET microcode = '0x21' WHERE id = ?", (a2,))
    con.commit()
    con.close()
    db = os.path.join(tmp, "conflict.sqlite")
    shutil.copy(labs["A"], db)
    a2_db = run_ids(db, dirs)["a2"]
    before = rows_by_sha(db, "headline")
    rc, out, err = run("catalog", "merge", db, other)
    line = ([l for l in out.splitlines() if "conflict:" in l] + [""])[0]
    check("conflict: exit 4, one line on stderr naming DB and the count", rc == 4 and one_line(err)
          and db in err and "1 conflict" in err, (rc, err))
    check("conflict: a line naming both catalogues' runs and folders, what differs, which is kept",
          line.startswith(f"{other}: conflict: run {a2} of {other} (folder {dirs['a2']})")
          and f"run {a2_db} of {db} (folder {dirs['a2']})" in line
          and "run (microcode)" in line and "headline" in line and line.endswith(f"{db}'s kept"), line)
    check("conflict: the rest merged, the count line says 1 conflicts",
          f"{other}: 2 runs added, 1 already present, 1 conflicts" in out and len(run_ids(db, dirs)) == 6, out)
    after = rows_by_sha(db, "headline")
    keep = [s for s in before if s in after]
    check("conflict: DB's rows of the run kept (its headline and microcode unchanged)",
          all(after[s] == before[s] for s in keep) and run_row(db, [s for s in keep if
              run_row(db, s)["id"] == a2_db][0])["microcode"] == "0x20", "changed")


def check_transaction(tmp, dirs, labs):
    db = os.path.join(tmp, "tx.sqlite")
    shutil.copy(labs["A"], db)
    before = dump(db)
    newer = os.path.join(tmp, "newer.sqlite")
    con = sqlite3.connect(newer)
    con.execute("CREATE TABLE run (id INTEGER)")
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    garbage = os.path.join(tmp, "garbage.sqlite")
    with open(garbage, "wb") as f:
        f.write(b"not a database, " * 512)
    notours = os.path.join(tmp, "notours.sqlite")
    con = sqlite3.connect(notours)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    for bad, words in ((newer, ("catalogue schema version 5 is newer than this tool's (4)", "use a newer vmptrst-analyze")),
                       (garbage, ("file is not a database",)),
                       (notours, ("not a vmptrst-analyze catalogue",)),
                       (os.path.join(tmp, "missing.sqlite"), ("no such catalogue",))):
        rc, out, err = run("catalog", "merge", db, labs["B"], bad)
        name = os.path.basename(bad)
        check(f"merge B then {name}: exit 1, one line naming {name} and what is wrong",
              rc == 1 and one_line(err) and err.startswith(f"vmptrst-analyze: {bad}: ")
              and all(w in err for w in words), (rc, err))
        check(f"merge B then {name}: nothing merged (B's runs not added either), nothing said on stdout",
              dump(db) == before and out == "", out)


def check_older(tmp, dirs, labs):
    old = os.path.join(tmp, "labA-v3.sqlite")
    v3_copy(labs["A"], old)
    digest = sha(old)
    db = os.path.join(tmp, "from-v3.sqlite")
    rc, out, err = run("catalog", "merge", db, old)
    check("an OTHER at schema 3: merged, said to be brought up in memory",
          rc == 0 and f"{old}: schema version 3, brought up to 4 in memory (the file is not changed)" in out
          and f"{old}: 4 runs added, 0 already present, 0 conflicts" in out, out + err)
    con = sqlite3.connect(old)
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    check("the schema-3 file is not changed (version 3, same bytes)", ver == 3 and sha(old) == digest, ver)
    ids = run_ids(db, dirs)
    rc, out, err = run("catalog", "show", db, str(ids["a1"]))
    check("its runs: cycles not measured, catalogued before schema 4; no conformance rows",
          "not measured: the run was catalogued before the catalogue kept cycles" in out
          and "no conformance table in this run" in out, out[-800:])
    rc, out, err = run("catalog", "merge", db, labs["A"])
    fills = [l for l in out.splitlines() if "(already present)" in l]
    check("merge of the same runs at schema 4: what DB lacked filled, said once per run",
          rc == 0 and f"run {ids['a1']} (already present): its conformance rows and its headline cycles from {labs['A']}" in out
          and len(fills) == 4 and f"{labs['A']}: 0 runs added, 4 already present, 0 conflicts" in out, out + err)
    check("after the fill: the runs' headline and conformance rows are lab A's",
          rows_by_sha(db, "headline") == rows_by_sha(labs["A"], "headline")
          and rows_by_sha(db, "conformance") == rows_by_sha(labs["A"], "conformance"), "differ")
    rc, out, err = run("catalog", "merge", db, labs["A"])
    check("a third merge fills nothing", rc == 0 and "(already present)" not in out, out)


def check_cli(tmp, labs):
    for args in (("catalog", "merge"), ("catalog", "merge", labs["A"]),
                 ("catalog", "merge", labs["A"], labs["B"], "--format", "md")):
        rc, out, err = run(*args)
        check(f"bad command line {' '.join(args[1:])}: exit 2, one line", rc == 2 and one_line(err), (rc, err))
    rc, out, err = run("catalog", "merge", "--help")
    check("catalog merge --help: exit 0, the synopsis and what merge does",
          rc == 0 and re.search(r"catalog merge DB OTHER\.db\.\.\.", out) and "  merge    " in out, out[:300])


def main():
    tmp = tempfile.mkdtemp(prefix="vb-catmerge-")
    try:
        dirs, labs = make_labs(tmp)
        check("two labs catalogued: A holds a1-a4, B holds a2, b1, b2",
              sorted(run_ids(labs["A"], dirs)) == ["a1", "a2", "a3", "a4"]
              and sorted(run_ids(labs["B"], dirs)) == ["a2", "b1", "b2"], RUNS)
        check_merge(tmp, dirs, labs)
        check_conflict(tmp, dirs, labs)
        check_transaction(tmp, dirs, labs)
        check_older(tmp, dirs, labs)
        check_cli(tmp, labs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("catalog_merge")


if __name__ == "__main__":
    main()
