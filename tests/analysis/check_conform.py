#!/usr/bin/python3
"""conformance.csv (ABI 9 on) through every view of vmptrst-analyze.

Fixture runs (gen.py --conformance, conformfix.py): every branch as
documented; register-operand differs (#UD -> none: RDSEED); two branches not
reachable here; a run without the file (before ABI 9).  Checked:
- malformed files (header, branch names and order, row count, field count,
  each vocabulary, a reason for differs, a branch not executed): report,
  export, compare and catalog add exit 1 with one stderr line naming
  conformance.csv:LINE and what is wrong (line numbers right after a quoted
  field holding a line break); nothing is written or added;
- report.html: the behaviour line in the conditions box (exact text, the
  differing names in the warning class) and the section's table (the 11
  columns, the 14 branches in order, the differs row highlighted, a branch
  not executed said so); the run without the file says so in both places;
- export: JSON valid against export.schema.json, "conformance" equal to the
  file field by field (null for the run without it); Markdown section with
  the line and a 14-row table;
- compare: the changed branch on stdout and in conformance-diff.csv,
  --fail-on behaviour exit 4 (and 0 when nothing changed, and when a run has
  no table, with a warning), the closing count line still last;
- catalog: the rows kept (NULL for empty fields), show's line, history's
  behaviour section and conformance-history.csv marking register-operand
  changed #UD -> none between two runs, a v2 catalogue migrated, a run added
  before the catalogue kept rows filled by adding it again, compare's
  closing count of behaviour changes.
Prints "PASS name" / "FAIL name: why".
"""
import html.parser
import json
import os
import re
import shutil
import sqlite3
import sys
import tempfile

import conformfix
from check_catalog import V1_DDL  # noqa: E402
from testlib import HERE, check, run, gen, rows_of, finish  # noqa: E402

SCHEMA = os.path.join(HERE, "..", "..", "analysis", "export.schema.json")
ABSENT = "no conformance table in this run (recorded from ABI 9 on)"
COLUMNS = ["branch", "CPL", "operation", "condition (the page's words)", "expected",
           "observed", "CR2", "memory changed", "flags after", "verdict", "reason"]
LINE = {
    "documented": "Behaviour: 14 of 14 branches as documented, 0 differ, 0 not reachable here",
    "differs": "Behaviour: 13 of 14 branches as documented, 1 differs (register-operand), 0 not reachable here",
    "unreachable": "Behaviour: 12 of 14 branches as documented, 0 differ, 2 not reachable here",
    None: "Behaviour: " + ABSENT,
}


def one_line(rc, err, *words):
    lines = err.splitlines()
    return (rc == 1 and len(lines) == 1 and lines[0].startswith("vmptrst-analyze: ")
            and all(w in lines[0] for w in words)), f"rc={rc} stderr={err!r}"


class Page(html.parser.HTMLParser):
    """The behaviour line (div#behaviour-line: text, and the text of its
    span.warn) and the rows of table.conform (class, cells' text)."""

    def __init__(self):
        super().__init__()
        self.line, self.warn, self.head, self.rows, self.section = "", "", [], [], ""
        self.stack, self.in_line, self.in_warn, self.in_table, self.in_sec = [], 0, 0, 0, 0
        self.cell = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "div" and a.get("id") == "behaviour-line":
            self.in_line = 1
        elif self.in_line and tag == "span" and a.get("class") == "warn":
            self.in_warn = 1
        elif tag == "table" and a.get("class") == "conform":
            self.in_table = 1
        elif tag == "h2" and a.get("id") == "behaviour":
            self.in_sec = 1
        elif self.in_sec and tag == "h2":
            self.in_sec = 0
        elif self.in_table and tag == "tr":
            self.rows.append([a.get("class"), []])
        elif self.in_table and tag in ("td", "th"):
            self.cell = ""

    def handle_endtag(self, tag):
        if tag == "div" and self.in_line:
            self.in_line = 0
        elif tag == "span" and self.in_warn:
            self.in_warn = 0
        elif tag == "table" and self.in_table:
            self.in_table = 0
        elif self.in_table and tag in ("td", "th") and self.cell is not None:
            self.rows[-1][1].append(self.cell)
            self.cell = None

    def handle_data(self, data):
        if self.in_line:
            self.line += data
        if self.in_warn:
            self.warn += data
        if self.cell is not None:
            self.cell += data
        if self.in_sec:
            self.section += data


def page_of(d):
    p = Page()
    with open(os.path.join(d, "report.html")) as f:
        p.feed(f.read())
    return p


