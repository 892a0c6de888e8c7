#!/usr/bin/env bash
# Builds the image without a Docker engine or a container registry, with buildah (vfs storage, chroot isolation),
# on stand-ins for debian:bookworm-slim (debootstrap minbase, trimmed the same way) and node:20-bookworm-slim (that
# plus this machine's Node 20 binary).
# On-demand only (several minutes: debootstrap, and vfs copies the whole tree for every layer), not a CI step.
#
#   sudo scripts/docker/build-local.sh            # -> image localhost/trading-daemon:local, size printed at the end
#   WORK_DIR=/var/tmp/x KEEP_BASE=1 scripts/docker/build-local.sh
#
# The runtime stage is taken verbatim from ./Dockerfile. Only the two stages that need the npm registry from
# inside the build (npm ci) are replaced by copies of what this script prepares on the host: the compiled dist/
# and a production node_modules pruned the same way. apt inside the build still needs Debian's mirror.
# Needs: root, buildah, debootstrap (apt-get install buildah debootstrap), node 20 and the repo's node_modules.
set -euo pipefail

repo="$(cd "$(dirname "$0")/../.." && pwd)"
work="${WORK_DIR:-/var/tmp/trading-daemon-image}"
storage=(--storage-driver vfs)
base_tag="localhost/node20-bookworm-slim-standin:latest"
runtime_base_tag="localhost/debian-bookworm-slim-standin:latest"
image_tag="${IMAGE_TAG:-localhost/trading-daemon:local}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

say() { printf '\n== %s\n' "$*" >&2; }
for tool in buildah debootstrap node npm tar; do
  command -v "$tool" >/dev/null || { echo "missing: $tool" >&2; exit 1; }
done
node_bin="$(readlink -f "$(command -v node)")"
case "$(node --version)" in v20.*) ;; *) echo "the stand-in base needs Node 20 on this machine" >&2; exit 1 ;; esac
mkdir -p "$work"

