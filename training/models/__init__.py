"""The default pack's models (issue 5): SS-VAE, image encoder, SS flow transformer.

`PRESETS` names whole configurations: "default" is the shipped pack, "tiny" is for unit tests.
"""
from __future__ import annotations

from .image_encoder import ImageEncoder, ImageEncoderConfig  # noqa: F401
from .ss_flow import FlowConfig, SsFlow  # noqa: F401
from .ss_vae import SsVae, VaeConfig  # noqa: F401

PRESETS = {
    "default": {
        "vae": VaeConfig(),
        "image_encoder": ImageEncoderConfig(),
        "flow": FlowConfig(),
    },
    "tiny": {
        "vae": VaeConfig(resolution=16, latent_channels=4, channels=(4, 8), res_blocks=(1, 1),
                         dec_res_blocks=(1, 1), groups=2),
        "image_encoder": ImageEncoderConfig(image_size=32, channels=(8, 16), dim=16, tokens_side=4, depth=1,
                                            heads=2, groups=2),
        "flow": FlowConfig(latent_channels=4, latent_res=8, patch=2, width=32, depth=2, heads=2, t_dim=16,
                           t_freq=16, cond_tokens=16, cond_dim=16),
    },
    # Real data sizes (64³ grids, 128² views, 8×16³ latent, 64 tokens), toy widths: the training scripts'
    # smoke tests on a CPU.
    "smoke": {
        "vae": VaeConfig(channels=(4, 8, 8), res_blocks=(0, 1, 1), dec_res_blocks=(0, 1, 1), groups=2),
        "image_encoder": ImageEncoderConfig(channels=(8, 8, 16), dim=16, depth=1, heads=2, groups=2),
        "flow": FlowConfig(width=32, depth=1, heads=2, t_dim=16, t_freq=16, cond_dim=16),
    },
}


def build(preset: str = "default", configs: dict | None = None):
    """(vae, image_encoder, flow) for a preset, or for explicit config dicts (from a checkpoint)."""
    if configs is not None:
        return (SsVae(VaeConfig.from_dict(configs["vae"])),
                ImageEncoder(ImageEncoderConfig.from_dict(configs["image_encoder"])),
                SsFlow(FlowConfig.from_dict(configs["flow"])))
    p = PRESETS[preset]
    return SsVae(p["vae"]), ImageEncoder(p["image_encoder"]), SsFlow(p["flow"])


def parameter_count(module) -> int:
    return sum(p.numel() for p in module.parameters())
