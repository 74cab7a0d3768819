#!/usr/bin/env bash
# deps.sh: check (and, as root, install) the Debian packages the project needs:
# the harness's and those of building and unit-testing the driver.
# Exit 0 when everything is present, 1 when something is missing and we are
# not root (the missing packages and the apt command are printed).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

# The emulators and what the guest image is made of; then what the project
# itself builds and tests with (tests/deps.sh points here: one list).
base=(qemu-system-x86 bochs bochsbios vgabios isolinux syslinux-common xorriso
	busybox-static cpio gzip xz-utils tar coreutils util-linux dpkg-dev make gcc
	binutils sparse libc6-dev libcmocka-dev libinih-dev nettle-dev libpfm4-dev gnuplot-nox
	python3-numpy python3-scipy clang-14 libclang-rt-14-dev)

updated=0
apt_update() {
	if [[ $updated -eq 0 ]]; then
		log "apt-get update"
		apt-get update -q >&2
		updated=1
	fi
}

# Headers package of each kernel series, as resolved by kernels.sh (an installed
# version is preferred; otherwise the archive's). Without apt lists the archive
# cannot be asked: as root, update once and retry.
headers_pkgs=()
for series in 6.1 6.12; do
	if ! ver=$("$HARNESS_DIR/kernels.sh" "$series" version 2>/dev/null); then
		if [[ $EUID -eq 0 ]]; then
			apt_update
			ver=$("$HARNESS_DIR/kernels.sh" "$series" version)
		else
			die "cannot resolve the $series kernel version (apt lists missing?); run as root: apt-get update"
		fi
	fi
	headers_pkgs+=("linux-headers-$ver")
done

missing=()
for p in "${base[@]}" "${headers_pkgs[@]}"; do
	pkg_installed "$p" || missing+=("$p")
done

if [[ ${#missing[@]} -eq 0 ]]; then
	log "all packages present (${headers_pkgs[*]})"
	exit 0
fi

if [[ $EUID -ne 0 ]]; then
	log "missing packages: ${missing[*]}"
	log "install them as root with: apt-get update && apt-get install -y ${missing[*]}"
	exit 1
fi

apt_update
log "installing: ${missing[*]}"
DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}" >&2
log "all packages present (${headers_pkgs[*]})"
