#!/usr/bin/python3
"""Incomplete or impossible runs: vmptrst-analyze exits 1 with one line
naming the file and line; a run that was interrupted or stopped is accepted
with one warning line and marked in summary.csv (point_status).

Fixtures are gen.py's runs plus what the driver writes next to them: a
points.csv (status, records per point) and meta.csv's `records`.
Prints "PASS name" / "FAIL name: why", like check.py.
"""
import csv
import os
import shutil
import subprocess
import sys
import tempfile
from testlib import HERE, TOOL, GEN, results, check, run, finish  # noqa: E402


def lines_of(path):
    with open(path, newline="") as f:
        return f.read().split("\r\n")[:-1]


def write_lines(path, lines):
    with open(path, "w", newline="") as f:
        f.write("".join(l + "\r\n" for l in lines))


def set_meta(d, **kv):
    """Replace or append meta.csv keys; returns {key: line number}."""
    lines = lines_of(os.path.join(d, "meta.csv"))
    for k, v in kv.items():
        for i, l in enumerate(lines):
            if l.split(",", 1)[0] == k:
                lines[i] = f"{k},{v}"
                break
        else:
            lines.append(f"{k},{v}")
    write_lines(os.path.join(d, "meta.csv"), lines)
    return {l.split(",", 1)[0]: i + 1 for i, l in enumerate(lines)}


def make_run(d, seed="1", status=None):
    """gen.py's run with a points.csv and meta records as the driver writes them."""
    os.makedirs(d)
    subprocess.run([sys.executable, GEN, d, "--seed", seed], check=True)
    rows = lines_of(os.path.join(d, "samples.csv"))[1:]
    per = {}
    for r in rows:
        per[r.split(",", 1)[0]] = per.get(r.split(",", 1)[0], 0) + 1
    pl = ["point,instruction,samples,status,reason,records"]
    for pt, n in per.items():
        pl.append(f"{pt},x,{n},{(status or {}).get(pt, 'measured')},,{n}")
    write_lines(os.path.join(d, "points.csv"), pl)
    set_meta(d, records=len(rows), interrupted="no", stopped="no")
    return rows


def one_line_error(rc, err, prefix):
    return rc == 1 and err.startswith(prefix) and err.count("\n") == 1


