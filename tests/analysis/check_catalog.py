#!/usr/bin/python3
"""The run catalogue (vmptrst-analyze catalog) on synthetic runs with known
hosts, microcode revisions and costs.

add (twice is one row; summary.csv and headline.csv made quietly first),
list and its filters, show, history (the table's values are the runs'
headline values; history.csv holds the same rows, an empty field where a
value is NULL; history.png and .svg valid; microcode changes marked;
emulated runs labelled), compare across revisions (+25 ticks per
instruction -> slower, identical samples -> same; a folder gone is one
line), migration from a v1 catalogue made here with the v1 DDL, a newer
schema refused, corrupted files, a bad headline.csv rolled back, bad
command lines (exit 2), two concurrent adds (nothing lost).
Prints "PASS name" / "FAIL name: why", like check.py.
"""
import os
import random
import re
import shutil
import sqlite3
import subprocess
import tempfile
import xml.etree.ElementTree as ET

from testlib import TOOL, check, run, rows_of, finish  # noqa: E402

UNROLLS = (1, 4, 16)
N = 300
MODEL = "Test CPU X-1234"

# name: host, microcode, start_time, cost per vmptrst (ticks), platform,
#       points.csv written, samples.csv's line end and whether it ends in one.
# Runs of one cost share their noise (one seed): only the bytes of
# samples.csv differ (line ends), so each is a run of its own and a
# comparison of two runs of one cost finds exactly no difference.
RUNS = {
    "r1": ("h1", "0x10", "2024-01-01T10:00:00Z", 20, "native", True, "\r\n", True),
    "r2": ("h1", "0x20", "2024-02-01T10:00:00Z", 45, "native", True, "\r\n", True),
    "r3": ("h2", "0x10", "2024-01-05T10:00:00Z", 20, "native", False, "\n", True),
    "r4": ("h2", "0x20", "2024-02-05T10:00:00Z", 20, "native", False, "\r\n", False),
    "r5": ("h3", "0x20", "2024-03-01T10:00:00Z", 20, "bochs", False, "\n", False),
}
SEED = {}


def make_run(d, name, model=MODEL):
    host, mc, start, cost, platform, points, eol, final = RUNS[name]
    rng = random.Random(SEED.get(name, 1))
    os.makedirs(d, exist_ok=True)
    rows = ["point,instruction,cpu,offset,unroll,sample,tsc,check"]
    for p, u in enumerate(UNROLLS):
        for s in range(N):
            base = round(40 + rng.gauss(0, 2))
            x = round(40 + cost * u + rng.gauss(0, 2))
            rows.append(f"{p},vmptrst,0,0,{u},{s},{x},ok")
            rows.append(f"{p},none,0,0,{u},{s},{base},ok")
    with open(os.path.join(d, "samples.csv"), "w", newline="") as f:
        f.write(eol.join(rows) + (eol if final else ""))
    meta = {"tool": "vmptrst-bench", "host": host, "cpu_model_name": model,
            "microcode": mc, "kernel": "6.1.0-test", "start_time": start,
            "config": "configs/cat.ini", "config_sha256": "ab" * 32,
            "platform": platform, "tsc_khz": "2000000"}
    with open(os.path.join(d, "meta.csv"), "w", newline="") as f:
        f.write("key,value\r\n" + "".join(f"{k},{v}\r\n" for k, v in meta.items()))
    if points:
        with open(os.path.join(d, "points.csv"), "w", newline="") as f:
            f.write("point,instruction,unroll,status,reason,records\r\n")
            for p, u in enumerate(UNROLLS):
                f.write(f"{p},vmptrst,{u},measured,,{2 * N}\r\n")
            f.write("3,vmptrst,64,skipped,not available,0\r\n")


def table(out):
    """The rows of a text table on stdout (cells apart by 2 spaces or more)."""
    return [re.split(r"\s{2,}", l.strip()) for l in out.splitlines()]


