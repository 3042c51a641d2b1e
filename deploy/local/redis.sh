#!/usr/bin/env bash
# Redis 7 from Debian's redis-server package on 127.0.0.1:${REDIS_PORT:-6379}.
# Usage: redis.sh start|stop|ca-file [--password P] [--tls]
#   --password P  requires AUTH with P (requirepass); stop then authenticates with it too
#   --tls         serves TLS only on the port, with a certificate signed by a local CA made with openssl;
#                 `redis.sh ca-file --tls` prints that CA's path (for REDIS_CA_FILE)
# The production topologies (docs/redis.md), on loopback, without persistence:
#   redis.sh sentinel start|stop|ca-file [--password P] [--tls]
#       a master on ${REDIS_PORT:-6380}, its replica on the next port and three sentinels from ${SENTINEL_PORT:-26380}
#       watching master `minato`
#   redis.sh cluster start|stop|ca-file [--password P] [--tls]
#       six cluster nodes from ${REDIS_PORT:-7000}: three masters, three replicas (cluster bus on port + 10000)
#   There --password P is required by the data nodes and the sentinels alike, and --tls makes every port TLS only
#   (replication, the sentinels' links and the cluster bus included); see redis-topology.sh.
source "$(dirname "$0")/lib.sh"
if [[ "${1:-}" == sentinel || "${1:-}" == cluster ]]; then
  exec "$(dirname "$0")/redis-topology.sh" "$@"
fi
PORT="${REDIS_PORT:-6379}"
DIR="$CACHE/redis-$PORT"
LOGFILE="$DIR/redis.log"

action="${1:-start}"; shift || true
PASSWORD=""; TLS=false
while (($#)); do
  case "$1" in
    --password) PASSWORD="$2"; shift 2 ;;
    --tls) TLS=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done
CERTS="$DIR/tls"
cli=(redis-cli -p "$PORT")
[[ -n "$PASSWORD" ]] && cli+=(--no-auth-warning -a "$PASSWORD")
$TLS && cli+=(--tls --cacert "$CERTS/ca.pem")

case "$action" in
  start)
    apt_install redis-server
    mkdir -p "$DIR"
    if "${cli[@]}" ping 2>/dev/null | grep -q PONG; then log "redis already up on $PORT"; exit 0; fi
    listen=(--port "$PORT")
    if $TLS; then
      make_tls_certs "$CERTS"
      listen=(--port 0 --tls-port "$PORT" --tls-cert-file "$CERTS/server.pem" --tls-key-file "$CERTS/server-key.pem"
        --tls-ca-cert-file "$CERTS/ca.pem" --tls-auth-clients no)
    fi
    auth=()
    [[ -n "$PASSWORD" ]] && auth=(--requirepass "$PASSWORD")
    # Queues only: no persistence (PostgreSQL is the source of truth), and BullMQ needs noeviction.
    redis-server --daemonize yes --bind 127.0.0.1 "${listen[@]}" "${auth[@]}" --dir "$DIR" --logfile "$LOGFILE" \
      --pidfile "$DIR/redis.pid" --save '' --appendonly no --maxmemory-policy noeviction
    wait_until redis "$LOGFILE" 30 bash -c "$(printf '%q ' "${cli[@]}") ping | grep -q PONG"
    log "redis up on 127.0.0.1:$PORT ($(redis-server --version | grep -o 'v=[0-9.]*')$($TLS && echo ', TLS')$([[ -n "$PASSWORD" ]] && echo ', password'))"
    ;;
  stop)
    "${cli[@]}" shutdown nosave >/dev/null 2>&1 || true
    log "redis stopped"
    ;;
  ca-file) echo "$CERTS/ca.pem" ;;
  *) die "usage: redis.sh start|stop|ca-file [--password P] [--tls]" ;;
esac
