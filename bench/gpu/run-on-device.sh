#!/usr/bin/env bash
# Runs the GPU merge bench on the GPU machine (through the device tool), from what stage.sh put in
# .dawn/carry. Results go to $OUT/merge-gpu.json (and stdout).
#   bash bench/gpu/run-on-device.sh DEVICE_NAME [bench args…]
set -euo pipefail
name=${1:?device name, e.g. h100}
shift
root=$(cd "$(dirname "$0")/../.." && pwd)
carry=$root/.dawn/carry
out=${OUT:-$root/bench/out}
work=/tmp/flowsmith-dawn
mkdir -p "$work/bin" "$out"
xz -dc "$carry"/node-*-linux-x64.xz >"$work/bin/node"
chmod +x "$work/bin/node"
tar xJf "$carry"/webgpu-*-linux-x64.tar.xz -C "$work"
# The image has no Vulkan loader nor glvnd; the NVIDIA driver's ICD is mounted but not on the
# default path. These packages unpack into / safely (the device README's recipe).
for deb in "$carry"/*.deb; do dpkg -x "$deb" /; done
ldconfig
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ]; then export VK_DRIVER_FILES=$icd; fi
echo "VK_DRIVER_FILES=${VK_DRIVER_FILES:-unset}"
nvidia-smi --query-gpu=name,driver_version,clocks.sm,clocks.mem,temperature.gpu --format=csv || true
cd "$root"
"$work/bin/node" "$carry/merge-gpu.mjs" --webgpu "$work/webgpu" --device-name "$name" \
  --out "$out/merge-gpu.json" "$@"
