#!/usr/bin/env bash
# `make dev`: the whole pipeline on this machine with demo data. Expects `make setup services build` done
# (the Makefile does that first). Ctrl+C drains the workers and stops the TMDB fake.
#   DEV_SEED_COUNT   demo torrents to seed (default 300)
#   DEV_EXIT         1: stop everything once the demo output is printed (for smoke tests)
#   TMDB_API_KEY     set it to use the real TMDB instead of the local fake
#   CONSOLE_PORT     port of the web console (default 8080); its user `dev` has a password kept in .cache
source "$(dirname "$0")/lib.sh"
cd "$ROOT"
export LOG_FORMAT="${LOG_FORMAT:-pretty}"
# The local engine is one node: a replica would have nowhere to go.
export SEARCH_INDEX_REPLICAS="${SEARCH_INDEX_REPLICAS:-0}"
minato() { node packages/cli/dist/main.js "$@"; }
pids=()

stop_all() {
  trap - INT TERM EXIT
  ((${#pids[@]})) || return 0
  log "stopping: workers drain their in-flight jobs and flush"
  kill -TERM "${pids[@]}" 2>/dev/null || true
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
  log "stopped"
}
# Whatever ends this script (Ctrl+C, a failed step), the workers and the fake it started go with it.
trap 'stop_all; exit 0' INT TERM
trap stop_all EXIT

minato migrate

if [[ -z "${TMDB_API_KEY:-}" ]]; then
  export TMDB_API_KEY=minato-dev-key TMDB_BASE_URL="http://127.0.0.1:${TMDB_FAKE_PORT:-8787}/3"
  # The fake draws a poster for each title it knows, so the console shows pictures offline.
  export TMDB_IMAGE_BASE_URL="http://127.0.0.1:${TMDB_FAKE_PORT:-8787}/t/p/w500"
  # Its output goes to a log file, which wait_until shows if the fake does not come up.
  node packages/tmdb-fake/dist/main.js --port "${TMDB_FAKE_PORT:-8787}" --api-key "$TMDB_API_KEY" >"$CACHE/tmdb-fake.log" 2>&1 &
  pids+=($!)
  wait_until tmdb-fake "$CACHE/tmdb-fake.log" 30 curl -fsS -o /dev/null "$TMDB_BASE_URL/configuration?api_key=$TMDB_API_KEY"
  log "TMDB fake on $TMDB_BASE_URL (set TMDB_API_KEY to use the real TMDB)"
fi

port=9471
for worker in ingest enrichment sync; do
  # The images' V8 flags (test/support/worker-processes.ts, WORKER_NODE_FLAGS).
  METRICS_PORT=$port node --max-semi-space-size=8 "packages/$worker-worker/dist/main.js" &
  pids+=($!)
  port=$((port + 1))
done
for p in 9471 9472 9473; do wait_until "worker on :$p" /dev/null 60 curl -fsS -o /dev/null "http://127.0.0.1:$p/readyz"; done

# The console behind basic auth even here: one user, `dev`, whose password is made once and kept in .cache.
export CONSOLE_PORT="${CONSOLE_PORT:-8080}" CONSOLE_USERS_FILE="$CACHE/console-users"
if [[ ! -s "$CONSOLE_USERS_FILE" || ! -s "$CACHE/console-password" ]]; then
  (umask 077; openssl rand -hex 12 >"$CACHE/console-password")
  node packages/console/dist/hash-password.js dev <"$CACHE/console-password" >"$CONSOLE_USERS_FILE"
fi
CONSOLE_ALLOW_ACTIONS="${CONSOLE_ALLOW_ACTIONS:-true}" node packages/console/dist/main.js &
pids+=($!)
wait_until console /dev/null 30 curl -fsS -o /dev/null "http://127.0.0.1:$CONSOLE_PORT/healthz"
console_line="console on http://127.0.0.1:$CONSOLE_PORT/ (user dev, password $(cat "$CACHE/console-password"))"
log "$console_line"

# Fixed seed: a second `make dev` finds the same torrents already there and only finishes what is pending.
minato seed --count "${DEV_SEED_COUNT:-300}" --seed 42 --enqueue
minato backfill

drained() {
  minato status --json | node -e '
    const s = JSON.parse(require("fs").readFileSync(0, "utf8"));
    const busy = Object.values(s.queues).some((q) => q.waiting + q.active + q.delayed > 0);
    process.exit(!busy && s.postgres.indexed === s.postgres.torrents && s.postgres.matched === s.elasticsearch.matched ? 0 : 1);'
}
wait_until "the pipeline to drain" /dev/null 600 drained
echo
minato status
for q in "dune" "lion king" "breaking bad"; do
  echo; echo "\$ minato search $q"; minato search --limit 2 "$q"
done
echo
log "$console_line"
if [[ "${DEV_EXIT:-0}" == 1 ]]; then exit 0; fi
log "pipeline running; metrics on :9471 :9472 :9473; Ctrl+C to stop"
wait