def runs(tmp):
    """The fixture runs: name -> (dir, kind)."""
    out = {}
    for name, kind, seed, mc, start in (
            ("doc", "documented", 1, "0xf0", "2024-02-01T10:00:00Z"),
            ("dif", "differs", 2, "0xf4", "2024-03-01T10:00:00Z"),
            ("unr", "unreachable", 3, "0xf0", "2024-02-15T10:00:00Z"),
            ("old", None, 4, "0xf0", "2024-01-01T10:00:00Z")):
        d = os.path.join(tmp, name)
        args = ["--seed", str(seed), "--microcode", mc, "--start-time", start]
        gen(d, *args, *(["--conformance", kind] if kind else []))
        out[name] = (d, kind)
    return out


def check_malformed(tmp, good):
    """Each broken file: one line naming file:line and what, exit 1."""
    H, R = conformfix.HEADER, conformfix.rows("documented")

    def with_row(i, **ch):
        t = [list(r) for r in R]
        for k, v in ch.items():
            t[i][H.index(k)] = v
        return [H] + t
    swapped = [list(r) for r in R]
    swapped[3], swapped[4] = swapped[4], swapped[3]
    newline = [list(r) for r in R]
    newline[2][3] = "CPL 0,\na current VMCS"      # a quoted field over two lines
    newline_bad = [H] + newline
    newline_bad[6][H.index("verdict")] = "maybe"     # register-operand: file line 8
    cases = [
        ("header", [["branch", "cpl", "op"] + H[3:]] + R, 1, ['column 3 is "op"', '"operation"']),
        ("unknown branch", with_row(3, branch="no-vmcs"), 5,
         ['branch "no-vmcs"', "not one of the reference page's 14", '"no-current-vmcs"']),
        ("branches out of order", [H] + swapped, 5, ['"lock-prefix" out of order', '"no-current-vmcs"']),
        ("13 rows", [H] + R[:13], 14, ["branch vmx-non-root missing"]),
        ("15 rows", [H] + R + [R[0]], 16, ["after the 14th"]),
        ("a short row", [H] + R[:5] + [R[5][:13]] + R[6:], 7, ["13 fields where the header has 14"]),
        ("verdict vocabulary", with_row(5, verdict="ok"), 7, ['verdict "ok"', "as-documented, differs or not-reachable-here"]),
        ("differs without a reason", with_row(5, verdict="differs", reason=""), 7, ["register-operand", "without a reason"]),
        ("not executed but as-documented", with_row(13, observed_vector="", observed_error_code=""), 15,
         ["vmx-non-root", "not executed", "not-reachable-here"]),
        ("cpl", with_row(0, cpl="1"), 2, ['cpl "1"', "0 or 3"]),
        ("operation", with_row(1, operation="ring3"), 3, ['operation "ring3"']),
        ("vector", with_row(4, observed_vector="#XX"), 6, ['observed_vector "#XX"']),
        ("flags", with_row(2, flags_after="CF CF"), 4, ['flags_after "CF CF"']),
        ("stored", with_row(2, stored="0x12a000"), 4, ['stored "0x12a000"', "16 hex digits"]),
        ("cr2", with_row(8, cr2="ffffc900"), 10, ['cr2 "ffffc900"']),
        ("memory_changed", with_row(8, memory_changed="some"), 10, ['memory_changed "some"']),
        ("line numbers after a quoted line break", newline_bad, 8, ['verdict "maybe"', "register-operand"]),
    ]
    for name, table, line, words in cases:
        d = os.path.join(tmp, "bad-" + re.sub(r"\W+", "-", name))
        shutil.copytree(good, d)
        conformfix.write(d, None, table)
        path = os.path.join(d, "conformance.csv")
        rc, out, err = run("report", d)
        ok, why = one_line(rc, err, f"{path}:{line}:", *words)
        check(f"malformed ({name}): report exits 1, one line naming {os.path.basename(path)}:{line}",
              ok and not os.path.exists(os.path.join(d, "report.html")), why)
        if name in ("header", "13 rows", "verdict vocabulary"):
            rc, out, err = run("export", d)
            ok, why = one_line(rc, err, f"{path}:{line}:", *words)
            check(f"malformed ({name}): export exits 1, the same line", ok and out == "", why)
            rc, out, err = run("compare", good, d, "-o", os.path.join(d, "cmp"))
            ok, why = one_line(rc, err, f"{path}:{line}:", *words)
            check(f"malformed ({name}): compare exits 1, the same line", ok, why)
    d = os.path.join(tmp, "bad-empty")
    shutil.copytree(good, d)
    open(os.path.join(d, "conformance.csv"), "w").close()
    rc, out, err = run("report", d)
    ok, why = one_line(rc, err, os.path.join(d, "conformance.csv") + ":1:", "empty file")
    check("malformed (empty file): report exits 1, one line", ok, why)
    # well-formed variations are accepted: LF line ends, a quoted comma, no stored value
    d = os.path.join(tmp, "lf")
    shutil.copytree(good, d)
    with open(os.path.join(d, "conformance.csv"), "w", newline="") as f:
        f.write(conformfix.text([H] + R, eol="\n"))
    rc, out, err = run("report", d)
    check("LF line ends and quoted commas are read", rc == 0 and err == "", err)
    return os.path.join(tmp, "bad-header")


