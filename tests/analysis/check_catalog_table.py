#!/usr/bin/python3
"""catalog table DB: the VMX cost table of two labs' catalogues (catlabs.py)
merged, with known answers.

- rows: one CPU model, two microcode revisions (0x10, 0x20: two rows), a
  second kernel for 0x10 whose run has no cycles (every cell a dash, the
  note saying why: core clock unknown), the Bochs run a row of its own,
  labelled emulated;
- columns: vmptrst first, then by instruction, an instruction's mode=root
  setup before mode=guest; the rest of the VMX family (vmread field=...,
  invept type=..., vmxon-vmxoff, VM exits per reason and half) added here as
  headline rows become columns of their own, in that order;
- cells: the newest run of the row with a value (a3 over a1 for vmptrst,
  a1 for the guest setup a3 lacks), named in a note; the values are the
  latencies genclock.py measured at (vmptrst 25 and 31 cycles, ...);
- Markdown parsed with python3-markdown: one <table> whose cells are the
  CSV's values; CSV read back against the catalogue by an independent
  reading of the rule; HTML well formed with the same table;
- the default metric falls back to TSC ticks, said on stderr and in the
  table, when no run has cycles; --metric ns; -o FILE; bad command lines.
Prints "PASS name" / "FAIL name: why"."""
import csv
import io
import os
import re
import shutil
import sqlite3
import tempfile
import xml.etree.ElementTree as ET

from catlabs import MODEL, make_labs, one_line, run_ids
from testlib import check, run, finish

try:
    import markdown
except ImportError as e:  # the check below says so
    markdown = e

EMU = " (emulated: timings meaningless)"
COMMON = "offset=0 cache=hot memtype=wb page=4k tlb=warm ad=set vmcs=loaded serialize=lfence"
# The rest of the family as headline rows of run b1: (instruction, extra words, cycles)
FAMILY = [("vmread", "field=0x4400", 80.0), ("vmread", "field=0x6c00", 85.0),
          ("invept", "type=single", 300.0), ("invept", "type=global", 400.0),
          ("vmxon-vmxoff", "", 1500.0), ("vmexit", "reason=cpuid half=exit", 700.0),
          ("vmexit", "reason=cpuid half=round-trip", 1300.0)]
WANT_COLS = ["vmptrst", "vmptrst mode=guest", "add", "chase", "imul",
             "invept type=global", "invept type=single", "mov", "vmcall mode=guest",
             "vmexit reason=cpuid half=exit", "vmexit reason=cpuid half=round-trip",
             "vmread field=0x4400", "vmread field=0x6c00", "vmxon-vmxoff"]
KEYS = ["CPU model", "microcode", "kernel", "platform", "runs"]


def setup_key(setup):
    """The setup a column stands for: without cpu=N and mode=root."""
    return " ".join(w for w in setup.split() if w != "mode=root" and not w.startswith("cpu="))


def add_family(db, run_id):
    con = sqlite3.connect(db)
    for insn, words, cyc in FAMILY:
        setup = f"instruction={insn} mode=root cpu=2 {COMMON}" + (f" {words}" if words else "")
        con.execute("INSERT INTO headline (run_id, instruction, setup, unroll, points, method, ticks, ci_low, ci_high, ns, ns_ci_low, ns_ci_high, reason, cycles, cycles_ci_low, cycles_ci_high, cycles_source, clock_moved_pct) VALUES (?, ?, ?, '16 64 256', '', 'slope', ?, ?, ?, ?, ?, ?, '', ?, ?, ?, 'add chain', 0.5)",
                    (run_id, insn, setup, cyc / 1.675, cyc / 1.7, cyc / 1.65, cyc / 3, cyc / 3.1, cyc / 2.9, cyc, cyc * 0.99, cyc * 1.01))
    con.commit()
    con.close()


