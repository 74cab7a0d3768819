#!/usr/bin/env bash
# scripts/deb.sh (make deb): the Debian packages vmptrst-bench and
# vmptrst-bench-dkms, built from debian/ with debhelper in a clean copy of
# the tree, then checked with lintian.
#
#   1. the tree's tracked files (git ls-files: uncommitted edits included,
#      untracked and built files not) are copied to
#      build/deb/vmptrst-bench-VERSION/ (VERSION from bench/bench.h, which
#      debian/changelog and kmod/vb_internal.h must agree with);
#   2. dpkg-buildpackage -us -uc -b there, never as root: the packages say
#      Rules-Requires-Root: no (no fakeroot either), and run as root this
#      script builds as the user nobody (runuser), build/deb/ handed to it;
#      git is fenced off (GIT_CEILING_DIRECTORIES) so the copy builds as a
#      tree without .git would, the commit passed in VB_GIT_COMMIT;
#   3. lintian on the .changes (both .deb files), as that user too, its
#      output in build/deb/lintian.txt and on stdout; a warning or error
#      fails.
# The .deb files are left in build/deb/.  Exit 0 when all three steps
# passed; 1 otherwise, naming the step.
set -euo pipefail
top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$top"
out=$top/build/deb

say() { printf 'deb: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

for tool in dpkg-buildpackage dh dh_dkms lintian; do
	command -v "$tool" >/dev/null ||
		die "no $tool here: apt-get install --no-install-recommends dpkg-dev debhelper dh-dkms lintian"
done

version=$(sed -n 's/^#define VB_TOOL_VERSION[[:space:]]*"\(.*\)"/\1/p' bench/bench.h)
kversion=$(sed -n 's/^#define VB_MODULE_VERSION[[:space:]]*"\(.*\)"/\1/p' kmod/vb_internal.h)
dversion=$(dpkg-parsechangelog -l debian/changelog -S Version)
[[ -n $version ]] || die "no VB_TOOL_VERSION in bench/bench.h"
[[ $version == "$kversion" ]] ||
	die "bench/bench.h says $version, kmod/vb_internal.h $kversion: one version for both"
[[ ${dversion%%-*} == "$version" ]] ||
	die "debian/changelog's version is $dversion, bench/bench.h's $version: add a changelog entry (dch -v $version)"

# Root builds as nobody, in a folder of its own under /tmp (the tree may
# sit below folders nobody cannot enter, as a mktemp -d checkout does); the
# results are copied back into build/deb/, owners kept.
work=$out
if [[ $(id -u) -eq 0 ]]; then
	work=$(mktemp -d /tmp/vmptrst-bench-deb.XXXXXX)
	chmod 755 "$work"
	trap 'rm -rf "$work"' EXIT
fi
src=$work/vmptrst-bench-$version
rm -rf "$out"
mkdir -p "$out" "$src"
printf '*\n' >"$out/.gitignore"
if git rev-parse --git-dir >/dev/null 2>&1; then
	commit=$(git describe --always --dirty 2>/dev/null || echo unknown)
	# Tracked files that exist (a deletion not yet committed is left out).
	git ls-files -z | while IFS= read -r -d '' f; do [[ -e $f || -L $f ]] && printf '%s\0' "$f"; done |
		tar --null -T - -cf - | tar -xf - -C "$src"
else
	commit=unknown
	tar --exclude=./build --exclude=./.git -cf - . | tar -xf - -C "$src"
fi
# Root builds as nobody: what the packages need of root is nothing.
builder=()
if [[ $(id -u) -eq 0 ]]; then
	command -v runuser >/dev/null || die "running as root, and no runuser to build as another user"
	chown -R nobody:nogroup "$work"
	builder=(runuser -u nobody --)
fi
say "building $version (commit $commit) in $src${builder:+ as nobody}"

if ! (cd "$src" && "${builder[@]}" env HOME="$work" GIT_CEILING_DIRECTORIES="$work" \
	VB_GIT_COMMIT="$commit" dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	die "dpkg-buildpackage failed (the whole log: $out/build.log)"
fi
if [[ $work != "$out" ]]; then
	cp -p "$work"/*.deb "$work"/*.changes "$work"/*.buildinfo "$out"/
	cp -rp "$src" "$out"/
fi
changes=$(ls "$work"/vmptrst-bench_"$version"*_*.changes)
say "built: $(cd "$out" && ls ./*.deb | sed 's|^\./||' | paste -sd' ')"

# --pedantic and --display-info show every tag; warnings and errors fail.
# What is overridden, and why, is in debian/*.lintian-overrides.
status=0
(cd "$work" && "${builder[@]}" env HOME="$work" lintian --pedantic --display-info \
	--show-overrides --fail-on error,warning "$changes") >"$out/lintian.txt" 2>&1 || status=$?
if [[ -s $out/lintian.txt ]]; then
	say "lintian:"
	sed 's/^/    /' "$out/lintian.txt"
else
	say "lintian: no tag"
fi
[[ $status -eq 0 ]] || die "lintian found warnings or errors (build/deb/lintian.txt)"
say "ok: $out"