def check_report(R):
    for name, (d, kind) in R.items():
        rc, out, err = run("report", d)
        if not check(f"report ({name}): exits 0", rc == 0, err):
            continue
        p = page_of(d)
        line = " ".join(p.line.split())
        want = LINE[kind] + ("" if kind is None else " (table)")
        check(f"report ({name}): the conditions box's behaviour line", line == want, line)
        if kind is None:
            check("report (no file): the section says there is no table",
                  ABSENT in p.section and not p.rows, p.section[:300])
            continue
        check(f"report ({name}): the differing branches in the warning colour",
              p.warn == ("1 differs (register-operand)" if kind == "differs" else ""), p.warn)
        head = p.rows[0][1] if p.rows else []
        check(f"report ({name}): the table's 11 columns", head == COLUMNS, head)
        body = p.rows[1:]
        check(f"report ({name}): 14 branches in the contract's order",
              [r[1][0] for r in body] == conformfix.BRANCHES, [r[1][:1] for r in body])
        diffs = [r[1][0] for r in body if r[0] == "differs"]
        check(f"report ({name}): differs rows highlighted (class differs)",
              diffs == (["register-operand"] if kind == "differs" else []), diffs)
        if kind == "differs":
            ro = [r[1] for r in body if r[1][0] == "register-operand"][0]
            check("report (differs): register-operand expected #UD, observed none, verdict differs",
                  ro[4] == "#UD" and ro[5] == "none" and ro[9] == "differs" and "RDSEED" in ro[10], ro)
        if kind == "unreachable":
            un = [r[1] for r in body if r[0] == "unreach"]
            check("report (unreachable): two rows not executed, with their reasons",
                  [u[0] for u in un] == ["cpl3-vmx-compat", "vmx-non-root"] and
                  all(u[5] == "not executed" and u[9] == "not-reachable-here" and u[10] for u in un), un)
        if kind == "documented":
            gp = [r[1] for r in body if r[1][0] == "noncanonical-ds"][0]
            check("report (documented): the page's #GP(0) as expected, CR2 of a #PF shown",
                  gp[4] == "#GP(0)" and [r[1] for r in body if r[1][0] == "pf-split"][0][6] == "0xffffc90000125000", gp)


def check_export(R):
    try:
        import jsonschema
        import markdown
    except ImportError as e:
        check("export: python3-jsonschema and python3-markdown", False, e)
        return
    with open(SCHEMA) as f:
        schema = json.load(f)
    for name, (d, kind) in R.items():
        rc, out, err = run("export", d)
        try:
            doc = json.loads(out)
        except ValueError as e:
            check(f"export ({name}): JSON", False, f"{e} {err}")
            continue
        errs = [e.message for e in jsonschema.Draft202012Validator(schema).iter_errors(doc)]
        check(f"export ({name}): valid against export.schema.json", rc == 0 and not errs, errs[:3])
        c = doc.get("conformance", "absent")
        if kind is None:
            check("export (no file): conformance is null", c is None, c)
        else:
            want = [dict(zip(conformfix.HEADER, r)) for r in conformfix.rows(kind)]
            for w in want:
                w.update({k: (None if v == "" else v) for k, v in w.items()})
                w["cpl"] = int(w["cpl"])
            got = c.get("rows") if isinstance(c, dict) else None
            check(f"export ({name}): conformance rows equal the file, empty fields null",
                  got == want, [(g, w) for g, w in zip(got or [], want) if g != w][:1])
            check(f"export ({name}): counts and the summary line",
                  isinstance(c, dict) and c["summary"] == LINE[kind] and c["branches"] == 14 and
                  (c["as_documented"], c["differs"], c["not_reachable_here"]) ==
                  {"documented": (14, 0, 0), "differs": (13, 1, 0), "unreachable": (12, 0, 2)}[kind], c and {k: v for k, v in c.items() if k != "rows"})
        rc, md, err = run("export", d, "--format", "md")
        sec = md.split("## Behaviour: the reference page's branches (conformance.csv)")
        ok = rc == 0 and len(sec) == 2
        body = sec[1].split("\n## ")[0] if ok else ""
        if kind is None:
            check("export md (no file): the section says there is no table", ok and ABSENT in body, body[:300])
            continue
        check(f"export md ({name}): the section holds the behaviour line", ok and LINE[kind] in body, body[:300])
        htm = markdown.markdown(body, extensions=["tables"])
        trs = re.findall(r"<tr>(.*?)</tr>", htm, re.S)
        names = [re.sub(r"<.*?>", "", re.findall(r"<td.*?>(.*?)</td>", t, re.S)[0]) for t in trs[1:]]
        check(f"export md ({name}): one table, 14 branches in order", names == conformfix.BRANCHES, names)


