#!/usr/bin/env bash
# cli-test.sh: `vmptrst-bench run --backend user` end to end, at ring 3 on
# this machine: configs/user.ini makes a run directory like any other (every
# point measured, or skipped with its reason; every stored value checked),
# vmptrst-analyze reads it unchanged, and what ring 3 cannot measure is
# refused before anything runs, with the documented message.  Functional
# only: no timing is asserted.  Prints ok/not ok and "cli: N passed, N failed".
set -uo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
bench=$top/bench/vmptrst-bench analyze=$top/analysis/vmptrst-analyze
out=$(mktemp -d) passed=0 failed=0
trap 'rm -rf "$out"' EXIT
check() { # check DESCRIPTION COMMAND...
	local d=$1; shift
	if "$@"; then echo "ok - $d"; passed=$((passed + 1));
	else echo "not ok - $d"; failed=$((failed + 1)); fi
}
make -s -C "$top/bench" vmptrst-bench && make -s -C "$top/analysis" || exit 1

"$bench" run --backend user -c "$top/configs/user.ini" --samples 200 -o "$out/run" >"$out/run.log" 2>&1
rc=$?
check "run --backend user -c configs/user.ini exits 0 (got $rc)" test "$rc" -eq 0
st=$(tr -d '\r' <"$out/run/points.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "status") s = i; if ($i == "reason") r = i }; next }
	{ n++; if ($s == "measured") m++; else if ($s == "skipped" && $r != "") k++; else bad++ }
	END { printf "%d %d %d %d", n, m, k, bad }')
read -r n m k bad <<<"$st"
# never skipped: the 9 references and mov hot/flushed (8); the others may be
# (flushopt without CLFLUSHOPT, 2m without THP, cpuid without RDTSCP)
check "every point measured ($m) or skipped with a reason ($k) of $n" test "$n" -eq 27 -a "$bad" -eq 0 -a "$m" -ge 17
wrong=$(tr -d '\r' <"$out/run/points.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "status") s = i; if ($i == "serialize") z = i; if ($i == "reason") r = i }; next }
	$s == "skipped" && $z == "cpuid" && $r !~ /no RDTSCP/ { print $0 }')
check "a skipped serialize=cpuid point names RDTSCP" test -z "$wrong"
check "every row's check is ok" test -z "$(tr -d '\r' <"$out/run/samples.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "check") c = i; next } $c != "ok"')"
check "meta.csv says backend user" grep -q '^backend,user' <(tr -d '\r' <"$out/run/meta.csv")
for insn in add imul chase mov none; do
	check "samples.csv has $insn rows" grep -q ",$insn," "$out/run/samples.csv"
done
"$analyze" summary "$out/run" >"$out/summary.log" 2>&1
rc=$?
check "vmptrst-analyze summary reads it (exit $rc)" test "$rc" -eq 0
check "summary has a net per-instruction estimate for imul" \
	grep -q '^[0-9]*,imul,.*TSC ticks per instruction' "$out/run/summary.csv"

refuse() { # refuse DESCRIPTION WANT-SUBSTRING FLAGS...
	local d=$1 want=$2 msg; shift 2
	msg=$("$bench" run --backend user --samples 10 "$@" -o "$out/refused" 2>&1)
	rc=$?
	check "$d: exit 2, one line naming it (got $rc: $msg)" \
		test "$rc" -eq 2 -a "$(wc -l <<<"$msg")" -eq 1 -a -n "$(grep -F -- "$want" <<<"$msg")"
	check "$d: nothing written" test ! -e "$out/refused/samples.csv"
}
refuse "vmptrst at ring 3" "never a measurement" --instruction vmptrst
refuse "memtype uc-" "needs ring 0" --instruction mov --memtype uc-
refuse "tlb cold" "needs ring 0" --instruction mov --tlb cold
refuse "ad clear" "needs ring 0" --instruction mov --ad clear
# mode=guest needs the module: skipped with the reason, the run goes on
"$bench" run --backend user --mode root,guest --instruction mov --samples 10 -o "$out/guest" >"$out/guest.log" 2>&1
rc=$?
check "run --backend user --mode root,guest exits 0 (got $rc)" test "$rc" -eq 0
st=$(tr -d '\r' <"$out/guest/points.csv" | awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "status") s = i; if ($i == "mode") m = i; if ($i == "reason") r = i }; next }
	{ printf "%s:%s:%s;", $m, $s, ($r ~ /^mode=guest needs the module/) }')
check "the root point measured, the guest one skipped with the reason ($st)" test "$st" = "root:measured:0;guest:skipped:1;"
echo "cli: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
