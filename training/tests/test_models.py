"""Models, training scripts and export (CPU; run from the repository root):

    /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

import onnx
import torch

from training import checkpoint as ck
from training.export import export_pack
from training.models import PRESETS, build
from training.models.layers import patchify, unpatchify
from training.models.ss_flow import flow_targets, sample_t
from training.models.ss_vae import iou, vae_loss
from training.sample import sample, time_grid
from training.trainlib import fresh_state

ROOT = Path(__file__).resolve().parents[2]


def tiny_state(seed: int = 0) -> dict:
    torch.manual_seed(seed)
    vae, enc, flow = build("tiny")
    # Non-trivial weights everywhere (zero-initialized layers would make every check vacuous).
    for m in (vae, enc, flow):
        with torch.no_grad():
            for p in m.parameters():
                p.add_(0.05 * torch.randn_like(p))
    return {"configs": {k: c.to_dict() for k, c in PRESETS["tiny"].items()}, "vae": vae.state_dict(),
            "image_encoder": enc.state_dict(), "flow": flow.state_dict(), "meta": {"flow_steps": 3}}


class Shapes(unittest.TestCase):
    def test_default_sizes_fit_the_budget(self):
        vae, enc, flow = build("default")
        n = {k: sum(p.numel() for p in m.parameters()) for k, m in (("vae", vae), ("enc", enc), ("flow", flow))}
        self.assertLessEqual(sum(n.values()) * 2, 50e6)  # fp16 bytes: the pack's ≤ 50 MB
        self.assertEqual(flow.cfg.tokens, 512)  # the engine's 512-token flow bench
        self.assertEqual(vae.latent_shape, (8, 16, 16, 16))

    def test_tiny_shapes(self):
        vae, enc, flow = build("tiny")
        occ = (torch.rand(2, 1, 16, 16, 16) < 0.1).float()
        z = vae.encode(occ)
        self.assertEqual(tuple(z.shape), (2, *vae.latent_shape))
        self.assertEqual(tuple(vae.decode(z).shape), (2, 1, 16, 16, 16))
        cond = enc(torch.rand(2, 3, 32, 32), torch.eye(8)[:2])
        self.assertEqual(tuple(cond.shape), (2, 16, 16))
        v = flow(z, torch.rand(2), cond)
        self.assertEqual(v.shape, z.shape)


class Patchify(unittest.TestCase):
    def test_round_trip(self):
        for C, res, p in ((8, 16, 2), (3, 8, 2), (2, 12, 3)):
            x = torch.randn(2, C, res, res, res)
            t = patchify(x, p)
            self.assertEqual(tuple(t.shape), (2, (res // p) ** 3, C * p ** 3))
            self.assertTrue(torch.equal(unpatchify(t, C, p, res), x))

    def test_token_layout(self):
        """Token (i, j, k), k fastest, holds the patch at [2i:2i+2, 2j:2j+2, 2k:2k+2], channel-major."""
        x = torch.randn(1, 8, 16, 16, 16)
        t = patchify(x, 2)
        i, j, k = 3, 5, 6
        token = t[0, (i * 8 + j) * 8 + k]
        patch = x[0, :, 2 * i:2 * i + 2, 2 * j:2 * j + 2, 2 * k:2 * k + 2].reshape(-1)
        self.assertTrue(torch.equal(token, patch))


class Vae(unittest.TestCase):
    def test_learns_a_tiny_grid(self):
        torch.manual_seed(0)
        vae, _, _ = build("tiny")
        occ = torch.zeros(1, 1, 16, 16, 16)
        occ[0, 0, 4:12, 4:12, 4] = 1  # one square plate
        opt = torch.optim.Adam(vae.parameters(), lr=3e-3)
        first = None
        for _ in range(60):
            logits, kl = vae(occ, sample=False)
            loss, _ = vae_loss(logits, occ, kl, pos_weight=4.0, kl_weight=1e-3)
            first = first if first is not None else float(loss)
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.assertLess(float(loss), 0.5 * first)
        self.assertGreater(float(iou(vae(occ, sample=False)[0], occ)[0]), 0.5)

    def test_normalization(self):
        vae, _, _ = build("tiny")
        occ = (torch.rand(16, 1, 16, 16, 16) < 0.2).float()
        with torch.no_grad():
            mean, _ = vae.posterior(occ)
            vae.set_latent_stats(mean)
            z = vae.encode(occ)
        per_channel = z.transpose(0, 1).reshape(z.shape[1], -1)
        self.assertLess(float(per_channel.mean(1).abs().max()), 1e-4)
        self.assertLess(float((per_channel.std(1) - 1).abs().max()), 1e-3)
        # decode undoes the normalization: the decoder sees the raw mean.
        with torch.no_grad():
            self.assertTrue(torch.allclose(vae.decode(z), vae.decoder(mean), atol=1e-5))


class FlowConvention(unittest.TestCase):
    def test_targets(self):
        x0, eps = torch.randn(3, 4, 2, 2, 2), torch.randn(3, 4, 2, 2, 2)
        x_t, v = flow_targets(x0, eps, torch.tensor([0.0, 1.0, 0.25]))
        self.assertTrue(torch.equal(x_t[0], x0[0]))  # t = 0 is data
        self.assertTrue(torch.equal(x_t[1], eps[1]))  # t = 1 is noise
        self.assertTrue(torch.allclose(x_t[2], 0.75 * x0[2] + 0.25 * eps[2]))
        self.assertTrue(torch.equal(v, eps - x0))  # v = ε − x0
        # x̂0 = x_t − t·v and ε̂ = x_t + (1 − t)·v (DESIGN §3)
        self.assertTrue(torch.allclose(x_t[2] - 0.25 * v[2], x0[2], atol=1e-6))
        self.assertTrue(torch.allclose(x_t[2] + 0.75 * v[2], eps[2], atol=1e-6))

    def test_sampler_follows_the_exact_velocity_to_the_data(self):
        """With the oracle velocity of a single data point, Euler from noise lands on it exactly, at
        any schedule and guidance (the uncond branch gets the same oracle)."""
        x0 = torch.randn(2, 4, 8, 8, 8)
        cfg = PRESETS["tiny"]["flow"]

        class Oracle(torch.nn.Module):
            def __init__(self):
                super().__init__()
                self.cfg = cfg

            def forward(self, x_t, t, cond):
                tt = t.reshape(-1, 1, 1, 1, 1)
                target = x0.repeat(x_t.shape[0] // x0.shape[0], 1, 1, 1, 1)
                return (x_t - target) / tt  # = ε − x0 on the straight path

        noise = torch.randn_like(x0)
        out = sample(Oracle(), torch.zeros(2, 16, 16), steps=7, shift=3.0, cfg=3.0, noise=noise)
        self.assertTrue(torch.allclose(out, x0, atol=1e-5))

    def test_time_grid_and_logit_normal(self):
        g = time_grid(25, 3.0)
        self.assertEqual(float(g[0]), 0.0)
        self.assertEqual(float(g[-1]), 1.0)
        self.assertAlmostEqual(float(g[12]), 3 * 0.48 / (1 + 2 * 0.48))
        t = sample_t(20000, generator=torch.Generator().manual_seed(0))
        self.assertTrue(bool(((t > 0) & (t < 1)).all()))
        self.assertGreater(float(t.median()), 0.7)  # sigmoid(1) ≈ 0.73: the noisy side


class Checkpoints(unittest.TestCase):
    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def test_compact_round_trip(self):
        state = tiny_state()
        paths = ck.save_compact(self.tmp / "c", state, shard_bytes=20_000)
        self.assertGreater(len(paths), 1)  # sharded
        back = ck.load_compact(self.tmp / "c")
        for name in ck.MODELS:
            for k, v in state[name].items():
                want = v.half().float() if v.is_floating_point() and v.numel() > 64 else v
                self.assertTrue(torch.equal(back[name][k].to(want.dtype), want), f"{name}.{k}")
        self.assertEqual(back["meta"], state["meta"])

    def test_pack_is_a_checkpoint(self):
        """Every parameter comes back from the exported ONNX files by name, fp16-rounded; the graphs
        pass onnx.checker, take a dynamic batch and store fp16 weights."""
        state = tiny_state()
        export_pack(state, self.tmp / "pack", "tiny")
        back = ck.load_pack(self.tmp / "pack")
        self.assertEqual(back["configs"], json.loads(json.dumps(state["configs"])))
        for name in ck.MODELS:
            for k, v in state[name].items():
                want = v.half().float() if v.numel() >= 65 else v
                self.assertIn(k, back[name], f"{name}.{k}")
                self.assertTrue(torch.allclose(back[name][k], want.float(), atol=1e-7), f"{name}.{k}")
        manifest = json.loads((self.tmp / "pack" / "manifest.json").read_text())
        self.assertEqual(set(manifest["graphs"]), {"ss_encoder", "ss_decoder", "image_encoder", "ss_flow"})
        flow = onnx.load(str(self.tmp / "pack" / "ss_flow.onnx"))
        onnx.checker.check_model(flow)
        self.assertGreaterEqual(flow.opset_import[0].version, 17)
        self.assertEqual([i.name for i in flow.graph.input], ["x_t", "t", "cond"])
        self.assertEqual([o.name for o in flow.graph.output], ["v"])
        for value in list(flow.graph.input) + list(flow.graph.output):
            self.assertEqual(value.type.tensor_type.shape.dim[0].dim_param, "batch")
            self.assertEqual(value.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)
        dtypes = {i.data_type for i in flow.graph.initializer if len(i.dims) and i.dims[0] > 64}
        self.assertEqual(dtypes, {onnx.TensorProto.FLOAT16})

    @unittest.skipUnless(shutil.which("node") and (ROOT / "node_modules/onnxruntime-node").exists(),
                         "needs node and onnxruntime-node")
    def test_onnx_parity_on_onnxruntime_node(self):
        from training.scripts.ort_node_parity import node_parity

        export_pack(tiny_state(), self.tmp / "pack", "tiny")
        result = node_parity(self.tmp / "pack")
        for name, err in result.items():
            self.assertLess(err["max_rel"], 1e-3, name)


class Scripts(unittest.TestCase):
    """train_vae → train_flow → resume: the step counters continue, the state round-trips."""

    def setUp(self):
        self.tmp = Path(tempfile.mkdtemp())

    def tearDown(self):
        shutil.rmtree(self.tmp)

    def run_script(self, name: str, *args: str) -> str:
        small = ["--preset", "smoke", "--batch", "2", "--new-per-step", "2", "--pool", "8", "--workers", "0",
                 "--log-every", "1", "--eval-shapes", "2"]
        cmd = [sys.executable, "-m", f"training.scripts.{name}", *small, *args]
        run = subprocess.run(cmd, cwd=ROOT, capture_output=True, text=True)
        self.assertEqual(run.returncode, 0, run.stderr[-3000:])
        return run.stdout

    def test_resume_round_trip(self):
        work, out = str(self.tmp / "work"), str(self.tmp / "out")
        self.run_script("train_vae", "--max-steps", "2", "--work", work, "--out", out, "--stats-shapes", "4")
        self.run_script("train_flow", "--max-steps", "1", "--work", work, "--out", out, "--eval-steps", "2")
        log = self.run_script("train_flow", "--max-steps", "2", "--work", work, "--out", out, "--eval-steps", "2")
        self.assertIn("start from full checkpoint", log)
        state = ck.load_full(Path(work) / ck.FULL_NAME)
        self.assertEqual((state["meta"]["vae_steps"], state["meta"]["flow_steps"]), (2, 3))
        self.assertEqual([r["step"] for r in state["meta"]["history"]["flow"]], [1, 2, 3])
        # A fresh machine: only the compact checkpoint survives; weights continue, Adam restarts.
        log = self.run_script("train_flow", "--max-steps", "1", "--work", str(self.tmp / "w2"), "--init", out,
                              "--out", str(self.tmp / "out2"), "--eval-steps", "2")
        self.assertIn("optimizer state restarts", log)
        self.assertEqual(ck.load_compact(self.tmp / "out2")["meta"]["flow_steps"], 4)
        # The VAE may not move the flow's latent space any more.
        run = subprocess.run([sys.executable, "-m", "training.scripts.train_vae", "--preset", "smoke",
                              "--max-steps", "1", "--work", work, "--workers", "0"], cwd=ROOT,
                             capture_output=True, text=True)
        self.assertNotEqual(run.returncode, 0)
        self.assertIn("--decoder-only", run.stderr)

    def test_fresh_state_has_every_model(self):
        state = fresh_state("tiny")
        self.assertEqual(set(ck.MODELS) - set(state), set())


if __name__ == "__main__":
    unittest.main()
