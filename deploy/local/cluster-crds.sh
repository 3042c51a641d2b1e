#!/usr/bin/env bash
# Installs into the local cluster (cluster.sh) the CustomResourceDefinitions that the chart's optional features
# render: KEDA's (ScaledObject, TriggerAuthentication and the rest of KEDA's kinds), prometheus-operator's
# ServiceMonitor and PrometheusRule.
# They come from the projects' Go modules (the module proxy is reachable where release downloads are not).
# Only the definitions: no KEDA or prometheus-operator runs, so the objects are validated and stored, not acted on.
# Usage: cluster-crds.sh   (idempotent)
source "$(dirname "$0")/lib.sh"
KEDA_VERSION=v2.21.0
PROMETHEUS_OPERATOR_VERSION=v0.85.0
export KUBECONFIG="$CACHE/kube/config" PATH="$CACHE/kube/bin:$PATH"

module_dir() { # module_dir MODULE@VERSION: where `go mod download` unpacked it
  GOFLAGS=-mod=mod go mod download -json "$1" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p'
}

keda="$(module_dir "github.com/kedacore/keda/v2@$KEDA_VERSION")/config/crd/bases"
operator="$(module_dir "github.com/prometheus-operator/prometheus-operator@$PROMETHEUS_OPERATOR_VERSION")/example/prometheus-operator-crd"
[[ -d "$keda" && -d "$operator" ]] || die "go mod download gave no CRD directories ($keda, $operator)"
# All of KEDA's (its operator watches every kind it defines), two of prometheus-operator's.
crds=(
  "$keda"/*.yaml
  "$operator/monitoring.coreos.com_servicemonitors.yaml" "$operator/monitoring.coreos.com_prometheusrules.yaml"
)
for f in "${crds[@]}"; do
  kubectl apply --server-side --force-conflicts -f "$f" >/dev/null || die "kubectl apply -f $f failed"
done
kubectl wait --for condition=Established --timeout 60s \
  crd/scaledobjects.keda.sh crd/triggerauthentications.keda.sh \
  crd/servicemonitors.monitoring.coreos.com crd/prometheusrules.monitoring.coreos.com >/dev/null \
  || die "the CRDs did not become Established"
printf '[cluster] CRDs of KEDA %s and prometheus-operator %s installed\n' "$KEDA_VERSION" "$PROMETHEUS_OPERATOR_VERSION" >&2
