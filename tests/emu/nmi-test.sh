#!/usr/bin/env bash
# nmi-test.sh 6.1|6.12: NMIs in the module's guest, in Bochs with two CPUs.
#
# mode=guest runs the timed blocks in VMX non-root operation with "NMI
# exiting" on: an NMI that arrives there is a VM exit, which the module hands
# to the kernel's NMI entry (kmod/vb_guest.c).  No emulator raises one on
# demand, so a second CPU sends them (sysrq l) while the first runs guest
# RUNs (guest/nmi-test.sh); the rest of the module's tests boot one CPU,
# which keeps them twice as fast.  Builds the payload (payload.sh), boots,
# checks the guest's verdicts and the kernel log.  Prints "ok - ..." /
# "not ok - ..." lines and "<name>: N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=harness/common.sh
source "$here/harness/common.sh"

[[ $# -eq 1 ]] || die 2 "usage: nmi-test.sh 6.1|6.12"
series=$1
name="nmi-bochs-$series"
work=$EMU_BUILD/$name
# shellcheck source=lib.sh
source "$here/lib.sh"

build_payload "$series"
boot_guest bochs "$series" nmi-test.sh --cpus 2 --timeout 900
check "an NMI arrived in the guest and the kernel handled it" \
	grep -Eq '^ok - NMIs sent to CPU 0 .*[(][1-9][0-9]* of them an NMI exit in the guest' <(tr -d '\r' <"$out/console.log")
check_kernel_log "$out/dmesg.log"
finish
