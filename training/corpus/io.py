"""Files the corpus exchanges with the TypeScript side: PLY meshes, sparse grids, PNG images.

No image or mesh library is needed (the GPU machine may lack PIL): PLY and PNG are written by hand.
"""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import numpy as np


def write_ply(path, vertices: np.ndarray, faces: np.ndarray, face_colors: np.ndarray) -> None:
    """Binary little-endian PLY: float32 xyz and uchar RGB per vertex, 3 int indices per face.

    Colours go on the vertices, not the faces: parts share no vertices, so each vertex has its part's
    colour, and three.js' PLYLoader (which src/io/import uses) rounds vertex colours back to bytes
    exactly but truncates face colours (45 comes back as 44), which would break byte-exact parity.
    """
    v = np.ascontiguousarray(vertices, dtype="<f4")
    f = np.asarray(faces, dtype=np.int64)
    c = np.asarray(face_colors, dtype=np.uint8)
    vc = np.zeros((len(v), 3), dtype=np.uint8)
    vc[f.reshape(-1)] = np.repeat(c, 3, axis=0)
    if not np.array_equal(vc[f].reshape(-1, 3), np.repeat(c, 3, axis=0)):
        raise ValueError("a vertex is shared by faces of different colours; per-vertex colours cannot hold them")
    header = (
        "ply\nformat binary_little_endian 1.0\ncomment flowsmith procedural corpus\n"
        f"element vertex {len(v)}\nproperty float x\nproperty float y\nproperty float z\n"
        "property uchar red\nproperty uchar green\nproperty uchar blue\n"
        f"element face {len(f)}\nproperty list uchar int vertex_indices\nend_header\n"
    )
    vrec = np.zeros(len(v), dtype=[("p", "<f4", (3,)), ("rgb", "u1", (3,))])
    vrec["p"] = v
    vrec["rgb"] = vc
    frec = np.zeros(len(f), dtype=[("n", "u1"), ("i", "<i4", (3,))])
    frec["n"] = 3
    frec["i"] = f
    with open(path, "wb") as fh:
        fh.write(header.encode("ascii"))
        fh.write(vrec.tobytes())
        fh.write(frec.tobytes())


def save_sparse_grid(prefix, occupancy: np.ndarray, colors: np.ndarray | None = None) -> None:
    """A grid as `<prefix>.xyz.npy`, uint8 (N, 3): the (x, y, z) of each occupied voxel in ascending
    index order (index = x + R·(y + R·z)), and `<prefix>.rgb.npy`, uint8 (N, 3): their colours.
    6 bytes per occupied voxel instead of 4·R³, and uint8 only, so src/core/npy.ts reads both."""
    occ = np.asarray(occupancy)
    R = occ.shape[-1]
    assert R <= 256
    idx = np.flatnonzero(occ.reshape(-1))
    xyz = np.stack([idx % R, (idx // R) % R, idx // (R * R)], axis=1).astype(np.uint8)
    np.save(f"{prefix}.xyz.npy", xyz)
    if colors is not None:
        rgb = np.asarray(colors, dtype=np.uint8).reshape(-1, 3)[idx]
        np.save(f"{prefix}.rgb.npy", np.ascontiguousarray(rgb))


def load_sparse_grid(prefix, resolution: int = 64):
    R = resolution
    xyz = np.load(f"{prefix}.xyz.npy").astype(np.int64)
    idx = xyz[:, 0] + R * (xyz[:, 1] + R * xyz[:, 2])
    occ = np.zeros(R ** 3, dtype=np.uint8)
    occ[idx] = 1
    col = np.zeros((R ** 3, 3), dtype=np.uint8)
    rgb_path = Path(f"{prefix}.rgb.npy")
    if rgb_path.exists():
        col[idx] = np.load(rgb_path)
    return occ.reshape(R, R, R), col.reshape(R, R, R, 3)


def write_png(path, rgb: np.ndarray) -> None:
    """8-bit RGB (H, W, 3) or RGBA (H, W, 4) PNG, filter 'None' on every row, zlib level 9."""
    img = np.ascontiguousarray(rgb, dtype=np.uint8)
    h, w, ch = img.shape
    color_type = {3: 2, 4: 6}[ch]
    raw = np.concatenate([np.zeros((h, 1), dtype=np.uint8), img.reshape(h, w * ch)], axis=1).tobytes()

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n"
    png += chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, color_type, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(raw, 9))
    png += chunk(b"IEND", b"")
    Path(path).write_bytes(png)


def read_png(path) -> np.ndarray:
    """Reads what write_png writes (8-bit RGB/RGBA, any of the five row filters, not interlaced)."""
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, w = 8, b"", 0
    while pos < len(data):
        (n,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + n]
        if kind == b"IHDR":
            w, h, depth, color_type, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert depth == 8 and color_type in (2, 6) and interlace == 0, "unsupported PNG"
            ch = 3 if color_type == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + n
    raw = np.frombuffer(zlib.decompress(idat), dtype=np.uint8).reshape(h, 1 + w * ch)
    if not raw[:, 0].any():  # every row unfiltered (what write_png writes)
        return np.ascontiguousarray(raw[:, 1:]).reshape(h, w, ch)
    out = np.zeros((h, w * ch), dtype=np.int32)
    for y in range(h):
        ft, line = raw[y, 0], raw[y, 1:].astype(np.int32)
        prev = out[y - 1] if y > 0 else np.zeros(w * ch, dtype=np.int32)
        cur = np.zeros(w * ch, dtype=np.int32)
        for x in range(w * ch):
            a = cur[x - ch] if x >= ch else 0
            b = prev[x]
            c = prev[x - ch] if x >= ch else 0
            if ft == 0:
                pred = 0
            elif ft == 1:
                pred = a
            elif ft == 2:
                pred = b
            elif ft == 3:
                pred = (a + b) // 2
            else:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
            cur[x] = (line[x] + pred) & 0xFF
        out[y] = cur
    return out.astype(np.uint8).reshape(h, w, ch)
