#!/usr/bin/python3
"""Script test of `vmptrst-analyze export` (JSON and Markdown).

Every check prints "PASS name" or "FAIL name: why".  The JSON is validated
against analysis/export.schema.json with python3-jsonschema and compared
value by value with summary.csv and meta.csv as python's csv module reads
them; the Markdown is converted with python3-markdown (tables extension)
and its tables counted and read back.  Missing jsonschema or markdown is a
failure, not a skip.
"""
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from testlib import HERE, TOOL, GEN, results, check, run, gen, rows_of, finish  # noqa: E402

SCHEMA = os.path.join(HERE, "..", "..", "analysis", "export.schema.json")

COUNT = ["rows", "mismatches", "flagged", "missing", "n", "outliers", "net_pairs"]
NUM = ["min", "p01", "p05", "p25", "median", "mean", "p75", "p95", "p99", "max",
       "stddev", "mad", "median_ci_low", "median_ci_high", "net_per_insn",
       "net_ci_low", "net_ci_high"]
TEXT = ["metric", "unit", "ci_reason", "net_unit", "net_reason"]


try:
    import jsonschema
    import markdown
except ImportError as e:
    check("deps: python3-jsonschema and python3-markdown", False,
          f"{e} (apt-get install python3-jsonschema python3-markdown)")
    sys.exit(1)


def one_line_error(rc, err, want_rc, *words):
    """rc as wanted, stderr exactly one line "vmptrst-analyze: ..." naming words."""
    lines = err.splitlines()
    return (rc == want_rc and len(lines) == 1 and lines[0].startswith("vmptrst-analyze: ")
            and all(w in lines[0] for w in words)), f"rc={rc} stderr={err!r}"


def is_num(v):
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def diff_summary(doc, rows):
    """Differences between the benchmarks and summary.csv's rows (empty: none)."""
    bad = []
    b = doc["benchmarks"]
    if len(b) != len(rows):
        bad.append(f"{len(b)} benchmarks for {len(rows)} summary rows")
    axes = list(rows[0].keys())[:list(rows[0].keys()).index("metric")] if rows else []
    for i, (o, r) in enumerate(zip(b, rows)):
        if sorted(o["setup"]) != sorted(axes):
            bad.append(f"row {i}: setup keys {sorted(o['setup'])} != {axes}")
        for a in axes:
            if str(o["setup"].get(a)) != r[a]:
                bad.append(f"row {i}: setup {a} {o['setup'].get(a)!r} != {r[a]!r}")
        for c, text in r.items():
            if c in axes:
                continue
            v = o.get(c, "absent")
            if text == "":
                if v is not None:
                    bad.append(f"row {i}: {c} {v!r} for an empty field")
            elif c in COUNT:
                if not (isinstance(v, int) and not isinstance(v, bool) and v == int(text)):
                    bad.append(f"row {i}: {c} {v!r} != {text}")
            elif c in NUM:
                if not (is_num(v) and v == float(text)):
                    bad.append(f"row {i}: {c} {v!r} != {text}")
            elif c in TEXT:
                if v != text:
                    bad.append(f"row {i}: {c} {v!r} != {text!r}")
            else:
                try:
                    same = is_num(v) and v == float(text)
                except ValueError:
                    same = v == text
                if not same:
                    bad.append(f"row {i}: extra column {c} {v!r} != {text!r}")
        want = "tsc_ticks" if r["metric"] == "tsc" else "events"
        if o["time_unit"] != want:
            bad.append(f"row {i}: time_unit {o['time_unit']!r}")
    return bad


def md_tables(text):
    """The <table> elements python-markdown makes of text."""
    html = markdown.markdown(text, extensions=["tables"])
    root = ET.fromstring("<div>" + html + "</div>")
    return root.findall(".//table")


def table_rows(t):
    head = [th.text or "" for th in t.findall("./thead/tr/th")]
    body = [[td.text or "" for td in tr.findall("./td")] for tr in t.findall("./tbody/tr")]
    return head, body


def pipe_structure(text):
    """Every block of '|' lines: same cell count, second line a separator."""
    bad, block = [], []
    for line in text.splitlines() + [""]:
        if line.startswith("|"):
            block.append(line)
            continue
        if block:
            cells = [len(l.replace("\\|", "").split("|")) for l in block]
            if len(set(cells)) != 1:
                bad.append(f"uneven cell counts {cells[:5]} in {block[0][:60]!r}")
            sep = block[1].replace("|", "").replace(" ", "") if len(block) > 1 else "x"
            if set(sep) - set("-:"):
                bad.append(f"no separator row under {block[0][:60]!r}")
            if len({len(l) for l in block}) != 1:
                bad.append(f"unaligned (ragged) lines in {block[0][:60]!r}")
        block = []
    return bad


with open(SCHEMA) as f:
    schema = json.load(f)
