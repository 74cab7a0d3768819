#!/bin/sh
# Runs inside a two-CPU emulated machine (busybox sh), as /payload/test.sh:
# NMIs that arrive while the module's guest runs (mode=guest) must reach the
# kernel.  Every step prints "ok - ..." or "not ok - ..."; the exit status
# is the number of failed steps.  The host side is tests/emu/nmi-test.sh.
set -u
failed=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; failed=$((failed + 1)); }
expect_vmx=yes
grep -qw vmx /proc/cpuinfo || expect_vmx=no

echo "# guest: $(uname -r); CPUs: $(grep -c '^processor' /proc/cpuinfo); vmx in cpuinfo: $expect_vmx"
echo "vmptrst-test: start" >/dev/kmsg
if insmod /payload/test-hooks/vmptrst_bench.ko; then ok "insmod test-hooks/vmptrst_bench.ko"; else notok "insmod test-hooks/vmptrst_bench.ko"; fi
# NMIs in the guest: CPU 1 sends CPU 0 NMIs (sysrq l: the kernel's NMI
# backtrace, which waits for every CPU's answer) while mode=guest RUNs go on
# there; one that arrives in the guest is an NMI exit, which the module must
# hand to the kernel's NMI handler: each sysrq l answered by CPU 0, none
# lost or unclaimed.
ncpu=$(grep -c '^processor' /proc/cpuinfo)
if [ "$expect_vmx" = yes ] && [ "$ncpu" -ge 2 ]; then
	lvl=$(cut -f1 /proc/sys/kernel/printk)
	echo 1 >/proc/sys/kernel/printk	# the backtraces to the log only
	cpu0_nmis() { awk '/^ *NMI:/ { print $2 }' /proc/interrupts; }
	nmi0=$(cpu0_nmis)
	# sysrq l prints every CPU's call trace: expected between these markers
	echo "vmptrst-test: nmi backtraces begin" >/dev/kmsg
	touch /tmp/nmi-go
	taskset 2 sh -c 'n=0; while [ -e /tmp/nmi-go ] && [ $n -lt 2000 ]; do
		echo l >/proc/sysrq-trigger; n=$((n + 1)); done; echo $n >/tmp/nmi-count' &
	spid=$!
	taskset 1 ./vb_guest_run --nmi --expect-vmx yes --cpu 0 >/out/nmi.log 2>&1
	rc=$?
	rm -f /tmp/nmi-go
	wait $spid
	echo "vmptrst-test: nmi backtraces end" >/dev/kmsg
	n=$(cat /tmp/nmi-count)
	got=$(($(cpu0_nmis) - nmi0))
	echo "$lvl" >/proc/sys/kernel/printk
	cat /out/nmi.log
	if [ $rc -eq 0 ]; then
		ok "NMIs in the guest: vb_guest_run --nmi passed ($n sysrq l from CPU 1)"
	else
		notok "NMIs in the guest: vb_guest_run --nmi exit $rc ($n sysrq l from CPU 1, log above)"
	fi
	# each sysrq l is one NMI to CPU 0, which the kernel counts when its
	# handler runs (and sysrq l waits for it)
	if [ "$got" -eq "$n" ]; then
		ok "NMIs in the guest: the kernel handled all $n NMIs sent to CPU 0 (/proc/interrupts)"
	else
		notok "NMIs in the guest: the kernel handled $got of the $n NMIs sent to CPU 0"
	fi
	if dmesg | grep -Eq 'NMI received for unknown reason|Dazed and confused'; then
		notok "NMIs in the guest: an NMI nobody claimed (kernel log)"
	else
		ok "NMIs in the guest: no NMI unclaimed in the kernel log"
	fi
else
	echo "# skip: NMIs in the guest: needs VMX and a second CPU (VMX: $expect_vmx, CPUs: $ncpu)"
fi
if [ "$expect_vmx" != yes ] || [ "$ncpu" -lt 2 ]; then
	notok "NMIs in the guest: this machine cannot run the test (VMX: $expect_vmx, CPUs: $ncpu)"
fi
if rmmod vmptrst_bench; then ok "rmmod vmptrst_bench"; else notok "rmmod vmptrst_bench"; fi
if dmesg | awk -f /payload/kernel-log-bad.awk | grep . >/out/bad-dmesg.txt; then
	cat /out/bad-dmesg.txt
	notok "kernel log since insmod free of WARN/BUG/Oops"
else
	ok "kernel log since insmod free of WARN/BUG/Oops"
fi
echo "nmi-test: failed steps: $failed"
exit $failed
