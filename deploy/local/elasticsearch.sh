#!/usr/bin/env bash
# Elasticsearch 9 from Maven Central's integ-test-zip, single-node on 127.0.0.1.
# Usage: elasticsearch.sh start|stop|ca-file [--port 9200] [--secure] [--tls]
#   --secure starts a node with security on (file-realm superuser minato-admin, password in $ES_ADMIN_PASSWORD)
#   so that a test can create API keys; the default node runs with security off.
#   --tls (implies --secure) serves HTTPS with a certificate signed by a local CA made with openssl;
#   `elasticsearch.sh ca-file --port N` prints that CA's path (for ELASTICSEARCH_CA_FILE).
# `start` returns at once when the node answers, and waits for a start of the same node that is under way.
source "$(dirname "$0")/lib.sh"
ES_VERSION="${ES_VERSION:-9.5.4}" # the newest 9.x Maven Central served here (9.5.5+ and 9.6 were not)
ES_USER=minato-es
ES_HEAP="${ES_HEAP:-512m}"
ES_ADMIN_PASSWORD="${ES_ADMIN_PASSWORD:-minato-admin-pw}"

action="${1:-start}"; shift || true
PORT=9200; SECURE=false; TLS=false
while (($#)); do
  case "$1" in
    --port) PORT="$2"; shift 2 ;;
    --secure) SECURE=true; shift ;;
    --tls) SECURE=true; TLS=true; shift ;;
    *) die "unknown option $1" ;;
  esac
done
# As root, Elasticsearch runs as $ES_USER, which must reach its files: keep them outside the checkout, whose
# parent folders (a home directory, say) may be closed to other users.
if [[ $(id -u) == 0 ]]; then ES_DIR="${MINATO_ES_DIR:-/var/lib/minato-es}"; else ES_DIR="$CACHE"; fi
mkdir -p "$ES_DIR"
HOME_DIR="$ES_DIR/elasticsearch-$ES_VERSION"
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

java_home() {
  # Elasticsearch 9 needs Java 21+; the zip bundles no JDK, so take the newest Temurin under /usr/lib/jvm.
  local jdk
  for jdk in $(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -t- -k2 -n -r); do
    local major; major=$(basename "$jdk" | sed -E 's/temurin-([0-9]+).*/\1/')
    if ((major >= 21)); then echo "$jdk"; return; fi
  done
  die "no Temurin JDK 21+ under /usr/lib/jvm (Elasticsearch $ES_VERSION needs Java 21 or newer)"
}

install_es() {
  [[ -x "$HOME_DIR/bin/elasticsearch" ]] && return 0
  local zip="$CACHE/downloads/elasticsearch-$ES_VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "downloading elasticsearch $ES_VERSION (integ-test-zip) from Maven Central"
    mkdir -p "$CACHE/downloads"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="org.elasticsearch.distribution.integ-test-zip:elasticsearch:$ES_VERSION:zip" \
      -DoutputDirectory="$CACHE/downloads" >"$CACHE/mvn.log" 2>&1 \
      || die "mvn could not fetch elasticsearch $ES_VERSION; see $CACHE/mvn.log"
  fi
  rm -rf "$HOME_DIR.tmp" && mkdir -p "$HOME_DIR.tmp"
  unzip -q "$zip" -d "$HOME_DIR.tmp" && mv "$HOME_DIR.tmp/elasticsearch-$ES_VERSION" "$HOME_DIR" && rm -rf "$HOME_DIR.tmp"
}

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

# Elasticsearch refuses to run as root, and CI runs as root: use a dedicated system user then.
as_es_user() {
  if [[ $(id -u) == 0 ]]; then
    id "$ES_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$ES_USER"
    chown -R "$ES_USER" "$NODE_DIR"
    runuser -u "$ES_USER" -- "$@"
  else
    "$@"
  fi
}

# locked FILE COMMAND...: runs COMMAND holding an exclusive flock on FILE, once whoever holds it is done. The lock's
# descriptor is closed for COMMAND, so that the daemon it may launch never keeps the lock held.
locked() {
  local file="$1"; shift
  (flock 9; "$@" 9>&-) 9>"$file"
}

# The homes every node runs from, shared by all ports: two starts unzipping or building into them at once would
# each find the other's half-made files.
install_homes() {
  install_es
  if $SECURE; then install_security_analysis "$1"; fi
}

# One start (or stop) of a node at a time: a second start of a node that is booting would launch it again on the same
# data directory and corrupt it. The second waits for the first, then finds the node up.
start() { locked "$ES_DIR/start-$PORT.lock" start_node; }
stop() { locked "$ES_DIR/start-$PORT.lock" stop_node; }

start_node() {
  if curl -s -o /dev/null -m 2 "${CURL_TLS[@]}" "$URL"; then log "elasticsearch already up on $PORT"; return 0; fi
  local jdk; jdk=$(java_home)
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
  as_es_user env ES_JAVA_HOME="$jdk" ES_PATH_CONF="$NODE_DIR/config" ES_JAVA_OPTS="-Xms$ES_HEAP -Xmx$ES_HEAP" \
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
  local pidfile="$NODE_DIR/es.pid"
  [[ -f "$pidfile" ]] || { log "elasticsearch on $PORT not running"; return 0; }
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS >= deadline)) && { kill -9 "$pid" 2>/dev/null || true; break; }
    sleep 0.5
  done
  rm -f "$pidfile"
  log "elasticsearch on $PORT stopped"
}

case "$action" in
  start) start ;;
  stop) stop ;;
  ca-file) echo "$CERTS/ca.pem" ;;
  *) die "usage: elasticsearch.sh start|stop|ca-file [--port N] [--secure] [--tls]" ;;
esac