def expected(db, metric="cycles"):
    """The rule read independently: {(model, mc, kernel, platform, emulated,
    instruction, setup): (run, (value, lo, hi), [run ids newest first],
    whether a reason is due: no value, or headline.csv says unresolved)}."""
    v = {"cycles": "h.cycles, h.cycles_ci_low, h.cycles_ci_high", "ticks": "h.ticks, h.ci_low, h.ci_high",
         "ns": "h.ns, h.ns_ci_low, h.ns_ci_high"}[metric]
    con = sqlite3.connect(db)
    rows = con.execute(f"SELECT r.id, r.cpu_model, r.microcode, r.kernel, r.platform, r.emulated, r.start_time, h.instruction, h.setup, {v}, h.reason FROM headline h JOIN run r ON r.id = h.run_id ORDER BY h.rowid").fetchall()
    con.close()
    cand = {}
    for r in rows:
        key = (r[1], r[2], r[3], r[4], "yes" if r[5] else "no", r[7], setup_key(r[8]))
        if all(c[0] != r[0] for c in cand.get(key, [])):
            cand.setdefault(key, []).append((r[0], r[6], r[9:12], r[12]))
    out = {}
    for key, c in cand.items():
        c.sort(key=lambda x: (x[1][:1].isdigit(), x[1], x[0]), reverse=True)
        pick = next((x for x in c if x[2][0] is not None), c[0])
        out[key] = (pick[0], pick[2], [x[0] for x in c], pick[2][0] is None or pick[3].startswith("unresolved"))
    return out


def num(s):
    return None if s == "" else float(s)


def check_csv(db, text, metric="cycles"):
    got = list(csv.DictReader(io.StringIO(text)))
    want = expected(db, metric)
    keyed = {(r["cpu_model"], r["microcode"], r["kernel"], r["platform"], r["emulated"], r["instruction"], r["setup"]): r
             for r in got}
    check(f"CSV ({metric}): one row per row and column a run measured, none else",
          len(keyed) == len(got) == len(want) and set(keyed) == set(want), (len(got), len(want), set(keyed) ^ set(want)))
    bad = []
    for k, (rid, vals, runs, why) in want.items():
        r = keyed.get(k, {})
        if (int(r.get("run", 0)) != rid or tuple(num(r.get(c, "")) for c in ("value", "ci_low", "ci_high")) != vals
                or r.get("runs", "").split() != [str(x) for x in runs] or r.get("metric") != metric
                or why != bool(r.get("reason"))):
            bad.append((k[5:], r.get("run"), rid, r.get("value"), vals, r.get("runs"), runs))
    check(f"CSV ({metric}) read back: each cell the newest run of its row with a value, its value and interval exactly the catalogue's, the runs it was chosen from, a reason where empty or unresolved",
          not bad, bad[:3])
    return keyed


def md_table(text):
    html = markdown.markdown(text, extensions=["tables"])
    tables = ET.fromstring("<div>" + html + "</div>").findall(".//table")
    if len(tables) != 1:
        return None, None, len(tables)
    t = tables[0]
    head = ["".join(th.itertext()) for th in t.findall("./thead/tr/th")]
    body = [["".join(td.itertext()) for td in tr.findall("./td")] for tr in t.findall("./tbody/tr")]
    return head, body, 1


def notes(text):
    return dict(re.findall(r"^- \((\d+)\) (.*)$", text, re.M))


def check_md(text, keyed, ids):
    if isinstance(markdown, Exception):
        check("python3-markdown to read the Markdown table", False, markdown)
        return None, None
    head, body, n = md_table(text)
    check("Markdown: python-markdown makes exactly one <table> of it", n == 1, n)
    if n != 1:
        return None, None
    check("Markdown: the header: the row keys, then the columns vmptrst first, mode=guest after root, the family as new columns",
          head == KEYS + WANT_COLS, head)
    check("Markdown: the words every column has are said above the table",
          f"every column's setup also has {COMMON}" in text, text[:800])
    rows = [(r[1], r[2], r[3]) for r in body]
    check("Markdown: four rows, microcode 0x10 before 0x20, the second kernel a row, the Bochs run a row of its own",
          rows == [("0x10", "6.1.0-test", "native"), ("0x10", "6.12.0-test", "native"),
                   ("0x20", "6.1.0-test", "bochs" + EMU), ("0x20", "6.1.0-test", "native")]
          and all(r[0] == MODEL for r in body), rows)
    bad = []
    for r in body:
        for c, label in enumerate(WANT_COLS):
            cell = r[len(KEYS) + c]
            hit = [v for k, v in keyed.items() if (k[1], k[2]) == (r[1], r[2]) and v["column"] == label
                   and (v["platform"] + (EMU if v["emulated"] == "yes" else "")) == r[3]]
            val = re.sub(r" \(\d+\)$", "", cell)
            if not hit:
                ok = cell == ""
            elif hit[0]["value"] == "":
                ok = val == "\u2014"
            else:
                ok = val == "%.4g [%.4g, %.4g]" % tuple(float(hit[0][x]) for x in ("value", "ci_low", "ci_high"))
            if not ok:
                bad.append((r[1:4], label, cell, hit[0]["value"] if hit else None))
    check("Markdown: every cell is the CSV's value [CI] to 4 digits, a dash when not measured, empty when no run has it",
          not bad, bad[:4])
    nt = notes(text)
    marks = {m for r in body for m in re.findall(r"\((\d+)\)$", " ".join(r))} | \
            {m for r in body for cell in r for m in re.findall(r" \((\d+)\)$", cell)}
    check("Markdown: every note a cell points to is listed under the table", marks and marks <= set(nt), (marks, nt))
    return body, nt


