#!/usr/bin/env bash
# boot.sh: boot a Debian kernel in QEMU or Bochs with a busybox initramfs, run a
# guest script, and bring its /out directory back to the host.
#
#   boot.sh --emulator qemu|bochs --kernel 6.1|6.12 --payload DIR --script FILE
#           --out OUTDIR [--timeout SECONDS] [--cpus N] [--cpu-model NAME]
#
# Guest: DIR's files are in /payload, FILE is /payload/test.sh, run with cwd
# /payload; /out is shipped back. /proc/cmdline holds vmptrst_emu=qemu|bochs
# and, in Bochs, vmptrst_cpu_model=NAME.
# --cpu-model: Bochs's "cpu: model=" (default corei7_skylake_x), one of the
# models `bochs --help cpu` lists; QEMU always runs -cpu max.
# Host: OUTDIR/console.log, OUTDIR/dmesg.log, OUTDIR/guest/ (the guest's /out).
# Exit status: the guest script's exit code, or 125 on a harness failure
# (no boot, timeout, kernel panic, corrupted transfer), or 2 on bad usage.
# Env: EMU_BUILD (build dir), EMU_APPEND (extra kernel args), EMU_KEEP=1 (keep
# the per-run work dir), EMU_VERBOSE=1 (stream the guest console to stderr),
# EMU_BOOT=pvh|bzimage (Bochs: the kernel's ELF through its PVH entry, the
# default, or the package's bzImage through isolinux; README.md).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

HARNESS_FAIL=125

usage() {
	sed -n '5,6p' "$0" | sed 's/^# *//' >&2
	exit 2
}

# ---------------------------------------------------------------- arguments
emulator='' kernel='' payload='' script='' outdir='' timeout='' cpus=1 cpu_model=''
while [[ $# -gt 0 ]]; do
	[[ $# -ge 2 ]] || usage
	case $1 in
	--emulator) emulator=$2 ;;
	--kernel) kernel=$2 ;;
	--payload) payload=$2 ;;
	--script) script=$2 ;;
	--out) outdir=$2 ;;
	--timeout) timeout=$2 ;;
	--cpus) cpus=$2 ;;
	--cpu-model) cpu_model=$2 ;;
	*) usage ;;
	esac
	shift 2
done
[[ $emulator == qemu || $emulator == bochs ]] || usage
[[ $kernel == 6.1 || $kernel == 6.12 ]] || usage
[[ -n $script && -n $outdir ]] || usage
[[ -f $script ]] || die 2 "guest script not found: $script"
[[ -z $payload || -d $payload ]] || die 2 "payload directory not found: $payload"
[[ $cpus =~ ^[1-9][0-9]*$ ]] || die 2 "--cpus wants a positive integer"
if [[ -z $timeout ]]; then
	if [[ $emulator == bochs ]]; then timeout=600; else timeout=120; fi
fi
[[ $timeout =~ ^[1-9][0-9]*$ ]] || die 2 "--timeout wants a positive number of seconds"

# The CPU models this Bochs has: the list `bochs --help cpu` prints after
# "Supported CPU models:", one name a line, up to the blank line after it.
bochs_cpu_models() {
	bochs --help cpu 2>&1 </dev/null | tr -d '\r' |
		awk '/^Supported CPU models:/ { on = 1; next }
		     on && /^[a-z0-9_]+$/ { print; n++; next }
		     on && n && NF == 0 { exit }'
}
if [[ $emulator == bochs ]]; then
	cpu_model=${cpu_model:-corei7_skylake_x}
	models=$(bochs_cpu_models | paste -sd' ')
	[[ -n $models ]] || die 2 "cannot read the CPU models from 'bochs --help cpu' (is bochs installed? tests/deps.sh)"
	[[ " $models " == *" $cpu_model "* ]] ||
		die 2 "unknown Bochs CPU model '$cpu_model' (bochs --help cpu lists: $models)"
elif [[ -n $cpu_model ]]; then
	die 2 "--cpu-model is for Bochs only (QEMU runs -cpu max)"
fi

mkdir -p "$outdir"
outdir=$(cd "$outdir" && pwd)
console_log=$outdir/console.log
rm -rf "$outdir/guest" "$outdir/console.log" "$outdir/dmesg.log"

