#!/usr/bin/env bash
# A one-node Kubernetes for the chart's deploy test and for trying the chart by hand: etcd, kube-apiserver,
# controller-manager, scheduler and a kubelet on a private containerd with the CNI bridge plugin, all from
# .cache/kube (binaries built by kube-build.sh). No kube-proxy and no cluster DNS: the workers reach the host's
# Redis, PostgreSQL and Elasticsearch through the bridge's address (see host_network below), and nothing calls
# a Service.
# Usage: cluster.sh start|keda|stop|status|ctr-command
#   start        idempotent; kubeconfig in .cache/kube/config, chart values in .cache/kube/values-local.yaml
#   keda         builds and starts KEDA (operator and metrics adapter) on the running cluster
#   stop         stops every process, removes the mounts, network namespaces, iptables chains, bridge and cgroups
#   ctr-command  prints the ctr command line that reaches the node's containerd (fails when it is not running)
source "$(dirname "$0")/lib.sh"
KUBE="$CACHE/kube"
BIN="$KUBE/bin"
PKI="$KUBE/pki"
LOGS="$KUBE/log"
RUN_DIR=/run/minato-kube # containerd's state and socket; a runtime directory, emptied by stop
CONTAINERD_ROOT="$KUBE/containerd" # images stay here across restarts
CONTAINERD_SOCK="$RUN_DIR/containerd.sock"
NODE_NAME=minato-node
BRIDGE=minato0
POD_CIDR=10.244.0.0/24
BRIDGE_IP=10.244.0.1
SERVICE_CIDR=10.96.0.0/16
API_PORT=16443
ETCD_PORT=12379
CGROUP_ROOT=/minato # every pod cgroup lives under it, in each hierarchy
NAT_CHAIN=MINATO-HOST-SERVICES
SNAT_CHAIN=MINATO-HOST-SERVICES-SNAT
PAUSE_IMAGE=registry.k8s.io/pause:3.10
# The host's services that pods reach at $BRIDGE_IP: Redis, PostgreSQL, Elasticsearch, the TMDB fake.
HOST_PORTS="${CLUSTER_HOST_PORTS:-6379,5432,9200,8787}"
TMDB_FAKE_PORT=8787
export PATH="$BIN:$PATH" KUBECONFIG="$KUBE/config"

klog() { printf '[cluster] %s\n' "$*" >&2; }

pid_alive() { [[ -f "$KUBE/run/$1.pid" ]] && kill -0 "$(cat "$KUBE/run/$1.pid")" 2>/dev/null; }

# daemon NAME COMMAND...: starts COMMAND in its own session, logging to $LOGS/NAME.log, unless it already runs.
daemon() {
  local name="$1"; shift
  pid_alive "$name" && return 0
  setsid "$@" >"$LOGS/$name.log" 2>&1 </dev/null &
  echo $! >"$KUBE/run/$name.pid"
}

# ---------------------------------------------------------------------------------------------------- pki
# cert NAME CN [O] [SAN]: a key and a certificate signed by the cluster CA.
cert() {
  local name="$1" cn="$2" org="${3:-}" san="${4:-}" subj="/CN=$2"
  [[ -f "$PKI/$name.crt" ]] && return 0
  [[ -n "$org" ]] && subj="/O=$org/CN=$cn"
  openssl req -new -newkey rsa:2048 -nodes -keyout "$PKI/$name.key" -subj "$subj" -out "$PKI/$name.csr" 2>/dev/null
  local ext="$PKI/$name.ext"
  printf 'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n' >"$ext"
  if [[ -n "$san" ]]; then
    printf 'extendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' "$san" >>"$ext"
  else
    printf 'extendedKeyUsage=clientAuth\n' >>"$ext"
  fi
  openssl x509 -req -in "$PKI/$name.csr" -CA "$PKI/ca.crt" -CAkey "$PKI/ca.key" -CAcreateserial -days 3650 \
    -extfile "$ext" -out "$PKI/$name.crt" 2>/dev/null
  rm -f "$PKI/$name.csr" "$ext"
}

kubeconfig() { # kubeconfig FILE CERT-NAME
  local file="$1" name="$2"
  cat >"$file" <<YAML
apiVersion: v1
kind: Config
clusters:
  - name: minato-local
    cluster:
      server: https://127.0.0.1:$API_PORT
      certificate-authority-data: $(base64 -w0 "$PKI/ca.crt")
users:
  - name: $name
    user:
      client-certificate-data: $(base64 -w0 "$PKI/$name.crt")
      client-key-data: $(base64 -w0 "$PKI/$name.key")
contexts:
  - name: minato-local
    context: { cluster: minato-local, user: $name }
current-context: minato-local
YAML
  chmod 600 "$file"
}

