#!/usr/bin/env bash
# Builds the five images of the Dockerfile, tagged as the chart's default values name them
# (minato/<worker>-worker:<appVersion>, minato/cli:<appVersion> and minato/console:<appVersion>), and loads them into the local cluster's node
# when it runs. Installs and starts a Docker engine when none answers.
# Usage: images.sh [build|engine|load]   (default: build, then load)
source "$(dirname "$0")/lib.sh"
CHART="$ROOT/helm/minato-workers/Chart.yaml"
TAG="${IMAGE_TAG:-$(sed -n "s/^appVersion: *['\"]\{0,1\}\([^'\"]*\)['\"]\{0,1\}$/\1/p" "$CHART")}"
NODE_IMAGE="$(sed -n 's/^ARG NODE_IMAGE=//p' "$ROOT/Dockerfile")"
# Dockerfile target -> repository, as in helm/minato-workers/values.yaml.
declare -A REPOSITORY=([ingest]=minato/ingest-worker [enrichment]=minato/enrichment-worker [sync]=minato/sync-worker
  [cli]=minato/cli [console]=minato/console)
TARGETS=(ingest enrichment sync cli console)
# CAs the host trusts beyond Debian's bundle (a corporate or egress proxy's), trusted by npm inside the build too.
EXTRA_CA_DIR="${EXTRA_CA_DIR:-/usr/local/share/ca-certificates}"
DOCKER_DIR="$CACHE/docker"

images_log() { printf '[images] %s\n' "$*" >&2; }

engine() {
  command -v dockerd >/dev/null || apt_install docker.io
  docker info >/dev/null 2>&1 && return 0
  mkdir -p "$DOCKER_DIR"
  images_log "no Docker engine answers: starting dockerd (log: $DOCKER_DIR/dockerd.log)"
  setsid dockerd --pidfile "$DOCKER_DIR/dockerd.pid" >"$DOCKER_DIR/dockerd.log" 2>&1 </dev/null &
  wait_until dockerd "$DOCKER_DIR/dockerd.log" 60 docker info
}

base_image() {
  docker image inspect "$NODE_IMAGE" >/dev/null 2>&1 && return 0
  if timeout 60 docker pull -q "$NODE_IMAGE" >"$DOCKER_DIR/pull.log" 2>&1; then return 0; fi
  images_log "cannot pull $NODE_IMAGE ($(tail -n 1 "$DOCKER_DIR/pull.log")): synthesizing it locally"
  "$ROOT/deploy/local/node-image.sh" "$NODE_IMAGE"
}

extra_ca() {
  local f
  shopt -s nullglob
  for f in "$EXTRA_CA_DIR"/*.crt; do cat "$f"; echo; done
}

build() {
  engine
  base_image
  local ca t started
  ca="$(extra_ca)"
  for t in "${TARGETS[@]}"; do
    started=$SECONDS
    # The classic builder: BuildKit's frontend resolution needs a registry the machines cannot reach.
    DOCKER_BUILDKIT=0 docker build --quiet --target "$t" --build-arg "EXTRA_CA_CERTS=$ca" \
      -t "${REPOSITORY[$t]}:$TAG" "$ROOT" >"$DOCKER_DIR/build-$t.log" 2>&1 \
      || { tail -n 40 "$DOCKER_DIR/build-$t.log" >&2; die "docker build --target $t failed; see $DOCKER_DIR/build-$t.log"; }
    images_log "built ${REPOSITORY[$t]}:$TAG in $((SECONDS - started))s"
  done
}

image_refs() { for t in "${TARGETS[@]}"; do printf '%s:%s\n' "${REPOSITORY[$t]}" "$TAG"; done; }

# Loads the images into the local cluster's containerd when that runs (deploy/local/cluster.sh), skipping those
# it already holds in the same build (a stamp of image IDs beside containerd's content).
load() {
  local ctr_cmd stamp="$CACHE/kube/loaded-images" ref id pending=() present
  ctr_cmd="$("$ROOT/deploy/local/cluster.sh" ctr-command 2>/dev/null)" || { images_log "no local cluster runs: images not loaded"; return 0; }
  present="$($ctr_cmd -n k8s.io images ls -q)"
  touch "$stamp"
  for ref in $(image_refs); do
    id="$(docker image inspect -f '{{.Id}}' "$ref")"
    grep -qxF "docker.io/$ref" <<<"$present" && grep -qxF "$ref $id" "$stamp" || pending+=("$ref")
  done
  ((${#pending[@]})) || { images_log "the local cluster already holds these images"; return 0; }
  docker save "${pending[@]}" | $ctr_cmd -n k8s.io images import - >"$DOCKER_DIR/load.log" 2>&1 \
    || { cat "$DOCKER_DIR/load.log" >&2; die "loading the images into the cluster's containerd failed"; }
  for ref in "${pending[@]}"; do
    id="$(docker image inspect -f '{{.Id}}' "$ref")"
    grep -v "^$ref " "$stamp" >"$stamp.new" || true
    echo "$ref $id" >>"$stamp.new" && mv "$stamp.new" "$stamp"
  done
  images_log "loaded ${pending[*]} into the local cluster"
}

mkdir -p "$DOCKER_DIR"
case "${1:-all}" in
  all) build && load ;;
  build) build ;;
  engine) engine ;;
  load) load ;;
  *) die "usage: images.sh [build|engine|load]" ;;
esac
