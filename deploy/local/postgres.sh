#!/usr/bin/env bash
# PostgreSQL 15 (Debian's cluster 15/main) with a `minato` role and database. Usage: postgres.sh start|stop
source "$(dirname "$0")/lib.sh"
VERSION="${PG_VERSION:-15}"
CLUSTER=main
LOGFILE="/var/log/postgresql/postgresql-$VERSION-$CLUSTER.log"

case "${1:-start}" in
  start)
    command -v pg_ctlcluster >/dev/null || apt_install "postgresql-$VERSION"
    pg_lsclusters -h | awk '{print $1"/"$2}' | grep -qx "$VERSION/$CLUSTER" || pg_createcluster "$VERSION" "$CLUSTER" >/dev/null
    if ! pg_lsclusters -h | awk -v v="$VERSION" -v c="$CLUSTER" '$1==v && $2==c {print $4}' | grep -qx online; then
      pg_ctlcluster "$VERSION" "$CLUSTER" start || die "postgresql did not start; see $LOGFILE"
    fi
    wait_until postgresql "$LOGFILE" 60 pg_isready -h 127.0.0.1 -p 5432
    runuser -u postgres -- psql -qtA -c "SELECT 1 FROM pg_roles WHERE rolname='minato'" | grep -q 1 \
      || runuser -u postgres -- psql -q -c "CREATE ROLE minato LOGIN PASSWORD 'minato' CREATEDB"
    runuser -u postgres -- psql -qtA -c "SELECT 1 FROM pg_database WHERE datname='minato'" | grep -q 1 \
      || runuser -u postgres -- psql -q -c "CREATE DATABASE minato OWNER minato"
    log "postgresql $VERSION up on 127.0.0.1:5432 (database minato)"
    ;;
  stop)
    pg_ctlcluster "$VERSION" "$CLUSTER" stop 2>/dev/null || true
    log "postgresql stopped"
    ;;
  *) die "usage: postgres.sh start|stop" ;;
esac
