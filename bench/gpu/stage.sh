#!/usr/bin/env bash
# Stages what the GPU machine lacks into .dawn/carry (ignored by git; name it in the device tool's
# `carry`): Node (this machine's x86-64 binary, xz), the `webgpu` npm package cut down to its
# linux-x64 dawn.node (it is no dependency of the project: fetched with `npm pack`, never installed),
# Debian's Vulkan loader with glvnd (NVIDIA's Vulkan ICD is libGLX_nvidia, which needs
# libGLdispatch; without it the loader reports "Found no drivers"), and the bench bundle. About 30 MB, under the 64 MiB a call may carry.
#   bash bench/gpu/stage.sh [WEBGPU_VERSION]
set -euo pipefail
version=${1:-0.6.2}
root=$(cd "$(dirname "$0")/../.." && pwd)
carry=$root/.dawn/carry
mkdir -p "$root/.git/info" "$carry"
grep -qx '/.dawn/' "$root/.git/info/exclude" 2>/dev/null || echo '/.dawn/' >>"$root/.git/info/exclude"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

node_version=$(node --version)
if [ ! -f "$carry/node-$node_version-linux-x64.xz" ]; then
  rm -f "$carry"/node-*.xz
  xz -T2 -6 -c "$(command -v node)" >"$carry/node-$node_version-linux-x64.xz"
fi

if [ ! -f "$carry/webgpu-$version-linux-x64.tar.xz" ]; then
  rm -f "$carry"/webgpu-*.tar.xz
  (cd "$tmp" && npm pack --silent "webgpu@$version" >/dev/null)
  tar xzf "$tmp/webgpu-$version.tgz" -C "$tmp" package/index.js package/package.json package/LICENSE.md \
    package/dist/linux-x64/dawn.node
  mv "$tmp/package" "$tmp/webgpu"
  tar cf - -C "$tmp" webgpu | xz -T2 -6 >"$carry/webgpu-$version-linux-x64.tar.xz"
  # An unpacked copy for local runs (Chromium's SwiftShader ICD stands in for a GPU).
  rm -rf "$root/.dawn/webgpu" && cp -r "$tmp/webgpu" "$root/.dawn/webgpu"
fi

if ! ls "$carry"/libglvnd0_*.deb >/dev/null 2>&1; then
  o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/amd64'
  mkdir -p /tmp/amd64/partial
  # shellcheck disable=SC2086
  apt-get $o update >/dev/null
  # shellcheck disable=SC2086
  (cd "$carry" && apt-get $o download libvulkan1 libglvnd0 libglx0 libegl1 libgl1 libopengl0 libgles2 2>/dev/null)
fi

(cd "$root" && npx tsx bench/gpu/build.ts "$carry")
du -sh "$carry"
