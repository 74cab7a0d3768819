#!/usr/bin/env bash
# check-blocks.sh: the timed blocks, read back from the machine code.
#
# Builds the module against each Debian kernel's headers (W=1 and sparse:
# any warning fails; the tests' build, TEST_HOOKS=1, as well; the W=1 build
# is tests/emu/kmod-build.sh's, shared with the emulated areas' payload),
# disassembles vb_window.o of the module users load and checks every timed
# block, for each serialisation (lfence:
# LFENCE;RDTSC;LFENCE .. LFENCE;RDTSC;LFENCE, mfence: .. MFENCE;LFENCE;RDTSC;
# LFENCE, cpuid: CPUID;RDTSC .. RDTSCP;CPUID): each opening is closed by its
# own sequence; CF and ZF are set right before the opening (cmp %rsp,%rsp;
# stc) and read right after the closing (setna), which changes neither (the
# cpuid closing zeroes EAX with MOV); the body is N copies of one
# instruction only, nothing else, or N alternating pairs (vmxoff; vmxon, and
# vmptrld other's two operands); no register the copies use (address,
# value, accumulator) is one of RAX-RDX (RDTSC(P) and CPUID write them) or
# holds the opening TSC; and the unroll counts found are exactly 1, 2, 4
# ... 256 for vmptrst, mov, the reference chains (add, imul, pointer chase)
# and the family (vmptrld, vmptrld other from 2, vmclear, vmread, vmwrite,
# invvpid, invept, vmxon-vmxoff), plus one empty block (the baseline),
# under every serialisation.  A compiler that spilled, reordered or
# shared a register would fail here before it fails on hardware.
# mode=guest's blocks (vb_guest_asm.o, both builds) are checked by
# check-guest-blocks.py: each exactly its bracket and copies, encoded as the
# ABI header says the module checks the exits, and the table that names them.
# CONFORM's four executions (vb_conform_asm.o) are read back too: each the
# form of the reference page's branch it stands for.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../emu/harness/common.sh
source "$top/tests/emu/harness/common.sh"
passed=0 failed=0

