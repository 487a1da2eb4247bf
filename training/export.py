"""Export the pack: four ONNX graphs + manifest.json (DESIGN §5, src/model/manifest.ts).

    python3 -m training.export --ckpt <compact folder | pack folder | full.pt> -o public/models/default
        [--name default] [--parity]      # --parity runs onnxruntime (Python) against PyTorch
    python3 -m training.export --verify public/models/default [--device cuda]   # check a pack's own files

Graphs (opset 17, dynamic batch, every other dim static, fp32 inputs and compute):
  ss_encoder     occupancy (B, 1, 64, 64, 64) → z (B, 8, 16, 16, 16)          normalized posterior mean
  ss_decoder     z (B, 8, 16, 16, 16) → logits (B, 1, 64, 64, 64)             logits > 0 = occupied
  image_encoder  image (B, 3, 128, 128), view (B, 8) one-hot → cond (B, 64, 256)
  ss_flow        x_t (B, 8, 16, 16, 16), t (B), cond (B, 64, 256) → v (B, 8, 16, 16, 16)
Grids are [z][y][x] (the .npy order of DESIGN §3), images sRGB/255 NCHW with row 0 at the top.

Weights are stored as float16 initializers, each cast to float32 once by a Cast node at the top of the
graph: half the bytes, fp32 arithmetic. Initializers keep their PyTorch state-dict names (the export
disables constant folding, which would otherwise fold weight transposes into anonymous tensors), so a
pack is also a checkpoint (`training.checkpoint.load_pack`). The reference for parity is the PyTorch
model with the same fp16-rounded weights, in fp32.
"""
from __future__ import annotations

import argparse
import hashlib
import inspect
import json
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import onnx
import torch
from onnx import TensorProto, helper, numpy_helper
from torch import nn

from training.checkpoint import load_any, load_into
from training.models import build, parameter_count

OPSET = 17
PREFIX = "m."  # wrappers hold the model as `m`; stripped from initializer names after export
ALIASES_KEY = "flowsmith.aliases"
USES_NOT = {"ss_encoder": ("decoder.",), "ss_decoder": ("encoder.",)}
HALF_MIN_ELEMENTS = 65  # smaller tensors (latent statistics, a few biases) stay fp32: nothing to gain


