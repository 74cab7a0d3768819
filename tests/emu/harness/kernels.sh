#!/usr/bin/env bash
# kernels.sh SERIES WHAT
#   SERIES: 6.1 | 6.12        WHAT: version | headers | image | host-depends
# Resolves the concrete Debian kernel version of a series and provides its
# kbuild tree (headers) or its bzImage (image), see README.md; host-depends
# prints what its headers tree needs installed on the host (from the
# unpacked tree, else from apt-cache: nothing is downloaded).
# One series at a time: areas of tests/run.sh that run at once share the
# unpacked kernels ($EMU_BUILD/kernels/.lock-SERIES, flock).
set -euo pipefail
# shellcheck source=common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

usage() { echo "usage: $0 6.1|6.12 version|headers|image|host-depends" >&2; exit 2; }
[[ $# -eq 2 ]] || usage
series=$1 what=$2

# Meta-package whose dependency names the current kernel of the series, and a
# glob matching the kbuild trees of that series.
case $series in
6.1)  meta=linux-headers-amd64      glob='6.1.*-amd64' ;;
6.12) meta=linux-headers-6.12-amd64 glob='6.12.*-amd64' ;;
*) usage ;;
esac

# The headers of a kernel that is not running here are never installed (the
# 6.12 headers package depends on its linux-image: installing it would put a
# kernel into /boot): they are unpacked under $EMU_BUILD/kernels/<ver>/headers,
# one root for the headers and linux-kbuild packages, like the images.
headers_root() { echo "$EMU_BUILD/kernels/$1/headers"; }

# Version whose headers are already unpacked (highest one), if any: keeps
# repeated runs stable and offline-friendly even when the archive moves on.
unpacked_version() {
	local d
	for d in "$EMU_BUILD"/kernels/$glob/headers/usr/src/linux-headers-$glob; do
		[[ -f $d/Makefile ]] && echo "${d##*/linux-headers-}"
	done | sort -V | tail -n 1
}

# Version the archive currently points the series' meta-package at.
archive_version() {
	apt-cache depends "$meta" 2>/dev/null |
		sed -n 's/^ *Depends: linux-headers-\(.*-amd64\)$/\1/p' | head -n 1
}

resolve_version() {
	local v
	v=$(unpacked_version)
	[[ -n $v ]] || v=$(archive_version)
	# No apt lists yet (a fresh machine whose packages are all there): as
	# root, update them once and ask again.
	if [[ -z $v && $EUID -eq 0 ]]; then
		log "apt-get update"
		apt-get update -q >&2 && v=$(archive_version)
	fi
	[[ -n $v ]] || die "cannot resolve the $series kernel: nothing unpacked in $EMU_BUILD/kernels and apt-cache knows no $meta (run apt-get update?)"
	echo "$v"
}

# The (Pre-)Depends of package $1 (the archive's candidate), one a line, as
# "| NAME" when an alternative follows, "- NAME" for a group's last (or only) one.
depends_of() {
	apt-cache depends --no-recommends --no-suggests --no-conflicts --no-breaks \
		--no-replaces --no-enhances "$1" 2>/dev/null |
		sed -n 's/^ |\(Pre\)\{0,1\}Depends: /| /p; s/^  \(Pre\)\{0,1\}Depends: /- /p'
}

# What the unpacked trees need installed on the host to build a module (the
# compiler, the libraries of kbuild's prebuilt tools): the Depends of the
# packages unpacked, minus those packages themselves, the kernel image and
# linux-base (the headers need neither), with linux-compiler-* (a Debian
# meta-package naming the compiler) replaced by its own Depends.
host_depends() {
	local pkg alt dep picked=0 line
	for pkg in "$@"; do
		while read -r alt dep; do
			# A group of alternatives is met by its first one that is
			# unpacked, not needed, or kept; a virtual name is skipped.
			case $dep in
			'<'*) ;;
			linux-headers-* | linux-kbuild-* | linux-image-* | linux-base) picked=1 ;;
			linux-compiler-*)
				[[ $picked -eq 1 ]] || for line in $(host_depends "$dep"); do echo "$line"; done
				picked=1 ;;
			*)
				[[ $picked -eq 1 ]] || echo "$dep"
				picked=1 ;;
			esac
			[[ $alt == '|' ]] || picked=0
		done < <(depends_of "$pkg")
	done | sort -u
}

