#!/usr/bin/env bash
# Elasticsearch 9 from Maven Central's integ-test-zip, single-node on 127.0.0.1 (ES_VERSION=8.19.6 for the 8.x line).
# Usage: elasticsearch.sh start|stop|ca-file [--port 9200] [--secure] [--tls]
#        elasticsearch.sh cluster|cluster-stop|pid-file [--port N]: three nodes on N, N+1, N+2 (search-nodes.sh)
#   --secure starts a node with security on (file-realm superuser minato-admin, password in $ES_ADMIN_PASSWORD)
#   so that a test can create API keys; the default node runs with security off.
#   --tls (implies --secure) serves HTTPS with a certificate signed by a local CA made with openssl;
#   `elasticsearch.sh ca-file --port N` prints that CA's path (for ELASTICSEARCH_CA_FILE).
# `start` returns at once when the node answers, and waits for a start of the same node that is under way.
source "$(dirname "$0")/lib.sh"
ES_VERSION="${ES_VERSION:-9.5.4}" # the newest 9.x Maven Central served here (9.5.5+ and 9.6 were not)
ES_HEAP="${ES_HEAP:-512m}"
ES_ADMIN_PASSWORD="${ES_ADMIN_PASSWORD:-minato-admin-pw}"
ENGINE=elasticsearch
ENGINE_VERSION="$ES_VERSION"
DEFAULT_PORT=9200
source "$(dirname "$0")/search-nodes.sh"

action="${1:-start}"; shift || true
case "$action" in
  cluster | cluster-stop | pid-file) search_nodes_main "$action" "$@"; exit ;;
esac
PORT=9200; SECURE=false; TLS=false
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --secure) SECURE=true; shift ;;
    --tls) SECURE=true; TLS=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done
# As root, Elasticsearch runs as $SERVICE_USER, which must reach its files: outside the checkout (search-nodes.sh).
ES_DIR="$NODES_DIR"
HOME_DIR="$ENGINE_HOME"
# The secure node runs from its own hard-linked copy of the home: Elasticsearch reads plugins only from
# $ES_HOME/plugins (there is no path.plugins setting), and the plain node must stay free of our plugin.
SECURE_HOME="$ES_DIR/elasticsearch-$ES_VERSION-secure"
NODE_DIR="$ES_DIR/es-node-$PORT"
LOGFILE="$NODE_DIR/logs/minato-local.log"
# Inside the node's config dir: Elasticsearch reads PEM files only from there.
CERTS="$NODE_DIR/config/certs"
URL="http://127.0.0.1:$PORT"
CURL_TLS=()
$TLS && { URL="https://127.0.0.1:$PORT"; CURL_TLS=(--cacert "$CERTS/ca.pem"); }

# The .security index's `email` analyzer needs analysis-common components that the integ-test-zip lacks
# (see es-security-analysis/README.md): build that small plugin from source and install it into the secure home.
# Rebuilt only when its source or the Elasticsearch version changes.
install_security_analysis() {
  local jdk="$1" src="$ROOT/deploy/local/es-security-analysis" plugin=minato-security-analysis
  local stamp="$SECURE_HOME/.$plugin.sha256" sum # not under plugins/: Elasticsearch reads every entry there as a plugin
  sum=$( (echo "$ES_VERSION"; cd "$src" && find . -type f | sort | xargs sha256sum) | sha256sum | cut -d' ' -f1)
  [[ -f "$stamp" && $(cat "$stamp") == "$sum" ]] && return 0
  local build_log="$CACHE/es-security-analysis.log" zip="$CACHE/es-security-analysis/$plugin.zip"
  log "building the $plugin plugin for the secure elasticsearch node"
  if [[ ! -d "$SECURE_HOME" ]]; then
    rm -rf "$SECURE_HOME.tmp" && cp -al "$HOME_DIR" "$SECURE_HOME.tmp" && mv "$SECURE_HOME.tmp" "$SECURE_HOME"
  fi
  mkdir -p "$(dirname "$zip")"
  "$src/build.sh" "$HOME_DIR" "$jdk" "$zip" >"$build_log" 2>&1 \
    || die "building the $plugin plugin failed; see $build_log"
  rm -rf "${SECURE_HOME:?}/plugins/$plugin"
  ES_JAVA_HOME="$jdk" "$SECURE_HOME/bin/elasticsearch-plugin" install --batch "file://$zip" >>"$build_log" 2>&1 \
    || die "installing the $plugin plugin failed; see $build_log"
  echo "$sum" >"$stamp"
}

