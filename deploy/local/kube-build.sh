#!/usr/bin/env bash
# Builds the Kubernetes and etcd binaries of the local cluster from their Go modules, into .cache/kube/bin.
# Usage: kube-build.sh [keda]   (idempotent: a binary already built for the pinned version is kept)
#
# No container registry or release download is reachable from the development machines, only the Go module
# proxy, so the binaries come from source. v1.34 is the last minor that runs on cgroup v1 by default and with
# containerd 1.x (what Debian bookworm ships); 1.35 refuses both.
source "$(dirname "$0")/lib.sh"
KUBE_VERSION=v1.34.4
ETCD_VERSION=v3.6.16
KUBE_DIR="$CACHE/kube"
BIN="$KUBE_DIR/bin"
SRC="$KUBE_DIR/src"
STAMP="$BIN/.versions"
mkdir -p "$BIN" "$SRC"

kube_log() { printf '[cluster] %s\n' "$*" >&2; }

# KEDA (operator and metrics adapter), on request only: `kube-build.sh keda`. Its module has one replace
# directive, which a wrapper module repeats; its dependency graph is large (every cloud SDK a scaler uses).
KEDA_VERSION=v2.21.0
build_keda() {
  [[ -x "$BIN/keda-operator" && -x "$BIN/keda-adapter" && "$(cat "$BIN/.keda-version" 2>/dev/null)" == "$KEDA_VERSION" ]] && return 0
  local dir="$SRC/keda" started=$SECONDS
  mkdir -p "$dir"
  cat >"$dir/go.mod" <<MOD
module minato.local/keda-build

go 1.26

require github.com/kedacore/keda/v2 $KEDA_VERSION

replace github.com/nexus-rpc/nexus-proto-annotations v0.1.0 => github.com/nexus-rpc/nexus-proto-annotations v0.1.1-0.20260629224316-835bd8d49cb4
MOD
  kube_log "building KEDA $KEDA_VERSION (operator and metrics adapter) from the Go module proxy"
  local c
  for c in operator adapter; do
    (cd "$dir" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags '-s -w' -o "$BIN/keda-$c" "github.com/kedacore/keda/v2/cmd/$c") \
      >>"$KUBE_DIR/keda-build.log" 2>&1 || { tail -n 30 "$KUBE_DIR/keda-build.log" >&2; die "KEDA build failed; see $KUBE_DIR/keda-build.log"; }
  done
  echo "$KEDA_VERSION" >"$BIN/.keda-version"
  kube_log "built KEDA $KEDA_VERSION in $((SECONDS - started))s"
}
if [[ "${1:-}" == keda ]]; then
  build_keda
  exit 0
fi

if [[ -f "$STAMP" && "$(cat "$STAMP")" == "$KUBE_VERSION $ETCD_VERSION" ]]; then
  kube_log "kubernetes $KUBE_VERSION and etcd $ETCD_VERSION already built in $BIN"
  exit 0
fi
command -v go >/dev/null || die "go is needed to build kubernetes; install Go 1.24 or later"

# k8s.io/kubernetes requires its 31 staging modules at v0.0.0 and replaces them by ./staging/..., which the
# module proxy does not serve. A wrapper module replaces each by its tagged release (v1.34.4 -> v0.34.4).
STAGING=(api apiextensions-apiserver apimachinery apiserver cli-runtime client-go cloud-provider cluster-bootstrap
  code-generator component-base component-helpers controller-manager cri-api cri-client csi-translation-lib
  dynamic-resource-allocation endpointslice externaljwt kms kube-aggregator kube-controller-manager kube-proxy
  kube-scheduler kubectl kubelet metrics mount-utils pod-security-admission sample-apiserver sample-cli-plugin
  sample-controller)

kube_module() {
  local dir="$SRC/kubernetes" staging_version="v0${KUBE_VERSION#v1}"
  mkdir -p "$dir"
  {
    echo "module minato.local/kube-build"
    echo
    echo "go 1.24"
    echo
    echo "require k8s.io/kubernetes $KUBE_VERSION"
    echo
    echo "replace ("
    for m in "${STAGING[@]}"; do echo "	k8s.io/$m => k8s.io/$m $staging_version"; done
    echo ")"
  } >"$dir/go.mod"
}

etcd_module() {
  local dir="$SRC/etcd"
  mkdir -p "$dir"
  printf 'module minato.local/etcd-build\n\ngo 1.24\n\nrequire go.etcd.io/etcd/server/v3 %s\n' "$ETCD_VERSION" >"$dir/go.mod"
}

# Without the version set at link time the server reports v0.0.0, and charts with a kubeVersion constraint refuse it.
kube_ldflags() {
  local minor="${KUBE_VERSION#v1.}" p
  minor="${minor%%.*}"
  for p in k8s.io/component-base/version k8s.io/client-go/pkg/version; do
    printf -- '-X %s.gitVersion=%s -X %s.gitMajor=1 -X %s.gitMinor=%s -X %s.gitTreeState=clean -X %s.buildDate=%s ' \
      "$p" "$KUBE_VERSION" "$p" "$p" "$minor" "$p" "$p" "1970-01-01T00:00:00Z"
  done
  printf -- '-s -w'
}

build() {
  local started=$SECONDS
  kube_module
  etcd_module
  kube_log "building kubernetes $KUBE_VERSION from the Go module proxy (cold: 8 to 20 minutes depending on the CPU, and 4 GB of Go caches)"
  (cd "$SRC/kubernetes" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags "$(kube_ldflags)" -o "$BIN/" \
    k8s.io/kubernetes/cmd/kube-apiserver k8s.io/kubernetes/cmd/kube-controller-manager \
    k8s.io/kubernetes/cmd/kube-scheduler k8s.io/kubernetes/cmd/kubelet k8s.io/kubernetes/cmd/kubectl) \
    >"$KUBE_DIR/build.log" 2>&1 || { tail -n 30 "$KUBE_DIR/build.log" >&2; die "kubernetes build failed; see $KUBE_DIR/build.log"; }
  kube_log "building etcd $ETCD_VERSION"
  (cd "$SRC/etcd" && CGO_ENABLED=0 go build -mod=mod -trimpath -ldflags '-s -w' -o "$BIN/etcd" go.etcd.io/etcd/server/v3) \
    >>"$KUBE_DIR/build.log" 2>&1 || { tail -n 30 "$KUBE_DIR/build.log" >&2; die "etcd build failed; see $KUBE_DIR/build.log"; }
  echo "$KUBE_VERSION $ETCD_VERSION" >"$STAMP"
  kube_log "built kubernetes $KUBE_VERSION and etcd $ETCD_VERSION in $((SECONDS - started))s"
}

build