tmp = tempfile.mkdtemp(prefix="analysis-inputs.")
try:
    A = os.path.join(tmp, "a")
    rows = make_run(A)
    S = os.path.join(A, "samples.csv")
    rc, out, err = run("summary", A)
    check("complete run with points.csv and meta records: exit 0, nothing on stderr",
          rc == 0 and err == "", f"rc={rc} {err!r}")
    srows = list(csv.DictReader(open(os.path.join(A, "summary.csv"), newline="")))
    check("summary: point_status from points.csv",
          srows and all(r["point_status"] == "measured" for r in srows),
          str({r.get("point_status") for r in srows}))
    all_lines = lines_of(S)

    def case(name, lines, want, d=A, extra=None):
        write_lines(os.path.join(d, "samples.csv"), lines)
        rc, out, err = run("summary", d)
        ok = one_line_error(rc, err, f"vmptrst-analyze: {d}/{want}: ")
        ok = ok and all(x in err for x in (extra or []))
        check(f"bad input ({name}): exit 1, one line naming {want}", ok, f"rc={rc} {err!r}")

    # samples.csv cut at a line boundary in the middle of point 1
    cut = [l for l in all_lines][:2000 * 2 + 1 + 1000]
    case("cut short, points.csv", cut, f"samples.csv:{len(cut)}",
         extra=["point 1 has 1000 rows", "points.csv:3", "6000 records"])
    # the same without points.csv: meta.csv's records total
    shutil.move(os.path.join(A, "points.csv"), os.path.join(tmp, "points.csv"))
    mline = set_meta(A)["records"]
    case("cut short, meta.csv records", cut, f"samples.csv:{len(cut)}",
         extra=[f"meta.csv:{mline}", f"records {len(rows)}"])
    case("header only, meta.csv records", all_lines[:1], "samples.csv:1",
         extra=["no rows", f"meta.csv:{mline}"])
    more = all_lines + [all_lines[-1].replace(",999,", ",1999,")]
    case("more rows than meta.csv records", more, f"samples.csv:{len(more)}",
         extra=[f"{len(rows) + 1} rows"])
    shutil.move(os.path.join(tmp, "points.csv"), os.path.join(A, "points.csv"))
    case("header only, points.csv", all_lines[:1], "samples.csv:1",
         extra=["no rows", "points.csv:2", "point 0 was measured"])
    # every row of point 6 gone (the last point), the rest intact
    no6 = [l for l in all_lines if not l.startswith("6,")]
    case("a measured point missing", no6, f"samples.csv:{len(no6)}",
         extra=["point 6 has no rows", "points.csv:8"])
    # a negative tsc
    neg = list(all_lines)
    neg[7] = neg[7].rsplit(",", 2)[0] + ",-7," + neg[7].rsplit(",", 1)[1]
    case("negative tsc", neg, "samples.csv:8", extra=["tsc is -7"])
    # a sample index twice, next to each other, and far apart
    dup = list(all_lines)
    f = dup[5].split(",")
    f[11] = dup[3].split(",")[11]   # row 6: instruction rows of samples 1 and 2
    if f[1] != dup[3].split(",")[1]:
        f[11] = dup[4].split(",")[11]
    dup[5] = ",".join(f)
    case("sample index twice (in order)", dup, "samples.csv:6", extra=["appears twice"])
    far = list(all_lines)
    src = far[101].split(",")      # a late row of point 0 with sample 0's index
    first = [l for l in far[1:] if l.split(",")[1] == src[1]][0].split(",")
    src[11] = first[11]
    far[101] = ",".join(src)
    case("sample index twice (out of order)", far, "samples.csv:102", extra=["appears twice"])

    # interrupted: meta says so; the last point has fewer rows
    I = os.path.join(tmp, "int")
    rows = make_run(I, status={"6": "interrupted"})
    lines = lines_of(os.path.join(I, "samples.csv"))
    write_lines(os.path.join(I, "samples.csv"), lines[:-100])
    ml = set_meta(I, interrupted="yes")["interrupted"]
    rc, out, err = run("summary", I)
    check("interrupted run: exit 0, one warning line naming meta.csv",
          rc == 0 and err.count("\n") == 1 and
          err.startswith(f"vmptrst-analyze: warning: {I}/meta.csv:{ml}: ") and
          "interrupted" in err, f"rc={rc} {err!r}")
    srows = list(csv.DictReader(open(os.path.join(I, "summary.csv"), newline="")))
    st = {r["point"]: r["point_status"] for r in srows}
    check("interrupted run: summary marks it (point_status, stdout)",
          st.get("6") == "interrupted" and st.get("0") == "measured" and
          "partial run" in out, f"{st} {out[-300:]!r}")
    # stopped: said only by points.csv and meta.csv's stopped
    set_meta(I, interrupted="no", stopped="point 6: vmx_taken on CPU 0")
    rc, out, err = run("summary", I)
    check("stopped run: exit 0, one warning line", rc == 0 and err.count("\n") == 1 and
          "warning: " in err and "stopped" in err, f"rc={rc} {err!r}")
    set_meta(I, stopped="no")
    rc, out, err = run("summary", I)
    check("point interrupted in points.csv only: exit 0, one warning naming points.csv",
          rc == 0 and err.count("\n") == 1 and
          err.startswith(f"vmptrst-analyze: warning: {I}/points.csv:8: "), f"rc={rc} {err!r}")
    # but a measured point cut short in a partial run is still an error
    write_lines(os.path.join(I, "samples.csv"), [l for l in lines if not l.startswith("5,")])
    rc, out, err = run("summary", I)
    check("partial run, measured point missing: still exit 1",
          rc == 1 and "point 5 has no rows" in err and err.count("\n") == 2,
          f"rc={rc} {err!r}")

    # compare of runs with nothing in common
    B = os.path.join(tmp, "b")
    make_run(B, seed="2")
    bl = lines_of(os.path.join(B, "samples.csv"))
    bl = [bl[0]] + [l.replace(",lfence,", ",mfence,") for l in bl[1:]]
    write_lines(os.path.join(B, "samples.csv"), bl)
    A2 = os.path.join(tmp, "a2")
    make_run(A2)
    rc, out, err = run("compare", A2, B, "-o", os.path.join(tmp, "cmp"))
    check("compare, no point in common: exit 1, one line saying so",
          one_line_error(rc, err, f"vmptrst-analyze: {B}/samples.csv: ") and
          "no point in common" in err and
          not os.path.exists(os.path.join(tmp, "cmp", "compare.csv")), f"rc={rc} {err!r}")
finally:
    shutil.rmtree(tmp)

finish("inputs")