pki() {
  mkdir -p "$PKI"
  if [[ ! -f "$PKI/ca.crt" ]]; then
    openssl req -x509 -new -newkey rsa:2048 -nodes -keyout "$PKI/ca.key" -subj /CN=minato-local-ca -days 3650 \
      -out "$PKI/ca.crt" 2>/dev/null
  fi
  [[ -f "$PKI/sa.key" ]] || { openssl genrsa -out "$PKI/sa.key" 2048 2>/dev/null && openssl rsa -in "$PKI/sa.key" -pubout -out "$PKI/sa.pub" 2>/dev/null; }
  cert apiserver kube-apiserver "" \
    "IP:127.0.0.1,IP:$BRIDGE_IP,IP:10.96.0.1,DNS:localhost,DNS:kubernetes,DNS:kubernetes.default,DNS:kubernetes.default.svc"
  cert apiserver-kubelet-client kube-apiserver-kubelet-client system:masters
  cert admin minato-admin system:masters
  cert controller-manager system:kube-controller-manager
  cert scheduler system:kube-scheduler
  cert kubelet "system:node:$NODE_NAME" system:nodes
  # The aggregation layer's client identity toward extension API servers (KEDA's metrics adapter, keda.sh).
  cert front-proxy-client front-proxy-client
  # KEDA's operator and adapter authenticate each other over gRPC (mutual TLS) with this pair.
  cert keda keda-operator "" "IP:127.0.0.1,DNS:localhost,DNS:keda-operator.keda.svc.cluster.local"
  kubeconfig "$KUBE/config" admin
  for c in controller-manager scheduler kubelet; do kubeconfig "$PKI/$c.kubeconfig" "$c"; done
}

# ----------------------------------------------------------------------------------------------- network
# Pods reach the host's services at the bridge's address: DNAT to the loopback address the services already
# listen on (route_localnet lets the bridge route to 127.0.0.0/8). No service is rebound or restarted, and only
# the listed ports of the host are exposed, only to the pod range.
host_network() {
  if ! ip link show "$BRIDGE" >/dev/null 2>&1; then
    ip link add "$BRIDGE" type bridge
    ip addr add "$BRIDGE_IP/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  sysctl -qw net.ipv4.ip_forward=1 "net.ipv4.conf.$BRIDGE.route_localnet=1"
  iptables -t nat -N "$NAT_CHAIN" 2>/dev/null || iptables -t nat -F "$NAT_CHAIN"
  iptables -t nat -A "$NAT_CHAIN" -s "$POD_CIDR" -d "$BRIDGE_IP" -p tcp -m multiport --dports "$HOST_PORTS" \
    -j DNAT --to-destination 127.0.0.1
  iptables -t nat -C PREROUTING -i "$BRIDGE" -j "$NAT_CHAIN" 2>/dev/null || iptables -t nat -A PREROUTING -i "$BRIDGE" -j "$NAT_CHAIN"
  # ...and from the loopback address, so that PostgreSQL's pg_hba (127.0.0.1/32) admits them unchanged.
  iptables -t nat -N "$SNAT_CHAIN" 2>/dev/null || iptables -t nat -F "$SNAT_CHAIN"
  iptables -t nat -A "$SNAT_CHAIN" -s "$POD_CIDR" -d 127.0.0.1 -p tcp -m multiport --dports "$HOST_PORTS" \
    -j SNAT --to-source 127.0.0.1
  iptables -t nat -C INPUT -j "$SNAT_CHAIN" 2>/dev/null || iptables -t nat -A INPUT -j "$SNAT_CHAIN"
  # Docker sets the FORWARD policy to DROP; pods of the one node talk over the bridge.
  iptables -C FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || iptables -I FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT
  mkdir -p "$KUBE/cni/net.d" "$KUBE/cni/ipam"
  cat >"$KUBE/cni/net.d/10-minato.conflist" <<JSON
{
  "cniVersion": "1.0.0",
  "name": "minato",
  "plugins": [
    {
      "type": "bridge", "bridge": "$BRIDGE", "isGateway": true, "ipMasq": false, "hairpinMode": true,
      "ipam": { "type": "host-local", "dataDir": "$KUBE/cni/ipam", "ranges": [[{ "subnet": "$POD_CIDR", "gateway": "$BRIDGE_IP" }]],
                "routes": [{ "dst": "0.0.0.0/0" }] }
    },
    { "type": "portmap", "capabilities": { "portMappings": true } },
    { "type": "loopback" }
  ]
}
JSON
}

