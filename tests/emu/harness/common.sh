# shellcheck shell=bash
# Shared helpers for the emulation harness. Sourced, not executed.

# Repository root (three levels above this directory) and build directory.
HARNESS_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$HARNESS_DIR/../../.." && pwd)"
EMU_BUILD="${EMU_BUILD:-$REPO_ROOT/build/emu}"

# Print a message to stderr, prefixed with the calling script's name.
log() { printf '%s: %s\n' "$(basename "$0")" "$*" >&2; }

# Print an error and exit with the given status (default 1).
die() {
	local rc=1
	if [[ $# -gt 1 ]]; then rc=$1; shift; fi
	log "error: $*"
	exit "$rc"
}

# Create the build directory; it ignores itself so it never shows up in git.
ensure_build_dir() {
	mkdir -p "$EMU_BUILD"
	[[ -e "$EMU_BUILD/.gitignore" ]] || printf '*\n' >"$EMU_BUILD/.gitignore"
}

# True if the Debian package $1 is installed.
pkg_installed() {
	dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q '^install ok installed$'
}