for series in 6.1 6.12; do
	kdir=$("$top/tests/emu/harness/kernels.sh" "$series" headers)
	# W=1 and sparse: not one warning, in either build.  The W=1 build is
	# tests/emu/kmod-build.sh's (the one the emulated areas' payload loads:
	# built once per run of the suite, EMU_PAYLOAD_CACHE), sparse is run on
	# every source of it (C=2: the objects are up to date, sparse runs
	# anyway), under the payload's lock; the objects are then copied here.
	exec 8>"$EMU_BUILD/payload-$series.lock"
	flock 8
	for hooks in "" 1; do
		b=$EMU_BUILD/blocks-$series${hooks:+-test-hooks}
		what=module
		[[ -z $hooks ]] || what="tests' build of the module (TEST_HOOKS=1)"
		rm -rf "$b"
		if ! kb=$("$top/tests/emu/kmod-build.sh" "$series" "$hooks"); then
			echo "not ok - $series: $what builds warning-free with W=1 and sparse (W=1 build above)"
			die "$what build failed against $kdir"
		fi
		make -s -C "$kdir" M="$kb" W=1 C=2 TEST_HOOKS="$hooks" modules >"$kb/sparse.log" 2>&1 || {
			cat "$kb/sparse.log"; die "$what: sparse (C=2) failed against $kdir"; }
		cp -a "$kb" "$b"
		if grep -E "warning:|error:" "$b/build.log" "$b/sparse.log"; then
			echo "not ok - $series: $what builds warning-free with W=1 and sparse (above)"
			failed=$((failed + 1))
		else
			echo "ok - $series: $what builds warning-free with W=1 and sparse"
			passed=$((passed + 1))
		fi
	done
	flock -u 8
	b=$EMU_BUILD/blocks-$series
	result=$(objdump -d --no-show-raw-insn "$b/vb_window.o" | awk '
	function reg64(r) {	# %r8d -> r8, %esi -> rsi, %rdi -> rdi
		sub(/^%/, "", r); sub(/d$/, "", r)
		if (r ~ /^e/) r = "r" substr(r, 2)
		return r
	}
	function tsc_pair(k) {	# mov %eax,X; mov %edx,Y at k: sets t1, t2
		if (ins[k] !~ /^mov %eax,/ || ins[k+1] !~ /^mov %edx,/) return 0
		split(ins[k], a, ","); split(ins[k+1], d, ",")
		t1 = reg64(a[2]); t2 = reg64(d[2])
		return 1
	}
	{
		sub(/^ *[0-9a-f]+:\t/, ""); gsub(/ +/, " ")
		ins[n++] = $0
	}
	END {
		for (i = 0; i + 4 < n; i++) {
			# The two openings: LFENCE;RDTSC;LFENCE and CPUID;RDTSC.
			if (ins[i] == "lfence" && ins[i+1] == "rdtsc" &&
			    tsc_pair(i + 2) && ins[i+4] == "lfence") {
				open = "L"; j = i + 5
			} else if (ins[i] == "xor %eax,%eax" && ins[i+1] == "cpuid" &&
				   ins[i+2] == "rdtsc" && tsc_pair(i + 3)) {
				open = "C"; j = i + 5
			} else
				continue
			bad = ""
			# CF and ZF set before the opening (the VMfail check after)
			if (ins[i-2] != "cmp %rsp,%rsp" || ins[i-1] != "stc")
				bad = "CF and ZF not set before the opening: " ins[i-2] "; " ins[i-1]
			# the copies: one instruction, or a pair alternating
			cnt = 0; delete b
			for (; j < n && ins[j] != "lfence" && ins[j] != "mfence" &&
			       ins[j] != "rdtscp"; j++)
				b[++cnt] = ins[j]
			body = cnt ? b[1] : ""; alt = ""
			if (cnt > 1 && b[2] != b[1]) alt = b[2]
			for (k = 1; k <= cnt; k++)
				if (b[k] != (k % 2 || alt == "" ? body : alt))
					bad = "mixed body: " b[k]
			# The closings, each belonging to one opening.
			if (open == "L" && ins[j] == "lfence" && ins[j+1] == "rdtsc" &&
			    ins[j+2] ~ /^mov %eax,/ && ins[j+3] ~ /^mov %edx,/ && ins[j+4] == "lfence")
				{ ser = "lfence"; len = 5 }
			else if (open == "L" && ins[j] == "mfence" && ins[j+1] == "lfence" &&
				 ins[j+2] == "rdtsc" && ins[j+3] ~ /^mov %eax,/ &&
				 ins[j+4] ~ /^mov %edx,/ && ins[j+5] == "lfence")
				{ ser = "mfence"; len = 6 }
			else if (open == "C" && ins[j] == "rdtscp" && ins[j+1] ~ /^mov %eax,/ &&
				 ins[j+2] ~ /^mov %edx,/ && ins[j+3] == "mov $0x0,%eax" &&
				 ins[j+4] == "cpuid")
				{ ser = "cpuid"; len = 5 }
			else {
				ser = "?"; len = 1
				bad = "opening " open " not closed by its own sequence: " ins[j]
			}
			# VMfail: CF or ZF read right after the closing (setna, shown as setbe)
			if (ins[j+len] !~ /^set(na|be) %[0-9a-z]+$/)
				bad = "no setna after the closing: " ins[j+len]
			M = "(0x0)?\\(%r[0-9a-z]+\\)"; R = "%r[0-9a-z]+"
			if (body == "") kind = "none"
			else if (alt != "") {
				# vmxoff; vmxon (op) ...; or vmptrld (op); vmptrld (other) ...
				if (body == "vmxoff" && alt ~ ("^vmxon " M "$") && cnt % 2 == 0)
					{ kind = "vmxon-vmxoff"; cnt = cnt / 2 }
				else if (body ~ ("^vmptrld " M "$") && alt ~ ("^vmptrld " M "$"))
					kind = "vmptrld-other"
				else
					kind = "other"
			}
			else if (body ~ ("^vmptrst " M "$")) kind = "vmptrst"
			else if (body ~ ("^mov " M "," R "$")) kind = "chase"
			else if (body ~ ("^mov " R "," M "$")) kind = "mov"
			else if (body ~ /^add \$0x1,%r[0-9a-z]+$/) kind = "add"
			else if (body ~ ("^imul " R "," R "$")) kind = "imul"
			else if (body ~ ("^vmptrld " M "$")) kind = "vmptrld"
			else if (body ~ ("^vmclear " M "$")) kind = "vmclear"
			else if (body ~ ("^vmread " R "," R "$")) kind = "vmread"
			else if (body ~ ("^vmwrite " R "," R "$")) kind = "vmwrite"
			else if (body ~ ("^invvpid " M "," R "$")) kind = "invvpid"
			else if (body ~ ("^invept " M "," R "$")) kind = "invept"
			else kind = "other"
			if (kind == "other") bad = "unexpected instruction: " body (alt != "" ? "; " alt : "")
			# every register the copies use: none of RAX-RDX, nor the opening TSC
			rest = body " " alt; nr = 0
			while (match(rest, /%r[0-9a-z]+/)) {
				r = substr(rest, RSTART + 1, RLENGTH - 1)
				rest = substr(rest, RSTART + RLENGTH)
				regs[++nr] = r
				if (r ~ /^r[abcd]x$/ || r == t1 || r == t2)
					bad = "register %" r " clobbered by the bracket or holding the opening TSC"
			}
			# a chain depends on itself: the same register in and out
			if ((kind == "chase" || kind == "imul") && regs[1] != regs[2])
				bad = "not a dependent chain: " body
			if (bad != "") print "BAD " ser " " kind " x" cnt ": " bad
			else seen[ser " " kind] = seen[ser " " kind] " " cnt
			i = j + len - 1	# past the closing: it must not read as an opening
		}
		for (k in seen) print "SEEN " k seen[k]
	}')
	bads=$(grep -c '^BAD' <<<"$result" || true)
	grep '^BAD' <<<"$result" || true
	if [[ $bads -eq 0 ]]; then echo "ok - $series: every timed block is clean"; passed=$((passed + 1))
	else echo "not ok - $series: $bads timed blocks are wrong (above)"; failed=$((failed + 1)); fi
	for hooks in "" 1; do
		g=$EMU_BUILD/blocks-$series${hooks:+-test-hooks}/vb_guest_asm.o
		out=$(/usr/bin/python3 "$top/tests/kmod/check-guest-blocks.py" "$g" \
			"$top/kmod/vmptrst_bench_abi.h" ${hooks:+--test-hooks} 2>&1 || true)
		sed "s|$EMU_BUILD/||" <<<"$out"
		passed=$((passed + $(grep -c '^ok - ' <<<"$out" || true)))
		bad=$(grep -c '^not ok - ' <<<"$out" || true)
		# no verdict at all is a failure too
		if ! grep -q '^ok - \|^not ok - ' <<<"$out"; then bad=1; fi
		failed=$((failed + bad))
	done
	# CONFORM's executions (vb_conform_asm.o): each function's one guarded
	# instruction is the form its branch names, the six flags set just before.
	c=$EMU_BUILD/blocks-$series/vb_conform_asm.o
	conf=$(objdump -d --no-show-raw-insn "$c" | awk '
	/^[0-9a-f]+ <vb_conf_/ { f = $2; gsub(/[<>:]/, "", f); preset = 0; next }
	{ sub(/^ *[0-9a-f]+:\t/, ""); gsub(/ +/, " ") }
	/^orq \$0x8d5,\(%rsp\)/ { preset = 1 }
	/^(lock )?(vmptrst|rdseed) / { print f ": " $0 (preset ? "" : " (flags not preset)") }')
	want_conf="vb_conf_vmptrst: vmptrst (%rdi)
vb_conf_vmptrst_ss: vmptrst 0x0(%rbp)
vb_conf_vmptrst_lock: lock vmptrst (%rdi)
vb_conf_vmptrst_reg: rdseed %rax"
	if [[ $conf == "$want_conf" ]]; then
		echo "ok - $series: CONFORM's four forms: vmptrst (%rdi), (%rbp) (segment SS), LOCK, ModRM mod=11 (decodes as rdseed %rax), each after the six flags were set"
		passed=$((passed + 1))
	else
		echo "not ok - $series: CONFORM's forms in vb_conform_asm.o are not as vb_conform.c expects:"
		echo "$conf"
		failed=$((failed + 1))
	fi
	want=" 1 2 4 8 16 32 64 128 256"
	for ser in lfence mfence cpuid; do
		for kind in vmptrst mov add imul chase vmptrld vmptrld-other vmclear vmread vmwrite invvpid invept vmxon-vmxoff; do
			# vmptrld other's block of 1 is one vmptrld: it counts among vmptrld's
			want=" 1 2 4 8 16 32 64 128 256"
			[[ $kind == vmptrld-other ]] && want=" 2 4 8 16 32 64 128 256"
			got=$(grep "^SEEN $ser $kind " <<<"$result" | sed "s/^SEEN $ser $kind//" | tr ' ' '\n' | sed '/^$/d' | sort -n -u | tr '\n' ' ' | sed 's/ $//; s/^/ /')
			if [[ $got == "$want" ]]; then echo "ok - $series: $ser/$kind blocks unrolled$want"; passed=$((passed + 1))
			else echo "not ok - $series: $ser/$kind blocks unrolled '$got', want '$want'"; failed=$((failed + 1)); fi
		done
		if grep -q "^SEEN $ser none 0" <<<"$result"; then echo "ok - $series: $ser empty baseline block present"; passed=$((passed + 1))
		else echo "not ok - $series: no $ser empty baseline block"; failed=$((failed + 1)); fi
	done
done
echo "blocks: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
