#!/usr/bin/env bash
# tests/accuracy/run.sh: the engine's accuracy benchmark (`make bench-accuracy`).
# First, where it can be had, a reference side by side: llvm-mca (Debian
# package llvm) predicting the same chains from LLVM's scheduling model for
# this CPU; then ./accuracy, whose last line is machine-readable:
#   imul_over_add=R chase_cycles=C overhead_ticks=T median_spread_pct=P
# Then batch.sh: REPEAT batches (LOAD=loop|compile: a load on another CPU)
# of the same latencies as headline.csv reports them from `run --backend
# user -c configs/user.ini` (RUNS runs) and as ./accuracy does, each with its
# 95% interval; last line headline_coverage=N/M engine_coverage=N/M.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
make -s accuracy

mca=$(command -v llvm-mca || ls /usr/bin/llvm-mca-* 2>/dev/null | sort -V | tail -1 || true)
if [[ -n $mca ]]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	cycles() {	# $1: one instruction; prints cycles per instruction
		local i
		for ((i = 0; i < 256; i++)); do echo "$1"; done > "$tmp/chain.s"
		"$mca" -mcpu=native -iterations=100 "$tmp/chain.s" 2>/dev/null |
			awk '/^Total Cycles:/ { printf "%.3f", $3 / 25600 }'
	}
	host=$("$mca" --version 2>/dev/null | awk '/Host CPU:/ { print $3 }')
	add=$(cycles 'addq $1, %rax') imul=$(cycles 'imulq %rax, %rax')
	chase=$(cycles 'movq (%rax), %rax')
	echo "reference: $(basename "$mca") -mcpu=native ($host model), cycles per instruction" \
	     "of a 256-long dependent chain: add $add, imul $imul, chase $chase" \
	     "(the model's latencies, not a measurement)"
else
	echo "reference: none (llvm-mca not installed: apt-get install llvm); the" \
	     "targets are the vendors' published latencies, printed below"
fi
./batch.sh