def one_line(err):
    return err.count("\n") == 1 and err.startswith("vmptrst-analyze: ")


V1_DDL = """
CREATE TABLE run (id INTEGER PRIMARY KEY, samples_sha256 TEXT NOT NULL UNIQUE,
 path TEXT NOT NULL, host TEXT NOT NULL, cpu_model TEXT NOT NULL,
 microcode TEXT NOT NULL, kernel TEXT NOT NULL, start_time TEXT NOT NULL,
 config TEXT NOT NULL, config_sha256 TEXT NOT NULL, platform TEXT NOT NULL,
 added TEXT NOT NULL);
CREATE TABLE meta (run_id INTEGER NOT NULL REFERENCES run(id), key TEXT NOT NULL,
 value TEXT NOT NULL, PRIMARY KEY (run_id, key));
CREATE TABLE point (run_id INTEGER NOT NULL REFERENCES run(id), point TEXT NOT NULL,
 status TEXT NOT NULL);
CREATE TABLE summary (run_id INTEGER NOT NULL REFERENCES run(id), point TEXT NOT NULL,
 instruction TEXT NOT NULL, setup TEXT NOT NULL, metric TEXT NOT NULL, n INTEGER,
 median REAL, net_per_insn REAL, net_ci_low REAL, net_ci_high REAL);
CREATE TABLE headline (run_id INTEGER NOT NULL REFERENCES run(id),
 instruction TEXT NOT NULL, setup TEXT NOT NULL, unroll TEXT NOT NULL,
 points TEXT NOT NULL, method TEXT NOT NULL, ticks REAL, ci_low REAL, ci_high REAL,
 ns REAL, ns_ci_low REAL, ns_ci_high REAL, reason TEXT NOT NULL);
CREATE INDEX point_run ON point(run_id);
CREATE INDEX summary_run ON summary(run_id);
CREATE INDEX headline_setup ON headline(setup, run_id);
"""


def v1_fixture(path):
    """A version 1 catalogue: a native run, a Bochs run, and a native run
    whose meta says its timing is emulated."""
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    for i, (host, plat) in enumerate((("old1", "native"), ("old2", "bochs"),
                                      ("old3", "native")), 1):
        db.execute("INSERT INTO run VALUES (?, ?, ?, ?, ?, '0x01', 'k', ?, 'c', 'h', ?, 'now')",
                   (i, f"{i:064x}", f"/gone/{host}", host, MODEL, f"2023-0{i}-01T00:00:00Z", plat))
        db.execute("INSERT INTO meta VALUES (?, 'host', ?)", (i, host))
        db.execute("INSERT INTO headline VALUES (?, 'vmptrst', 'instruction=vmptrst cpu=0 offset=0', '1 4 16', '0 1 2', 'slope', 20, 19, 21, 10, 9.5, 10.5, '')", (i,))
    db.execute("INSERT INTO meta VALUES (3, 'timing_note', 'emulated (tcg)')")
    db.execute("PRAGMA user_version = 1")
    db.commit()
    db.close()


def headline_ticks(d):
    """The vmptrst row's ticks_per_insn of a run's headline.csv."""
    return [float(r["ticks_per_insn"]) for r in rows_of(os.path.join(d, "headline.csv"))
            if r["instruction"] == "vmptrst"]


