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


def finish(label):
    """The closing line 'LABEL: N passed, N failed'; exits 0 only if all passed."""
    print(f"{label}: {sum(results)} passed, {len(results) - sum(results)} failed")
    sys.exit(0 if all(results) else 1)
