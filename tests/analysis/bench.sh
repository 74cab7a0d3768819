#!/usr/bin/env bash
# make bench-analysis: 10 M samples; vmptrst-analyze summary timed against
# the same statistics in pandas (Debian's python3-pandas), same machine, same
# run.  Last line: speedup_vs_pandas=<ratio>.  A measurement, not a test.
set -e
cd "$(dirname "${BASH_SOURCE[0]}")"
ROWS=${ROWS:-10000000}
dir=$(mktemp -d /tmp/analysis-bench.XXXXXX)
trap 'rm -rf "$dir"' EXIT
/usr/bin/python3 -c 'import pandas, numpy' || {
	echo "bench: python3-pandas missing (apt-get install python3-pandas)"; exit 1; }
./gen-samples "$dir" "$ROWS"
echo "bench: $ROWS rows, $(du -m "$dir/samples.csv" | cut -f1) MB"
t0=$(date +%s.%N)
../../analysis/vmptrst-analyze summary "$dir" >/dev/null
t1=$(date +%s.%N)
/usr/bin/python3 - "$dir" <<'PY'
import sys
import numpy as np
import pandas as pd
d = pd.read_csv(sys.argv[1] + "/samples.csv")
d = d[d["check"] == "ok"]
g = d.groupby(["point", "instruction"])["tsc"]
q = g.quantile([0, .01, .05, .25, .5, .75, .95, .99, 1]).unstack()
s = g.agg(["count", "mean", "std"])
mad = g.apply(lambda x: np.median(np.abs(x - np.median(x))))
ins = d[d.instruction != "none"].set_index(["point", "sample"])["tsc"]
base = d[d.instruction == "none"].set_index(["point", "sample"])["tsc"]
net = ((ins - base) / 8).groupby(level=0).median()
print(len(q), len(s), len(mad), len(net), file=sys.stderr)
PY
t2=$(date +%s.%N)
/usr/bin/python3 - "$t0" "$t1" "$t2" <<'PY'
import sys
t0, t1, t2 = map(float, sys.argv[1:])
c, p = t1 - t0, t2 - t1
print(f"vmptrst-analyze summary: {c:.2f} s")
print(f"pandas:                  {p:.2f} s")
print(f"speedup_vs_pandas={p / c:.1f}")
PY