# ---------------------------------------------------------------------------------------------- containerd
containerd_start() {
  mkdir -p "$RUN_DIR" "$CONTAINERD_ROOT"
  cat >"$KUBE/containerd.toml" <<TOML
version = 2
root = "$CONTAINERD_ROOT"
state = "$RUN_DIR/state"
disabled_plugins = ["io.containerd.snapshotter.v1.aufs", "io.containerd.snapshotter.v1.btrfs", "io.containerd.snapshotter.v1.zfs", "io.containerd.snapshotter.v1.devmapper"]
[grpc]
  address = "$CONTAINERD_SOCK"
[ttrpc]
  address = "$RUN_DIR/containerd.sock.ttrpc"
[debug]
  address = "$RUN_DIR/debug.sock"
[plugins."io.containerd.grpc.v1.cri"]
  sandbox_image = "$PAUSE_IMAGE"
  # The machine lacks CAP_SYS_RESOURCE: runc may not lower a process's oom_score_adj below its parent's.
  restrict_oom_score_adj = true
  [plugins."io.containerd.grpc.v1.cri".cni]
    bin_dir = "/usr/lib/cni"
    conf_dir = "$KUBE/cni/net.d"
  [plugins."io.containerd.grpc.v1.cri".containerd]
    default_runtime_name = "runc"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc]
    runtime_type = "io.containerd.runc.v2"
  [plugins."io.containerd.grpc.v1.cri".containerd.runtimes.runc.options]
    SystemdCgroup = false
TOML
  daemon containerd containerd --config "$KUBE/containerd.toml"
  wait_until containerd "$LOGS/containerd.log" 30 ctr --address "$CONTAINERD_SOCK" version
}

ctr_node() { ctr --address "$CONTAINERD_SOCK" -n k8s.io "$@"; }

# The pod sandbox image: a static binary built here, since registry.k8s.io is unreachable.
pause_image() {
  ctr_node images ls -q | grep -qx "$PAUSE_IMAGE" && return 0
  local dir="$KUBE/pause"
  mkdir -p "$dir"
  (cd "$ROOT/deploy/kube/pause" && CGO_ENABLED=0 go build -trimpath -ldflags '-s -w' -o "$dir/pause" .) \
    || die "building the pause binary failed"
  "$ROOT/deploy/local/images.sh" engine
  printf 'FROM scratch\nCOPY pause /pause\nUSER 65535:65535\nENTRYPOINT ["/pause"]\n' >"$dir/Dockerfile"
  DOCKER_BUILDKIT=0 docker build -q -t "$PAUSE_IMAGE" "$dir" >"$LOGS/pause-build.log" 2>&1 || die "building $PAUSE_IMAGE failed; see $LOGS/pause-build.log"
  docker save "$PAUSE_IMAGE" | ctr_node images import - >/dev/null || die "importing $PAUSE_IMAGE failed"
}

