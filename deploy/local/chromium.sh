#!/usr/bin/env bash
# Installs Debian's chromium for the console's browser tests, when missing, and prints its path. The tests drive
# the system binary through playwright-core: no browser is downloaded by a package.
# Usage: chromium.sh
source "$(dirname "$0")/lib.sh"
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
[[ -x "$CHROMIUM" ]] || apt_install chromium
[[ -x "$CHROMIUM" ]] || die "chromium is not at $CHROMIUM after installing it (set CHROMIUM_PATH to where it is)"
echo "$CHROMIUM"
