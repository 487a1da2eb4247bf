#!/usr/bin/env bash
# Issue 7 on the GPU machine: the built studio's edit bench in Chromium with WebGPU, beside the native
# PyTorch reference, in one device session. Runs after (and with) chromium-on-device.sh's staging:
#
#   here:  npm run build
#          node bench/gpu/browser-edit.mjs --query 'ort=wasm&steps=2&reps=1&allowSoftware=1' \
#            --export-inputs .chromium/inputs          (smoke run; writes the bench's exact inputs)
#          bash bench/gpu/browser-edit-on-device.sh dist  (.chromium/dist.tar.xz, ~7 MB)
#   then five device calls back to back (the machine goes back after 30 s idle):
#     carry [.chromium/manifest.txt, .chromium/part-00, .chromium/inputs]
#       bash bench/gpu/chromium-on-device.sh stash; bash bench/gpu/browser-edit-on-device.sh native
#     carry [.chromium/manifest.txt, .chromium/part-01]   bash bench/gpu/chromium-on-device.sh stash
#     carry [.chromium/manifest.txt, .chromium/part-02]   bash bench/gpu/chromium-on-device.sh stash
#     carry [.chromium/manifest.txt, .chromium/part-03, .chromium/dist.tar.xz]
#       bash bench/gpu/browser-edit-on-device.sh bench
#   then here: node bench/gpu/browser-edit-report.mjs --browser … --native … (ratio, JSON, table)
#
# `native` runs bench.gpu.native_edit (fp32 and bf16) on the same grid and views as the page and keeps
# its JSON in /opt/stage for `bench` to return again. `bench` unpacks Chromium (chromium-on-device.sh
# up, probing only the flag set that works), the dist (without models/ and source maps: /models/ is
# served from the tracked public/models), samples nvidia-smi's memory.used every 100 ms while the
# page runs, and writes browser-edit-<device>.json; FSC_WASM=1 adds a wasm run of FlowEdit.
set -uo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
out=${OUT:-$root/bench/out}
stage=${FSC_STAGE:-/opt/stage}
fsc=/opt/fsc
device=${FSC_DEVICE_NAME:-h100}
mode=${1:-bench}
shift || true
cd "$root" || exit 3

case "$mode" in
dist)
  [ -f dist/bench/gpu/edit-bench.html ] || { echo "no dist/bench/gpu/edit-bench.html: npm run build" >&2; exit 3; }
  mkdir -p .chromium
  tar -C dist --exclude=./models --exclude='*.map' -cf - . | xz -9e -T0 >.chromium/dist.tar.xz
  ls -l .chromium/dist.tar.xz
  ;;
native)
  mkdir -p "$out" "$stage"
  inputs=.chromium/inputs
  args=(--device cuda --device-name "$device" --dtypes fp32,bf16 --repeats 5 --out "$out/native-edit-$device.json")
  if [ -f "$inputs/grid.npy" ]; then
    args+=(--grid "$inputs/grid.npy" --view "$(cat "$inputs/view.txt")")
    # native_edit.py reads PNGs with PIL; without it both views are rendered from the grid instead.
    if python3 -c 'import PIL' 2>/dev/null; then
      args+=(--src-view "$inputs/src.png" --tgt-view "$inputs/tgt.png")
    else
      echo "python3 has no PIL: the views are rendered from the grid (training/render.py)"
    fi
  else
    echo "no $inputs/grid.npy: native_edit uses its own held-out shape"
  fi
  nvidia-smi --query-gpu=name,driver_version,memory.used --format=csv,noheader
  PYTHONUNBUFFERED=1 python3 -m bench.gpu.native_edit "${args[@]}" 2>&1 | tee "$out/native-edit.log"
  rc=${PIPESTATUS[0]}
  cp "$out/native-edit-$device.json" "$stage/" 2>/dev/null
  exit "$rc"
  ;;
bench)
  mkdir -p "$out" "$stage"
  [ -f .chromium/dist.tar.xz ] && mv .chromium/dist.tar.xz "$stage/"
  [ -f "$stage/dist.tar.xz" ] || { echo "no dist.tar.xz: carry .chromium/dist.tar.xz" >&2; exit 3; }
  if [ ! -x "$fsc/chromium/chromium-headless-shell" ]; then
    bash bench/gpu/chromium-on-device.sh up -- --variants vulkan --device-name "$device" ||
      echo "chromium-on-device.sh up: exit $? (the bench checks the adapter itself)"
  fi
  [ -f "$fsc/env.sh" ] || { echo "Chromium is not up (no $fsc/env.sh)" >&2; exit 3; }
  # shellcheck disable=SC1091
  . "$fsc/env.sh"
  rm -rf /tmp/fsdist && mkdir -p /tmp/fsdist
  xz -dc "$stage/dist.tar.xz" | tar xf - -C /tmp/fsdist || exit 3
  drive() {
    timeout "$1" "$fsc/node" bench/gpu/browser-edit.mjs --chromium "$FLOWSMITH_CHROMIUM" \
      --playwright "$fsc/node_modules/playwright-core" --dist /tmp/fsdist --models public/models \
      --flags vulkan "${@:2}"
  }
  nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader,nounits -lms 100 >"$out/gpu-mem.csv" &
  smi=$!
  drive 420 --gpu-mem-log "$out/gpu-mem.csv" --out "$out/browser-edit-$device.json" --timeout-s 380 \
    --stall-s 120 --query "${FSC_QUERY:-verbose=1}" "$@" 2>&1 |
    tee "$out/browser-edit.log"
  rc=${PIPESTATUS[0]}
  kill "$smi" 2>/dev/null
  if [ -n "${FSC_WASM:-}" ]; then
    drive 150 --query 'ort=wasm&methods=flowedit&reps=1&mergeRes=64&verbose=1' --timeout-s 130 --stall-s 60 \
      --out "$out/browser-edit-wasm-$device.json" 2>&1 | tee -a "$out/browser-edit.log"
  fi
  cp "$stage"/native-edit-*.json "$out/" 2>/dev/null
  exit "$rc"
  ;;
*)
  echo "usage: $0 dist|native|bench [driver args]" >&2
  exit 2
  ;;
esac