def check_compare(tmp, R):
    doc, dif, unr, old = (R[n][0] for n in ("doc", "dif", "unr", "old"))
    out_dir = os.path.join(tmp, "cmp1")
    rc, out, err = run("compare", doc, dif, "-o", out_dir)
    last = out.rstrip("\n").split("\n")[-1]
    check("compare: the changed branch on stdout",
          rc == 0 and "behaviour changed: register-operand: observed #UD -> none; flags after (empty) -> none; verdict as-documented -> differs" in out, out[-800:])
    check("compare: the behaviour counts, and the closing count line still last",
          "behaviour: changed 1, same 13, executed in A only 0, in B only 0, in neither 0" in out and
          last.startswith("faster "), last)
    p = os.path.join(out_dir, "conformance-diff.csv")
    rows = rows_of(p) if os.path.exists(p) else []
    check("compare: conformance-diff.csv, one row per branch, register-operand changed",
          [r["branch"] for r in rows] == conformfix.BRANCHES and
          {r["branch"]: r["change"] for r in rows if r["change"] != "same"} == {"register-operand": "changed"} and
          [(r["observed_vector_a"], r["observed_vector_b"], r["verdict_b"]) for r in rows
           if r["branch"] == "register-operand"] == [("#UD", "none", "differs")], rows[:1])
    rc, out, err = run("compare", doc, dif, "-o", os.path.join(tmp, "cmp2"), "--fail-on", "behaviour")
    check("compare --fail-on behaviour, a branch changed: exit 4, one line naming it",
          rc == 4 and err.count("\n") == 1 and "--fail-on behaviour" in err and "register-operand" in err, f"{rc} {err!r}")
    rc, out, err = run("compare", doc, dif, "-o", os.path.join(tmp, "cmp3"), "--fail-on", "slower,behaviour")
    check("compare --fail-on slower,behaviour: exit 4", rc == 4, f"{rc} {err!r}")
    rc, out, err = run("compare", doc, dif, "-o", os.path.join(tmp, "cmp4"), "--fail-on", "slower")
    check("compare --fail-on slower alone does not gate on behaviour: exit 0", rc == 0, f"{rc} {err!r}")
    rc, out, err = run("compare", doc, unr, "-o", os.path.join(tmp, "cmp5"), "--fail-on", "behaviour")
    check("compare: branches executed in A only are counted, not a change: exit 0",
          rc == 0 and "behaviour: changed 0, same 12, executed in A only 2, in B only 0, in neither 0" in out,
          f"{rc} {err!r} {out[-400:]}")
    rc, out, err = run("compare", doc, old, "-o", os.path.join(tmp, "cmp6"), "--fail-on", "behaviour")
    last = out.rstrip("\n").split("\n")[-1]
    check("compare with a run without the file: says so, exit 0, warning that behaviour is not gated",
          rc == 0 and "behaviour: not compared: run B has no conformance table (recorded from ABI 9 on)" in out and
          "behaviour not gated" in err and last.startswith("faster ") and
          not os.path.exists(os.path.join(tmp, "cmp6", "conformance-diff.csv")), f"{rc} {err!r} {out[-300:]}")
    rc, out, err = run("compare", doc, dif, "--fail-on", "behavior")
    check("compare --fail-on behavior (not a kind): exit 2, one line", rc == 2 and err.count("\n") == 1, err)


def v2_catalogue(path):
    db = sqlite3.connect(path)
    db.executescript(V1_DDL)
    db.execute("ALTER TABLE run ADD COLUMN emulated INTEGER NOT NULL DEFAULT 0")
    db.execute("PRAGMA user_version = 2")
    db.commit()
    db.close()


