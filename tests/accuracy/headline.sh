#!/usr/bin/env bash
# tests/accuracy/headline.sh [RUNS]: the numbers a user reads, against the
# known latencies.  RUNS times (default 10): `vmptrst-bench run --backend user
# -c configs/user.ini`, then `vmptrst-analyze summary`, and from its
# headline.csv the imul and chase rows in core cycles (slope over unroll,
# calibrated by the add chain of the same run) next to 3 and 4 cycles
# (tests/accuracy/README.md: chase is 5 on Sunny/Golden Cove).  A benchmark:
# it prints the ratios and how many runs fall within 1%, it asserts nothing.
# Last line: headline_imul_within_1pct=N/RUNS headline_chase_within_1pct=N/RUNS
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
runs=${1:-10}
config=${CONFIG:-configs/user.ini}
make -s -C bench >/dev/null
make -s -C analysis >/dev/null
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
ni=0 nc=0
echo "headline: $runs runs of 'vmptrst-bench run --backend user -c $config' + 'vmptrst-analyze summary', headline.csv in core cycles (slope over unroll 16 64 256, add chain = 1 cycle)"
for ((k = 1; k <= runs; k++)); do
	d=$tmp/r$k
	bench/vmptrst-bench run --backend user -c "$config" -o "$d" >/dev/null
	analysis/vmptrst-analyze summary "$d" >/dev/null
	read -r imul chase < <(/usr/bin/python3 - "$d/headline.csv" <<'PY'
import csv, sys
rows = {r["instruction"]: r for r in csv.DictReader(open(sys.argv[1]))}
print(rows["imul"]["cycles_per_insn"] or "nan", rows["chase"]["cycles_per_insn"] or "nan")
PY
)
	line=$(awk -v i="$imul" -v c="$chase" 'BEGIN {
		ri = i / 3; rc = c / 4
		printf "run %2d: imul %.3f cycles (%.4f of 3, %+.2f%%)  chase %.3f cycles (%.4f of 4, %+.2f%%)",
		       '"$k"', i, ri, (ri - 1) * 100, c, rc, (rc - 1) * 100 }')
	echo "$line"
	awk -v i="$imul" 'BEGIN { exit !(i / 3 > 0.99 && i / 3 < 1.01) }' && ni=$((ni + 1))
	awk -v c="$chase" 'BEGIN { exit !(c / 4 > 0.99 && c / 4 < 1.01) }' && nc=$((nc + 1))
done
echo "headline_imul_within_1pct=$ni/$runs headline_chase_within_1pct=$nc/$runs"