# A harness failure: one line naming what failed and where the console is.
fail() {
	log "harness failure: $* (console: $console_log)"
	exit "$HARNESS_FAIL"
}

# ---------------------------------------------------------------- work dir
ensure_build_dir
mkdir -p "$EMU_BUILD/runs"
run=$(mktemp -d "$EMU_BUILD/runs/$emulator-$kernel.XXXXXX")
emu_pid=
# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
	local rc=$?
	if [[ -n $emu_pid ]] && kill -0 "$emu_pid" 2>/dev/null; then
		kill -KILL "$emu_pid" 2>/dev/null || true
	fi
	if [[ $rc -eq 0 || $rc -lt $HARNESS_FAIL ]] && [[ ${EMU_KEEP:-0} != 1 ]]; then
		rm -rf "$run"
	else
		log "work dir kept: $run"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

vmlinuz=$("$HARNESS_DIR/kernels.sh" "$kernel" image) || fail "cannot get the $kernel kernel image"
kver=$("$HARNESS_DIR/kernels.sh" "$kernel" version)

# The kernel ELF inside the bzImage VMLINUZ (what harness/pvh boots), taken
# out once next to it; prints its path.  The bzImage's payload (boot
# protocol 2.08+: payload_offset and payload_length in the setup header,
# the offset counted from the protected-mode code after the setup's
# setup_sects + 1 sectors) is the compressed vmlinux, its last 4 bytes the
# uncompressed size.
kernel_elf() {
	local vmlinuz=$1 elf sects poff plen start magic unpack
	elf=$(dirname "$vmlinuz")/vmlinux-$kver.elf
	if [[ ! -s $elf || $elf -ot $vmlinuz ]]; then
		sects=$(od -An -v -t u1 -j 497 -N 1 "$vmlinuz" | tr -d ' ')
		read -r poff plen < <(od -An -v -t u4 -j 584 -N 8 "$vmlinuz")
		[[ -n $sects && -n $plen && $plen -gt 4 ]] || fail "$vmlinuz: no setup header with a payload"
		[[ $sects -gt 0 ]] || sects=4
		start=$(((sects + 1) * 512 + poff))
		magic=$(od -An -v -t x1 -j "$start" -N 4 "$vmlinuz" | tr -d ' \n')
		case $magic in
		fd377a58) unpack=(xz -dc) ;;
		28b52ffd) unpack=(zstd -q -dc) ;;
		*) fail "$vmlinuz: a payload compressed neither with xz nor zstd (magic $magic)" ;;
		esac
		# A file of this run's own, renamed once complete: boots of other
		# areas may be taking it out at the same time.
		dd if="$vmlinuz" iflag=skip_bytes,count_bytes skip="$start" count="$((plen - 4))" bs=1M status=none |
			"${unpack[@]}" >"$elf.$$" || fail "$vmlinuz: cannot unpack its payload with ${unpack[0]}"
		[[ $(head -c 4 "$elf.$$" | od -An -t x1 | tr -d ' \n') == 7f454c46 ]] || fail "$vmlinuz: its payload is not an ELF"
		mv "$elf.$$" "$elf"
	fi
	echo "$elf"
}

# The PVH loader (harness/pvh, a 32-bit multiboot program), built once per
# source into $EMU_BUILD; prints its path.
pvh_loader() {
	local src=$HARNESS_DIR/pvh out key
	key=$(cat "$src/entry.S" "$src/pvh-loader.c" "$src/loader.ld" | sha256sum | cut -c1-16)
	out=$EMU_BUILD/pvh-loader-$key.elf
	if [[ ! -f $out ]]; then
		${CC:-cc} -m32 -march=i686 -O2 -std=c11 -Wall -Wextra -Werror -ffreestanding \
			-fno-pic -fno-pie -no-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
			-nostdlib -static -Wl,-T,"$src/loader.ld" -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
			-o "$out.$$" "$src/entry.S" "$src/pvh-loader.c" >&2 || fail "cannot build the PVH loader ($src)"
		mv "$out.$$" "$out"
	fi
	echo "$out"
}

