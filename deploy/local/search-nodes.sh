# Search engine nodes from Maven Central's integ-test-zip distributions, for elasticsearch.sh and opensearch.sh.
# Sourced, after lib.sh, with ENGINE (elasticsearch|opensearch) and ENGINE_VERSION set.
#
# A node at HTTP port P listens for its cluster on P+100. A cluster (`cluster` action) is three nodes on
# loopback at P, P+1 and P+2, each holding data and eligible as master (cluster manager), with small heaps.

SERVICE_USER=minato-es
# As root, the engine runs as $SERVICE_USER, which must reach its files: keep them outside the checkout.
if [[ $(id -u) == 0 ]]; then NODES_DIR="${MINATO_ES_DIR:-/var/lib/minato-es}"; else NODES_DIR="$CACHE"; fi
mkdir -p "$NODES_DIR"
ENGINE_HOME="$NODES_DIR/$ENGINE-$ENGINE_VERSION"

# The JDK a version runs on: Elasticsearch and OpenSearch 3 want 21+ (the newest Temurin); OpenSearch 2 still
# installs a SecurityManager, which Java 24 removed, so it runs on 17.
engine_java_home() {
  if [[ $ENGINE == opensearch && $ENGINE_VERSION == 2.* ]]; then
    local jdk
    for jdk in /usr/lib/jvm/java-17-openjdk-amd64 /usr/lib/jvm/temurin-17-jdk-amd64 /usr/lib/jvm/temurin-21-jdk-amd64; do
      [[ -x "$jdk/bin/java" ]] && { echo "$jdk"; return; }
    done
    die "no Java 17 or 21 under /usr/lib/jvm (OpenSearch $ENGINE_VERSION needs one below 24)"
  fi
  local jdk
  for jdk in $(ls -d /usr/lib/jvm/temurin-*-jdk* 2>/dev/null | sort -t- -k2 -n -r); do
    local major; major=$(basename "$jdk" | sed -E 's/temurin-([0-9]+).*/\1/')
    if ((major >= 21)); then echo "$jdk"; return; fi
  done
  die "no Temurin JDK 21+ under /usr/lib/jvm ($ENGINE $ENGINE_VERSION needs Java 21 or newer)"
}

install_engine() {
  [[ -x "$ENGINE_HOME/bin/$ENGINE" ]] && return 0
  local group=org.elasticsearch.distribution.integ-test-zip
  [[ $ENGINE == opensearch ]] && group=org.opensearch.distribution.integ-test-zip
  local zip="$CACHE/downloads/$ENGINE-$ENGINE_VERSION.zip"
  if [[ ! -f "$zip" ]]; then
    log "downloading $ENGINE $ENGINE_VERSION (integ-test-zip) from Maven Central"
    mkdir -p "$CACHE/downloads"
    mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
      -Dartifact="$group:$ENGINE:$ENGINE_VERSION:zip" \
      -DoutputDirectory="$CACHE/downloads" >"$CACHE/mvn-$ENGINE-$ENGINE_VERSION.log" 2>&1 \
      || die "mvn could not fetch $ENGINE $ENGINE_VERSION; see $CACHE/mvn-$ENGINE-$ENGINE_VERSION.log"
  fi
  rm -rf "$ENGINE_HOME.tmp" && mkdir -p "$ENGINE_HOME.tmp"
  unzip -q "$zip" -d "$ENGINE_HOME.tmp" && mv "$ENGINE_HOME.tmp/$ENGINE-$ENGINE_VERSION" "$ENGINE_HOME" \
    && rm -rf "$ENGINE_HOME.tmp"
}

# locked FILE COMMAND...: runs COMMAND holding an exclusive flock on FILE; the daemon it launches never keeps it.
locked() {
  local file="$1"; shift
  (flock 9; "$@" 9>&-) 9>"$file"
}

# Neither engine runs as root, and CI runs as root: use a dedicated system user then.
as_service_user() {
  local dir="$1"; shift
  if [[ $(id -u) == 0 ]]; then
    id "$SERVICE_USER" >/dev/null 2>&1 || useradd --system --no-create-home --shell /usr/sbin/nologin "$SERVICE_USER"
    chown -R "$SERVICE_USER" "$dir"
    runuser -u "$SERVICE_USER" -- "$@"
  else
    "$@"
  fi
}

# launch_node DIR PORT HEAP NAME CLUSTER SETTING...: starts one node of the cluster CLUSTER as a daemon, with its own
# config, data and logs in DIR.
launch_node() {
  local dir="$1" port="$2" heap="$3" name="$4" cluster="$5"; shift 5
  local jdk; jdk=$(engine_java_home)
  locked "$NODES_DIR/install-$ENGINE-$ENGINE_VERSION.lock" install_engine
  mkdir -p "$dir/data" "$dir/logs"
  if [[ ! -d "$dir/config" ]]; then
    cp -r "$ENGINE_HOME/config" "$dir/config"
    # jvm.options writes the GC log, error files and heap dumps relative to the home (OpenSearch starts from
    # there), which the service user cannot write: into the node's own directories instead.
    sed -i -E "s#(file=|ErrorFile=|Xloggc:)logs/#\1$dir/logs/#g; s#HeapDumpPath=data#HeapDumpPath=$dir/data#" \
      "$dir/config/jvm.options"
  fi
  [[ $(id -u) == 0 ]] && chmod o+rx "$NODES_DIR" && chmod -R o+rX "$ENGINE_HOME"
  local env_prefix=ES
  [[ $ENGINE == opensearch ]] && env_prefix=OPENSEARCH
  local engine_settings=(-Expack.security.enabled=false)
  [[ $ENGINE == opensearch ]] && engine_settings=()
  as_service_user "$dir" env "${env_prefix}_JAVA_HOME=$jdk" "${env_prefix}_PATH_CONF=$dir/config" \
    "${env_prefix}_JAVA_OPTS=-Xms$heap -Xmx$heap" \
    "$ENGINE_HOME/bin/$ENGINE" -d -p "$dir/node.pid" \
    -Ecluster.name="$cluster" -Enode.name="$name" \
    -Enetwork.host=127.0.0.1 -Ehttp.port="$port" -Etransport.port=$((port + 100)) \
    -Epath.data="$dir/data" -Epath.logs="$dir/logs" \
    -Ecluster.routing.allocation.disk.threshold_enabled=false \
    "${engine_settings[@]}" "$@" >"$dir/start.log" 2>&1 \
    || { cat "$dir/start.log" >&2; die "$ENGINE did not start on $port; see $dir/start.log and $dir/logs"; }
}

