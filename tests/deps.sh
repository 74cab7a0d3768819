#!/usr/bin/env bash
# tests/deps.sh: the Debian packages that building, testing and the emulated
# run need; installs what is missing when run as root (apt-get update first),
# otherwise lists it with the command to install it.  The list lives in one
# place: tests/emu/harness/deps.sh.
exec "$(dirname "${BASH_SOURCE[0]}")/emu/harness/deps.sh" "$@"