class EncoderGraph(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.m = vae

    def forward(self, occupancy):
        return self.m.encode(occupancy)


class DecoderGraph(nn.Module):
    def __init__(self, vae):
        super().__init__()
        self.m = vae

    def forward(self, z):
        return self.m.decode(z)


class ImageGraph(nn.Module):
    def __init__(self, enc):
        super().__init__()
        self.m = enc

    def forward(self, image, view):
        return self.m(image, view)


class FlowGraph(nn.Module):
    def __init__(self, flow):
        super().__init__()
        self.m = flow

    def forward(self, x_t, t, cond):
        return self.m(x_t, t, cond)


def graph_specs(vae, enc, flow) -> dict:
    """name → (wrapper, {input: shape without batch}, {output: shape without batch})."""
    R = vae.cfg.resolution
    lat = list(vae.latent_shape)
    fc, ec = flow.cfg, enc.cfg
    assert lat == [fc.latent_channels, fc.latent_res, fc.latent_res, fc.latent_res], "VAE and flow latents differ"
    assert (ec.tokens, ec.dim) == (fc.cond_tokens, fc.cond_dim), "image encoder and flow condition shapes differ"
    return {
        "ss_encoder": (EncoderGraph(vae), {"occupancy": [1, R, R, R]}, {"z": lat}),
        "ss_decoder": (DecoderGraph(vae), {"z": lat}, {"logits": [1, R, R, R]}),
        "image_encoder": (ImageGraph(enc), {"image": [3, ec.image_size, ec.image_size], "view": [ec.views]},
                          {"cond": [ec.tokens, ec.dim]}),
        "ss_flow": (FlowGraph(flow), {"x_t": lat, "t": [], "cond": [fc.cond_tokens, fc.cond_dim]}, {"v": lat}),
    }


def example_inputs(name: str, inputs: dict, batch: int, seed: int = 0) -> dict:
    g = torch.Generator().manual_seed(seed)
    out = {}
    for k, shape in inputs.items():
        full = [batch, *shape]
        if k == "occupancy":
            out[k] = (torch.rand(full, generator=g) < 0.04).float()
        elif k == "t":
            out[k] = torch.rand(full, generator=g)
        elif k == "image":
            out[k] = torch.rand(full, generator=g)
        elif k == "view":
            out[k] = torch.nn.functional.one_hot(torch.randint(0, shape[0], (batch,), generator=g), shape[0]).float()
        else:
            out[k] = torch.randn(full, generator=g)
    return out


def _torch_export(module, args: tuple, path: Path, inputs: list, outputs: list) -> None:
    kwargs = dict(opset_version=OPSET, input_names=inputs, output_names=outputs,
                  dynamic_axes={n: {0: "batch"} for n in inputs + outputs}, do_constant_folding=False,
                  export_params=True)
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False  # the TorchScript exporter: parameter names survive as initializer names
    torch.onnx.export(module, args, str(path), **kwargs)


def halve_initializers(model: onnx.ModelProto) -> int:
    """fp32 initializers → fp16 + one Cast back to fp32; strips the wrapper prefix from names.
    Returns the number of parameters stored."""
    graph = model.graph
    rename, casts, new_inits, count = {}, [], [], 0
    for init in graph.initializer:
        arr = numpy_helper.to_array(init)
        name = init.name[len(PREFIX):] if init.name.startswith(PREFIX) else init.name
        count += arr.size
        if arr.dtype == np.float32 and arr.size >= HALF_MIN_ELEMENTS:
            new_inits.append(numpy_helper.from_array(arr.astype(np.float16), name))
            f32 = f"{name}::f32"
            casts.append(helper.make_node("Cast", [name], [f32], to=TensorProto.FLOAT, name=f"cast {name}"))
            rename[init.name] = f32
        else:
            new_inits.append(numpy_helper.from_array(arr, name))
            rename[init.name] = name
    del graph.initializer[:]
    graph.initializer.extend(new_inits)
    for node in graph.node:
        for i, x in enumerate(node.input):
            if x in rename:
                node.input[i] = rename[x]
    for out in graph.output:
        if out.name in rename:
            out.name = rename[out.name]
    nodes = casts + list(graph.node)
    del graph.node[:]
    graph.node.extend(nodes)
    return count


def round_weights_fp16(*modules) -> None:
    """What the pack stores: every float tensor that is halved, rounded to fp16 (computed in fp32)."""
    with torch.no_grad():
        for m in modules:
            for t in list(m.parameters()) + list(m.buffers()):
                if t.is_floating_point() and t.numel() >= HALF_MIN_ELEMENTS:
                    t.copy_(t.half().float())


def tensor_spec(name: str, shape: list) -> dict:
    return {"name": name, "dtype": "float32", "shape": ["batch", *shape]}


def record_aliases(model: onnx.ModelProto, state_dict: dict) -> dict:
    """The exporter merges bit-identical parameters into one initializer (untrained biases, norm
    weights still at 1). For each parameter that so lost its name, note an initializer holding the
    same values, in the model's metadata, so the pack still restores every parameter by name."""
    inits = {i.name[len(PREFIX):] if i.name.startswith(PREFIX) else i.name: numpy_helper.to_array(i)
             for i in model.graph.initializer}
    aliases = {}
    for key, value in state_dict.items():
        if key in inits:
            continue
        v = value.detach().cpu().numpy()
        match = next((n for n, a in inits.items() if a.shape == v.shape and a.dtype == v.dtype
                      and np.array_equal(a, v)), None)
        if match is None:
            raise ValueError(f"export lost parameter {key!r} and no initializer holds its values")
        aliases[key] = match
    if aliases:
        helper.set_model_props(model, {ALIASES_KEY: json.dumps(aliases, sort_keys=True)})
    return aliases


def export_graph(name: str, wrapper, inputs: dict, outputs: dict, folder: Path) -> tuple:
    path = folder / f"{name}.onnx"
    args = tuple(example_inputs(name, inputs, 2).values())
    wrapper.eval()
    with torch.no_grad():
        _torch_export(wrapper, args, path, list(inputs), list(outputs))
    model = onnx.load(str(path))
    # Only the state entries this graph uses (the VAE's encoder graph holds no decoder weights).
    skip = USES_NOT.get(name, ())
    record_aliases(model, {k: v for k, v in wrapper.m.state_dict().items() if not k.startswith(skip)})
    params = halve_initializers(model)
    model.producer_name = "flowsmith training/export.py"
    onnx.checker.check_model(model)
    data = model.SerializeToString()
    path.write_bytes(data)
    entry = {
        "file": path.name,
        "bytes": len(data),
        "sha256": hashlib.sha256(data).hexdigest(),
        "inputs": [tensor_spec(k, v) for k, v in inputs.items()],
        "outputs": [tensor_spec(k, v) for k, v in outputs.items()],
    }
    return entry, params


def rel_errors(got: np.ndarray, ref: np.ndarray) -> dict:
    diff = np.abs(got.astype(np.float64) - ref.astype(np.float64))
    return {
        "max_rel": float(diff.max() / max(np.abs(ref).max(), 1e-12)),
        "l2_rel": float(np.linalg.norm(diff) / max(np.linalg.norm(ref), 1e-12)),
    }


def parity(folder: Path, specs: dict, batch: int = 3, device: str = "cpu") -> dict:
    """onnxruntime (Python, CPU) vs PyTorch (fp32 on `device`, TF32 off, the same fp16-rounded
    weights) on every graph, at a batch size other than the one exported with (so the dynamic batch
    is exercised)."""
    import onnxruntime as ort

    if device.startswith("cuda"):
        torch.backends.cuda.matmul.allow_tf32 = False
        torch.backends.cudnn.allow_tf32 = False
    out = {}
    for name, (wrapper, inputs, outputs) in specs.items():
        feeds = example_inputs(name, inputs, batch, seed=1)
        if name == "ss_flow":  # one unconditional item, as the samplers feed it
            feeds["cond"][-1].zero_()
        wrapper = wrapper.float().to(device).eval()
        with torch.no_grad():
            ref = wrapper(*(v.to(device) for v in feeds.values())).cpu()
        sess = ort.InferenceSession(str(folder / f"{name}.onnx"), providers=["CPUExecutionProvider"])
        got = sess.run(None, {k: v.numpy() for k, v in feeds.items()})[0]
        out[name] = rel_errors(got, ref.numpy())
    return out


def verify_pack(folder, device: str = "cpu") -> dict:
    """Parity of an exported pack's own files against PyTorch holding the pack's weights."""
    from training.checkpoint import load_pack

    state = load_pack(folder)
    vae, enc, flow = build(configs=state["configs"])
    for m, k in ((vae, "vae"), (enc, "image_encoder"), (flow, "flow")):
        load_into(m, state[k], k)
    return parity(Path(folder), graph_specs(vae, enc, flow), device=device)


def history_to_csv(rows: list) -> str:
    if not rows:
        return ""
    keys = list(rows[0])
    lines = [",".join(keys)] + [",".join(f"{r.get(k, '')}" for k in keys) for r in rows]
    return "\n".join(lines)


def history_from_csv(text) -> list:
    if not isinstance(text, str):
        return list(text or [])
    lines = [ln for ln in text.splitlines() if ln]
    if not lines:
        return []
    keys = lines[0].split(",")
    num = lambda v: int(v) if v.lstrip("-").isdigit() else float(v)  # noqa: E731
    return [dict(zip(keys, (num(v) for v in ln.split(",")))) for ln in lines[1:]]


def view_spec() -> dict:
    from training import render as rd

    s = rd.SPEC
    return {
        "azimuths": [k * s["azimuth_step_deg"] for k in range(s["views"])],
        "elevation": s["elevation_deg"],
        "resolution": s["image_size"],
        "background": [c / 255 for c in s["background"]],
    }


def export_pack(state: dict, folder, name: str = "default", description: str | None = None,
                check_parity: bool = False) -> dict:
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    vae, enc, flow = build(configs=state["configs"])
    load_into(vae, state["vae"], "vae")
    load_into(enc, state.get("image_encoder_ema") or state["image_encoder"], "image_encoder")
    load_into(flow, state.get("flow_ema") or state["flow"], "flow")
    for m in (vae, enc, flow):
        m.float().cpu().eval()
    round_weights_fp16(vae, enc, flow)
    specs = graph_specs(vae, enc, flow)
    graphs = {}
    for gname, (wrapper, inputs, outputs) in specs.items():
        graphs[gname], _ = export_graph(gname, wrapper, inputs, outputs, folder)
    # The loss history stays, as CSV text (a few KB): a run resumed from the pack continues the curves.
    meta = dict(state.get("meta", {}))
    meta["history"] = {k: history_to_csv(rows) for k, rows in meta.get("history", {}).items()}
    manifest = {
        "format": "flowsmith-pack",
        "version": 1,
        "name": name,
        "description": description or (
            "Flowsmith's default pack: SS-VAE (64³ ↔ 8×16³), image encoder and SS flow transformer, "
            "trained from scratch by training/ on the procedural corpus."),
        "license": {"id": "CC0-1.0", "text": "Trained by Flowsmith's own recipe (training/) on its procedural "
                    "corpus; no third-party weights or data."},
        "provenance": {
            "source": "trained",
            "generator": "flowsmith training/export.py",
            "created": datetime.now(timezone.utc).replace(microsecond=0).isoformat(),
            "training": {
                "recipe": "training/README.md",
                "parameters": {"ss_vae": parameter_count(vae), "image_encoder": parameter_count(enc),
                               "ss_flow": parameter_count(flow)},
                "conventions": {
                    "grid": "[z][y][x] float occupancy (DESIGN §3), surface shell",
                    "latent": "normalized posterior mean (per-channel statistics baked into ss_encoder/ss_decoder)",
                    "time": "t = 1 noise, t = 0 data, x_t = (1 − t)·x0 + t·ε, v = ε − x0",
                    "image": "canonical view (training/RENDERER.md), sRGB bytes / 255, NCHW, row 0 at the top",
                    "view": "one-hot of the view index 0..7 (azimuth k·45°)",
                    "uncond": "all-zero cond tokens (trained with 10% condition dropout to zeros)",
                    "weights": "float16 initializers named as the PyTorch state dicts, cast to float32 in-graph",
                },
                "configs": state["configs"],
                "meta": meta,
            },
        },
        "graphs": graphs,
        "view": view_spec(),
        "sampler": {"steps": 25, "shift": 3, "cfg": 3, "guidanceInterval": [0.5, 1]},
    }
    (folder / "manifest.json").write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    result = {"graphs": {k: v["bytes"] for k, v in graphs.items()}}
    if check_parity:
        result["parity"] = parity(folder, specs)
    return result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--ckpt", help="compact checkpoint folder, pack folder or full.pt")
    ap.add_argument("-o", "--output")
    ap.add_argument("--verify", help="instead of exporting: check this pack's graphs against PyTorch")
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu",
                    help="where PyTorch computes the reference (--verify)")
    ap.add_argument("--name", default="default")
    ap.add_argument("--description", default=None, help="the manifest's description (state the pack's quality)")
    ap.add_argument("--parity", action="store_true", help="compare onnxruntime (Python) with PyTorch")
    args = ap.parse_args()
    if args.verify:
        result = verify_pack(args.verify, args.device)
        print(json.dumps({"pack": args.verify, "torch_device": args.device, "parity": result}, indent=1))
        bad = {k: v for k, v in result.items() if v["max_rel"] >= 1e-3}
        if bad:
            raise SystemExit(f"parity FAILED (relative error ≥ 1e-3): {bad}")
        print("parity OK: every graph within 1e-3 relative error")
        return
    if not (args.ckpt and args.output):
        ap.error("--ckpt and -o are required to export")
    state = load_any(args.ckpt)
    if state is None:
        raise SystemExit(f"no checkpoint at {args.ckpt}")
    t0 = time.time()
    result = export_pack(state, args.output, args.name, args.description, check_parity=args.parity)
    result["seconds"] = round(time.time() - t0, 1)
    print(json.dumps(result, indent=1))
    if args.parity:
        bad = {k: v for k, v in result["parity"].items() if v["max_rel"] >= 1e-3}
        if bad:
            raise SystemExit(f"parity FAILED (relative error ≥ 1e-3): {bad}")
        print("parity OK: every graph within 1e-3 relative error")


if __name__ == "__main__":
    main()
