#!/usr/bin/env bash
# tests/fuzz/run.sh SECONDS FUZZER...: run each built fuzzer (build/FUZZER)
# for SECONDS (and at most $FUZZ_RUNS inputs) on its seed corpus, all at
# once, then one line per fuzzer and "fuzz: N passed, N failed".
#
# corpus/NAME/ (committed) is read only; what a run finds goes to
# build/work/NAME/, a crash, leak, UB report, timeout or OOM input to
# build/artifacts/NAME-*, the log to build/NAME.log.  NAME is the fuzzer
# without "fuzz_": config, csv.  Exit status 0 only if every fuzzer passed.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 1

secs=$1
shift
runs=${FUZZ_RUNS:-5000000}
opts=${FUZZ_OPTS:-}
passed=0 failed=0
pids=()

for fz in "$@"; do
	name=${fz#fuzz_}
	mkdir -p "build/work/$name" build/artifacts
	dict=()
	[[ -f $name.dict ]] && dict=(-dict="$name.dict")
	echo "fuzz: $fz for ${secs}s (at most $runs inputs), log build/$fz.log"
	# shellcheck disable=SC2086  # opts is a word list
	"build/$fz" -max_total_time="$secs" -runs="$runs" $opts "${dict[@]}" \
		-artifact_prefix="build/artifacts/$name-" \
		"build/work/$name" "corpus/$name" >"build/$fz.log" 2>&1 &
	pids+=($!)
done

i=0
for fz in "$@"; do
	wait "${pids[$i]}"
	rc=$?
	i=$((i + 1))
	log=build/$fz.log
	stats=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1)
	if [[ $rc -eq 0 ]]; then
		passed=$((passed + 1))
		echo "ok $fz: ${stats:-done}"
	else
		failed=$((failed + 1))
		echo "not ok $fz: exit $rc; the report (build/$fz.log):"
		grep -E -A40 'ERROR: |runtime error|fuzz_(config|csv): ' "$log" | head -60 | sed 's/^/    /'
		grep -E 'Test unit written to' "$log" | sed 's/^/    /'
		echo "    reproduce: tests/fuzz/build/$fz FILE"
	fi
done
echo "fuzz: $passed passed, $failed failed"
[[ $failed -eq 0 ]]