def check_add_list_show(tmp, db, dirs):
    rc, out, err = run("catalog", "add", db, *[dirs[n] for n in ("r1", "r2", "r3", "r4", "r5")])
    check("catalog: add of five runs exits 0", rc == 0, err)
    check("catalog: add says 5 added", "5 added, 0 already there, 0 failed" in out, out)
    check("catalog: add made summary.csv and headline.csv first, quietly",
          all(os.path.exists(os.path.join(dirs[n], f)) for n in RUNS
              for f in ("summary.csv", "headline.csv")) and "wrote" not in out, out)
    rc, out, err = run("catalog", "add", db, dirs["r1"], dirs["r2"])
    check("catalog: the same runs again are not added twice", rc == 0 and
          "0 added, 2 already there" in out and "already catalogued as run 1" in out, out + err)
    con = sqlite3.connect(db)
    n_run = con.execute("SELECT count(*) FROM run").fetchone()[0]
    n_head = con.execute("SELECT count(*) FROM headline WHERE run_id = 1").fetchone()[0]
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    con.close()
    check("catalog: five runs, one row each (keyed by samples.csv's SHA-256)", n_run == 5, n_run)
    check("catalog: run 1's headline rows imported once", n_head == len(rows_of(os.path.join(dirs["r1"], "headline.csv"))), n_head)
    check("catalog: a new catalogue is schema version 4", ver == 4, ver)

    rc, out, err = run("catalog", "list", db)
    t = table(out)
    check("catalog: list exits 0 with a header and five runs", rc == 0 and t[0][:3] == ["run", "date", "host"]
          and len(t) == 7 and out.rstrip().endswith("5 runs"), out + err)
    r1 = t[1] if len(t) > 1 else []
    check("catalog: list row of run 1: date, host, CPU model, microcode, kernel, config, platform, points",
          r1 == ["1", RUNS["r1"][2], "h1", MODEL, "0x10", "6.1.0-test", "configs/cat.ini", "native", "4"], r1)
    r3 = ([r for r in t if r[0] == "3"] + [[]])[0]
    check("catalog: list counts summary.csv's points when there is no points.csv", r3[-1:] == ["3"], r3)
    check("catalog: list marks the Bochs run emulated", any("bochs (emulated)" in l for l in out.splitlines()), out)
    filters = [
        (("--host", "h1"), {1, 2}),
        (("--microcode", "0x20"), {2, 4, 5}),
        (("--microcode", "0X10"), {1, 3}),
        (("--cpu-model", "x-1234"), {1, 2, 3, 4, 5}),
        (("--cpu-model", "Other"), set()),
        (("--kernel", "6.1.0-test", "--host", "h2"), {3, 4}),
        (("--config", "configs/other.ini"), set()),
        (("--since", "2024-02"), {2, 4, 5}),
        (("--until", "2024-01"), {1, 3}),
        (("--since", "2024-01-05", "--until", "2024-02-01"), {2, 3}),
    ]
    for args, want in filters:
        rc, out, err = run("catalog", "list", db, *args)
        got = {int(r[0]) for r in table(out)[1:-1]}
        check(f"catalog: list {' '.join(args)} -> runs {sorted(want)}", rc == 0 and got == want, f"{got} {err}")

    rc, out, err = run("catalog", "show", db, "2")
    ticks = headline_ticks(dirs["r2"])[0]
    check("catalog: show 2 gives the folder, the meta rows and the headline row",
          rc == 0 and dirs["r2"] in out and re.search(r"^microcode\s+0x20$", out, re.M) and
          "instruction=vmptrst cpu=0 offset=0" in out and f"{ticks:.4g}" in out, out + err)
    rc, out, err = run("catalog", "show", db, "99")
    check("catalog: show of an unknown run exits 1, one line", rc == 1 and one_line(err), err)


