#!/bin/bash
# One device command's worth of training (≤ 10 minutes), then export + parity on the GPU machine, and
# what must come back copied into $OUT (≤ 8 files, each < 16 MiB).
#
#   VAE_MIN=3.5 FLOW_MIN=4 bash training/scripts/device_session.sh             # from scratch
#   VAE_MIN=0 FLOW_MIN=8 INIT=public/models/default bash training/scripts/device_session.sh   # resume
#
#   NO_EXPORT=1 ...                    skip the export (a middle command of a lease; see README)
#   VERIFY=public/models/default ...   also checks that committed pack's files on the GPU machine
# VAE_MIN=0 skips the VAE. DECODER_ONLY=1 trains only the VAE decoder (allowed once the flow exists).
# Comes back: ckpt.pt.NN (the compact checkpoint, fp16, shards < 15 MiB) and extras.tar.gz (logs, loss
# CSVs and PNGs, sample grids, reports, export parity). The ONNX files are re-exported from the
# checkpoint where they are needed (ss_flow.onnx exceeds $OUT's 16 MiB per file).
set -o pipefail
export PYTHONUNBUFFERED=1
OUT=${OUT:-/tmp/flowsmith-out}
W=/tmp/flowsmith-work
mkdir -p "$OUT" "$W/logs" "$W/ckpt"
nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv,noheader | tee "$W/logs/gpu.txt"
python3 -c "import torch, onnx, onnxruntime; print('torch', torch.__version__, 'onnx', onnx.__version__, 'ort', onnxruntime.__version__)" | tee -a "$W/logs/gpu.txt"
# Copies what must come back after every stage, so a command cut off at its limit still returns it.
bring_back() {
  rm -f "$OUT"/ckpt.pt.*
  cp "$W"/ckpt/ckpt.pt.* "$OUT"/ 2>/dev/null
  tar czf "$OUT/extras.tar.gz" -C "$W" logs $(cd "$W" && ls ckpt/*.csv ckpt/*.png ckpt/*.json 2>/dev/null)
}
# VERIFY=<pack folder>: first check that pack's own ONNX files against PyTorch on the GPU.
if [ -n "$VERIFY" ]; then
  python3 -m training.export --verify "$VERIFY" --device cuda 2>&1 | grep -v Warning | tee "$W/logs/verify.log"
fi
INIT_ARG=()
[ -n "$INIT" ] && INIT_ARG=(--init "$INIT")
if [ "${VAE_MIN:-0}" != "0" ]; then
  DEC=()
  [ -n "$DECODER_ONLY" ] && DEC=(--decoder-only)
  python3 -m training.scripts.train_vae --minutes "$VAE_MIN" --work "$W/full" --out "$W/ckpt" "${INIT_ARG[@]}" "${DEC[@]}" $VAE_ARGS 2>&1 | tee "$W/logs/vae.log"
  bring_back
fi
if [ "${FLOW_MIN:-0}" != "0" ]; then
  python3 -m training.scripts.train_flow --minutes "$FLOW_MIN" --work "$W/full" --out "$W/ckpt" "${INIT_ARG[@]}" $FLOW_ARGS 2>&1 | tee "$W/logs/flow.log"
  bring_back
fi
# NO_EXPORT=1: a middle command of a lease (the next one resumes from $W/full on the same machine).
[ -n "$NO_EXPORT" ] && { ls -la "$OUT"; exit 0; }
python3 -m training.export --ckpt "$W/ckpt" -o "$W/pack" --parity 2>&1 | grep -v Warning | tee "$W/logs/export.log"
ls -la "$W/pack" | tee -a "$W/logs/export.log"
bring_back
ls -la "$OUT"