# ---------------------------------------------------------------------------------------------- control plane
control_plane() {
  mkdir -p "$KUBE/etcd"
  daemon etcd etcd --name minato --data-dir "$KUBE/etcd" --unsafe-no-fsync \
    --listen-client-urls "http://127.0.0.1:$ETCD_PORT" --advertise-client-urls "http://127.0.0.1:$ETCD_PORT" \
    --listen-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" --initial-advertise-peer-urls "http://127.0.0.1:$((ETCD_PORT + 1))" \
    --initial-cluster "minato=http://127.0.0.1:$((ETCD_PORT + 1))" --listen-metrics-urls ''
  daemon kube-apiserver kube-apiserver --etcd-servers "http://127.0.0.1:$ETCD_PORT" \
    --bind-address 127.0.0.1 --secure-port "$API_PORT" --advertise-address "$BRIDGE_IP" --endpoint-reconciler-type none \
    --authorization-mode Node,RBAC --enable-admission-plugins NodeRestriction --kubelet-preferred-address-types InternalIP \
    --service-cluster-ip-range "$SERVICE_CIDR" --client-ca-file "$PKI/ca.crt" \
    --tls-cert-file "$PKI/apiserver.crt" --tls-private-key-file "$PKI/apiserver.key" \
    --kubelet-client-certificate "$PKI/apiserver-kubelet-client.crt" --kubelet-client-key "$PKI/apiserver-kubelet-client.key" \
    --service-account-issuer https://kubernetes.default.svc --service-account-key-file "$PKI/sa.pub" \
    --service-account-signing-key-file "$PKI/sa.key" \
    --requestheader-client-ca-file "$PKI/ca.crt" --requestheader-allowed-names front-proxy-client \
    --requestheader-username-headers X-Remote-User --requestheader-group-headers X-Remote-Group \
    --requestheader-extra-headers-prefix X-Remote-Extra- --proxy-client-cert-file "$PKI/front-proxy-client.crt" \
    --proxy-client-key-file "$PKI/front-proxy-client.key" --enable-aggregator-routing
  wait_until kube-apiserver "$LOGS/kube-apiserver.log" 60 kubectl get --raw /readyz
  daemon kube-controller-manager kube-controller-manager --kubeconfig "$PKI/controller-manager.kubeconfig" \
    --authentication-kubeconfig "$PKI/controller-manager.kubeconfig" --authorization-kubeconfig "$PKI/controller-manager.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false --use-service-account-credentials \
    --service-account-private-key-file "$PKI/sa.key" --root-ca-file "$PKI/ca.crt" \
    --cluster-cidr "$POD_CIDR" --service-cluster-ip-range "$SERVICE_CIDR" --horizontal-pod-autoscaler-sync-period 5s
  daemon kube-scheduler kube-scheduler --kubeconfig "$PKI/scheduler.kubeconfig" \
    --authentication-kubeconfig "$PKI/scheduler.kubeconfig" --authorization-kubeconfig "$PKI/scheduler.kubeconfig" \
    --bind-address 127.0.0.1 --secure-port 0 --leader-elect=false
}