def check_history(tmp, db, dirs):
    hd = os.path.join(tmp, "hist")
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmptrst offset=0", "-o", hd)
    check("catalog: history exits 0", rc == 0, err)
    rows = [r for r in table(out) if r and re.fullmatch(r"h\d", r[0])]
    got = {(r[0], r[3]): float(r[6].split()[0]) for r in rows}
    want = {(RUNS[n][0], str(i)): headline_ticks(dirs[n])[0]
            for i, n in enumerate(("r1", "r2", "r3", "r4", "r5"), 1)}
    check("catalog: history has one row per run, each the run's headline ticks",
          set(got) == set(want) and all(abs(got[k] - want[k]) <= 1e-5 * abs(want[k]) for k in want),
          f"{got} {want}")
    check("catalog: history rows by host in date order, each change of microcode marked",
          [(r[3], r[2]) for r in rows] == [("1", "0x10"), ("2", "0x20 (changed)"), ("3", "0x10"),
                                           ("4", "0x20 (changed)"), ("5", "0x20")], rows)
    check("catalog: history labels the Bochs run emulated", "bochs (emulated: not real timing)" in out, out)
    check_history_csv(hd, out, rows, want)
    png, svg = os.path.join(hd, "history.png"), os.path.join(hd, "history.svg")
    ok_png = os.path.exists(png) and open(png, "rb").read(8) == b"\x89PNG\r\n\x1a\n" and os.path.getsize(png) > 1000
    check("catalog: history.png is a PNG", ok_png, png)
    try:
        ok_svg = ET.parse(svg).getroot().tag.endswith("svg")
    except (OSError, ET.ParseError) as e:
        ok_svg = str(e)
    check("catalog: history.svg is well-formed SVG", ok_svg is True, ok_svg)
    gp = open(os.path.join(hd, "history.gp")).read() if os.path.exists(os.path.join(hd, "history.gp")) else ""
    check("catalog: history.gp marks h1's and h2's microcode changes on the time axis",
          gp.count("set arrow") == 2 and '"2024-02-01T10:00:00Z"' in gp and "h1: microcode 0x20" in gp
          and "h2: microcode 0x20" in gp, gp[-800:])
    check("catalog: history plot carries the emulated label", "EMULATED" in gp and "emulated" in gp, gp[:600])
    check_history_null(tmp, db)
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmptrst offset=0", "--host", "h2", "-o", hd)
    check("catalog: history --host h2 shows only h2's runs",
          rc == 0 and sorted(r[3] for r in table(out) if re.fullmatch(r"h\d", r[0])) == ["3", "4"], out + err)
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=mov")
    check("catalog: history of a setup no run has exits 1, one line", rc == 1 and one_line(err), err)
    rc, out, err = run("catalog", "history", db, "--setup", "offset")
    check("catalog: history --setup without axis=value exits 2", rc == 2 and one_line(err), err)


HIST_COLS = ["host", "start_time", "microcode", "microcode_changed", "run", "platform",
             "emulated", "setup", "method", "ticks_per_insn", "ci_low", "ci_high",
             "ns_per_insn", "ns_ci_low", "ns_ci_high", "cycles_per_insn", "cycles_ci_low",
             "cycles_ci_high", "cycles_source", "clock_moved_pct", "cycles_reason", "previous_run",
             "ticks_change", "ticks_change_pct", "cycles_change", "cycles_change_pct", "reason"]


def check_history_csv(hd, out, rows, want):
    """history.csv against the table history printed and the runs' headline."""
    p = os.path.join(hd, "history.csv")
    check("catalog: history says it wrote history.csv", f"wrote {p}" in out, out[-400:])
    if not os.path.exists(p):
        check("catalog: history.csv written", False, p)
        return
    with open(p, newline="") as f:
        head = f.readline().rstrip("\r\n").split(",")
    check("catalog: history.csv's header", head == HIST_COLS, head)
    if head != HIST_COLS:
        return
    got = rows_of(p)
    check("catalog: history.csv has the table's rows, in its order (host, date, run)",
          [(r["host"], r["start_time"], r["run"]) for r in got] == [(r[0], r[1], r[3]) for r in rows],
          [(r["host"], r["run"]) for r in got])
    check("catalog: history.csv's ticks_per_insn are the runs' headline values, full precision",
          all(float(r["ticks_per_insn"]) == want[(r["host"], r["run"])] for r in got),
          [(r["run"], r["ticks_per_insn"]) for r in got])
    check("catalog: history.csv: microcode changes and the emulated run flagged yes/no",
          [(r["run"], r["microcode"], r["microcode_changed"], r["emulated"]) for r in got] ==
          [("1", "0x10", "no", "no"), ("2", "0x20", "yes", "no"), ("3", "0x10", "no", "no"),
           ("4", "0x20", "yes", "no"), ("5", "0x20", "no", "yes")], got)
    ns_ok = all(float(r["ns_ci_low"]) <= float(r["ns_per_insn"]) <= float(r["ns_ci_high"])
                and abs(float(r["ns_per_insn"]) - float(r["ticks_per_insn"]) / 2) < 1e-9 for r in got)
    check("catalog: history.csv's ns_per_insn are ticks at 2 GHz, inside their CI", ns_ok,
          [(r["ticks_per_insn"], r["ns_per_insn"]) for r in got])


