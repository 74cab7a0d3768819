#!/usr/bin/env bash
# check-blocks.sh: the timed blocks, read back from the machine code.
#
# Builds the module against each Debian kernel's headers, disassembles
# vb_window.o and checks every timed block (LFENCE; RDTSC; MOV; MOV; LFENCE
# ... LFENCE; RDTSC; LFENCE): its body is N copies of one instruction only,
# nothing else; the copies' address register is neither RAX nor RDX (which the
# closing RDTSC overwrites) nor a register holding the opening TSC; and the
# unroll counts found are exactly 1, 2, 4 ... 256 for vmptrst and for mov,
# plus one empty block (the baseline).  A compiler that spilled, reordered or
# shared a register would fail here before it fails on hardware.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../emu/harness/common.sh
source "$top/tests/emu/harness/common.sh"
passed=0 failed=0

for series in 6.1 6.12; do
	kdir=$("$top/tests/emu/harness/kernels.sh" "$series" headers)
	b=$EMU_BUILD/blocks-$series
	rm -rf "$b" && mkdir -p "$b"
	cp "$top"/kmod/{Kbuild,*.c,*.h} "$b/"
	make -s -C "$kdir" M="$b" W=1 modules >"$b/build.log" 2>&1 || {
		cat "$b/build.log"; die "module build failed against $kdir"; }
	result=$(objdump -d --no-show-raw-insn "$b/vb_window.o" | awk '
	function reg64(r) {	# %r8d -> r8, %esi -> rsi, %rdi -> rdi
		sub(/^%/, "", r); sub(/d$/, "", r)
		if (r ~ /^e/) r = "r" substr(r, 2)
		return r
	}
	{
		sub(/^ *[0-9a-f]+:\t/, ""); gsub(/ +/, " ")
		ins[n++] = $0
	}
	END {
		for (i = 0; i + 4 < n; i++) {
			if (ins[i] != "lfence" || ins[i+1] != "rdtsc" ||
			    ins[i+2] !~ /^mov %eax,/ || ins[i+3] !~ /^mov %edx,/ ||
			    ins[i+4] != "lfence")
				continue
			split(ins[i+2], a, ","); split(ins[i+3], d, ",")
			t1 = reg64(a[2]); t2 = reg64(d[2])
			body = ""; cnt = 0; bad = ""
			for (j = i + 5; j < n && ins[j] != "lfence"; j++) {
				if (body == "") body = ins[j]
				else if (ins[j] != body) bad = "mixed body: " ins[j]
				cnt++
			}
			if (ins[j] != "lfence" || ins[j+1] != "rdtsc" || ins[j+2] != "lfence")
				bad = "block not closed by LFENCE; RDTSC; LFENCE"
			kind = body == "" ? "none" : body ~ /^vmptrst/ ? "vmptrst" : body ~ /^mov / ? "mov" : "other"
			if (kind == "other") bad = "unexpected instruction: " body
			if (body != "") {
				r = body; sub(/.*\(%/, "", r); sub(/\).*/, "", r)
				if (r == "rax" || r == "rdx" || r == t1 || r == t2)
					bad = "address register %" r " clobbered by RDTSC or the opening TSC"
			}
			if (bad != "") print "BAD " kind " x" cnt ": " bad
			else seen[kind] = seen[kind] " " cnt
			i = j
		}
		for (k in seen) print "SEEN " k seen[k]
	}')
	bads=$(grep -c '^BAD' <<<"$result" || true)
	grep '^BAD' <<<"$result" || true
	if [[ $bads -eq 0 ]]; then echo "ok - $series: every timed block is clean"; passed=$((passed + 1))
	else echo "not ok - $series: $bads timed blocks are wrong (above)"; failed=$((failed + 1)); fi
	want=" 1 2 4 8 16 32 64 128 256"
	for kind in vmptrst mov; do
		got=$(grep "^SEEN $kind " <<<"$result" | sed "s/^SEEN $kind//" | tr ' ' '\n' | sed '/^$/d' | sort -n -u | tr '\n' ' ' | sed 's/ $//; s/^/ /')
		if [[ $got == "$want" ]]; then echo "ok - $series: $kind blocks unrolled$want"; passed=$((passed + 1))
		else echo "not ok - $series: $kind blocks unrolled '$got', want '$want'"; failed=$((failed + 1)); fi
	done
	if grep -q '^SEEN none 0' <<<"$result"; then echo "ok - $series: empty baseline block present"; passed=$((passed + 1))
	else echo "not ok - $series: no empty baseline block"; failed=$((failed + 1)); fi
done
echo "blocks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
