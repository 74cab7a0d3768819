"""Two labs' catalogues with known answers, for check_catalog_merge.py and
check_catalog_table.py: synthetic runs by genclock.py (an add chain for the
cycles, then the VMX family's rows at known latencies in core cycles), one
CPU model, added to each lab's catalogue with `catalog add`.

  run  lab  host    microcode kernel       platform start       instructions (cycles)
  a1   A    a-1     0x10      6.1.0-test   native   06-01 10:00 vmptrst 24, vmptrst@guest 300
                                                                (points.csv, conformance.csv)
  a2   A+B  a-1     0x20      6.1.0-test   native   06-02 10:00 vmptrst 30, vmptrst@guest 310
  a3   A    a-2     0x10      6.1.0-test   native   06-04 10:00 vmptrst 25 (newer than a1, same row)
  a4   A    a-3     0x10      6.12.0-test  native   06-03 10:00 vmptrst 24, no add chain: no cycles
  b1   B    b-1     0x20      6.1.0-test   native   06-05 10:00 vmptrst 31, vmcall@guest 1200
  b2   B    b-emu   0x20      6.1.0-test   bochs    06-06 10:00 vmptrst 500 (emulated)

a2 is in both catalogues (the same folder: the same samples.csv).  Every
run also has genclock's add, imul, chase and mov rows.  headline.csv lists
vmptrst, mov, add, imul, chase, cpuid and vmcall only, so the rest of the
VMX family is added as headline rows by check_catalog_table.py.
"""
import os
import sqlite3
import subprocess
import sys

import conformfix
from testlib import HERE, run

GENC = os.path.join(HERE, "genclock.py")
MODEL = "Test Xeon V-1"
# name: lab(s), host, microcode, kernel, platform, start day, seed, genclock arguments
RUNS = {
    "a1": ("A", "a-1", "0x10", "6.1.0-test", "native", 1, 41,
           ["--insn", "vmptrst=24", "--insn", "vmptrst@guest=300", "--points"]),
    "a2": ("AB", "a-1", "0x20", "6.1.0-test", "native", 2, 42,
           ["--insn", "vmptrst=30", "--insn", "vmptrst@guest=310"]),
    "a3": ("A", "a-2", "0x10", "6.1.0-test", "native", 4, 43, ["--insn", "vmptrst=25"]),
    "a4": ("A", "a-3", "0x10", "6.12.0-test", "native", 3, 44, ["--insn", "vmptrst=24", "--no-add"]),
    "b1": ("B", "b-1", "0x20", "6.1.0-test", "native", 5, 51, ["--insn", "vmptrst=31", "--insn", "vmcall@guest=1200"]),
    "b2": ("B", "b-emu", "0x20", "6.1.0-test", "bochs", 6, 52, ["--insn", "vmptrst=500"]),
}


def make_run(d, name):
    labs, host, mc, kernel, platform, day, seed, extra = RUNS[name]
    os.makedirs(d)
    subprocess.run([sys.executable, GENC, d, "--seed", str(seed), "--host", host, "--model", MODEL,
                    "--microcode", mc, "--kernel", kernel, "--platform", platform,
                    "--start", f"2024-06-0{day}T10:00:00Z", *extra], check=True)
    if name == "a1":
        conformfix.write(d, "documented")


def make_labs(tmp):
    """The run folders and the two catalogues: (dirs by name, {"A": path, "B": path})."""
    dirs = {n: os.path.join(tmp, n) for n in RUNS}
    for n, d in dirs.items():
        make_run(d, n)
    labs = {}
    for lab in "AB":
        labs[lab] = os.path.join(tmp, f"lab{lab}.sqlite")
        rc, out, err = run("catalog", "add", labs[lab], *[dirs[n] for n in RUNS if lab in RUNS[n][0]])
        if rc:
            raise RuntimeError(f"catalog add into lab {lab}: {err}")
    return dirs, labs


def sha_of(dirs):
    """{samples.csv SHA-256: run name}, as the catalogue knows the runs."""
    import hashlib
    return {hashlib.sha256(open(os.path.join(d, "samples.csv"), "rb").read()).hexdigest(): n
            for n, d in dirs.items()}


def run_ids(db, dirs):
    """{run name: its id in db}."""
    names = sha_of(dirs)
    con = sqlite3.connect(db)
    ids = {names[s]: i for i, s in con.execute("SELECT id, samples_sha256 FROM run") if s in names}
    con.close()
    return ids


def one_line(err):
    return err.count("\n") == 1 and err.startswith("vmptrst-analyze: ")
