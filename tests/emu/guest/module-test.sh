#!/bin/sh
# Runs inside the emulated machine (busybox sh), as /payload/test.sh.
# The module's whole life: load, ABI checks (vb_check), the driver end to end,
# unload.  Results for the host go to /out.  Every step prints "ok - ..." or
# "not ok - ..."; the exit status is the number of failed steps (max 100).
set -u
emu=$(sed -n 's/.*vmptrst_emu=\([a-z]*\).*/\1/p' /proc/cmdline)
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=$((failed + 1)); }
step() { # step DESCRIPTION COMMAND...: passes when COMMAND exits 0
	d=$1; shift
	if "$@"; then ok "$d"; else notok "$d (exit $?)"; fi
}

echo "# guest: $(uname -r) on ${emu:-unknown}; vmx in cpuinfo: $(grep -c -w vmx /proc/cpuinfo)"
case $emu in
bochs) expect_vmx=yes ;;
qemu) expect_vmx=no ;;
*) notok "vmptrst_emu= missing from /proc/cmdline"; exit 1 ;;
esac

# Everything the kernel logs from here on is the test's to answer for (Bochs
# makes the kernel warn about its emulated CPU at boot, before this).
echo "vmptrst-test: start" >/dev/kmsg
step "insmod vmptrst_bench.ko" insmod /payload/vmptrst_bench.ko
step "vb_check --expect-vmx $expect_vmx" ./vb_check --expect-vmx "$expect_vmx" --samples 200
step "vmptrst-bench selftest: VMPTRST outside VMX operation is #UD" \
	./vmptrst-bench selftest --cpu 0

if [ "$expect_vmx" = yes ]; then
	for vmcs in loaded none; do
		step "vmptrst-bench run --vmcs $vmcs" ./vmptrst-bench run \
			--platform "$emu" --cpu 0 --samples 500 --unroll 4 \
			--vmcs "$vmcs" -o "/out/run-$vmcs"
	done
else
	# No VMX: the run must refuse, with a message that says so.
	./vmptrst-bench run --platform "$emu" --samples 10 -o /out/run-novmx \
		2>/out/novmx.err
	rc=$?
	cat /out/novmx.err
	if [ $rc -ne 0 ] && grep -qi "vmx" /out/novmx.err &&
		[ "$(wc -l </out/novmx.err)" -eq 1 ]; then
		ok "run without VMX fails with one line naming VMX (exit $rc)"
	else
		notok "run without VMX: exit $rc, message above"
	fi
fi

step "rmmod vmptrst_bench" rmmod vmptrst_bench
if [ -e /dev/vmptrst_bench ]; then notok "device gone after rmmod"; else ok "device gone after rmmod"; fi
if dmesg | sed -n '/vmptrst-test: start/,$p' |
	grep -E "WARNING:|BUG:|Oops|general protection|Call Trace" >/out/bad-dmesg.txt; then
	cat /out/bad-dmesg.txt
	notok "kernel log since insmod free of WARN/BUG/Oops"
elif dmesg | grep -q "vmptrst-test: start"; then
	ok "kernel log since insmod free of WARN/BUG/Oops"
else
	notok "kernel log holds the test's start marker"
fi
echo "module-test: failed steps: $failed"
[ $failed -gt 100 ] && failed=100
exit $failed