def check_history_null(tmp, db):
    """A headline value the catalogue holds as NULL: an empty field, never 0."""
    db2 = os.path.join(tmp, "null.sqlite")
    shutil.copy(db, db2)
    con = sqlite3.connect(db2)
    con.execute("UPDATE headline SET ns = NULL, ns_ci_low = NULL, ns_ci_high = NULL, reason = 'no tsc_khz' WHERE run_id = 3")
    con.commit()
    con.close()
    hd = os.path.join(tmp, "hist-null")
    rc, out, err = run("catalog", "history", db2, "--setup", "instruction=vmptrst offset=0", "-o", hd)
    got = rows_of(os.path.join(hd, "history.csv")) if rc == 0 else []
    r3 = [r for r in got if r["run"] == "3"]
    check("catalog: history.csv writes a NULL ns as empty fields, with the row's reason",
          len(r3) == 1 and tuple(r3[0].get(k) for k in ("ns_per_insn", "ns_ci_low", "ns_ci_high", "reason")) == ("", "", "", "no tsc_khz")
          and r3[0].get("ticks_per_insn") and all(r.get("ns_per_insn") for r in got if r["run"] != "3"), (rc, err, r3))
    blocked = os.path.join(tmp, "hist-blocked")
    os.makedirs(os.path.join(blocked, "history.csv"))
    rc, out, err = run("catalog", "history", db2, "--setup", "instruction=vmptrst offset=0", "-o", blocked)
    check("catalog: history.csv that cannot be written: exit 1, one line naming it",
          rc == 1 and one_line(err) and os.path.join(blocked, "history.csv") in err, f"{rc} {err}")


def verdicts(d):
    p = os.path.join(d, "compare.csv")
    return sorted({r["verdict"] for r in rows_of(p)}) if os.path.exists(p) else None


def check_compare(tmp, db, dirs):
    # r6: r2's numbers (LF line ends), host h4, then its folder removed
    d6 = os.path.join(tmp, "r6")
    RUNS["r6"] = ("h4",) + RUNS["r2"][1:6] + ("\n", True)
    make_run(d6, "r6")
    rc, out, err = run("catalog", "add", db, d6)
    check("catalog: a sixth run added", rc == 0 and "1 added" in out, out + err)
    shutil.rmtree(d6)
    cd = os.path.join(tmp, "cmp")
    rc, out, err = run("catalog", "compare", db, "--microcode", "0x10", "--microcode", "0x20",
                       "--model", "x-1234", "-o", cd)
    check("catalog: compare exits 0", rc == 0, err[-600:])
    last = out.rstrip().splitlines()[-1] if out.strip() else ""
    check("catalog: compare's closing count: 8 pairs, 2 skipped, slower 6, same 12",
          "8 pairs (6 compared, 2 skipped: folder gone, 0 failed); faster 0, slower 6, same 12, no verdict 0, only-A 0, only-B 0" in last, last)
    check("catalog: the gone folder is one line per pair, and compare goes on",
          out.count("is gone (no samples.csv): pair skipped") == 2 and out.count("== pair ") == 8, out[-1500:])
    check("catalog: +25 ticks per instruction (0x10 -> 0x20 on h1) is slower at every point",
          verdicts(os.path.join(cd, "run1-run2")) == ["slower"], verdicts(os.path.join(cd, "run1-run2")))
    check("catalog: identical samples (0x10 -> 0x20 on h2) are the same at every point",
          verdicts(os.path.join(cd, "run3-run4")) == ["same"], verdicts(os.path.join(cd, "run3-run4")))
    check("catalog: compare prints compare's verdict lines with effect sizes",
          re.search(r"^slower\s+0\s+0 .*B-A \+25", out, re.M) is not None, out[:1500])
    check("catalog: the Bochs run (another platform, same model) is paired and compare warns",
          os.path.isdir(os.path.join(cd, "run1-run5")) and "WARNING: emulated run" in out, os.listdir(cd) if os.path.isdir(cd) else cd)
    rc, out, err = run("catalog", "compare", db, "--microcode", "0x10", "--microcode", "0x20",
                       "--model", "Nothing like it", "-o", cd)
    check("catalog: compare with no pair says so and exits 0",
          rc == 0 and "no pair of runs" in out and "0 pairs" in out, out + err)


