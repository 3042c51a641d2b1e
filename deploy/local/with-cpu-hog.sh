#!/usr/bin/env bash
# Runs a command while a busy loop keeps one core at 100%, as a contributor's laptop or a shared CI runner does.
# The hog stops with the command, however it ends. Usage: with-cpu-hog.sh COMMAND [ARGS...]
source "$(dirname "$0")/lib.sh"
(($#)) || die "usage: with-cpu-hog.sh COMMAND [ARGS...]"
# exec gives the loop its own process, so killing it is enough; nice 0 so it competes like a real neighbour.
bash -c 'exec -a minato-cpu-hog bash -c "while :; do :; done"' &
hog=$!
trap 'kill "$hog" 2>/dev/null || true' EXIT INT TERM
log "one core busy (pid $hog) while running: $*"
"$@"
