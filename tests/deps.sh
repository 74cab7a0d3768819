#!/usr/bin/env bash
# tests/deps.sh: the Debian packages that building, testing and the emulated
# run need; installs what is missing when run as root (apt-get update first,
# --no-install-recommends), otherwise lists it with the command to install it.
# The lists live in one place: scripts/deps.sh (`native` for a native run,
# `test` for everything here).
exec "$(dirname "${BASH_SOURCE[0]}")/../scripts/deps.sh" test