# The packages of the headers of version $1, one a line: the -amd64 tree,
# the -common tree it includes, the linux-kbuild package its scripts and
# tools link to.
header_packages() {
	local ver=$1 pkgs deps p
	pkgs=("linux-headers-$ver")
	mapfile -t deps < <(depends_of "linux-headers-$ver" | cut -c3-)
	[[ ${#deps[@]} -gt 0 ]] || die "apt-cache knows no linux-headers-$ver (run apt-get update?)"
	for p in "${deps[@]}"; do
		case $p in linux-headers-*-common | linux-kbuild-*) pkgs+=("$p") ;; esac
	done
	[[ ${#pkgs[@]} -eq 3 ]] || die "linux-headers-$ver: expected a -common and a linux-kbuild dependency, found: ${deps[*]}"
	printf '%s\n' "${pkgs[@]}"
}

# Unpack the headers of version $1 into one root.
unpack_headers() {
	local ver=$1 root dir pkgs p
	root=$(headers_root "$ver")
	dir=$(dirname "$root")
	mapfile -t pkgs < <(header_packages "$ver")
	[[ ${#pkgs[@]} -eq 3 ]] || exit 1
	log "downloading ${pkgs[*]} into $dir"
	rm -rf "$dir/hdeb" "$root.tmp"
	mkdir -p "$dir/hdeb" "$root.tmp"
	# apt drops privileges to _apt when it can; the directory must let it write.
	chmod 777 "$dir/hdeb"
	(cd "$dir/hdeb" && apt-get download -q "${pkgs[@]}" >&2) || die "apt-get download ${pkgs[*]} failed"
	for p in "$dir"/hdeb/*.deb; do dpkg -x "$p" "$root.tmp"; done
	host_depends "${pkgs[@]}" >"$root.tmp/host-depends"
	rm -rf "$root" "$dir/hdeb"
	mv "$root.tmp" "$root"
}

ensure_build_dir
EMU_BUILD=$(cd "$EMU_BUILD" && pwd -P) # the rewritten Makefile needs an absolute path, symlinks resolved
mkdir -p "$EMU_BUILD/kernels"
exec 9>"$EMU_BUILD/kernels/.lock-$series"
flock 9
ver=$(resolve_version)

case $what in
version)
	echo "$ver"
	;;
headers)
	root=$(headers_root "$ver")
	kdir=$root/usr/src/linux-headers-$ver
	[[ -f $kdir/Makefile ]] || unpack_headers "$ver"
	# The tree's Makefile is one line, "include /usr/src/linux-headers-<ver>-common/Makefile":
	# point it into this root (again if the build directory moved).
	common=$(sed -n 's|^include .*\(/usr/src/linux-headers-[^/]*-common/Makefile\)$|\1|p' "$kdir/Makefile")
	[[ -n $common && -f $root$common ]] || die "$kdir/Makefile does not include a -common tree found in $root"
	if [[ $(cat "$kdir/Makefile") != "include $root$common" ]]; then
		printf 'include %s\n' "$root$common" >"$kdir/Makefile"
	fi
	# What building needs from the host (compiler, libraries): installed by
	# tests/deps.sh from its list; an archive that moved on shows up here.
	missing=()
	while read -r p; do
		[[ -z $p ]] || pkg_installed "$p" || missing+=("$p")
	done <"$root/host-depends"
	[[ ${#missing[@]} -eq 0 ]] || die "the $ver headers need ${missing[*]} (not installed): add to the test list in scripts/deps.sh, or install with apt-get install --no-install-recommends ${missing[*]}"
	echo "$kdir"
	;;
image)
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
host-depends)
	root=$(headers_root "$ver")
	if [[ -f $root/host-depends ]]; then
		cat "$root/host-depends"
	else
		mapfile -t pkgs < <(header_packages "$ver")
		[[ ${#pkgs[@]} -eq 3 ]] || exit 1
		host_depends "${pkgs[@]}"
	fi
	;;
*) usage ;;
esac
