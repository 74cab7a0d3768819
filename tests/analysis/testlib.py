"""What every tests/analysis/check*.py script shares: where the tool and the
generator are, the check() that records a verdict and prints it, running the
tool, generating a synthetic run, reading a CSV, and the closing line."""
import csv
import json
import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
TOOL = os.path.join(HERE, "..", "..", "analysis", "vmptrst-analyze")
GEN = os.path.join(HERE, "gen.py")
results = []


def check(name, ok, why=""):
    """Record and print one verdict; returns it."""
    ok = bool(ok)
    results.append(ok)
    print(("PASS " if ok else "FAIL ") + name + ("" if ok else ": " + str(why)[:400]))
    return ok


def run(*args):
    """vmptrst-analyze ARGS: (exit code, stdout, stderr)."""
    p = subprocess.run([TOOL, *args], capture_output=True, text=True)
    return p.returncode, p.stdout, p.stderr


def gen(d, *args, script=GEN):
    """A synthetic run in D by SCRIPT (gen.py) ARGS; returns its truth.json."""
    os.makedirs(d, exist_ok=True)
    subprocess.run([sys.executable, script, d, *args], check=True)
    with open(os.path.join(d, "truth.json")) as f:
        return json.load(f)


def rows_of(path):
    """A CSV file's rows as dicts."""
    with open(path, newline="") as f:
        return list(csv.DictReader(f))


def gen_args(argv):
    """A generator's command line, DIR [--seed N] [--old] [--shift NAME=TICKS
    ...] [--KEY VALUE]: (DIR, seed, old, opt(KEY, default), {NAME: ticks})."""
    out = argv[0]
    seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
    opt = lambda k, d: argv[argv.index(k) + 1] if k in argv else d
    shift = {}
    for i, a in enumerate(argv):
        if a == "--shift":
            name, ticks = argv[i + 1].rsplit("=", 1)
            shift[name] = float(ticks)
    return out, seed, "--old" in argv, opt, shift


def native_meta(microcode, start_time):
    """meta.csv's rows of a synthetic native run on host lab1."""
    return [("key", "value"), ("tool", "vmptrst-bench"), ("platform", "native"),
            ("timing_note", "none"), ("host", "lab1"), ("kernel", "6.12.0-test"),
            ("cpu_model_name", "Test CPU"), ("microcode", microcode),
            ("tsc_khz", "2000000"), ("tool_commit", "abc123"), ("start_time", start_time)]


def write_run(out, rows, meta, truth):
    """A generated run into OUT: samples.csv (ROWS, CRLF), meta.csv (META's
    key, value pairs, unquoted) and truth.json."""
    with open(f"{out}/samples.csv", "w", newline="") as f:
        f.write("\r\n".join(rows) + "\r\n")
    with open(f"{out}/meta.csv", "w", newline="") as f:
        for k, v in meta:
            f.write(f"{k},{v}\r\n")
    with open(f"{out}/truth.json", "w") as f:
        json.dump(truth, f)


def export_invalid(doc):
    """Why doc (export's JSON) fails analysis/export.schema.json, or ""."""
    try:
        import jsonschema
        with open(os.path.join(HERE, "..", "..", "analysis", "export.schema.json")) as f:
            jsonschema.validate(doc, json.load(f))
        return ""
    except Exception as e:  # noqa: BLE001 (the reason goes in the verdict)
        return str(e)[:300]


def dithered_mean(v, q):
    """fit.c's az_dithered_mean: the mean of v within max(6 steps q, 6 MADs)
    of its median, and its standard error."""
    import numpy as np
    v = np.sort(np.array(v, dtype=float))
    m = np.median(v)
    w = max(6 * q, 6 * 1.4826 * np.median(np.abs(v - m)))
    k = v[np.abs(v - m) <= w]
    return k.mean(), (k.std(ddof=1) / np.sqrt(len(k)) if len(k) > 1 else float("nan"))


def headline_section(page):
    """The report's headline section, up to the end of its first table."""
    first = page[page.find('<h2 id="headline"'):]
    return first[:first.find("</table>")]


def finish(label):
    """The closing line 'LABEL: N passed, N failed'; exits 0 only if all passed."""
    print(f"{label}: {sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if all(results) else 1)