def check_catalog(tmp, R, bad):
    db = os.path.join(tmp, "lab.sqlite")
    v2_catalogue(db)
    order = ("old", "doc", "dif")
    rc, out, err = run("catalog", "add", db, *(R[n][0] for n in order))
    check("catalog: a v2 catalogue takes the three runs (migrated to v4)", rc == 0 and "3 added" in out, out + err)
    con = sqlite3.connect(db)
    ver = con.execute("PRAGMA user_version").fetchone()[0]
    per = dict(con.execute("SELECT r.id, (SELECT count(*) FROM conformance c WHERE c.run_id = r.id) FROM run r").fetchall())
    ro = con.execute("SELECT observed_vector, observed_error_code, cpl, verdict FROM conformance WHERE run_id = 2 AND branch = 'register-operand'").fetchone()
    con.close()
    check("catalog: version 4; 14 rows for each run with the file, none for the one without",
          ver == 4 and per == {1: 0, 2: 14, 3: 14}, (ver, per))
    check("catalog: an empty field is NULL, cpl an integer", ro == ("#UD", None, 0, "as-documented"), ro)

    rc, out, err = run("catalog", "show", db, "3")
    check("catalog show: the behaviour line", rc == 0 and LINE["differs"] in out, out[-300:])
    rc, out, err = run("catalog", "show", db, "1")
    check("catalog show (no file): says so", rc == 0 and LINE[None] in out, out[-300:])

    hd = os.path.join(tmp, "hist")
    rc, out, err = run("catalog", "history", db, "--setup", "instruction=vmptrst offset=0", "-o", hd)
    sec = out.split("behaviour on the reference page's branches")[-1]
    lines = {l.split()[0]: l for l in sec.splitlines() if re.match(r"\d+\s", l)}
    check("catalog history: exits 0 with a behaviour section after the cost table",
          rc == 0 and len(lines) == 3, out[-1200:] + err)
    check("catalog history: run 3 marked, register-operand #UD -> none",
          "CHANGED register-operand: observed #UD -> none" in lines.get("3", "") and
          "verdict as-documented -> differs" in lines.get("3", ""), lines.get("3"))
    check("catalog history: run 1 has no table, run 2 is the model's first with one",
          ABSENT in lines.get("1", "") and "first run with a table" in lines.get("2", ""), lines)
    p = os.path.join(hd, "conformance-history.csv")
    rows = rows_of(p) if os.path.exists(p) else []
    changed = [(r["run"], r["branch"], r["observed_vector"], r["verdict"], r["previous_run"])
               for r in rows if r["changed"] == "yes"]
    check("catalog history: conformance-history.csv marks only run 3's register-operand changed, from run 2",
          changed == [("3", "register-operand", "none", "differs", "2")], changed)
    check("catalog history: conformance-history.csv holds 14 rows per run with a table, one saying the run has none",
          len(rows) == 29 and [r["note"] for r in rows if r["run"] == "1"] == [ABSENT], len(rows))

    # a run added before the catalogue kept conformance rows: add fills them
    con = sqlite3.connect(db)
    con.execute("DELETE FROM conformance WHERE run_id = 2")
    con.commit()
    con.close()
    rc, out, err = run("catalog", "add", db, R["doc"][0])
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM conformance WHERE run_id = 2").fetchone()[0]
    con.close()
    check("catalog add of a run already there without rows adds them, once",
          rc == 0 and "(its conformance.csv rows added)" in out and n == 14, out + err)
    rc, out, err = run("catalog", "add", db, R["doc"][0])
    check("catalog add again: nothing more", rc == 0 and "rows added" not in out, out)

    rc, out, err = run("catalog", "compare", db, "--microcode", "0xf0", "--microcode", "0xf4",
                       "-o", os.path.join(tmp, "ccmp"))
    last = out.rstrip().splitlines()[-1] if out.strip() else ""
    check("catalog compare: the closing line counts the behaviour change (one pair, one without tables)",
          rc == 0 and "behaviour changed on 1 branches in 1 pairs (1 compared pairs without both conformance tables)" in last, last)

    path = os.path.join(bad, "conformance.csv")
    rc, out, err = run("catalog", "add", db, bad)
    con = sqlite3.connect(db)
    n = con.execute("SELECT count(*) FROM run").fetchone()[0]
    con.close()
    check("catalog add of a run with a malformed conformance.csv: exit 1, one line naming it, not added",
          rc == 1 and err.count("\n") == 1 and f"{path}:1:" in err and n == 3, f"{rc} {err!r} {n}")


def main():
    tmp = tempfile.mkdtemp(prefix="vb-conform-")
    try:
        R = runs(tmp)
        bad = check_malformed(tmp, R["doc"][0])
        check_report(R)
        check_export(R)
        check_compare(tmp, R)
        check_catalog(tmp, R, bad)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    finish("conform")


if __name__ == "__main__":
    main()
