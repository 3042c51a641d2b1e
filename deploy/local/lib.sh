# Shared helpers for the local service scripts. Sourced, not run.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CACHE="${MINATO_CACHE:-$ROOT/.cache}"
mkdir -p "$CACHE"

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# wait_until NAME LOGFILE SECONDS COMMAND...: polls COMMAND every half second until it succeeds;
# past the deadline it fails naming the service and the log that explains why.
wait_until() {
  local name="$1" logfile="$2" seconds="$3"; shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS >= deadline)); then
      [[ -f "$logfile" ]] && tail -n 30 "$logfile" >&2
      die "$name did not become ready within ${seconds}s; see $logfile"
    fi
    sleep 0.5
  done
}

# apt_install PKG...: installs the Debian packages that are missing, with one `apt-get update` first. Scripts run
# side by side (`make test` starts the cluster beside the integration tier, whose tests install chromium or
# pgbouncer), and two apt-gets at once fail on dpkg's lock: ours take turns on a lock of their own, look again for
# what is missing once they hold it, and wait up to 10 minutes for any other apt-get.
apt_install() {
  local missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  ((${#missing[@]} == 0)) && return 0
  [[ $(id -u) == 0 ]] || die "need root to apt-get install ${missing[*]} (or install them yourself)"
  local lock
  exec {lock}>/var/lock/minato-apt.lock
  flock "$lock"
  missing=()
  for p in "$@"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if ((${#missing[@]} > 0)); then
    log "installing ${missing[*]} from Debian"
    local wait=(-o DPkg::Lock::Timeout=600)
    { echo "== apt-get install ${missing[*]} ($(date -Is))"; apt-get "${wait[@]}" update -qq; } >>"$CACHE/apt.log" 2>&1 \
      || die "apt-get update failed; see $CACHE/apt.log"
    DEBIAN_FRONTEND=noninteractive apt-get "${wait[@]}" install -y -qq --no-install-recommends "${missing[@]}" \
      >>"$CACHE/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed; see $CACHE/apt.log"
  fi
  exec {lock}>&-
}

# make_tls_certs DIR: a self-signed CA (ca.pem) and a server certificate for 127.0.0.1/localhost signed by it
# (server.pem, server-key.pem), made once with openssl; clients trust the server through ca.pem alone.
make_tls_certs() {
  local dir="$1"
  [[ -f "$dir/ca.pem" && -f "$dir/server.pem" && -f "$dir/server-key.pem" ]] && return 0
  mkdir -p "$dir"
  local tmp; tmp=$(mktemp -d)
  openssl req -x509 -newkey rsa:2048 -nodes -days 3650 -subj "/CN=Minato local CA" \
    -keyout "$tmp/ca-key.pem" -out "$tmp/ca.pem" >/dev/null 2>&1 || die "openssl could not make the CA in $dir"
  openssl req -newkey rsa:2048 -nodes -subj "/CN=127.0.0.1" \
    -keyout "$tmp/server-key.pem" -out "$tmp/server.csr" >/dev/null 2>&1 || die "openssl could not make the key in $dir"
  printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nbasicConstraints=CA:FALSE\n' >"$tmp/ext.cnf"
  openssl x509 -req -in "$tmp/server.csr" -CA "$tmp/ca.pem" -CAkey "$tmp/ca-key.pem" -CAcreateserial -days 3650 \
    -extfile "$tmp/ext.cnf" -out "$tmp/server.pem" >/dev/null 2>&1 || die "openssl could not sign the certificate in $dir"
  cp "$tmp/ca.pem" "$tmp/server.pem" "$tmp/server-key.pem" "$dir/"
  chmod 644 "$dir"/*.pem
  rm -rf "$tmp"
}