# ---------------------------------------------------------------- initramfs
log "building initramfs ($run/initrd.cpio)"
root=$run/initramfs
mkdir -p "$root"/{bin,sbin,usr/bin,usr/sbin,proc,sys,dev,tmp,out,payload,etc,root}
cp /bin/busybox "$root/bin/busybox"
# One symlink per busybox applet, at busybox's own install paths (one
# process for the few hundred of them, not one ln each).
/bin/busybox --list-full | perl -e 'while (<STDIN>) { chomp; my $l = "$ARGV[0]/$_";
	-e $l or -l $l or symlink("/bin/busybox", $l) or die "$l: $!\n" }' "$root" ||
	fail "cannot link busybox's applets into the initramfs"

if [[ -n $payload ]]; then
	cp -a "$payload/." "$root/payload/"
fi
cp "$script" "$root/payload/test.sh"
chmod 755 "$root/payload/test.sh"

# The guest's /init (busybox sh). Markers are matched by the host below.
cat >"$root/init" <<'INIT'
#!/bin/sh
export PATH=/sbin:/bin:/usr/sbin:/usr/bin HOME=/root
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t tmpfs tmpfs /tmp
mkdir -p /dev/pts /out
mount -t devpts devpts /dev/pts
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
[ -e /dev/fd ] || ln -s /proc/self/fd /dev/fd
exec </dev/console >/dev/console 2>&1
hostname emu

echo "EMU-INIT: running /payload/test.sh ($(uname -r), $(nproc) cpu)"
cd /payload
sh /payload/test.sh
rc=$?
cd /
echo "EMU-INIT: test.sh exited with $rc"

# dmesg between markers; console printk muted meanwhile so it stays contiguous.
level=$(cut -f1 /proc/sys/kernel/printk)
dmesg -n 1
echo "===== EMU-DMESG-BEGIN ====="
dmesg
echo "===== EMU-DMESG-END ====="
dmesg -n "$level"

# Ship /out on the second serial port: tar.gz, base64, between marker lines,
# with size and md5 so the host can verify it.
mkdir -p /out
tar -czf /tmp/emu-out.tgz out
size=$(wc -c </tmp/emu-out.tgz)
sum=$(md5sum /tmp/emu-out.tgz | cut -d' ' -f1)
stty -F /dev/ttyS1 raw -echo 115200
{
	echo "EMU-DATA-BEGIN"
	base64 /tmp/emu-out.tgz
	echo "EMU-DATA-END size=$size md5=$sum"
} >/dev/ttyS1
echo "EMU-INIT: shipped /out ($size bytes gzip)"

echo "EMU-RESULT: exit=$rc"
sync
sleep 2  # let the serial ports drain before power-off
poweroff -f
while :; do sleep 60; done
INIT
chmod 755 "$root/init"

# Uncompressed: the kernel would inflate a gzip one instruction by
# instruction in the emulator (Bochs: seconds), the host pays nothing for
# the bytes.
(cd "$root" && find . -print0 | cpio --null -o -H newc --owner=0:0 --quiet) >"$run/initrd.cpio"

# ---------------------------------------------------------------- emulator
# loglevel=5: the console gets the kernel's warnings and worse (every WARN,
# BUG, Oops and panic line, as they happen), not its notices and info lines:
# the kernel writes its console one character at a time, busy-waiting on the
# UART (115200 baud of emulated time, a few thousand emulated instructions a
# character), which cost Bochs seconds of every boot.  Nothing is lost: the
# whole kernel log is in dmesg.log (and in console.log after the script),
# which is what the checks read.
cmdline="console=ttyS0,115200 loglevel=5 panic=-1 vmptrst_emu=$emulator${cpu_model:+ vmptrst_cpu_model=$cpu_model} ${EMU_APPEND:-}"
com1=$run/com1.raw com2=$run/com2.raw
: >"$com1"
: >"$com2"

if [[ $emulator == qemu ]]; then
	cmd=(qemu-system-x86_64 -m 512 -cpu max -smp "$cpus"
		-kernel "$vmlinuz" -initrd "$run/initrd.cpio" -append "$cmdline"
		-nographic -no-reboot -monitor none -parallel none -nic none
		-serial "file:$com1" -serial "file:$com2")
