#!/usr/bin/env python3
"""check-conformance.py: a conformance.csv that the driver wrote inside an
emulated machine, checked against what that machine can show.

  check-conformance.py CSV --vmx yes|no [--hold] [--rdseed yes|no] [--vpid yes|no] [--name N]

--vmx yes (Bochs): the ten CPL 0 branches and outside-vmx-cpl3 executed and
as documented, but register-operand, which on a CPU with RDSEED (--rdseed
yes, or when its reason says so) is the RDSEED it decodes as: "differs"
with that reason; vmx-non-root a VM exit as documented, or (--vpid no) not
reachable for want of VPID.  Without --hold the CPL 3 rows in VMX
operation are not reachable (the module users load never leaves VMX on
outside its windows); with --hold (the tests' build, debug_hold=1)
cpl3-vmx-64bit is #GP as documented and cpl3-vmx-compat #UD as documented,
or not reachable with the fault that kept it out of compatibility mode.
--vmx no (QEMU): outside-vmx-cpl0 and -cpl3 as documented, the other
module rows not reachable (no VMX).
Prints "ok - ..." / "not ok - ..." lines; exit 1 if any check failed.
"""
import argparse
import csv
import sys

HEADER = ("branch,cpl,operation,condition,expected_vector,expected_error_code,"
          "observed_vector,observed_error_code,cr2,memory_changed,flags_after,"
          "stored,verdict,reason").split(",")
BRANCHES = ["outside-vmx-cpl0", "outside-vmx-cpl3", "store", "no-current-vmcs",
            "lock-prefix", "register-operand", "noncanonical-ds",
            "noncanonical-ss", "pf-not-present", "pf-read-only", "pf-split",
            "cpl3-vmx-64bit", "cpl3-vmx-compat", "vmx-non-root"]
MODULE_ROWS = ["outside-vmx-cpl0", "store", "no-current-vmcs", "lock-prefix",
               "register-operand", "noncanonical-ds", "noncanonical-ss",
               "pf-not-present", "pf-read-only", "pf-split"]

failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    failed += 0 if cond else 1


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("csv")
    ap.add_argument("--vmx", choices=["yes", "no"], required=True)
    ap.add_argument("--hold", action="store_true")
    ap.add_argument("--rdseed", choices=["yes", "no"])
    ap.add_argument("--vpid", choices=["yes", "no"], default="yes")
    ap.add_argument("--name", default="conformance.csv")
    a = ap.parse_args()
    n = a.name
    try:
        with open(a.csv, newline="") as f:
            rows = list(csv.reader(f))
    except OSError as e:
        check(False, f"{n}: readable ({e})")
        return 1
    check(rows and rows[0] == HEADER, f"{n}: the header is the documented one")
    body = {r[0]: dict(zip(HEADER, r)) for r in rows[1:] if r}
    check([r[0] for r in rows[1:] if r] == BRANCHES,
          f"{n}: the 14 branches in order ({len(rows) - 1} rows)")
    if any(b not in body for b in BRANCHES):
        return 1

    def line(b):
        r = body[b]
        return (f"{b}: expected {r['expected_vector']}, observed "
                f"{r['observed_vector'] or '-'}, {r['verdict']}"
                + (f" ({r['reason']})" if r["reason"] else ""))

    def want(b, verdict, extra=True, why=""):
        check(body[b]["verdict"] == verdict and extra,
              f"{n}: {line(b)}{' [want ' + verdict + why + ']' if body[b]['verdict'] != verdict or not extra else ''}")

    for b in BRANCHES:
        check(body[b]["verdict"] == "as-documented" or body[b]["reason"],
              f"{n}: {b}: a verdict other than as-documented gives its reason")
    want("outside-vmx-cpl3", "as-documented")
    if a.vmx == "no":
        want("outside-vmx-cpl0", "as-documented")
        for b in MODULE_ROWS[1:] + ["vmx-non-root"]:
            want(b, "not-reachable-here")
        return 1 if failed else 0
    for b in MODULE_ROWS:
        if b == "register-operand":
            continue
        want(b, "as-documented")
    reg = body["register-operand"]
    rdseed = a.rdseed == "yes" if a.rdseed else "RDSEED" in reg["reason"]
    if rdseed:
        want("register-operand", "differs",
             reg["observed_vector"] == "none" and "RDSEED" in reg["reason"],
             ", observed none, the reason naming RDSEED")
    else:
        want("register-operand", "as-documented",
             reg["observed_vector"] == "#UD")
    if a.vpid == "yes":
        want("vmx-non-root", "as-documented",
             body["vmx-non-root"]["observed_error_code"].startswith("reason 22"))
    else:
        want("vmx-non-root", "not-reachable-here",
             "VPID" in body["vmx-non-root"]["reason"], ", the reason naming VPID")
    if not a.hold:
        for b in ("cpl3-vmx-64bit", "cpl3-vmx-compat"):
            want(b, "not-reachable-here")
        return 1 if failed else 0
    want("cpl3-vmx-64bit", "as-documented",
         body["cpl3-vmx-64bit"]["observed_vector"] == "#GP")
    compat = body["cpl3-vmx-compat"]
    if compat["verdict"] == "as-documented":
        want("cpl3-vmx-compat", "as-documented", compat["observed_vector"] == "#UD")
    else:
        want("cpl3-vmx-compat", "not-reachable-here", bool(compat["reason"]),
             " (compatibility mode could not be entered), with the fault")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
