#!/usr/bin/env python3
"""check-guest-blocks.py OBJ ABI_HEADER [--test-hooks]: mode=guest's timed
blocks (kmod/vb_guest_asm.S), read back from the object file.

Every block vb_gb_<insn>_<ser>_<n> must be, instruction by instruction and
nothing else: [ENDBR64] LFENCE; RDTSC; MOV %eax,%r8d; MOV %edx,%r9d; LFENCE;
n copies of the instruction; [MFENCE;] LFENCE; RDTSC; MOV %eax,%r10d;
MOV %edx,%r11d; LFENCE; HLT; UD2 (the registers the host reads the TSC from,
vb_guest.c).  The copies are encoded as the ABI header says the module
checks the exits against: VMPTRST VB_GUEST_DISP(%rbx) in
VB_GUEST_VMPTRST_LEN bytes (0F C7 BB disp32), CPUID in VB_GUEST_CPUID_LEN,
VMCALL in VB_GUEST_VMCALL_LEN, RDMSR in VB_GUEST_RDMSR_LEN, OUT to
VB_GUEST_IO_PORT (E6 imm8) in VB_GUEST_IO_LEN, XSETBV in VB_GUEST_XSETBV_LEN,
INVD in VB_GUEST_INVD_LEN, MOV to CR3 from RCX (the register
VB_GUEST_CR3_QUAL names) in VB_GUEST_CR3_LOAD_LEN; MOV stores RSI to the
same operand.  The blocks are exactly: vmptrst, mov, cpuid, vmcall, rdmsr,
io, xsetbv, invd, cr3load at unroll 1, 2, 4 ... 256
under lfence and mfence, an empty one under each; with --test-hooks also
the other addressing form (VMPTRST [RDI + disp32], inject_fault=15), and
without it none of that.  The table vb_guest_blocks[insn][serialize]
[log2 unroll] (and vb_guest_wrongform) must name, entry by entry, the
block of its index and the offset of that block's HLT; rows the module
never uses (add, imul, chase, the family; serialize cpuid) must be empty.
Prints "ok - ..." / "not ok - ..." lines and exits 1 if any failed.
"""
import re
import subprocess
import sys
import tempfile

# enum vb_instruction's order; the guest blocks' names (cr3-load: cr3load)
INSNS = ["none", "vmptrst", "mov", "add", "imul", "chase", "cpuid", "vmcall",
         "vmptrld", "vmclear", "vmread", "vmwrite", "invvpid", "invept",
         "vmxon", "rdmsr", "io", "xsetbv", "invd", "cr3load"]
EXITS = ["cpuid", "vmcall", "rdmsr", "io", "xsetbv", "invd", "cr3load"]
SERS = ["lfence", "cpuid", "mfence"]
UNROLLS = [1 << k for k in range(9)]

failed = 0


def check(cond, what):
    global failed
    print(("ok - " if cond else "not ok - ") + what)
    failed += not cond


def abi_constants(header):
    text = open(header).read()
    want = {}
    for name in ("VB_GUEST_DISP", "VB_GUEST_VMPTRST_LEN", "VB_GUEST_CPUID_LEN",
                 "VB_GUEST_VMCALL_LEN", "VB_GUEST_RDMSR_LEN", "VB_GUEST_IO_LEN",
                 "VB_GUEST_IO_PORT", "VB_GUEST_XSETBV_LEN", "VB_GUEST_INVD_LEN",
                 "VB_GUEST_CR3_LOAD_LEN"):
        m = re.search(r"#define\s+%s\s+(0x[0-9a-fA-F]+|\d+)" % name, text)
        want[name] = int(m.group(1), 0) if m else None
    # VB_GUEST_CR3_QUAL: (3u | (0u << 4) | (1u << 8)): CR, type, register
    m = re.search(r"#define\s+VB_GUEST_CR3_QUAL\s+\((\d+)u \| \((\d+)u << 4\) \| \((\d+)u << 8\)\)", text)
    want["cr3_qual"] = tuple(int(g) for g in m.groups()) if m else None
    return want


def functions(obj):
    out = subprocess.run(["objdump", "-d", "-w", obj], check=True,
                         capture_output=True, text=True).stdout
    funcs, cur = {}, None
    for line in out.splitlines():
        m = re.match(r"^([0-9a-f]+) <([\w.]+)>:$", line)
        if m:
            cur = m.group(2)
            funcs[cur] = (int(m.group(1), 16), [])
            continue
        m = re.match(r"^\s*([0-9a-f]+):\t([0-9a-f ]+?)\s*\t(.*)$", line)
        if m and cur:
            funcs[cur][1].append((int(m.group(1), 16),
                                  bytes.fromhex(m.group(2).replace(" ", "")),
                                  " ".join(m.group(3).split())))
    return funcs


