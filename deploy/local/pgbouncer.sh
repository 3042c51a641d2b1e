#!/usr/bin/env bash
# PgBouncer (Debian's pgbouncer package) in transaction mode on 127.0.0.1:${PGBOUNCER_PORT:-6432}, in front of
# the local PostgreSQL (127.0.0.1:5432): every database name is passed through, the role is minato.
# Usage: pgbouncer.sh start|stop [--pool-size N]
#   --pool-size N  server connections per database and role (default_pool_size; default 20)
# Point DATABASE_URL at it with DATABASE_PREPARED_STATEMENTS=false: in transaction mode a statement prepared on one
# server connection is not there on the next (README, Connections).
source "$(dirname "$0")/lib.sh"
PORT="${PGBOUNCER_PORT:-6432}"
DIR="$CACHE/pgbouncer-$PORT"
LOGFILE="$DIR/pgbouncer.log"
PIDFILE="$DIR/pgbouncer.pid"
USER_NAME="${PGBOUNCER_DB_USER:-minato}"
PASSWORD="${PGBOUNCER_DB_PASSWORD:-minato}"

action="${1:-start}"; shift || true
POOL_SIZE=20
while (($#)); do
  case "$1" in
    --pool-size) POOL_SIZE="$2"; shift 2 ;;
    *) die "unknown option $1" ;;
  esac
done

running() { [[ -f "$PIDFILE" ]] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }

case "$action" in
  start)
    apt_install pgbouncer
    if running; then log "pgbouncer already up on $PORT"; exit 0; fi
    mkdir -p "$DIR"
    # PgBouncer refuses to run as root: it runs as postgres (the package's user), which owns its files.
    cat >"$DIR/pgbouncer.ini" <<INI
[databases]
* = host=127.0.0.1 port=5432

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PORT
unix_socket_dir =
auth_type = scram-sha-256
auth_file = $DIR/userlist.txt
pool_mode = transaction
default_pool_size = $POOL_SIZE
max_client_conn = 1000
; postgres.js sends it at start-up; PgBouncer would otherwise refuse the connection
ignore_startup_parameters = extra_float_digits
logfile = $LOGFILE
pidfile = $PIDFILE
INI
    printf '"%s" "%s"\n' "$USER_NAME" "$PASSWORD" >"$DIR/userlist.txt"
    chown -R postgres:postgres "$DIR"
    chmod 600 "$DIR/userlist.txt"
    runuser -u postgres -- pgbouncer -d "$DIR/pgbouncer.ini" || die "pgbouncer did not start; see $LOGFILE"
    wait_until pgbouncer "$LOGFILE" 30 pg_isready -h 127.0.0.1 -p "$PORT"
    log "pgbouncer $(pgbouncer --version | head -1 | grep -o '[0-9][0-9.]*') up on 127.0.0.1:$PORT (transaction mode, $POOL_SIZE server connections a database)"
    ;;
  stop)
    if running; then kill "$(cat "$PIDFILE")"; fi
    log "pgbouncer stopped"
    ;;
  *) die "usage: pgbouncer.sh start|stop [--pool-size N]" ;;
esac
