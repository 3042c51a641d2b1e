#!/usr/bin/env bash
# Sentinel and Cluster topologies of Debian's redis-server on loopback, for dev and the failover tests.
# Run through `redis.sh sentinel|cluster start|stop|ca-file [--password P] [--tls]` (see there). Idempotent: start
# starts the nodes that do not answer (a node a test killed comes back into its topology) and returns once every
# replica has synced with its master; stop stops every node.
#   --password P  the data nodes and the sentinels require P (as Bitnami's chart sets them up): clients give it as
#                 REDIS_PASSWORD and REDIS_SENTINEL_PASSWORD
#   --tls         every node and sentinel serves TLS only, and replication, the sentinels' links and the cluster bus
#                 run over TLS too, with a certificate for 127.0.0.1/localhost signed by a local CA;
#                 `ca-file --tls` prints that CA's path (for REDIS_CA_FILE)
# Give stop the options start was given: it authenticates and speaks TLS as the nodes require.
source "$(dirname "$0")/lib.sh"
topology="$1"; action="${2:-start}"; shift 2 || shift $#
PASSWORD=""; TLS=false
while (($#)); do
  case "$1" in
    --password) PASSWORD="$2"; shift 2 ;;
    --tls) TLS=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done
MASTER_NAME=minato
if [[ $topology == sentinel ]]; then BASE="${REDIS_PORT:-6380}"; else BASE="${REDIS_PORT:-7000}"; fi
SENTINEL_BASE="${SENTINEL_PORT:-26380}"
DIR="$CACHE/redis-$topology-$BASE"
CERTS="$DIR/tls"

# One client for data nodes and sentinels alike: both take the same password and the same TLS.
CLI=(redis-cli)
[[ -n "$PASSWORD" ]] && CLI+=(--no-auth-warning -a "$PASSWORD")
$TLS && CLI+=(--tls --cacert "$CERTS/ca.pem")
cli() { local port="$1"; shift; "${CLI[@]}" -p "$port" "$@"; }
answers() { cli "$1" ping 2>/dev/null | grep -q PONG; }

# Listening and TLS options, as redis-server arguments; the sentinels' config file takes the same lines.
# tls-replication makes a replica, and a sentinel, connect to its master over TLS; the cluster bus, when
# tls-cluster is on, always asks the connecting node for a certificate, which is the server's own here.
tls_args() {
  local port="$1"
  if $TLS; then
    printf '%s\n' --port 0 --tls-port "$port" --tls-cert-file "$CERTS/server.pem" \
      --tls-key-file "$CERTS/server-key.pem" --tls-ca-cert-file "$CERTS/ca.pem" --tls-auth-clients no \
      --tls-replication yes
    [[ $topology == cluster ]] && printf '%s\n' --tls-cluster yes
  else
    printf '%s\n' --port "$port"
  fi
  return 0
}

# Queues only, as the standalone script: no persistence, noeviction for BullMQ. A replica syncs at once instead of
# after Redis 7's 5 s wait for more replicas to share a transfer: a replica that never synced cannot take over (a
# cluster master killed in those 5 s left its slots down for good, "Disconnected from master for longer than allowed").
node_args() {
  local port="$1" dir="$DIR/$1"
  mkdir -p "$dir"
  printf '%s\n' --daemonize yes --bind 127.0.0.1 --dir "$dir" --logfile "$dir/redis.log" \
    --pidfile "$dir/redis.pid" --save '' --appendonly no --maxmemory-policy noeviction --repl-diskless-sync-delay 0
  tls_args "$port"
  [[ -n "$PASSWORD" ]] && printf '%s\n' --requirepass "$PASSWORD" --masterauth "$PASSWORD"
  return 0
}

# A master, or a replica whose link to its master is up (its first sync done).
in_sync() {
  local info; info=$(cli "$1" info replication | tr -d '\r') || return 1
  grep -qx role:master <<<"$info" || grep -qx master_link_status:up <<<"$info"
}

start_node() {
  local port="$1"; shift
  answers "$port" && return 0
  mapfile -t args < <(node_args "$port")
  redis-server "${args[@]}" "$@"
  wait_until "redis $port" "$DIR/$port/redis.log" 30 answers "$port"
}

