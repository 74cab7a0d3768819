#!/bin/sh
# Runs inside Bochs (busybox sh), as /payload/test.sh, for
# tests/emu/models-test.sh: the module users load (no TEST_HOOKS) on one of
# Bochs's CPU models, vmptrst_cpu_model= on the kernel command line.  It
# collects; the host checks.  Into /out: cpuinfo.txt (the first CPU's block),
# msr.txt (the VMX capability MSRs through the kernel's msr module, read
# apart from the module's INFO), info.txt, doctor.txt, conform/ and
# conform.log, family.log (vb_family_run), run-quick/ (quick.ini) and
# quick.log, and status: one "STEP EXIT" line per step.  The exit status is 1 when the
# module did not load (nothing else can run), else 0.
set -u
model=$(sed -n 's/.*vmptrst_cpu_model=\([a-z0-9_]*\).*/\1/p' /proc/cmdline)
status=/out/status
: >$status
record() { echo "$1 $2" >>$status; } # record STEP EXIT

echo "# guest: $(uname -r) on Bochs CPU model ${model:-unknown}; vmx in cpuinfo: $(grep -c -w vmx /proc/cpuinfo)"
awk 'NF == 0 { exit } { print }' /proc/cpuinfo >/out/cpuinfo.txt
sleep 1 # the line above out on the console before the kernel's next one

# Everything the kernel logs from here on is the test's to answer for (Bochs
# makes the kernel warn about its emulated CPU at boot, before this).
echo "vmptrst-test: start" >/dev/kmsg
insmod /payload/vmptrst_bench.ko
rc=$?
record insmod $rc
if [ $rc -ne 0 ]; then
	echo "not ok - insmod vmptrst_bench.ko (the release build): exit $rc"
	exit 1
fi
dmesg | grep 'vmptrst_bench: version' | tail -n 1 >/out/load-line.txt

./vmptrst-bench info --cpu 0 >/out/info.txt 2>&1
record info $?
./vmptrst-bench doctor --cpu 0 >/out/doctor.txt 2>&1
record doctor $?

# IA32_FEATURE_CONTROL, then IA32_VMX_BASIC .. IA32_VMX_VMFUNC: what the
# model offers, as the CPU reports it (a #GP reads as "unreadable").
if insmod /payload/msr.ko; then
	./vb_rdmsr 0 0x3a 0x480 0x481 0x482 0x483 0x484 0x485 0x486 0x487 \
		0x488 0x489 0x48a 0x48b 0x48c 0x48d 0x48e 0x48f 0x490 0x491 \
		>/out/msr.txt 2>&1
	record msr $?
	rmmod msr
else
	record msr insmod-failed
fi

# conform: the reference page's branches (the host checks the table).
./vmptrst-bench conform --cpu 0 -o /out/conform >/out/conform.log 2>&1
record conform $?

# VMPTRST's family in mode=root, every variant (a type the model lacks
# skipped with its reason; the release build: nothing injected).
./vb_family_run --expect-vmx yes --allow-skip --no-inject >/out/family.log 2>&1
record family $?
tail -n 1 /out/family.log | sed 's/^/# family: /'

# The quick sweep as make run's emulated run makes it (scripts/run.sh).
./vmptrst-bench run --platform bochs --cpu 0 -c configs/quick.ini \
	-o /out/run-quick >/out/quick.log 2>&1
record quick $?
tail -n 3 /out/quick.log | sed 's/^/# quick: /'
rm -f /out/run-quick/windows.csv

rmmod vmptrst_bench
record rmmod $?
exit 0