kubelet_start() {
  mkdir -p "$KUBE/kubelet"
  cat >"$KUBE/kubelet.yaml" <<YAML
apiVersion: kubelet.config.k8s.io/v1beta1
kind: KubeletConfiguration
containerRuntimeEndpoint: unix://$CONTAINERD_SOCK
cgroupDriver: cgroupfs
cgroupRoot: $CGROUP_ROOT
failSwapOn: false
address: $BRIDGE_IP
port: 10250
readOnlyPort: 0
healthzPort: 0
authentication:
  anonymous: { enabled: false }
  webhook: { enabled: true }
  x509: { clientCAFile: $PKI/ca.crt }
authorization: { mode: Webhook }
# The machine lacks CAP_SYS_RESOURCE, so the kubelet keeps its own OOM score.
oomScoreAdj: 0
# The images come from \`make images\`, not a registry: never garbage-collect them.
imageGCHighThresholdPercent: 100
imageGCLowThresholdPercent: 99
evictionHard: { memory.available: 100Mi, nodefs.available: 2%, imagefs.available: 2% }
makeIPTablesUtilChains: false
serializeImagePulls: false
YAML
  # The kubelet wants its cgroup root to exist in every hierarchy (cgroup v1).
  local h
  for h in /sys/fs/cgroup/*/; do
    [[ -L "${h%/}" ]] || mkdir -p "$h${CGROUP_ROOT#/}"
  done
  daemon kubelet kubelet --config "$KUBE/kubelet.yaml" --kubeconfig "$PKI/kubelet.kubeconfig" \
    --hostname-override "$NODE_NAME" --node-ip "$BRIDGE_IP" --root-dir "$KUBE/kubelet" --cert-dir "$KUBE/kubelet/pki"
  local deadline=$((SECONDS + 90))
  until kubectl get node "$NODE_NAME" -o jsonpath='{.status.conditions[?(@.type=="Ready")].status}' 2>/dev/null | grep -qx True; do
    if ! pid_alive kubelet || ((SECONDS >= deadline)); then
      tail -n 20 "$LOGS/kubelet.log" >&2
      die "node $NODE_NAME not Ready within 90s; see $LOGS/kubelet.log"
    fi
    sleep 1
  done
}

values_local() {
  cat >"$KUBE/values-local.yaml" <<YAML
# Written by deploy/local/cluster.sh: the chart against the host's services, as pods of the local cluster see them.
config:
  redis: { host: '$BRIDGE_IP', port: 6379 }
  elasticsearch: { node: 'http://$BRIDGE_IP:9200' }
  tmdb: { baseUrl: 'http://$BRIDGE_IP:$TMDB_FAKE_PORT/3' }
secrets:
  databaseUrl: 'postgres://minato:minato@$BRIDGE_IP:5432/minato'
  tmdbApiKey: minato-dev-key
image:
  pullPolicy: Never
YAML
}

# One cluster per machine: the bridge, the runtime directory and the ports are fixed.
refuse_foreign_cluster() {
  if ! pid_alive containerd && ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
    die "another checkout's local cluster runs ($CONTAINERD_SOCK answers); stop it there with make cluster-stop"
  fi
  if ! pid_alive kube-apiserver && (exec 3<>"/dev/tcp/127.0.0.1/$API_PORT") 2>/dev/null; then
    die "port $API_PORT is taken, by another checkout's local cluster or something else; stop it first"
  fi
}

start() {
  [[ $(id -u) == 0 ]] || die "the local cluster needs root (containerd, CNI, iptables)"
  refuse_foreign_cluster
  local started=$SECONDS
  "$ROOT/deploy/local/kube-build.sh"
  apt_install containerd runc containernetworking-plugins iptables openssl
  mkdir -p "$LOGS" "$KUBE/run"
  pki
  host_network
  containerd_start
  pause_image
  control_plane
  kubelet_start
  values_local
  klog "cluster up in $((SECONDS - started))s: KUBECONFIG=$KUBE/config, values $KUBE/values-local.yaml"
}

# ---------------------------------------------------------------------------------------------- KEDA
# KEDA's operator and its external-metrics adapter as host processes (as the control plane runs), the adapter
# registered with the aggregation layer through a Service whose only endpoint is the bridge address.
KEDA_ADAPTER_PORT=6444
keda_start() {
  pid_alive kube-apiserver || die "the local cluster is not running; start it with make cluster"
  "$ROOT/deploy/local/kube-build.sh" keda
  "$ROOT/deploy/local/cluster-crds.sh"
  local certs="$KUBE/keda-certs"
  mkdir -p "$certs"
  cp "$PKI/ca.crt" "$certs/ca.crt" && cp "$PKI/keda.crt" "$certs/tls.crt" && cp "$PKI/keda.key" "$certs/tls.key"
  kubectl apply -f - >/dev/null <<YAML || die "registering KEDA's metrics API failed"
apiVersion: v1
kind: Namespace
metadata: { name: keda }
---
apiVersion: v1
kind: Service
metadata: { name: keda-metrics-apiserver, namespace: keda }
spec: { ports: [{ name: https, port: 443, targetPort: $KEDA_ADAPTER_PORT, protocol: TCP }] }
---
apiVersion: v1
kind: Endpoints
metadata: { name: keda-metrics-apiserver, namespace: keda }
subsets: [{ addresses: [{ ip: $BRIDGE_IP }], ports: [{ name: https, port: $KEDA_ADAPTER_PORT, protocol: TCP }] }]
---
apiVersion: apiregistration.k8s.io/v1
kind: APIService
metadata: { name: v1beta1.external.metrics.k8s.io }
spec:
  service: { name: keda-metrics-apiserver, namespace: keda, port: 443 }
  group: external.metrics.k8s.io
  version: v1beta1
  insecureSkipTLSVerify: true
  groupPriorityMinimum: 100
  versionPriority: 100
YAML
  local env=(env POD_NAMESPACE=keda KEDA_CLUSTER_OBJECT_NAMESPACE=keda WATCH_NAMESPACE=)
  daemon keda-operator "${env[@]}" keda-operator --leader-elect=false --metrics-bind-address 127.0.0.1:18080 \
    --health-probe-bind-address 127.0.0.1:18081 --metrics-service-bind-address 127.0.0.1:9666 --cert-dir "$certs" \
    --enable-cert-rotation=false --enable-webhook-patching=false --enable-apiservice-patching=false --ca-dir "$certs"
  daemon keda-adapter "${env[@]}" keda-adapter --secure-port "$KEDA_ADAPTER_PORT" --bind-address "$BRIDGE_IP" \
    --cert-dir "$certs" --tls-cert-file "$certs/tls.crt" --tls-private-key-file "$certs/tls.key" \
    --authentication-kubeconfig "$KUBE/config" --authorization-kubeconfig "$KUBE/config" --lister-kubeconfig "$KUBE/config" \
    --metrics-service-address 127.0.0.1:9666 --port 18082
  wait_until keda-adapter "$LOGS/keda-adapter.log" 90 kubectl get --raw /apis/external.metrics.k8s.io/v1beta1
  klog "KEDA runs: ScaledObjects of any namespace scale their Deployments"
}

# ---------------------------------------------------------------------------------------------- stop
stop_daemon() {
  local name="$1" pid
  [[ -f "$KUBE/run/$name.pid" ]] || return 0
  pid="$(cat "$KUBE/run/$name.pid")"
  if kill "$pid" 2>/dev/null; then
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
  fi
  rm -f "$KUBE/run/$name.pid"
}

stop() {
  stop_daemon kubelet
  stop_daemon keda-adapter
  stop_daemon keda-operator
  if ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1; then
    local c
    for c in $(ctr_node tasks ls -q 2>/dev/null); do ctr_node tasks kill -s SIGKILL "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_node tasks ls -q 2>/dev/null); do ctr_node tasks delete -f "$c" >/dev/null 2>&1 || true; done
    for c in $(ctr_node containers ls -q 2>/dev/null); do ctr_node containers rm "$c" >/dev/null 2>&1 || true; done
  fi
  for d in kube-scheduler kube-controller-manager kube-apiserver etcd containerd; do stop_daemon "$d"; done
  # Shims outlive containerd; those of this node name its socket.
  local p
  for p in /proc/[0-9]*; do
    tr '\0' ' ' <"$p/cmdline" 2>/dev/null | grep -q -- "-address $CONTAINERD_SOCK " && kill -9 "${p#/proc/}" 2>/dev/null
  done
  local m
  for m in $(awk -v a="$RUN_DIR" -v b="$CONTAINERD_ROOT" -v c="$KUBE/kubelet" \
    'index($2,a)==1 || index($2,b)==1 || index($2,c)==1 {print $2}' /proc/mounts | sort -r); do
    umount -l "$m" 2>/dev/null || true
  done
  for m in /run/netns/cni-*; do [[ -e "$m" ]] && { umount "$m" 2>/dev/null; rm -f "$m"; }; done
  iptables -t nat -D PREROUTING -i "$BRIDGE" -j "$NAT_CHAIN" 2>/dev/null || true
  iptables -t nat -F "$NAT_CHAIN" 2>/dev/null && iptables -t nat -X "$NAT_CHAIN" 2>/dev/null || true
  iptables -t nat -D INPUT -j "$SNAT_CHAIN" 2>/dev/null || true
  iptables -t nat -F "$SNAT_CHAIN" 2>/dev/null && iptables -t nat -X "$SNAT_CHAIN" 2>/dev/null || true
  iptables -D FORWARD -i "$BRIDGE" -o "$BRIDGE" -j ACCEPT 2>/dev/null || true
  # The kubelet's canary chains (it makes no others with makeIPTablesUtilChains off).
  local t
  for t in mangle nat filter; do
    for c in $(iptables -t "$t" -S 2>/dev/null | awk '$1=="-N" && $2 ~ /^KUBE-/ {print $2}'); do
      iptables -t "$t" -F "$c" && iptables -t "$t" -X "$c" 2>/dev/null || true
    done
  done
  ip link del "$BRIDGE" 2>/dev/null || true
  for m in /sys/fs/cgroup/*"$CGROUP_ROOT"; do
    [[ -d "$m" ]] && find "$m" -depth -type d -exec rmdir {} + 2>/dev/null
  done
  rm -rf "$RUN_DIR" "$KUBE/etcd" "$KUBE/kubelet" "$KUBE/cni/ipam"
  klog "cluster stopped"
}

status() {
  local d ok=0
  for d in etcd kube-apiserver kube-controller-manager kube-scheduler containerd kubelet; do
    if pid_alive "$d"; then echo "$d: running"; else echo "$d: stopped"; ok=1; fi
  done
  return "$ok"
}

case "${1:-start}" in
  start) start ;;
  keda) keda_start ;;
  stop) stop ;;
  status) status ;;
  ctr-command)
    ctr --address "$CONTAINERD_SOCK" version >/dev/null 2>&1 || exit 1
    echo "ctr --address $CONTAINERD_SOCK"
    ;;
  *) die "usage: cluster.sh start|keda|stop|status|ctr-command" ;;
esac