# The node at PORT answers when its cluster is at least yellow.
node_up() { curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$1/_cluster/health?wait_for_status=yellow&timeout=1s"; }

# stop_pidfile FILE: SIGTERM, then SIGKILL after 60 s.
stop_pidfile() {
  local pidfile="$1"
  [[ -f "$pidfile" ]] || return 0
  local pid; pid=$(cat "$pidfile")
  kill "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    ((SECONDS >= deadline)) && { kill -9 "$pid" 2>/dev/null || true; break; }
    sleep 0.5
  done
  rm -f "$pidfile"
}

single_dir() { echo "$NODES_DIR/$ENGINE-$ENGINE_VERSION-node-$1"; }
cluster_dir() { echo "$NODES_DIR/$ENGINE-$ENGINE_VERSION-cluster-$1"; }

single_start() {
  local port="$1" heap="$2"
  if node_up "$port" 2>/dev/null; then log "$ENGINE already up on $port"; return 0; fi
  local dir; dir=$(single_dir "$port")
  launch_node "$dir" "$port" "$heap" "minato-$port" "minato-$ENGINE-$port" -Ediscovery.type=single-node
  wait_until "$ENGINE" "$dir/logs/minato-$ENGINE-$port.log" 180 node_up "$port"
  log "$ENGINE $ENGINE_VERSION up on http://127.0.0.1:$port"
}

single_stop() {
  stop_pidfile "$(single_dir "$1")/node.pid"
  log "$ENGINE on $1 stopped"
}

# cluster_start PORT HEAP: the three nodes of the cluster at PORT, each started unless it answers already; a node
# started again (after a kill) rejoins with its data.
cluster_start() {
  local port="$1" heap="$2" i names=() seeds=()
  for i in 0 1 2; do names+=("minato-$((port + i))"); seeds+=("127.0.0.1:$((port + 100 + i))"); done
  local initial=cluster.initial_master_nodes
  [[ $ENGINE == opensearch ]] && initial=cluster.initial_cluster_manager_nodes
  local base; base=$(cluster_dir "$port")
  # Side by side: a node returns from its start only once it found the others, or after 30 s without them.
  local pids=()
  for i in 0 1 2; do
    local p=$((port + i))
    if curl -fsS -o /dev/null -m 2 "http://127.0.0.1:$p/_nodes/_local" 2>/dev/null; then continue; fi
    launch_node "$base/node-$i" "$p" "$heap" "${names[$i]}" "minato-$ENGINE-cluster-$port" \
      -Ediscovery.seed_hosts="$(IFS=,; echo "${seeds[*]}")" -E"$initial=$(IFS=,; echo "${names[*]}")" &
    pids+=($!)
  done
  local pid
  for pid in "${pids[@]}"; do wait "$pid" || die "a node of the $ENGINE cluster on $port did not start"; done
  wait_until "$ENGINE cluster" "$base/node-0/logs/minato-$ENGINE-$port.log" 240 cluster_formed "$port"
  log "$ENGINE $ENGINE_VERSION cluster of 3 up on http://127.0.0.1:$port,$((port + 1)),$((port + 2))"
}

cluster_formed() {
  curl -fsS -m 3 "http://127.0.0.1:$1/_cluster/health?wait_for_nodes=3&wait_for_status=yellow&timeout=2s" | grep -q '"number_of_nodes":3'
}

cluster_stop() {
  local i base; base=$(cluster_dir "$1")
  for i in 0 1 2; do stop_pidfile "$base/node-$i/node.pid"; done
  log "$ENGINE cluster on $1 stopped"
}

# search_nodes_main ACTION ARGS...: the actions both scripts share.
search_nodes_main() {
  local action="${1:-start}"; shift || true
  local port="$DEFAULT_PORT" heap="${NODE_HEAP:-512m}"
  while (($#)); do
    case "$1" in
      --port) port="$2"; shift 2 ;;
      *) die "unknown option $1" ;;
    esac
  done
  case "$action" in
    start) locked "$NODES_DIR/start-$port.lock" single_start "$port" "$heap" ;;
    stop) locked "$NODES_DIR/start-$port.lock" single_stop "$port" ;;
    cluster) locked "$NODES_DIR/start-$port.lock" cluster_start "$port" "${CLUSTER_HEAP:-384m}" ;;
    cluster-stop) locked "$NODES_DIR/start-$port.lock" cluster_stop "$port" ;;
    pid-file) echo "$(cluster_dir "$port")/node-${NODE_INDEX:-0}/node.pid" ;;
    *) die "usage: $(basename "$0") start|stop|cluster|cluster-stop|pid-file [--port N]" ;;
  esac
}
