#!/usr/bin/env bash
# Sentinel and Cluster topologies of Debian's redis-server on loopback, for dev and the failover tests.
# Run through `redis.sh sentinel|cluster start|stop [--password P]` (see there). Idempotent: start starts the
# nodes that do not answer (a node a test killed comes back into its topology), stop stops every node.
source "$(dirname "$0")/lib.sh"
topology="$1"; action="${2:-start}"; shift 2 || shift $#
PASSWORD=""
while (($#)); do
  case "$1" in
    --password) PASSWORD="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done
MASTER_NAME=minato
if [[ $topology == sentinel ]]; then BASE="${REDIS_PORT:-6380}"; else BASE="${REDIS_PORT:-7000}"; fi
SENTINEL_BASE="${SENTINEL_PORT:-26380}"
DIR="$CACHE/redis-$topology-$BASE"

cli() { local port="$1"; shift; redis-cli -p "$port" ${PASSWORD:+--no-auth-warning -a "$PASSWORD"} "$@"; }
answers() { cli "$1" ping 2>/dev/null | grep -q PONG; }
# Sentinels are asked without the data nodes' password: they have none of their own here.
sentinel_answers() { redis-cli -p "$1" ping 2>/dev/null | grep -q PONG; }

# Queues only, as the standalone script: no persistence, noeviction for BullMQ.
node_args() {
  local port="$1" dir="$DIR/$1"
  mkdir -p "$dir"
  printf '%s\n' --daemonize yes --bind 127.0.0.1 --port "$port" --dir "$dir" --logfile "$dir/redis.log" \
    --pidfile "$dir/redis.pid" --save '' --appendonly no --maxmemory-policy noeviction
  [[ -n "$PASSWORD" ]] && printf '%s\n' --requirepass "$PASSWORD" --masterauth "$PASSWORD"
  return 0
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
  start_node "$BASE"
  # A node that comes back after a failover starts as a master: the sentinels turn it into a replica again.
  if ! answers "$replica"; then
    local of="$BASE"
    for s in 0 1 2; do
      master=$(redis-cli -p $((SENTINEL_BASE + s)) sentinel get-master-addr-by-name "$MASTER_NAME" 2>/dev/null | sed -n 2p || true)
      [[ -n "$master" ]] && { of="$master"; break; }
    done
    [[ "$of" == "$replica" ]] && of="$BASE"
    start_node "$replica" --replicaof 127.0.0.1 "$of"
  fi
  for s in 0 1 2; do
    local port=$((SENTINEL_BASE + s)) dir="$DIR/sentinel-$((SENTINEL_BASE + s))"
    sentinel_answers "$port" && continue
    mkdir -p "$dir"
    # Sentinel rewrites its config file with what it learns (the current master, the other sentinels).
    if [[ ! -f "$dir/sentinel.conf" ]]; then
      {
        echo "port $port"; echo "bind 127.0.0.1"; echo "dir $dir"
        echo "sentinel monitor $MASTER_NAME 127.0.0.1 $BASE 2"
        # A master that does not answer for 2 s is down: fast enough for tests; production charts use 5-30 s.
        echo "sentinel down-after-milliseconds $MASTER_NAME 2000"
        echo "sentinel failover-timeout $MASTER_NAME 10000"
        echo "sentinel parallel-syncs $MASTER_NAME 1"
        [[ -n "$PASSWORD" ]] && echo "sentinel auth-pass $MASTER_NAME $PASSWORD"
      } >"$dir/sentinel.conf"
    fi
    redis-server "$dir/sentinel.conf" --sentinel --daemonize yes --logfile "$dir/sentinel.log" \
      --pidfile "$dir/sentinel.pid"
    wait_until "sentinel $port" "$dir/sentinel.log" 30 sentinel_answers "$port"
  done
  # Ready when every sentinel knows the master and its replica and one another.
  wait_until "sentinels of $MASTER_NAME" "$DIR/sentinel-$SENTINEL_BASE/sentinel.log" 60 bash -c "
    for s in 0 1 2; do
      info=\$(redis-cli -p \$(( $SENTINEL_BASE + s )) sentinel master $MASTER_NAME) || exit 1
      grep -A1 -x num-slaves <<<\"\$info\" | tail -1 | grep -qx 1 || exit 1
      grep -A1 -x num-other-sentinels <<<\"\$info\" | tail -1 | grep -qx 2 || exit 1
    done"
  log "sentinel topology up: master '$MASTER_NAME' on $BASE (replica $replica), sentinels $SENTINEL_BASE-$((SENTINEL_BASE + 2))"
}

sentinel_stop() {
  for s in 0 1 2; do redis-cli -p $((SENTINEL_BASE + s)) shutdown nosave >/dev/null 2>&1 || true; done
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
      "$(printf '%q ' redis-cli -p "$port" ${PASSWORD:+--no-auth-warning -a "$PASSWORD"}) cluster info | grep -q cluster_state:ok"
  done
  log "cluster up: six nodes on $BASE-$((BASE + 5)), three masters with a replica each"
}

cluster_stop() {
  for port in $(cluster_ports); do cli "$port" shutdown nosave >/dev/null 2>&1 || true; done
  rm -rf "$DIR"
  log "cluster stopped"
}

apt_install redis-server
case "$topology $action" in
  "sentinel start") sentinel_start ;;
  "sentinel stop") sentinel_stop ;;
  "cluster start") cluster_start ;;
  "cluster stop") cluster_stop ;;
  *) die "usage: redis.sh sentinel|cluster start|stop [--password P]" ;;
esac