else
	# Bootable ISO.  The kernel's own ELF through its PVH entry (harness/pvh:
	# isolinux starts mboot.c32, which loads the loader, the vmlinux and
	# the initramfs), not the package's bzImage: Bochs ran the bzImage's
	# decompressor instruction by instruction, over a minute of every 6.1
	# boot (xz), about ten seconds of a 6.12 one (zstd).  EMU_BOOT=bzimage
	# boots the bzImage as the package's bootloader would (isolinux loads
	# it and the initramfs).
	iso=$run/iso
	mkdir -p "$iso/isolinux" "$iso/boot"
	cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$iso/isolinux/"
	cp "$run/initrd.cpio" "$iso/boot/initrd.cpio"
	case ${EMU_BOOT:-pvh} in
	pvh)
		cp /usr/lib/syslinux/modules/bios/{mboot,libcom32}.c32 "$iso/isolinux/"
		loader=$(pvh_loader) || exit
		cp "$loader" "$iso/boot/pvh.elf"
		vmlinux=$(kernel_elf "$vmlinuz") || exit
		ln "$vmlinux" "$iso/boot/vmlinux" 2>/dev/null || cp "$vmlinux" "$iso/boot/vmlinux"
		boot_entry="KERNEL mboot.c32
		  APPEND /boot/pvh.elf -- $cmdline --- /boot/vmlinux --- /boot/initrd.cpio" ;;
	bzimage)
		cp "$vmlinuz" "$iso/boot/vmlinuz"
		boot_entry="KERNEL /boot/vmlinuz
		  INITRD /boot/initrd.cpio
		  APPEND $cmdline" ;;
	*) fail "EMU_BOOT is pvh or bzimage, not '$EMU_BOOT'" ;;
	esac
	cat >"$iso/isolinux/isolinux.cfg" <<-CFG
		DEFAULT emu
		PROMPT 0
		TIMEOUT 1
		LABEL emu
		  $boot_entry
	CFG
	xorriso -as mkisofs -quiet -o "$run/boot.iso" -b isolinux/isolinux.bin \
		-c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
		"$iso" 2>"$run/xorriso.log" || fail "xorriso failed, see $run/xorriso.log"

	cat >"$run/bochsrc" <<-RC
		megs: 512
		romimage: file=/usr/share/bochs/BIOS-bochs-latest
		vgaromimage: file=/usr/share/vgabios/vgabios.bin
		cpu: model=$cpu_model, count=$cpus, ips=200000000, reset_on_triple_fault=0${EMU_XP_CPUOPT:-}
		clock: sync=none, time0=local
		display_library: rfb, options="timeout=0"
		ata0: enabled=1, ioaddr1=0x1f0, ioaddr2=0x3f0, irq=14
		ata0-master: type=cdrom, path="$run/boot.iso", status=inserted
		boot: cdrom
		com1: enabled=1, mode=file, dev=$com1
		com2: enabled=1, mode=file, dev=$com2
		speaker: enabled=0
		sound: driver=dummy
		mouse: enabled=0
		log: $run/bochs.log
		panic: action=fatal
		error: action=report
		info: action=ignore
		debug: action=ignore
	RC
	# "sound: driver=dummy": without it Bochs 2.7's mixer thread aborts here
	# ("buffer overflow detected") on a host without a sound card.
	# The debugger is compiled in: one "c" command starts the simulation.
	echo c >"$run/bochs.cmds"
	cmd=(bochs -q -f "$run/bochsrc" -rc "$run/bochs.cmds")
	# The rfb display listens on TCP 5900+. In a private network namespace it is
	# unreachable from anywhere and parallel runs cannot collide.
	if unshare --net true 2>/dev/null; then
		cmd=(unshare --net -- "${cmd[@]}")
	else
		log "warning: cannot unshare the network; Bochs's rfb display listens on port 5900+"
	fi
fi

log "booting $emulator${cpu_model:+ ($cpu_model)}, kernel $kver, $cpus cpu, timeout ${timeout}s (console: $run/com1.raw)"
start=$SECONDS
"${cmd[@]}" </dev/null >"$run/emulator.log" 2>&1 &
emu_pid=$!

tail_pid=
if [[ ${EMU_VERBOSE:-0} == 1 ]]; then
	tail -n +1 -f --pid="$emu_pid" "$com1" >&2 &
	tail_pid=$!
fi

# Stop the emulator: TERM, then KILL if it lingers.
stop_emulator() {
	kill -TERM "$emu_pid" 2>/dev/null || true
	for _ in 1 2 3 4 5; do
		kill -0 "$emu_pid" 2>/dev/null || return 0
		sleep 1
	done
	kill -KILL "$emu_pid" 2>/dev/null || true
}

