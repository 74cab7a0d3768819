#!/usr/bin/env bash
# kernels.sh SERIES WHAT
#   SERIES: 6.1 | 6.12        WHAT: version | headers | image
# Resolves the concrete Debian kernel version of a series and provides its
# kbuild tree (headers) or its bzImage (image), see README.md.
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { echo "usage: $0 6.1|6.12 version|headers|image" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
series=$1 what=$2

# Meta-package whose dependency names the current kernel of the series, and a
# glob matching the kbuild trees of that series in /usr/src.
case $series in
6.1)  meta=linux-headers-amd64      glob='linux-headers-6.1.*-amd64' ;;
6.12) meta=linux-headers-6.12-amd64 glob='linux-headers-6.12.*-amd64' ;;
*) usage ;;
esac

# Version whose headers are already installed (highest one), if any: keeps
# repeated runs stable and offline-friendly even when the archive moves on.
installed_version() {
	local d ver
	for d in /usr/src/$glob; do
		[[ -f $d/Makefile ]] || continue
		ver=${d#/usr/src/linux-headers-}
		pkg_installed "linux-headers-$ver" && echo "$ver"
	done | sort -V | tail -n 1
}

# Version the archive currently points the series' meta-package at.
archive_version() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1
}

resolve_version() {
	local v
	v=$(installed_version)
	[[ -n $v ]] || v=$(archive_version)
	[[ -n $v ]] || die "cannot resolve the $series kernel: no /usr/src/$glob and apt-cache knows no $meta (run apt-get update?)"
	echo "$v"
}

ver=$(resolve_version)

case $what in
version)
	echo "$ver"
	;;
headers)
	if ! pkg_installed "linux-headers-$ver"; then
		[[ $EUID -eq 0 ]] || die "linux-headers-$ver is not installed; run: apt-get install linux-headers-$ver"
		log "installing linux-headers-$ver"
		DEBIAN_FRONTEND=noninteractive apt-get install -y "linux-headers-$ver" >&2
	fi
	[[ -f /usr/src/linux-headers-$ver/Makefile ]] || die "/usr/src/linux-headers-$ver is missing"
	echo "/usr/src/linux-headers-$ver"
	;;
image)
	ensure_build_dir
	dir=$EMU_BUILD/kernels/$ver
	vmlinuz=$dir/root/boot/vmlinuz-$ver
	if [[ ! -f $vmlinuz ]]; then
		# The signed and the unsigned package both ship boot/vmlinuz-<ver>.
		pkg=
		for p in "linux-image-$ver" "linux-image-$ver-unsigned"; do
			if apt-cache show "$p" >/dev/null 2>&1; then pkg=$p; break; fi
		done
		[[ -n $pkg ]] || die "no linux-image package for $ver in the apt cache"
		log "downloading $pkg into $dir"
		rm -rf "$dir/deb" "$dir/root.tmp"
		mkdir -p "$dir/deb"
		# apt drops privileges to _apt when it can; the directory must let it write.
		chmod 777 "$dir/deb"
		(cd "$dir/deb" && apt-get download -q "$pkg" >&2) || die "apt-get download $pkg failed"
		dpkg -x "$dir"/deb/*.deb "$dir/root.tmp"
		[[ -f $dir/root.tmp/boot/vmlinuz-$ver ]] || die "$pkg has no boot/vmlinuz-$ver"
		rm -rf "$dir/root" "$dir/deb" # the extracted tree is all we keep
		mv "$dir/root.tmp" "$dir/root"
	fi
	echo "$vmlinuz"
	;;
*) usage ;;
esac