def main():
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    hooks = "--test-hooks" in sys.argv
    if len(args) != 2:
        sys.exit("usage: check-guest-blocks.py OBJ ABI_HEADER [--test-hooks]")
    obj, header = args
    abi = abi_constants(header)
    disp = abi["VB_GUEST_DISP"]
    body = {
        "vmptrst": ("vmptrst %#x(%%rbx)" % disp,
                    bytes([0x0f, 0xc7, 0xbb]) + disp.to_bytes(4, "little"),
                    abi["VB_GUEST_VMPTRST_LEN"]),
        "wrongform": ("vmptrst %#x(%%rdi)" % disp,
                      bytes([0x0f, 0xc7, 0xbf]) + disp.to_bytes(4, "little"),
                      abi["VB_GUEST_VMPTRST_LEN"]),
        "mov": ("mov %%rsi,%#x(%%rbx)" % disp,
                bytes([0x48, 0x89, 0xb3]) + disp.to_bytes(4, "little"), 7),
        "cpuid": ("cpuid", bytes([0x0f, 0xa2]), abi["VB_GUEST_CPUID_LEN"]),
        "vmcall": ("vmcall", bytes([0x0f, 0x01, 0xc1]),
                   abi["VB_GUEST_VMCALL_LEN"]),
        "rdmsr": ("rdmsr", bytes([0x0f, 0x32]), abi["VB_GUEST_RDMSR_LEN"]),
        "io": ("out %%al,$%#x" % abi["VB_GUEST_IO_PORT"],
               bytes([0xe6, abi["VB_GUEST_IO_PORT"]]), abi["VB_GUEST_IO_LEN"]),
        "xsetbv": ("xsetbv", bytes([0x0f, 0x01, 0xd1]),
                   abi["VB_GUEST_XSETBV_LEN"]),
        "invd": ("invd", bytes([0x0f, 0x08]), abi["VB_GUEST_INVD_LEN"]),
        "cr3load": ("mov %rcx,%cr3", bytes([0x0f, 0x22, 0xd9]),
                    abi["VB_GUEST_CR3_LOAD_LEN"]),
    }
    # the MOV to CR3 is what the qualification the module checks names:
    # CR3, MOV to CR (type 0), RCX (1): ModRM 11 011 001
    check(abi["cr3_qual"] == (3, 0, 1),
          "%s: VB_GUEST_CR3_QUAL names CR3, MOV to CR, RCX (%s): the block's 0F 22 D9" % (
              header, abi["cr3_qual"]))
    opening = ["lfence", "rdtsc", "mov %eax,%r8d", "mov %edx,%r9d", "lfence"]
    closing = ["lfence", "rdtsc", "mov %eax,%r10d", "mov %edx,%r11d", "lfence",
               "hlt", "ud2"]
    funcs = functions(obj)
    blocks = {n: f for n, f in funcs.items() if n.startswith("vb_gb_")}
    hlt_at = {}
    bad = []
    for name, (addr, ins) in sorted(blocks.items()):
        m = re.match(r"^vb_gb_(\w+)_(lfence|mfence)_(\d+)$", name)
        if not m:
            bad.append("%s: not a block name" % name)
            continue
        insn, ser, n = m.group(1), m.group(2), int(m.group(3))
        seq = ins[1:] if ins and ins[0][2] == "endbr64" else ins
        # the alignment after the block's UD2 reads as part of it
        while len(seq) > 1 and seq[-1][2] != "ud2" and (
                seq[-1][2] == "int3" or seq[-1][2].split()[0].endswith("nop") or
                seq[-1][2].split()[0] in ("nopw", "nopl", "xchg", "data16", "cs")):
            seq = seq[:-1]
        want = opening + [body[insn][0]] * n if insn != "none" else opening[:]
        want += (["mfence"] if ser == "mfence" else []) + closing
        texts = [t for _, _, t in seq]
        if texts != want:
            bad.append("%s: %s" % (name, "; ".join(texts[:12])))
            continue
        if insn != "none":
            for _, raw, _ in seq[5:5 + n]:
                if raw != body[insn][1] or len(raw) != body[insn][2]:
                    bad.append("%s: copy encoded %s, want %s (%s bytes)" % (
                        name, raw.hex(), body[insn][1].hex(), body[insn][2]))
                    break
        hlt_at[(insn, ser, n)] = (addr, seq[-2][0] - addr)
    for b in bad[:5]:
        print("# " + b)
    check(not bad and blocks, "%s: %d guest blocks, each exactly its bracket, its copies encoded as the ABI says (disp %#x, VMPTRST %s bytes, CPUID %s, VMCALL %s, RDMSR %s, OUT to port %#x %s, XSETBV %s, INVD %s, MOV to CR3 %s), HLT, UD2" % (
        obj, len(blocks), disp, abi["VB_GUEST_VMPTRST_LEN"],
        abi["VB_GUEST_CPUID_LEN"], abi["VB_GUEST_VMCALL_LEN"],
        abi["VB_GUEST_RDMSR_LEN"], abi["VB_GUEST_IO_PORT"],
        abi["VB_GUEST_IO_LEN"], abi["VB_GUEST_XSETBV_LEN"],
        abi["VB_GUEST_INVD_LEN"], abi["VB_GUEST_CR3_LOAD_LEN"]))
    kinds = ["vmptrst", "mov"] + EXITS + (["wrongform"] if hooks else [])
    want_set = {(k, s, n) for k in kinds for s in ("lfence", "mfence") for n in UNROLLS}
    want_set |= {("none", s, 0) for s in ("lfence", "mfence")}
    got_set = set(hlt_at)
    check(got_set == want_set, "%s: the blocks are exactly %s at unroll 1..256 under lfence and mfence, and an empty one under each%s (missing %s, extra %s)" % (
        obj, ", ".join(kinds), "" if hooks else "; no other addressing form in the module users load",
        sorted(want_set - got_set)[:4], sorted(got_set - want_set)[:4]))

    # the tables: relocations into .text, and the HLT offsets beside them
    syms = {}
    for line in subprocess.run(["nm", obj], check=True, capture_output=True,
                               text=True).stdout.splitlines():
        p = line.split()
        if len(p) == 3:
            syms[p[2]] = int(p[0], 16)
    relocs = {}
    for line in subprocess.run(["readelf", "-rW", obj], check=True,
                               capture_output=True, text=True).stdout.split(
                                   "Relocation section")[1:]:
        if not line.lstrip().startswith("'.rela.rodata'"):
            continue
        for r in line.splitlines()[2:]:
            m = re.match(r"^([0-9a-f]+)\s+\S+\s+R_X86_64_64\s+\S+\s+\.text \+ ([0-9a-f]+)$", r.strip())
            if m:
                relocs[int(m.group(1), 16)] = int(m.group(2), 16)
    with tempfile.NamedTemporaryFile() as t:
        subprocess.run(["objcopy", "-O", "binary", "--only-section=.rodata",
                        obj, t.name], check=True)
        rodata = open(t.name, "rb").read()

    def table(sym, rows):
        errs = []
        base = syms.get(sym)
        if base is None:
            return ["no symbol %s" % sym]
        for i, insn in enumerate(rows):
            for s, ser in enumerate(SERS):
                for u, n in enumerate(UNROLLS):
                    off = base + ((i * 3 + s) * 9 + u) * 16
                    hoff = int.from_bytes(rodata[off + 8:off + 12], "little")
                    key = (insn, ser, 0 if insn == "none" else n)
                    if key not in hlt_at:
                        if off in relocs or hoff:
                            errs.append("[%s][%s][%d] should be empty" % (insn, ser, n))
                        continue
                    addr, h = hlt_at[key]
                    if relocs.get(off) != addr or hoff != h:
                        errs.append("[%s][%s][%d]: .text+%s, HLT at +%d; want .text+%x, +%d" % (
                            insn, ser, n, "%x" % relocs[off] if off in relocs else "none", hoff, addr, h))
        return errs

    errs = table("vb_guest_blocks", INSNS)
    for e in errs[:5]:
        print("# " + e)
    check(not errs, "%s: vb_guest_blocks[insn][serialize][unroll] names each entry's own block and its HLT; add, imul, chase, the family and serialize cpuid empty" % obj)
    if hooks:
        errs = table("vb_guest_wrongform", ["wrongform"])
        for e in errs[:5]:
            print("# " + e)
        check(not errs, "%s: vb_guest_wrongform[serialize][unroll] names each entry's own block" % obj)
    else:
        check("vb_guest_wrongform" not in syms, "%s: no vb_guest_wrongform table in the module users load" % obj)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