why='' result_at='' next_report=30
while kill -0 "$emu_pid" 2>/dev/null; do
	sleep 1
	elapsed=$((SECONDS - start))
	if ((elapsed >= timeout)); then
		why="timed out after ${timeout}s"
		stop_emulator
		break
	fi
	if grep -aq 'Kernel panic - not syncing' "$com1"; then
		sleep 3 # let the panic message complete
		why="kernel panic"
		stop_emulator
		break
	fi
	# The guest prints its result after /out is shipped, drains and powers off.
	# Everything needed is on the host once the transfer's last line is in the
	# second port's file too (the emulator writes each port in order): then
	# stop the emulator ourselves rather than wait for the drain and the
	# power-off (seconds of emulated time, long in emulated SMP); at the
	# latest 10 s after the result.
	if [[ -z $result_at ]] && grep -aq '^EMU-RESULT: exit=' "$com1"; then
		result_at=$elapsed
	fi
	if [[ -n $result_at ]] && grep -aq '^EMU-DATA-END ' "$com2"; then
		stop_emulator
		break
	elif [[ -n $result_at ]] && ((elapsed - result_at >= 10)); then
		log "guest finished but has not powered off after 10s; stopping $emulator"
		stop_emulator
		break
	fi
	if ((elapsed >= next_report)); then
		stage="booting kernel"
		grep -aq '^EMU-INIT: running' "$com1" && stage="guest script running"
		grep -aq '^EMU-INIT: test.sh exited' "$com1" && stage="shipping results"
		log "$emulator running, ${elapsed}s elapsed ($stage)"
		next_report=$((next_report + 30))
	fi
done
emu_rc=0
wait "$emu_pid" || emu_rc=$?
emu_pid=
if [[ -n $tail_pid ]]; then wait "$tail_pid" 2>/dev/null || true; fi
log "$emulator exited (status $emu_rc) after $((SECONDS - start))s"

# ---------------------------------------------------------------- results
tr -d '\r' <"$com1" >"$console_log"
# dmesg.log: the last section between the dmesg markers.
awk '/^===== EMU-DMESG-BEGIN =====$/ { buf = ""; on = 1; next }
     /^===== EMU-DMESG-END =====$/   { out = buf; on = 0; next }
     on { buf = buf $0 "\n" }
     END { printf "%s", out }' "$console_log" >"$outdir/dmesg.log"

[[ -z $why ]] || fail "$emulator: $why"
result=$(grep -a '^EMU-RESULT: exit=[0-9]*$' "$console_log" | tail -n 1 || true)
[[ -n $result ]] || fail "$emulator: no EMU-RESULT marker (the guest did not boot or did not finish)"
guest_rc=${result#EMU-RESULT: exit=}

# /out: base64 between markers on the second serial port; check size and md5.
data=$(tr -d '\r' <"$com2")
end_line=$(grep -a '^EMU-DATA-END ' <<<"$data" | tail -n 1 || true)
[[ -n $end_line ]] || fail "$emulator: no /out transfer on the second serial port ($com2)"
want_size=$(sed -n 's/.* size=\([0-9]*\).*/\1/p' <<<"$end_line")
want_md5=$(sed -n 's/.* md5=\([0-9a-f]*\).*/\1/p' <<<"$end_line")
awk '/^EMU-DATA-BEGIN$/ { buf = ""; on = 1; next }
     /^EMU-DATA-END /   { out = buf; on = 0; next }
     on { buf = buf $0 "\n" }
     END { printf "%s", out }' <<<"$data" | base64 -d >"$run/out.tgz" 2>/dev/null ||
	fail "$emulator: /out transfer is not valid base64"
got_size=$(stat -c %s "$run/out.tgz")
got_md5=$(md5sum "$run/out.tgz" | cut -d' ' -f1)
[[ $got_size == "$want_size" && $got_md5 == "$want_md5" ]] ||
	fail "$emulator: /out transfer corrupted (got $got_size bytes md5 $got_md5, want $want_size md5 $want_md5)"
mkdir -p "$outdir/guest"
tar -xzf "$run/out.tgz" -C "$outdir/guest" --strip-components=1 ||
	fail "$emulator: cannot unpack the /out archive"

log "guest script exit code $guest_rc; results in $outdir"
exit "$guest_rc"
