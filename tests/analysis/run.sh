#!/usr/bin/env bash
# Runs the cmocka programs given as arguments and the check*.py scripts
# listed below; counts one
# result per cmocka test and per script check.  Last line:
#   analysis: N passed, N failed
cd "$(dirname "${BASH_SOURCE[0]}")" || exit 1
pass=0 fail=0
for t in "$@"; do
	echo "== $t"
	out=$(./"$t" 2>&1); rc=$?
	echo "$out"
	p=$(grep -c '^\[       OK \]' <<<"$out")

	f=$(grep -E '^\[  FAILED  \] [^0-9]' <<<"$out" | grep -vc 'test(s), listed' )
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi	# crashed
	pass=$((pass + p)) fail=$((fail + f))
done
for s in check.py check_inputs.py check_gate.py check_export.py check_views.py check_report.py check_catalog.py check_guest.py check_family.py check_split.py check_conform.py check_cycles.py check_catalog_cycles.py check_catalog_merge.py check_catalog_table.py; do
	echo "== $s"
	if [ -x /usr/bin/python3 ]; then
		out=$(/usr/bin/python3 ./"$s" 2>&1); rc=$?
		echo "$out"
		p=$(grep -c '^PASS ' <<<"$out"); f=$(grep -c '^FAIL ' <<<"$out")
		if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
	else
		echo "FAIL /usr/bin/python3 missing (apt-get install python3 python3-numpy python3-scipy)"
		p=0 f=1
	fi
	pass=$((pass + p)) fail=$((fail + f))
done
echo "analysis: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
