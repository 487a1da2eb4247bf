#!/usr/bin/env bash
# The GPU machine's side of stage-chromium.sh: gathers the carried parts of the Chromium bundle across
# device calls, then unpacks it and starts Chromium with WebGPU on the NVIDIA Vulkan driver.
#
#   bash bench/gpu/chromium-on-device.sh stash    every call that carries a part (.chromium/part-NN and
#                                                 .chromium/manifest.txt): moves it to /opt/stage, out of
#                                                 the repo copy, which the next call's tree replaces
#   bash bench/gpu/chromium-on-device.sh up [-- probe args]
#                                                 after the last part: checks, unpacks to /opt/fsc, records
#                                                 which libraries the image lacks, runs browser-probe.mjs
#
# /opt/stage lives only while the machine stays warm (30 s after a call), so the calls must follow
# each other at once; `stash` prints which parts are there, so a lost machine shows at the next call.
# After `up`, a bench page runs the same way as the probe: source env.sh, then
# $FSC/node your-driver.mjs with executablePath $FSC/chromium/chromium-headless-shell.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
stage=${FSC_STAGE:-/opt/stage}
fsc=/opt/fsc
out=${OUT:-$root/bench/out}
mkdir -p "$stage" "$out"
cmd=${1:-stash}
shift || true
[ "${1:-}" = "--" ] && shift

[ -f "$root/.chromium/manifest.txt" ] && cp "$root/.chromium/manifest.txt" "$stage/"
for p in "$root"/.chromium/part-*; do [ -f "$p" ] && mv "$p" "$stage/"; done
if [ ! -f "$stage/manifest.txt" ]; then
  echo "no manifest in $stage: carry .chromium/manifest.txt with a part" >&2
  exit 3
fi
missing=0
while read -r kind name sum; do
  [ "$kind" = part ] || continue
  if [ ! -f "$stage/$name" ]; then
    echo "part $name: not here yet"
    missing=1
  elif [ "$(sha256sum <"$stage/$name" | cut -d' ' -f1)" = "$sum" ]; then
    echo "part $name: ok"
  else
    echo "part $name: CORRUPT"
    missing=1
  fi
done <"$stage/manifest.txt"
[ "$cmd" = stash ] && exit 0
if [ "$missing" = 1 ]; then
  echo "parts missing: the machine may have been given back between calls; stage again from part-00" >&2
  exit 3
fi

if [ ! -x "$fsc/chromium/chromium-headless-shell" ]; then
  want=$(awk '$1 == "bundle" {print $2}' "$stage/manifest.txt")
  cat "$stage"/part-* >"$stage/bundle.tar.xz"
  got=$(sha256sum <"$stage/bundle.tar.xz" | cut -d' ' -f1)
  [ "$got" = "$want" ] || { echo "bundle checksum mismatch" >&2; exit 3; }
  xz -dc "$stage/bundle.tar.xz" | tar xf - -C /opt || exit 3
fi
cat "$fsc/VERSIONS"
# Unpacked into / as the device README's recipe does for these packages: Vulkan loader + glvnd.
# FSC_KEEP_ROOT=1 skips it where the system has its own (a local trial of this script).
if [ -z "${FSC_KEEP_ROOT:-}" ]; then
  for deb in "$fsc"/debs/*.deb; do dpkg -x "$deb" /; done
  ldconfig
fi

{
  echo "== image"
  grep PRETTY_NAME /etc/os-release
  ldd --version | head -1
  nvidia-smi --query-gpu=name,driver_version --format=csv,noheader
  ls /usr/local/nvidia/share/vulkan/icd.d/ 2>&1
  echo "== libraries the image lacks (ldd of the shell without the bundle's lib/)"
  LD_LIBRARY_PATH=$fsc/chromium ldd "$fsc/chromium/chromium-headless-shell" | grep 'not found' | awk '{print $1}'
  echo "== still missing with the bundle's lib/"
  LD_LIBRARY_PATH=$fsc/lib:$fsc/chromium ldd "$fsc/chromium/chromium-headless-shell" | grep 'not found' || echo none
} 2>&1 | tee "$out/chromium-device.txt"

cat >"$fsc/env.sh" <<EOF
export LD_LIBRARY_PATH=$fsc/lib\${LD_LIBRARY_PATH:+:\$LD_LIBRARY_PATH}
export VK_DRIVER_FILES=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
export __EGL_VENDOR_LIBRARY_FILENAMES=/usr/local/nvidia/share/glvnd/egl_vendor.d/10_nvidia.json
export FONTCONFIG_FILE=$fsc/fonts/fonts.conf
export FLOWSMITH_CHROMIUM=$fsc/chromium/chromium-headless-shell
export PATH=$fsc:\$PATH
EOF
# shellcheck disable=SC1091
. "$fsc/env.sh"
cd "$root"
timeout 400 "$fsc/node" bench/gpu/browser-probe.mjs --chromium "$fsc/chromium/chromium-headless-shell" \
  --playwright "$fsc/node_modules/playwright-core" --out "$out/browser-probe.json" "$@"