def check_schema(tmp, dirs):
    v1 = os.path.join(tmp, "v1.sqlite")
    v1_fixture(v1)
    rc, out, err = run("catalog", "list", v1)
    check("catalog: a v1 catalogue opens (migrated) and lists its runs", rc == 0 and "3 runs" in out, out + err)
    con = sqlite3.connect(v1)
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    emu = dict(con.execute("SELECT host, emulated FROM run").fetchall())
    conf = con.execute("SELECT count(*) FROM conformance").fetchone()[0]
    con.close()
    check("catalog: migration v1 -> v4 sets user_version 4, with an empty conformance table",
          ver == 4 and conf == 0, (ver, conf))
    check("catalog: migration fills run.emulated from platform and timing_note",
          emu == {"old1": 0, "old2": 1, "old3": 1}, emu)
    check("catalog: the migrated catalogue labels the emulated runs in list",
          out.count("(emulated)") == 2, out)
    rc, out, err = run("catalog", "add", v1, dirs["r1"])
    check("catalog: a migrated catalogue takes a new run", rc == 0 and "1 added" in out, out + err)

    new = os.path.join(tmp, "v5.sqlite")
    con = sqlite3.connect(new)
    con.execute("CREATE TABLE run (id INTEGER)")
    con.execute("PRAGMA user_version = 5")
    con.commit()
    con.close()
    rc, out, err = run("catalog", "list", new)
    check("catalog: a newer catalogue (version 5) is refused: exit 1, one line naming it",
          rc == 1 and one_line(err) and new in err and "newer" in err, err)
    rc, out, err = run("catalog", "add", new, dirs["r1"])
    check("catalog: add into a newer catalogue is refused too", rc == 1 and "newer" in err, err)

    bad = os.path.join(tmp, "garbage.sqlite")
    with open(bad, "wb") as f:
        f.write(random.Random(9).randbytes(8192))
    rc, out, err = run("catalog", "list", bad)
    check("catalog: a corrupted file (not a database): exit 1, one line naming it",
          rc == 1 and one_line(err) and bad in err, err)
    rc, out, err = run("catalog", "add", bad, dirs["r1"])
    check("catalog: add to a corrupted file: exit 1", rc == 1 and one_line(err), err)

    # a real catalogue whose pages after the header are overwritten
    torn = os.path.join(tmp, "torn.sqlite")
    run("catalog", "add", torn, dirs["r1"])
    with open(torn, "r+b") as f:
        f.seek(100)
        f.write(b"\xa5" * (os.path.getsize(torn) - 100))
    rc, out, err = run("catalog", "list", torn)
    check("catalog: a catalogue with corrupted pages: exit 1, one line naming it",
          rc == 1 and one_line(err) and torn in err, err)

    other = os.path.join(tmp, "other.sqlite")
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    rc, out, err = run("catalog", "list", other)
    check("catalog: another program's SQLite file is refused, one line",
          rc == 1 and one_line(err) and "not a vmptrst-analyze catalogue" in err, err)
    rc, out, err = run("catalog", "list", os.path.join(tmp, "none.sqlite"))
    check("catalog: list of a missing catalogue exits 1, one line", rc == 1 and one_line(err), err)