def check_answers(body, nt, ids):
    """The known latencies and the rule's picks, as the reader sees them."""
    row = {(r[1], r[2], r[3]): dict(zip(KEYS + WANT_COLS, r)) for r in body}
    r1, r2 = row[("0x10", "6.1.0-test", "native")], row[("0x10", "6.12.0-test", "native")]
    emu, r4 = row[("0x20", "6.1.0-test", "bochs" + EMU)], row[("0x20", "6.1.0-test", "native")]

    def val(cell):
        m = re.match(r"([\d.]+) \[", cell)
        return float(m.group(1)) if m else None

    def note(cell):
        m = re.search(r" \((\d+)\)$", cell)
        return nt.get(m.group(1), "") if m else ""
    near = lambda cell, x: val(cell) is not None and abs(val(cell) - x) / x < 0.02  # noqa: E731
    check("known answers: vmptrst 25 cycles (0x10, a3), 31 (0x20, b1); guest 300 (a1) and 310 (a2); 500 emulated",
          near(r1["vmptrst"], 25) and near(r4["vmptrst"], 31) and near(r1["vmptrst mode=guest"], 300)
          and near(r4["vmptrst mode=guest"], 310) and near(emu["vmptrst"], 500), (r1, r4, emu))
    check("the rule: vmptrst on 0x10 from a3, the newest of a3 and a1, said in its note",
          note(r1["vmptrst"]) == f"run {ids['a3']} (2024-06-04T10:00:00Z), the newest with a value of runs {ids['a3']}, {ids['a1']}",
          note(r1["vmptrst"]))
    check("the rule: the guest setup a3 lacks comes from a1, its note names a1 alone",
          note(r1["vmptrst mode=guest"]) == f"run {ids['a1']} (2024-06-01T10:00:00Z)", note(r1["vmptrst mode=guest"]))
    check("a row whose run has no cycles: every cell a dash, the note says not measured and why, no number",
          all(r2[c] in ("", ) or r2[c].startswith("\u2014 (") for c in WANT_COLS) and r2["vmptrst"].startswith("\u2014")
          and note(r2["vmptrst"]) == f"run {ids['a4']} (2024-06-03T10:00:00Z): not measured: core clock unknown: no cycles (no APERF/MPERF, cycles event or add chain)"
          and r2["add"] == "", (r2, note(r2["vmptrst"])))
    check("the emulated row says so in its platform cell", emu["platform"] == "bochs" + EMU, emu["platform"])
    check("the family's columns: b1's values in its row (vmread 80, invept single 300), empty in the others",
          near(r4["vmread field=0x4400"], 80) and near(r4["invept type=single"], 300)
          and near(r4["vmexit reason=cpuid half=round-trip"], 1300)
          and r1["vmread field=0x4400"] == "" and emu["vmxon-vmxoff"] == "", (r4, r1["vmread field=0x4400"]))