# Debian's slim images drop docs, man pages and translations, and keep no apt caches; the stand-in does the same,
# so sizes measured here are close to what the registry's images give.
slim_rootfs() {
  local rootfs="$1"
  mkdir -p "$rootfs/etc/dpkg/dpkg.cfg.d" "$rootfs/etc/apt/apt.conf.d"
  printf '%s\n' 'path-exclude /usr/share/doc/*' 'path-include /usr/share/doc/*/copyright' 'path-exclude /usr/share/man/*' \
    'path-exclude /usr/share/groff/*' 'path-exclude /usr/share/info/*' 'path-exclude /usr/share/lintian/*' \
    'path-exclude /usr/share/locale/*' >"$rootfs/etc/dpkg/dpkg.cfg.d/slim"
  printf '%s\n' 'Dir::Cache::pkgcache "";' 'Dir::Cache::srcpkgcache "";' >"$rootfs/etc/apt/apt.conf.d/slim"
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/cache/apt/archives/*.deb \
    "$rootfs"/usr/share/man/* "$rootfs"/usr/share/info/* "$rootfs"/usr/share/locale/*
  find "$rootfs/usr/share/doc" -mindepth 1 ! -name copyright ! -type d -delete 2>/dev/null || true
}

build_standin_bases() {
  local rootfs="$work/rootfs"
  say "stand-in bases: debootstrap minbase bookworm into $rootfs"
  rm -rf "$rootfs"
  debootstrap --variant=minbase bookworm "$rootfs" "$mirror" >"$work/debootstrap.log"
  slim_rootfs "$rootfs"
  tar -C "$rootfs" -cf "$work/rootfs.tar" .
  install -m 0755 "$node_bin" "$work/node"
  printf 'FROM scratch\nADD rootfs.tar /\nENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin\nCMD ["bash"]\n' \
    >"$work/Containerfile.runtime-base"
  printf 'FROM %s\nCOPY node /usr/local/bin/node\nRUN node --version\nCMD ["node"]\n' "$runtime_base_tag" >"$work/Containerfile.node-base"
  buildah "${storage[@]}" bud --isolation chroot --pull=never -t "$runtime_base_tag" -f "$work/Containerfile.runtime-base" "$work" >&2
  buildah "${storage[@]}" bud --isolation chroot --pull=never -t "$base_tag" -f "$work/Containerfile.node-base" "$work" >&2
  rm -rf "$rootfs" "$work/rootfs.tar" "$work/node"
}

if [[ "${KEEP_BASE:-0}" == 1 ]] && buildah "${storage[@]}" inspect --type image "$base_tag" >/dev/null 2>&1 \
  && buildah "${storage[@]}" inspect --type image "$runtime_base_tag" >/dev/null 2>&1; then
  say "stand-in bases: reusing $runtime_base_tag and $base_tag"
else
  build_standin_bases
fi

context="$work/context"
say "build context: $context"
rm -rf "$context"
mkdir -p "$context/stage" "$context/scripts"
cp "$repo/package.json" "$repo/package-lock.json" "$context/"
cp -r "$repo/migrations" "$repo/history" "$context/"
cp -r "$repo/scripts/docker" "$context/scripts/docker"

say "compile TypeScript into the context"
(cd "$repo" && npx tsc -p tsconfig.build.json --outDir "$context/stage/dist")

say "production node_modules from this machine's install"
mkdir -p "$context/stage/deps"
cp "$repo/package.json" "$repo/package-lock.json" "$context/stage/deps/"
# Copy the contents, never a symlink: npm prune below must not reach into the working tree's own node_modules.
mkdir "$context/stage/deps/node_modules"
cp -a "$(cd "$repo/node_modules" && pwd -P)/." "$context/stage/deps/node_modules/"
(cd "$context/stage/deps" && npm prune --omit=dev --ignore-scripts --no-audit --no-fund >&2)
sh "$repo/scripts/docker/prune-node-modules.sh" "$context/stage/deps/node_modules"

# The local stages stand where ./Dockerfile's build and deps stages stand; everything from the runtime stage on is
# copied unchanged, so the image differs from a registry build only in how its inputs were produced.
# shellcheck disable=SC2016 # the ${...} are for buildah, not for this shell
{
  echo 'ARG BASE_IMAGE'
  echo 'ARG RUNTIME_BASE_IMAGE'
  echo 'FROM ${BASE_IMAGE} AS build'
  echo 'COPY stage/dist /build/dist'
  echo 'FROM ${BASE_IMAGE} AS deps'
  echo 'COPY stage/deps/node_modules /build/node_modules'
  sed -n '/^FROM [^ ]* AS runtime$/,$p' "$repo/Dockerfile"
} >"$context/Dockerfile.local"
grep -q 'AS runtime' "$context/Dockerfile.local" || { echo "no runtime stage found in Dockerfile" >&2; exit 1; }

say "buildah bud -> $image_tag"
started=$SECONDS
buildah "${storage[@]}" bud --isolation chroot --pull=never --format docker \
  --build-arg "BASE_IMAGE=$base_tag" --build-arg "RUNTIME_BASE_IMAGE=$runtime_base_tag" -t "$image_tag" -f "$context/Dockerfile.local" "$context" >&2
say "built in $((SECONDS - started)) s"

say "smoke check inside the image"
container="$(buildah "${storage[@]}" from --pull=never "$image_tag")"
trap 'buildah "${storage[@]}" rm "$container" >/dev/null 2>&1 || true' EXIT
# shellcheck disable=SC2016 # runs inside the image
buildah "${storage[@]}" run --isolation chroot "$container" -- sh -c \
  'set -e; test "$(id -un)" = trader; tini --version; node --version; test -f dist/cli/start.js; test -d migrations; test -d history; ! command -v npm' >&2
buildah "${storage[@]}" images --format '{{.Name}}:{{.Tag}} {{.Size}}' "$image_tag"
