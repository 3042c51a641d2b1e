#!/usr/bin/env bash
# Starts (or stops) every local service the workers need: Redis, PostgreSQL, Elasticsearch. Idempotent.
# Usage: services.sh start|stop
source "$(dirname "$0")/lib.sh"
here="$(dirname "$0")"
case "${1:-start}" in
  start) "$here/redis.sh" start; "$here/postgres.sh" start; "$here/elasticsearch.sh" start ;;
  stop) "$here/elasticsearch.sh" stop; "$here/postgres.sh" stop; "$here/redis.sh" stop ;;
  *) die "usage: services.sh start|stop" ;;
esac
