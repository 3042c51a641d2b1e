#!/usr/bin/env bash
# Installs the tools the build and tests need, when missing: pnpm (pinned), node modules, helm, prometheus/promtool.
# Usage: tools.sh [node|helm|prometheus]...   (no argument: all of them)
source "$(dirname "$0")/lib.sh"
PNPM_VERSION=10.34.8 # keep in step with package.json's packageManager
HELM_VERSION=v3.22.0
BIN="$CACHE/bin"
mkdir -p "$BIN"

node_tools() {
  if [[ "$(pnpm --version 2>/dev/null)" != "$PNPM_VERSION" ]]; then
    log "installing pnpm $PNPM_VERSION"
    npm install -g "pnpm@$PNPM_VERSION" >"$CACHE/npm.log" 2>&1 || die "npm could not install pnpm; see $CACHE/npm.log"
  fi
  # Skip the install when the lockfile has not changed since the last one.
  local stamp="$ROOT/node_modules/.minato-lock-stamp"
  if [[ ! -f "$stamp" ]] || ! cmp -s "$ROOT/pnpm-lock.yaml" "$stamp"; then
    (cd "$ROOT" && pnpm install --frozen-lockfile --reporter=silent) || die "pnpm install failed"
    cp "$ROOT/pnpm-lock.yaml" "$stamp"
  fi
}

helm_tool() {
  [[ -x "$BIN/helm" ]] && return 0
  log "building helm $HELM_VERSION with go install"
  GOBIN="$BIN" go install "helm.sh/helm/v3/cmd/helm@$HELM_VERSION" >"$CACHE/helm-install.log" 2>&1 \
    || die "go install helm failed; see $CACHE/helm-install.log"
}

prometheus_tool() { apt_install prometheus; }

targets=("$@")
((${#targets[@]})) || targets=(node helm prometheus)
for t in "${targets[@]}"; do
  case "$t" in
    node) node_tools ;;
    helm) helm_tool ;;
    prometheus) prometheus_tool ;;
    *) die "unknown tool $t" ;;
  esac
done
