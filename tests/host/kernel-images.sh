#!/usr/bin/env bash
# kernel-images.sh list
#   the linux-image-* packages present on this host (installed, or unpacked
#   part way), "NAME VERSION" a line, sorted; nothing without dpkg
# kernel-images.sh check BEFORE [AFTER]
#   compares list BEFORE (taken before `make test` installed anything) with
#   AFTER (default: the list now); exit 1, naming them, if a kernel image was
#   installed or removed.  A kernel in /boot becomes the default boot kernel
#   of a lab server at its next reboot: the tests unpack what they need of
#   other kernels into build/ and must never install one.
set -euo pipefail

list() {
	command -v dpkg-query >/dev/null || return 0
	# Status-Abbrev "ii ", "iU ", "iF "...: files are there unless the
	# second letter is n (not installed) or c (only config files left).
	{ dpkg-query -W -f='${db:Status-Abbrev} ${Package} ${Version}\n' 'linux-image-*' 2>/dev/null || true; } |
		awk 'substr($1, 2, 1) !~ /[nc]/ { print $2, $3 }' | sort
}

case ${1:-} in
list) [[ $# -eq 1 ]] || exit 2; list ;;
check)
	[[ $# -eq 2 || $# -eq 3 ]] || { echo "usage: $0 check BEFORE [AFTER]" >&2; exit 2; }
	before=$2
	[[ -r $before ]] || { echo "not ok - no list of kernel images taken before the tests ($before)"; exit 1; }
	if [[ $# -eq 3 ]]; then after=$(cat "$3"); else after=$(list); fi
	added=$(comm -13 <(sort "$before") <(printf '%s\n' "$after" | sed '/^$/d' | sort))
	removed=$(comm -23 <(sort "$before") <(printf '%s\n' "$after" | sed '/^$/d' | sort))
	if [[ -z $added && -z $removed ]]; then
		echo "ok - no linux-image package installed or removed ($(sed '/^$/d' "$before" | wc -l) present before and after)"
		exit 0
	fi
	if [[ -n $added ]]; then
		echo "not ok - the tests installed a kernel image on this host (it boots next time):"
		awk '{ print "    " $0 }' <<<"$added"
		echo "    remove with: apt-get purge $(cut -d' ' -f1 <<<"$added" | paste -sd' ')"
	fi
	if [[ -n $removed ]]; then
		echo "not ok - the tests removed a kernel image from this host:"
		awk '{ print "    " $0 }' <<<"$removed"
	fi
	exit 1
	;;
*) echo "usage: $0 list | check BEFORE [AFTER]" >&2; exit 2 ;;
esac