try:
    jsonschema.Draft202012Validator.check_schema(schema)
    check("schema: analysis/export.schema.json is a valid 2020-12 schema", True)
except jsonschema.SchemaError as e:
    check("schema: analysis/export.schema.json is a valid 2020-12 schema", False, e.message)
validator = jsonschema.Draft202012Validator(schema)


def schema_errors(doc):
    return [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(doc)]


tmp = tempfile.mkdtemp(prefix="analysis-export-test.")
try:
    # An emulated (bochs) run without summary.csv: export makes it first.
    A = os.path.join(tmp, "a")
    gen(A)
    rc, out, err = run("export", A, "--format", "json")
    check("json: exits 0 with nothing on stderr", rc == 0 and err == "", f"rc={rc} {err!r}")
    check("json: summary.csv and headline.csv made first when summary.csv is missing",
          os.path.exists(os.path.join(A, "summary.csv")) and
          os.path.exists(os.path.join(A, "headline.csv")))
    doc = json.loads(out)
    errs = schema_errors(doc)
    check("json: validates against export.schema.json", not errs, errs[:3])
    check("json: round-trips through python's json (load, dump, load equal)",
          json.loads(json.dumps(doc)) == doc and json.loads(json.dumps(doc, indent=1)) == doc)
    rows = rows_of(os.path.join(A, "summary.csv"))
    bad = diff_summary(doc, rows)
    check(f"json: all {len(rows)} summary.csv rows present, same values, numbers as numbers",
          rows and not bad, bad[:3])
    nums = [b[c] for b in doc["benchmarks"] for c in COUNT + NUM if b[c] is not None]
    check("json: statistics are JSON numbers, never strings",
          nums and all(is_num(v) for v in nums), [v for v in nums if not is_num(v)][:3])
    check("json: setup integers are numbers (point, cpu, offset, unroll)",
          all(isinstance(b["setup"][k], int) for b in doc["benchmarks"]
              for k in ("point", "cpu", "offset", "unroll")) and
          all(isinstance(b["setup"]["cache"], str) for b in doc["benchmarks"]))

    # The checks above can fail: a changed value, a value as a string, a
    # missing row are each caught by the comparison or the schema.
    t = json.loads(out)
    t["benchmarks"][3]["median"] += 1
    t2 = json.loads(out)
    t2["benchmarks"][0]["p95"] = str(t2["benchmarks"][0]["p95"])
    t3 = json.loads(out)
    del t3["benchmarks"][-1]
    check("json: the comparison catches a changed value, a string number, a lost row",
          diff_summary(t, rows) and schema_errors(t2) and diff_summary(t2, rows) and
          diff_summary(t3, rows))

    meta = dict((r[0], r[1]) for r in csv.reader(open(os.path.join(A, "meta.csv"), newline=""))
                if r[0] != "key")
    c = doc["context"]
    check("json: context.meta holds every meta.csv key with its value", c["meta"] == meta,
          f"{c['meta']} vs {meta}")
    check("json: promoted context keys (host_name, cpu_model_name, microcode, kernel, "
          "tsc_khz as a number, date)",
          c["host_name"] == "lab1" and c["cpu_model_name"] == 'Test CPU, "quoted" model'
          and c["microcode"] == "0xf0" and c["kernel"] == "6.12.0-test"
          and c["tsc_khz"] == 2000000 and isinstance(c["tsc_khz"], int)
          and c["platform"] == "bochs" and c["date"] is None and c["time_unit"] == "tsc_ticks",
          {k: v for k, v in c.items() if k != "meta"})
    check("json: an emulated run says so (emulated true, the timing note)",
          c["emulated"] is True and c["timing_note"] == "emulated: timings are not real", c)
    hrows = rows_of(os.path.join(A, "headline.csv"))
    bad = [] if len(doc.get("headline", [])) == len(hrows) else ["row count"]
    for o, r in zip(doc.get("headline", []), hrows):
        for k, text in r.items():
            v = o.get(k, "absent")
            if not (v is None if text == "" else
                    (is_num(v) and v == float(text)) or v == text):
                bad.append(f"{k}: {v!r} != {text!r}")
    types = {k: {type(o[k]).__name__ for o in doc.get("headline", []) if o[k] is not None}
             for k in hrows[0]} if hrows else {}
    check(f"json: headline array has the {len(hrows)} rows of headline.csv, same values",
          hrows and not bad, bad[:3])
    check("json: each headline column is one type (numbers or strings)",
          types and all(len(t) <= 1 or t == {"int", "float"} for t in types.values()) and
          types["ticks_per_insn"] <= {"int", "float"} and types["method"] == {"str"}, types)
    A2 = os.path.join(tmp, "a2")
    shutil.copytree(A, A2)
    os.remove(os.path.join(A2, "headline.csv"))
    rc, out2, err = run("export", A2)
    check("json: no headline key without headline.csv (summary.csv present)",
          rc == 0 and "headline" not in json.loads(out2) and
          not os.path.exists(os.path.join(A2, "headline.csv")), f"rc={rc} {err!r}")

    # -o FILE: the same document in the file, "wrote FILE" on stdout.
    O = os.path.join(tmp, "a.json")
    rc, out2, err = run("export", A, "-o", O)
    check("json: -o FILE writes the same document (json is the default format)",
          rc == 0 and out2 == f"wrote {O}\n" and open(O).read() == out, f"rc={rc} {err!r}")

    # Markdown of the emulated run.
    rc, md, err = run("export", A, "--format=md")
    check("md: exits 0 with nothing on stderr", rc == 0 and err == "", f"rc={rc} {err!r}")
    check("md: the emulated warning is the first line",
          md.startswith("> **Emulated run: not real timing.** emulated: timings are not real\n"),
          md[:120])
    bad = pipe_structure(md)
    check("md: every pipe table has a separator row, even cell counts, aligned lines",
          not bad, bad[:3])
    tables = md_tables(md)
    tsc = [r for r in rows if r["metric"] == "tsc"]
    ok = len(tables) == 3 and len(table_rows(tables[1])[1]) == len(hrows)
    if ok:
        head, body = table_rows(tables[2])
        ok = (len(body) == len(tsc) and "median (TSC ticks per window)" in head and
              "net per insn (TSC ticks per instruction)" in head)
        med = head.index("median (TSC ticks per window)") if ok else 0
        pt = head.index("point") if ok else 0
        bad = [(b[pt], b[med], r["median"]) for b, r in zip(body, tsc) if ok and
               (b[pt] != r["point"] or
                (b[med] or "") != ("" if r["median"] == "" else "%.6g" % float(r["median"])))]
        ok = ok and not bad
    check(f"md: renders as 3 tables (run, headline of {len(hrows)} rows, summary of "
          f"{len(tsc)} rows), units in "
          "the header, the medians of summary.csv", ok,
          f"{len(tables)} tables; {[table_rows(t)[0] for t in tables][:2]}")
    if len(tables) == 3:
        head, body = table_rows(tables[1])
        want = {(r["instruction"], r["points"]): r for r in hrows}
        bad = []
        for b in body:
            r = want.get((b[0], b[head.index("points")])) if "points" in head else None
            c = b[head.index("TSC ticks/insn [95% CI]")] if "TSC ticks/insn [95% CI]" in head else None
            exp = None if r is None or r["ticks_per_insn"] == "" else "%.4g" % float(r["ticks_per_insn"])
            if r is None or c is None or (exp or "") != (c or "").split(" [")[0]:
                bad.append((b[0], c, exp))
        check("md: headline cells 'ticks [low, high]' hold headline.csv's ticks_per_insn, row by row",
              body and not bad, str(bad[:3]) + str(head))
    aligned = markdown.markdown(md, extensions=["tables"])
    check("md: number columns right-aligned", 'style="text-align: right;">n<' in aligned,
          aligned[:300])

    # A native run: no warning; a headline.csv is exported when present.
    B = os.path.join(tmp, "b")
    gen(B, "--platform", "native")
    mp = os.path.join(B, "meta.csv")
    text = open(mp, newline="").read().replace("host,lab1", "host,läb—1 | rack 2")
    open(mp, "w", newline="").write(text)
    run("export", B)    # summary.csv and headline.csv, then ours replaces the latter
    with open(os.path.join(B, "headline.csv"), "w", newline="") as f:
        f.write('instruction,offset,method,ticks_per_insn,ci_low,ci_high,ns_per_insn,'
                'cycles_per_insn,note\r\n'
                'vmptrst,0,slope,61.25,60.5,62,30.625,,"a, b"\r\n'
                'mov,4092,pair-median,1.5,1,2,0.75,,\r\n')
    rc, out, err = run("export", B)
    doc = json.loads(out) if rc == 0 else {}
    check("json: native run: emulated false, validates", rc == 0 and
          doc["context"]["emulated"] is False and not schema_errors(doc), f"rc={rc} {err!r}")
    want = [{"instruction": "vmptrst", "offset": 0, "method": "slope", "ticks_per_insn": 61.25,
             "ci_low": 60.5, "ci_high": 62, "ns_per_insn": 30.625, "cycles_per_insn": None,
             "note": "a, b"},
            {"instruction": "mov", "offset": 4092, "method": "pair-median",
             "ticks_per_insn": 1.5, "ci_low": 1, "ci_high": 2, "ns_per_insn": 0.75,
             "cycles_per_insn": None, "note": None}]
    check("json: headline array from headline.csv (numbers as numbers, empty as null)",
          doc.get("headline") == want, doc.get("headline"))
    rc, md, err = run("export", B, "--format", "md")
    tables = md_tables(md)
    bad = pipe_structure(md)
    check("md: non-ASCII and '|' in a cell keep the table aligned and whole", not bad and
          table_rows(tables[0])[1][0][1] == "läb—1 | rack 2", bad[:3] or table_rows(tables[0]))
    check("json: non-ASCII text kept (host_name)", doc["context"]["host_name"] == "läb—1 | rack 2",
          doc["context"]["host_name"])
    check("md: native run: no warning; a headline table of 2 rows after the run table",
          rc == 0 and md.startswith("# VMPTRST latency: ") and "Emulated" not in md and
          len(tables) == 3 and len(table_rows(tables[1])[1]) == 2 and
          table_rows(tables[1])[0][0] == "instruction", md[:300])

    # A summary.csv with a section axis: one table per section.
    C = os.path.join(tmp, "c")
    shutil.copytree(A, C)
    with open(os.path.join(C, "summary.csv"), newline="") as f:
        rr = list(csv.reader(f))
    rr = [[r[0], "section" if i == 0 else ("align" if int(r[0]) % 2 else "cache")] + r[1:]
          for i, r in enumerate(rr)]
    with open(os.path.join(C, "summary.csv"), "w", newline="") as f:
        csv.writer(f).writerows(rr)
    rc, md, err = run("export", C, "--format", "md")
    tables = md_tables(md)
    mcol = rr[0].index("metric")
    n_align = sum(1 for r in rr[1:] if r[1] == "align" and r[mcol] == "tsc")
    check("md: one summary table per section, in order of appearance",
          rc == 0 and "## Summary: cache, tsc" in md and "## Summary: align, tsc" in md and
          md.index("## Summary: cache") < md.index("## Summary: align") and len(tables) == 4
          and len(table_rows(tables[3])[1]) == n_align, f"rc={rc} {err!r} {len(tables)}")

    # Bad inputs: one line, the right exit code.
    rc, out, err = run("export", os.path.join(tmp, "nope"), "--format", "json")
    ok, why = one_line_error(rc, err, 1, os.path.join(tmp, "nope"))
    check("bad: a missing run directory exits 1 with one line naming it", ok and out == "", why)
    rc, out, err = run("export", A, "--format", "xml")
    ok, why = one_line_error(rc, err, 2, '"xml"')
    check("bad: an unknown --format exits 2 with one line", ok and out == "", why)
    rc, out, err = run("export", A, "--frmat", "md")
    ok, why = one_line_error(rc, err, 2, '"--frmat"')
    check("bad: an unknown option exits 2 with one line", ok and out == "", why)
    rc, out, err = run("export")
    ok, why = one_line_error(rc, err, 2)
    check("bad: no run directory exits 2 with one line", ok, why)
    D = os.path.join(tmp, "d")
    shutil.copytree(A, D)
    sp = os.path.join(D, "summary.csv")
    lines = open(sp, newline="").read().split("\r\n")
    f3 = lines[2].split(",")
    hdr = lines[0].split(",")
    f3[hdr.index("median")] = "4x2"
    open(sp, "w", newline="").write("\r\n".join(lines[:2] + [",".join(f3)] + lines[3:]))
    rc, out, err = run("export", D, "--format", "json")
    ok, why = one_line_error(rc, err, 1, f"{sp}:3:", "median", '"4x2"')
    check("bad: a malformed summary.csv value exits 1 naming file, line 3 and column",
          ok and out == "", why)
    open(sp, "w", newline="").write("\r\n".join(lines[:4] + ["1,2,3"] + lines[5:]))
    rc, out, err = run("export", D, "--format", "md")
    ok, why = one_line_error(rc, err, 1, f"{sp}:5:", "3 fields")
    check("bad: a short summary.csv line exits 1 naming file and line 5", ok and out == "", why)
    open(sp, "w", newline="").write("point,instruction,metric,n\r\n0,none,tsc,5\r\n")
    rc, out, err = run("export", D)
    ok, why = one_line_error(rc, err, 1, f"{sp}:1:", "no column")
    check("bad: a summary.csv without the statistics columns exits 1 at line 1",
          ok and out == "", why)
    hp = os.path.join(B, "headline.csv")
    open(hp, "a", newline="").write('vmptrst,0,"unterminated\r\n')
    rc, out, err = run("export", B)
    ok, why = one_line_error(rc, err, 1, hp)
    check("bad: a malformed headline.csv exits 1 naming it", ok and out == "", why)
    rc, out, err = run("export", A, "-o", os.path.join(tmp, "nodir", "x.json"))
    ok, why = one_line_error(rc, err, 1, "nodir")
    check("bad: an -o FILE that cannot be created exits 1 with one line", ok, why)
finally:
    shutil.rmtree(tmp, ignore_errors=True)

finish("export")
