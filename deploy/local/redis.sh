#!/usr/bin/env bash
# Redis 7 from Debian's redis-server package on 127.0.0.1:${REDIS_PORT:-6379}. Usage: redis.sh start|stop
source "$(dirname "$0")/lib.sh"
PORT="${REDIS_PORT:-6379}"
DIR="$CACHE/redis-$PORT"
LOGFILE="$DIR/redis.log"

case "${1:-start}" in
  start)
    apt_install redis-server
    mkdir -p "$DIR"
    if redis-cli -p "$PORT" ping >/dev/null 2>&1; then log "redis already up on $PORT"; exit 0; fi
    # Queues only: no persistence (PostgreSQL is the source of truth), and BullMQ needs noeviction.
    redis-server --daemonize yes --bind 127.0.0.1 --port "$PORT" --dir "$DIR" --logfile "$LOGFILE" \
      --pidfile "$DIR/redis.pid" --save '' --appendonly no --maxmemory-policy noeviction
    wait_until redis "$LOGFILE" 30 redis-cli -p "$PORT" ping
    log "redis up on 127.0.0.1:$PORT ($(redis-server --version | grep -o 'v=[0-9.]*'))"
    ;;
  stop)
    redis-cli -p "$PORT" shutdown nosave >/dev/null 2>&1 || true
    log "redis stopped"
    ;;
  *) die "usage: redis.sh start|stop" ;;
esac