sentinel_start() {
  local replica=$((BASE + 1))
  $TLS && make_tls_certs "$CERTS"
  start_node "$BASE"
  # A node that comes back after a failover starts as a master: the sentinels turn it into a replica again.
  if ! answers "$replica"; then
    local of="$BASE"
    for s in 0 1 2; do
      master=$(cli $((SENTINEL_BASE + s)) sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p || true)
      [[ -n "$master" ]] && { of="$master"; break; }
    done
    [[ "$of" == "$replica" ]] && of="$BASE"
    start_node "$replica" --replicaof 127.0.0.1 "$of"
  fi
  for s in 0 1 2; do
    local port=$((SENTINEL_BASE + s)) dir="$DIR/sentinel-$((SENTINEL_BASE + s))"
    answers "$port" && continue
    mkdir -p "$dir"
    # Sentinel rewrites its config file with what it learns (the current master, the other sentinels).
    if [[ ! -f "$dir/sentinel.conf" ]]; then
      {
        # the same options as the data nodes', `--tls-port 26380` written `tls-port 26380`
        tls_args "$port" | paste -d' ' - - | sed 's/^--//'
        echo "bind 127.0.0.1"; echo "dir $dir"
        echo "sentinel monitor $MASTER_NAME 127.0.0.1 $BASE 2"
        # A master that does not answer for 2 s is down: fast enough for tests; production charts use 5-30 s.
        echo "sentinel down-after-milliseconds $MASTER_NAME 2000"
        echo "sentinel failover-timeout $MASTER_NAME 10000"
        echo "sentinel parallel-syncs $MASTER_NAME 1"
        if [[ -n "$PASSWORD" ]]; then
          # the master's password, the sentinels' own, and the one they give one another
          echo "sentinel auth-pass $MASTER_NAME $PASSWORD"
          echo "requirepass $PASSWORD"
          echo "sentinel sentinel-pass $PASSWORD"
        fi
      } >"$dir/sentinel.conf"
    fi
    redis-server "$dir/sentinel.conf" --sentinel --daemonize yes --logfile "$dir/sentinel.log" \
      --pidfile "$dir/sentinel.pid"
    wait_until "sentinel $port" "$dir/sentinel.log" 30 answers "$port"
  done
  # Ready when every sentinel knows the master and its replica and one another.
  wait_until "sentinels of $MASTER_NAME" "$DIR/sentinel-$SENTINEL_BASE/sentinel.log" 60 bash -c "
    for s in 0 1 2; do
      info=\$($(printf '%q ' "${CLI[@]}") -p \$(( $SENTINEL_BASE + s )) sentinel master $MASTER_NAME) || exit 1
      grep -A1 -x num-slaves <<<\"\$info\" | tail -1 | grep -qx 1 || exit 1
      grep -A1 -x num-other-sentinels <<<\"\$info\" | tail -1 | grep -qx 2 || exit 1
    done"
  for port in "$BASE" "$replica"; do wait_until "redis $port in sync" "$DIR/$port/redis.log" 60 in_sync "$port"; done
  log "sentinel topology up: master '$MASTER_NAME' on $BASE (replica $replica), sentinels $SENTINEL_BASE-$((SENTINEL_BASE + 2))$(described)"
}

sentinel_stop() {
  for s in 0 1 2; do cli $((SENTINEL_BASE + s)) shutdown nosave >/dev/null 2>&1 || true; done
  for port in "$BASE" $((BASE + 1)); do cli "$port" shutdown nosave >/dev/null 2>&1 || true; done
  # The sentinels' rewritten configs remember the topology: a fresh start begins from the script's.
  rm -rf "$DIR"
  log "sentinel topology stopped"
}

cluster_ports() { seq "$BASE" $((BASE + 5)); }

cluster_start() {
  local fresh=true
  for port in $(cluster_ports); do answers "$port" && fresh=false; done
  $fresh && rm -rf "$DIR"
  $TLS && make_tls_certs "$CERTS"
  # A node restarted into a running cluster keeps its nodes.conf and rejoins it (as a replica, if its slots moved).
  for port in $(cluster_ports); do
    start_node "$port" --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000
  done
  if [[ $(cli "$BASE" cluster info | tr -d '\r' | grep -c '^cluster_known_nodes:6$') == 0 ]] && $fresh; then
    local nodes=()
    for port in $(cluster_ports); do nodes+=("127.0.0.1:$port"); done
    cli "$BASE" --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >"$DIR/create.log" 2>&1 \
      || { cat "$DIR/create.log" >&2; die "redis-cli --cluster create failed; see $DIR/create.log"; }
  fi
  for port in $(cluster_ports); do
    wait_until "cluster node $port" "$DIR/$port/redis.log" 60 bash -c \
      "$(printf '%q ' "${CLI[@]}") -p $port cluster info | grep -q cluster_state:ok"
  done
  for port in $(cluster_ports); do wait_until "redis $port in sync" "$DIR/$port/redis.log" 60 in_sync "$port"; done
  log "cluster up: six nodes on $BASE-$((BASE + 5)), three masters with a replica each$(described)"
}

cluster_stop() {
  for port in $(cluster_ports); do cli "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DIR"
  log "cluster stopped"
}

described() { echo "$($TLS && echo ', TLS')$([[ -n "$PASSWORD" ]] && echo ', password')"; }

apt_install redis-server
case "$topology $action" in
  "sentinel start") sentinel_start ;;
  "sentinel stop") sentinel_stop ;;
  "cluster start") cluster_start ;;
  "cluster stop") cluster_stop ;;
  "sentinel ca-file" | "cluster ca-file") echo "$CERTS/ca.pem" ;;
  *) die "usage: redis.sh sentinel|cluster start|stop|ca-file [--password P] [--tls]" ;;
esac
