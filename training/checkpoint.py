"""Checkpoints of the pack's training state, in three forms:

- FULL (`save_full` / `load_full`): fp32 weights, EMA weights and optimizer state of every model.
  Lives on the GPU machine's disk between commands of one lease (`--work`); too big to bring back.
- COMPACT (`save_compact` / `load_compact`): what comes back through $OUT — fp16 weights (the EMA
  weights for the flow and the image encoder, what ships), configs and metadata (steps, loss
  history), in shards below 15 MiB (`ckpt.pt.00`, `ckpt.pt.01`, …). Optimizer state is dropped:
  a run resumed from it re-creates Adam's moments (the scripts warm the learning rate up again).
- PACK (`load_pack`): an exported pack folder (manifest.json + ONNX). The exporter keeps every
  parameter as a float16 initializer under its PyTorch name, and the manifest carries configs and
  metadata, so a committed pack is itself a compact checkpoint: later sessions resume from it and no
  second copy of the weights needs to be committed (the working tree that travels to the GPU machine
  is limited to 64 MiB).

A state is a dict: {"configs": {vae, image_encoder, flow}, "vae", "image_encoder", "flow" (state
dicts), optional "image_encoder_ema", "flow_ema", "opt_vae", "opt_flow", and "meta"}.
"""
from __future__ import annotations

import io
import json
from pathlib import Path

import torch

SHARD_BYTES = 15 * 1024 * 1024
COMPACT_PREFIX = "ckpt.pt."
FULL_NAME = "full.pt"
MODELS = ("vae", "image_encoder", "flow")


def _torch_load(f):
    # Our own files hold configs and metadata next to tensors; PyTorch ≥ 2.6 loads weights only by
    # default, and 1.13 (tests here) has the switch too.
    return torch.load(f, map_location="cpu", weights_only=False)


def _half(sd: dict) -> dict:
    return {k: (v.detach().to("cpu", torch.float16) if v.is_floating_point() and v.numel() > 64
                else v.detach().cpu().clone()) for k, v in sd.items()}


def _float(sd: dict) -> dict:
    return {k: (v.float() if v.is_floating_point() else v) for k, v in sd.items()}


def save_full(path, state: dict) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    tmp.replace(path)


def load_full(path) -> dict | None:
    path = Path(path)
    return _torch_load(path) if path.exists() else None


def compact_of(state: dict) -> dict:
    """The shipped weights in fp16 (small tensors such as latent statistics stay fp32)."""
    out = {"configs": state["configs"], "meta": state.get("meta", {})}
    for name in MODELS:
        sd = state.get(f"{name}_ema") or state[name]
        out[name] = _half(sd)
    return out


def save_compact(folder, state: dict, shard_bytes: int = SHARD_BYTES) -> list:
    """Writes the compact form as shards in `folder` (old shards removed); returns their paths."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob(COMPACT_PREFIX + "*"):
        old.unlink()
    buf = io.BytesIO()
    torch.save(compact_of(state), buf)
    data = buf.getvalue()
    paths = []
    for i in range(0, max(1, len(data)), shard_bytes):
        p = folder / f"{COMPACT_PREFIX}{i // shard_bytes:02d}"
        p.write_bytes(data[i:i + shard_bytes])
        paths.append(p)
    (folder / "ckpt.json").write_text(json.dumps({"configs": state["configs"], "meta": state.get("meta", {}),
                                                  "shards": [p.name for p in paths], "bytes": len(data)},
                                                 indent=1, default=str))
    return paths


def load_compact(folder) -> dict | None:
    shards = sorted(Path(folder).glob(COMPACT_PREFIX + "*"))
    if not shards:
        return None
    state = _torch_load(io.BytesIO(b"".join(p.read_bytes() for p in shards)))
    for name in MODELS:
        state[name] = _float(state[name])
    return state


def load_pack(folder) -> dict | None:
    """Weights and metadata back from an exported pack (see training/export.py)."""
    import onnx
    from onnx import numpy_helper

    folder = Path(folder)
    mf = folder / "manifest.json"
    if not mf.exists():
        return None
    manifest = json.loads(mf.read_text())
    training = manifest.get("provenance", {}).get("training", {})
    configs = training.get("configs")
    if configs is None:
        raise ValueError(f"{mf} has no provenance.training.configs: not a pack this recipe exported")
    from training.export import history_from_csv

    state = {"configs": configs, "meta": dict(training.get("meta", {}))}
    state["meta"]["history"] = {k: history_from_csv(v) for k, v in state["meta"].get("history", {}).items()}
    sources = {"vae": ("ss_encoder", "ss_decoder"), "image_encoder": ("image_encoder",), "flow": ("ss_flow",)}
    for name, graphs in sources.items():
        sd = {}
        for g in graphs:
            entry = manifest["graphs"].get(g)
            if entry is None:
                raise ValueError(f"{mf} lists no {g} graph")
            model = onnx.load(str(folder / entry["file"]))
            found = {}
            for init in model.graph.initializer:
                if not init.name.startswith("onnx::"):
                    found[init.name] = torch.from_numpy(numpy_helper.to_array(init).copy()).float()
            sd.update(found)
            # Parameters the exporter merged into an identical one (training/export.py record_aliases).
            props = {p.key: p.value for p in model.metadata_props}
            for key, source in json.loads(props.get("flowsmith.aliases", "{}")).items():
                sd[key] = found[source].clone()
        state[name] = sd
    return state


def load_any(path) -> dict | None:
    """A full checkpoint file, a compact folder or a pack folder, whichever `path` is."""
    path = Path(path)
    if path.is_file():
        return load_full(path)
    if (path / FULL_NAME).exists():
        return load_full(path / FULL_NAME)
    if any(path.glob(COMPACT_PREFIX + "*")):
        return load_compact(path)
    if (path / "manifest.json").exists():
        return load_pack(path)
    return None


def load_into(module: torch.nn.Module, sd: dict, what: str) -> None:
    """Strict load, except non-persistent buffers (fixed embeddings) that a pack may also carry."""
    own = module.state_dict()
    missing = [k for k in own if k not in sd]
    if missing:
        raise KeyError(f"{what}: checkpoint lacks {missing[:5]}{' …' if len(missing) > 5 else ''}")
    module.load_state_dict({k: sd[k].to(own[k].dtype).reshape(own[k].shape) for k in own})