def check_bad_input(tmp, dirs):
    db = os.path.join(tmp, "bad.sqlite")
    d = os.path.join(tmp, "badrun")
    shutil.copytree(dirs["r3"], d)
    h = os.path.join(d, "headline.csv")
    lines = open(h, newline="").read().split("\r\n")
    lines[1] += ",extra"
    open(h, "w", newline="").write("\r\n".join(lines))
    run("catalog", "add", db, dirs["r1"])
    rc, out, err = run("catalog", "add", db, d)
    check("catalog: a bad headline.csv row: exit 1, one line naming file and line",
          rc == 1 and one_line(err) and f"{h}:2:" in err, err)
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM run").fetchone()[0]
    con.close()
    check("catalog: the bad run is rolled back (the catalogue keeps one run)", n == 1, n)
    rc, out, err = run("catalog", "add", db, os.path.join(tmp, "no-such-run"))
    check("catalog: add of a missing folder exits 1, one line", rc == 1 and one_line(err), err)
    for args in (("catalog",), ("catalog", "frob"), ("catalog", "list"),
                 ("catalog", "list", db, "--bogus", "x"), ("catalog", "add", db),
                 ("catalog", "show", db, "abc"),
                 ("catalog", "compare", db, "--microcode", "0x10"),
                 ("catalog", "list", db, "--host")):
        rc, out, err = run(*args)
        check(f"catalog: bad command line {' '.join(args[1:]) or '(none)'} exits 2, one line",
              rc == 2 and one_line(err), f"{rc} {err}")
    rc, out, err = run("catalog", "--help")
    check("catalog: --help exits 0", rc == 0 and "catalog history" in out, err)


def check_concurrent(tmp, dirs):
    db = os.path.join(tmp, "conc.sqlite")
    extra = []
    for i in range(6):
        d = os.path.join(tmp, f"c{i}")
        RUNS[f"c{i}"] = (f"c{i}", "0x10", f"2024-04-0{i + 1}T00:00:00Z", 20, "native", False, "\r\n", True)
        SEED[f"c{i}"] = 100 + i
        make_run(d, f"c{i}")
        run("summary", d)
        extra.append(d)
    ps = [subprocess.Popen([TOOL, "catalog", "add", db, *extra[k::2]],
                           stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
          for k in (0, 1)]
    res = [p.communicate() + (p.returncode,) for p in ps]
    check("catalog: two concurrent adds both exit 0",
          all(r[2] == 0 and "3 added" in r[0] for r in res), res)
    con = sqlite3.connect(db)
    hosts = sorted(h for (h,) in con.execute("SELECT host FROM run"))
    heads = con.execute("SELECT count(DISTINCT run_id) FROM headline").fetchone()[0]
    con.close()
    check("catalog: after two concurrent adds every run is there, with its rows",
          hosts == [f"c{i}" for i in range(6)] and heads == 6, (hosts, heads))


def main():
    tmp = tempfile.mkdtemp(prefix="vb-catalog-")
    try:
        dirs = {n: os.path.join(tmp, n) for n in RUNS}
        for n, d in dirs.items():
            make_run(d, n)
        db = os.path.join(tmp, "lab.sqlite")
        check_add_list_show(tmp, db, dirs)
        check_history(tmp, db, dirs)
        check_compare(tmp, db, dirs)
        check_schema(tmp, dirs)
        check_bad_input(tmp, dirs)
        check_concurrent(tmp, dirs)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("catalog")


if __name__ == "__main__":
    main()
