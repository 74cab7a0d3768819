"""conformance.csv fixtures as the driver writes them (the contract:
analysis/README.md, "conformance.csv"): the 14 branches of the reference
page, in order.

KINDS:
  documented    every branch executed and as documented
  differs       register-operand executed RDSEED on a CPU with it: none
                stored, flags cleared -> differs (the #UD -> none change
                the catalogue's history must show)
  unreachable   as documented, but cpl3-vmx-compat and vmx-non-root not
                reachable here (no compat code segment; module without
                the guest probe)
rows(kind) gives the rows as lists; write(dir, kind) writes the file (CRLF).
"""
import csv
import io
import os

HEADER = ["branch", "cpl", "operation", "condition", "expected_vector",
          "expected_error_code", "observed_vector", "observed_error_code", "cr2",
          "memory_changed", "flags_after", "stored", "verdict", "reason"]

NOEC = "the module's fixup does not see the error code"

# branch, cpl, operation, condition, expected vector, expected error code,
# observed vector, observed error code, cr2, memory changed, flags after, stored,
# verdict, reason
DOCUMENTED = [
    ["outside-vmx-cpl0", "0", "outside-vmx", "not in VMX operation", "#UD", "", "#UD", "", "",
     "no", "", "", "as-documented", ""],
    ["outside-vmx-cpl3", "3", "outside-vmx", "not in VMX operation", "#UD", "", "#UD", "", "",
     "no", "", "", "as-documented", "ring 3: SIGILL"],
    ["store", "0", "vmx-root", "CPL 0, a current VMCS: 64-bit in-memory destination operand := current-VMCS pointer",
     "none", "", "none", "", "", "yes", "none", "0x000000000012a000", "as-documented", ""],
    ["no-current-vmcs", "0", "vmx-root", "CPL 0, no current VMCS (after VMCLEAR)", "none", "",
     "none", "", "", "yes", "none", "0xffffffffffffffff", "as-documented", ""],
    ["lock-prefix", "0", "vmx-root", "LOCK prefix", "#UD", "", "#UD", "", "", "no", "", "",
     "as-documented", ""],
    ["register-operand", "0", "vmx-root", "If operand is a register.", "#UD", "", "#UD", "", "",
     "no", "", "", "as-documented", "no RDSEED (CPUID.(EAX=7,ECX=0):EBX[18] clear)"],
    ["noncanonical-ds", "0", "vmx-root",
     "If the destination operand is in the CS, DS, ES, FS, or GS segments and the memory address is in a non-canonical form.",
     "#GP", "0", "#GP", "", "", "no", "", "", "as-documented", NOEC],
    ["noncanonical-ss", "0", "vmx-root",
     "If the destination operand is in the SS segment and the memory address is in a non-canonical form.",
     "#SS", "0", "#SS", "", "", "no", "", "", "as-documented", NOEC],
    ["pf-not-present", "0", "vmx-root", "If a page fault occurs in accessing the memory destination operand.",
     "#PF", "P=0 W=1", "#PF", "", "0xffffc90000123000", "no", "", "", "as-documented", NOEC],
    ["pf-read-only", "0", "vmx-root", "If a page fault occurs in accessing the memory destination operand.",
     "#PF", "P=1 W=1", "#PF", "", "0xffffc90000123000", "no", "", "", "as-documented", NOEC],
    ["pf-split", "0", "vmx-root", "If a page fault occurs in accessing the memory destination operand.",
     "#PF", "P=0 W=1", "#PF", "", "0xffffc90000125000", "no", "", "", "as-documented", NOEC],
    ["cpl3-vmx-64bit", "3", "vmx-root", "If the current privilege level is not 0.", "#GP", "0",
     "#GP", "0", "", "no", "", "", "as-documented", "ring 3: SIGSEGV"],
    ["cpl3-vmx-compat", "3", "vmx-root", "(IA32_EFER.LMA = 1 and CS.L = 0)", "#UD", "", "#UD", "",
     "", "no", "", "", "as-documented", "ring 3, compatibility mode: SIGILL"],
    ["vmx-non-root", "0", "vmx-non-root", "in VMX non-root operation", "vm-exit", "reason 22",
     "vm-exit", "reason 22 qualification 0x1238 info 0x1c18100 length 7", "", "no", "", "",
     "as-documented", ""],
]

BRANCHES = [r[0] for r in DOCUMENTED]


def rows(kind):
    out = [list(r) for r in DOCUMENTED]
    by = {r[0]: r for r in out}
    if kind == "differs":
        r = by["register-operand"]
        r[6:14] = ["none", "", "", "no", "none", "", "differs",
                   "RDSEED: CPUID.(EAX=7,ECX=0):EBX[18] set, the encoding is RDSEED, not #UD"]
    elif kind == "unreachable":
        for b, why in (("cpl3-vmx-compat", "no compatibility-mode code segment for ring 3 here"),
                       ("vmx-non-root", "the module has no guest probe (built without TEST_HOOKS)")):
            r = by[b]
            r[6:14] = ["", "", "", "", "", "", "not-reachable-here", why]
    elif kind != "documented":
        raise ValueError(kind)
    return out


def text(table, eol="\r\n"):
    s = io.StringIO()
    w = csv.writer(s, lineterminator=eol)
    for r in table:
        w.writerow(r)
    return s.getvalue()


def write(d, kind, table=None):
    """DIR/conformance.csv of KIND (or the rows given, header included)."""
    with open(os.path.join(d, "conformance.csv"), "w", newline="") as f:
        f.write(text(table if table is not None else [HEADER] + rows(kind)))