def check_html(db, body):
    rc, text, err = run("catalog", "table", db, "--format", "html")
    check("HTML: exit 0, a standalone page", rc == 0 and text.startswith("<!DOCTYPE html>\n<html>")
          and "<style>" in text and text.rstrip().endswith("</html>"), (rc, err, text[:100]))
    try:
        root = ET.fromstring(text.split("\n", 1)[1])
    except ET.ParseError as e:
        check("HTML: well formed", False, e)
        return
    check("HTML: well formed (every element closed)", root.tag == "html", root.tag)
    t = root.find(".//table")
    head = ["".join(th.itertext()) for th in t.findall("./thead/tr/th")]
    rows = t.findall("./tbody/tr")
    cells = [[re.sub(r" \d+$", "", "".join(td.itertext())) if td.find("sup") is not None else "".join(td.itertext())
              for td in tr.findall("./td")] for tr in rows]
    md = [[re.sub(r" \(\d+\)$", "", c) for c in r] for r in body or []]
    check("HTML: the same header and cells as the Markdown", head == KEYS + WANT_COLS and cells == md,
          (head, cells[:1], md[:1]))
    check("HTML: the emulated row marked, the notes linked",
          [tr.get("class") for tr in rows] == [None, None, "emulated", None]
          and all(root.find(f".//li[@id='{a.get('href')[1:]}']") is not None for a in t.iter("a")),
          [tr.get("class") for tr in rows])


def check_fallback(tmp, dirs):
    db = os.path.join(tmp, "nocycles.sqlite")
    run("catalog", "add", db, dirs["a4"])
    rc, out, err = run("catalog", "table", db)
    check("no run with cycles, default metric: falls back to TSC ticks, one warning line on stderr, exit 0",
          rc == 0 and one_line(err) and "warning:" in err and "no run in the catalogue has core cycles" in err
          and "TSC ticks" in err, (rc, err))
    check("the fallback said in the table too", out.split("\n\n")[1].startswith("No run in the catalogue has core cycles, so: TSC ticks per instruction"),
          out[:300])
    rc, out, err = run("catalog", "table", db, "--format", "csv")
    check_csv(db, out, "ticks")
    rc, out, err = run("catalog", "table", db, "--metric", "cycles", "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out)))
    check("--metric cycles asked: no fallback, no warning, every value empty with its reason, never 0",
          rc == 0 and err == "" and rows and all(r["value"] == "" and r["reason"].startswith("core clock unknown") for r in rows),
          (err, rows[:1]))


def check_cli(tmp, db):
    rc, out, err = run("catalog", "table", db, "--metric", "ns", "--format", "csv")
    check_csv(db, out, "ns")
    f = os.path.join(tmp, "table.md")
    rc, out, err = run("catalog", "table", db, "-o", f)
    check("-o FILE: the table in FILE, nothing on stdout", rc == 0 and out == "" and open(f).read().startswith("# VMX cost table"), (rc, err))
    empty = os.path.join(tmp, "empty.sqlite")
    open(empty, "w").close()
    for args, want in ((("--format", "xml"), 2), (("--metric", "watts"), 2), (("--bogus",), 2), (("extra",), 2),
                       (("-o", os.path.join(tmp, "no", "such", "dir.md")), 1)):
        rc, out, err = run("catalog", "table", db, *args)
        check(f"catalog table {' '.join(args)}: exit {want}, one line", rc == want and one_line(err), (rc, err))
    rc, out, err = run("catalog", "table", empty)
    check("an empty catalogue: exit 1, one line naming it", rc == 1 and one_line(err) and empty in err
          and "no headline rows" in err, (rc, err))
    rc, out, err = run("catalog", "table", "--help")
    check("catalog table --help: exit 0, the synopsis and what table does",
          rc == 0 and "catalog table DB [--format md|csv|html] [--metric cycles|ticks|ns] [-o FILE]" in out
          and "  table    " in out, out[:200])


def main():
    tmp = tempfile.mkdtemp(prefix="vb-cattable-")
    try:
        dirs, labs = make_labs(tmp)
        db = os.path.join(tmp, "all.sqlite")
        rc, out, err = run("catalog", "merge", db, labs["A"], labs["B"])
        check("the two labs merged", rc == 0, err)
        ids = run_ids(db, dirs)
        add_family(db, ids["b1"])
        rc, text, err = run("catalog", "table", db, "--format", "csv")
        check("table --format csv: exit 0, nothing on stderr", rc == 0 and err == "", err)
        keyed = check_csv(db, text)
        rc, text, err = run("catalog", "table", db)
        check("table (Markdown, cycles by default): exit 0, nothing on stderr", rc == 0 and err == "", err)
        body, nt = check_md(text, keyed, ids)
        if body:
            check_answers(body, nt, ids)
        check_html(db, body)
        check_fallback(tmp, dirs)
        check_cli(tmp, db)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("catalog_table")


if __name__ == "__main__":
    main()