# The homes every node runs from, shared by all ports: two starts unzipping or building into them at once would
# each find the other's half-made files.
install_homes() {
  install_engine
  if $SECURE; then install_security_analysis "$1"; fi
}

# One start (or stop) of a node at a time: a second start of a node that is booting would launch it again on the same
# data directory and corrupt it. The second waits for the first, then finds the node up.
start() { locked "$ES_DIR/start-$PORT.lock" start_node; }
stop() { locked "$ES_DIR/start-$PORT.lock" stop_node; }

start_node() {
  if curl -s -o /dev/null -m 2 "${CURL_TLS[@]}" "$URL"; then log "elasticsearch already up on $PORT"; return 0; fi
  local jdk; jdk=$(engine_java_home)
  locked "$ES_DIR/install.lock" install_homes "$jdk"
  local es_home="$HOME_DIR"
  $SECURE && es_home="$SECURE_HOME"
  mkdir -p "$NODE_DIR/data" "$NODE_DIR/logs"
  # Each node gets its own config dir: the secure node's users file must not leak into the plain one.
  if [[ ! -d "$NODE_DIR/config" ]]; then
    cp -r "$HOME_DIR/config" "$NODE_DIR/config"
    if $SECURE; then
      ES_PATH_CONF="$NODE_DIR/config" ES_JAVA_HOME="$jdk" "$HOME_DIR/bin/elasticsearch-users" \
        useradd minato-admin -p "$ES_ADMIN_PASSWORD" -r superuser >>"$NODE_DIR/setup.log" 2>&1 \
        || die "elasticsearch-users failed; see $NODE_DIR/setup.log"
    fi
  fi
  $TLS && make_tls_certs "$CERTS"
  [[ $(id -u) == 0 ]] && chmod o+rx "$ES_DIR" && chmod -R o+rX "$es_home"
  local security=(-Expack.security.enabled=false)
  local http_ssl=(-Expack.security.http.ssl.enabled=false)
  $TLS && http_ssl=(-Expack.security.http.ssl.enabled=true -Expack.security.http.ssl.certificate=certs/server.pem
    -Expack.security.http.ssl.key=certs/server-key.pem -Expack.security.http.ssl.certificate_authorities=certs/ca.pem)
  $SECURE && security=(-Expack.security.enabled=true "${http_ssl[@]}"
    -Expack.security.transport.ssl.enabled=false -Expack.security.authc.api_key.enabled=true)
  as_service_user "$NODE_DIR" env ES_JAVA_HOME="$jdk" ES_PATH_CONF="$NODE_DIR/config" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
    "$es_home/bin/elasticsearch" -d -p "$NODE_DIR/es.pid" \
    -Ecluster.name=minato-local -Enode.name="minato-$PORT" -Ediscovery.type=single-node \
    -Enetwork.host=127.0.0.1 -Ehttp.port="$PORT" -Etransport.port=$((PORT + 100)) \
    -Epath.data="$NODE_DIR/data" -Epath.logs="$NODE_DIR/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    "${security[@]}" >"$NODE_DIR/start.log" 2>&1 \
    || { cat "$NODE_DIR/start.log" >&2; die "elasticsearch did not start; see $NODE_DIR/start.log and $LOGFILE"; }
  local auth=()
  $SECURE && auth=(-u "minato-admin:$ES_ADMIN_PASSWORD")
  wait_until elasticsearch "$LOGFILE" 180 curl -fsS -o /dev/null "${auth[@]}" "${CURL_TLS[@]}" "$URL/_cluster/health?wait_for_status=yellow&timeout=1s"
  log "elasticsearch $ES_VERSION up on $URL (java $(basename "$jdk"), security $($SECURE && echo on || echo off)$($TLS && echo ', TLS'))"
}

stop_node() {
  [[ -f "$NODE_DIR/es.pid" ]] || { log "elasticsearch on $PORT not running"; return 0; }
  stop_pidfile "$NODE_DIR/es.pid"
  log "elasticsearch on $PORT stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  ca-file) echo "$CERTS/ca.pem" ;;
  *) die "usage: elasticsearch.sh start|stop|ca-file|cluster|cluster-stop|pid-file [--port N] [--secure] [--tls]" ;;
esac
