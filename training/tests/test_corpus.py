"""Corpus, voxelizer and renderer checks (CPU; run from the repository root):

    /usr/bin/python3 -m unittest discover -s training/tests -t .
"""
from __future__ import annotations

import itertools
import unittest
from pathlib import Path

import numpy as np
import torch

from training import render as rd
from training.corpus import make_edit_pair, make_shape
from training.corpus import primitives as pr
from training.corpus.families import FAMILIES
from training.corpus.io import load_sparse_grid, read_png
from training.corpus.shapes import NONE, assemble, design, editable_slots, frame_of
from training.corpus.split import heldout_seed, is_heldout, split_of, train_seed
from training.corpus.voxelize_torch import voxelize
from training.scripts.make_fixtures import checker_grid, lattice_mesh

ROOT = Path(__file__).resolve().parents[2]


def slot_voxels(shape, slot_name):
    """Voxels met by the triangles of one slot of a shape (in the shape's own frame)."""
    k = shape.slot_names.index(slot_name)
    keep = shape.face_slots == k
    if not keep.any():
        return torch.zeros((64, 64, 64), dtype=torch.bool)
    occ, _ = voxelize([(shape.vertices, shape.faces[keep], shape.face_colors[keep])])
    return occ[0] != 0


class Primitives(unittest.TestCase):
    def test_closed_outward_and_no_degenerate_triangles(self):
        meshes = {
            "box": pr.box(0.3, 0.2, 0.1),
            "round_box": pr.round_box(0.3, 0.2, 0.1, 0.05),
            "cylinder": pr.cylinder(0.2, 0.2, 0.5),
            "frustum": pr.cylinder(0.2, 0.1, 0.5),
            "cone": pr.cone(0.2, 0.4),
            "sphere": pr.sphere(0.3),
            "capsule": pr.capsule(0.1, 0.4),
            "torus": pr.torus(0.3, 0.08),
            "between": pr.between((0, 0, 0), (0.3, 0.4, -0.2), 0.05, "capsule"),
            "mirrored": pr.place(pr.cone(0.2, 0.4), scale=(-1, 1, 1)),
        }
        for name, (v, f) in meshes.items():
            with self.subTest(name):
                a, b, c = v[f[:, 0]], v[f[:, 1]], v[f[:, 2]]
                cross = np.cross(b - a, c - a)
                self.assertGreater(np.linalg.norm(cross, axis=1).min(), 1e-9)
                volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6
                self.assertGreater(volume, 0)
                # Closed: every directed edge has exactly one reverse partner (welding equal positions,
                # since round_box faces are separate grids that share seam positions).
                _, ids = np.unique(np.round(v, 9), axis=0, return_inverse=True)
                ids = ids.reshape(-1)
                edges = {}
                for tri in ids[f]:
                    for i in range(3):
                        e = (int(tri[i]), int(tri[(i + 1) % 3]))
                        edges[e] = edges.get(e, 0) + 1
                for (p, q), n in edges.items():
                    self.assertEqual(edges.get((q, p), 0), n, f"{name}: open edge {(p, q)}")


class Shapes(unittest.TestCase):
    def test_at_least_ten_families_with_optional_and_replaceable_parts(self):
        self.assertGreaterEqual(len(FAMILIES), 10)
        for family in FAMILIES:
            d = design(family, 1)
            self.assertTrue(editable_slots(d, "add"), family)
            self.assertTrue(editable_slots(d, "replace"), family)

    def test_pure_function_of_family_seed_toggles(self):
        for family in FAMILIES:
            a, b = make_shape(family, 17), make_shape(family, 17)
            self.assertTrue(np.array_equal(a.vertices, b.vertices))
            self.assertTrue(np.array_equal(a.face_colors, b.face_colors))
            self.assertFalse(np.array_equal(a.raw_vertices, make_shape(family, 18).raw_vertices)
                             and a.choice == make_shape(family, 18).choice)

    def test_toggles_change_only_their_slot(self):
        for family in FAMILIES:
            d = design(family, 5)
            base = d.default_choice()
            for slot in d.slots:
                for variant in slot.variants:
                    choice = {**base, slot.name: variant}
                    if all(not d.slot(k).variants[v] for k, v in choice.items()):
                        continue
                    # Re-drawing the design must give the same parts for every other slot.
                    d2 = design(family, 5)
                    for other, other2 in zip(d.slots, d2.slots):
                        if other.name == slot.name:
                            continue
                        for p1, p2 in zip(other.variants[base[other.name]], other2.variants[base[other.name]]):
                            self.assertTrue(np.array_equal(p1.vertices, p2.vertices))
                            self.assertEqual(p1.color, p2.color)
                    make_shape(family, 5, {slot.name: variant})

    def test_normalization_matches_normalize_ts(self):
        for family in FAMILIES:
            s = make_shape(family, 3)
            lo, hi = s.vertices.min(axis=0), s.vertices.max(axis=0)
            ext = hi - lo
            self.assertEqual(float(ext.max()), 1.0)
            axis = int(np.argmax(ext))
            self.assertEqual((float(lo[axis]), float(hi[axis])), (-0.5, 0.5))
            self.assertLess(float(np.abs(lo + hi).max()), 1e-6)
            self.assertEqual(s.vertices.dtype, np.float32)

    def test_split(self):
        self.assertTrue(is_heldout(0) and is_heldout(30) and not is_heldout(31))
        self.assertEqual(split_of(20), "heldout")
        self.assertEqual([train_seed(i) for i in range(11)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12])
        self.assertTrue(all(not is_heldout(train_seed(i)) for i in range(500)))
        self.assertTrue(all(is_heldout(heldout_seed(i)) for i in range(50)))


class EditPairs(unittest.TestCase):
    def test_untouched_voxels_identical_outside_the_edited_slot(self):
        checked = 0
        for family, kind in itertools.product(FAMILIES, ("add", "remove", "replace")):
            pair = make_edit_pair(family, 20, kind)  # a held-out seed, as the quality report uses
            with self.subTest(family=family, kind=kind, slot=pair.slot):
                src, tgt = pair.source, pair.target
                self.assertEqual({k for k in src.choice if src.choice[k] != tgt.choice[k]}, {pair.slot})
                if kind == "add":
                    self.assertEqual(pair.source_variant, NONE)
                if kind == "remove":
                    self.assertEqual(pair.target_variant, NONE)
                occ, col = voxelize([src, tgt])
                region = slot_voxels(src, pair.slot) | slot_voxels(tgt, pair.slot)
                outside = ~region
                self.assertTrue(torch.equal(occ[0][outside], occ[1][outside]))
                self.assertTrue(torch.equal(col[0][outside], col[1][outside]))
                self.assertGreater(int((occ[0] != occ[1]).sum()), 0)
                checked += 1
        self.assertEqual(checked, 3 * len(FAMILIES))

    def test_pair_frame_is_the_union_frame(self):
        pair = make_edit_pair("car", 7, "add", slot="roof_box")
        self.assertEqual(pair.target_variant, "box")
        raw_s = assemble(design("car", 7), pair.source.choice)[0]
        raw_t = assemble(design("car", 7), pair.target.choice)[0]
        f = frame_of(raw_s, raw_t)
        self.assertEqual(pair.source.frame.scale, f.scale)
        both = np.concatenate([pair.source.vertices, pair.target.vertices])
        self.assertEqual(float((both.max(0) - both.min(0)).max()), 1.0)


class Voxelizer(unittest.TestCase):
    def test_chunking_and_batching_do_not_change_the_result(self):
        shapes = [make_shape(f, 2) for f in ("chair", "airplane", "tree")]
        occ, col = voxelize(shapes)
        occ2, col2 = voxelize(shapes, max_pairs=1 << 12)
        self.assertTrue(torch.equal(occ, occ2) and torch.equal(col, col2))
        occ3, col3 = voxelize(shapes[1:2])
        self.assertTrue(torch.equal(occ[1], occ3[0]) and torch.equal(col[1], col3[0]))

    def test_closed_boxes_on_voxel_planes(self):
        # A square in the plane x = 0 (a voxel boundary): both neighbouring layers, 31 and 32.
        v = np.array([[0, -0.25, -0.25], [0, 0.25, -0.25], [0, 0.25, 0.25], [0, -0.25, 0.25]], dtype=np.float32)
        f = np.array([[0, 1, 2], [0, 2, 3]])
        c = np.array([[10, 20, 30], [40, 50, 60]], dtype=np.uint8)
        occ, col = voxelize([(v, f, c)])
        xs = torch.nonzero(occ[0])[:, 2].unique().tolist()
        self.assertEqual(xs, [31, 32])
        # The square's edges at ±0.25 lie on voxel planes 16 and 48 too, so y, z run from 15 to 48.
        self.assertEqual(int(occ.sum()), 2 * 34 * 34)
        # The diagonal from (−,−) to (+,+) is shared; voxel centres closer to triangle 1 get its colour.
        self.assertEqual(col[0, 20, 40, 31].tolist(), [10, 20, 30])  # z < y: triangle 0
        self.assertEqual(col[0, 40, 20, 31].tolist(), [40, 50, 60])

    def test_matches_committed_fixtures(self):
        for name in ("chair-3", "airplane-4", "lattice-0"):
            family, seed = name.split("-")
            occ, col = voxelize([lattice_mesh() if family == "lattice" else make_shape(family, int(seed))])
            ref_occ, ref_col = load_sparse_grid(ROOT / "tests/fixtures/corpus" / name)
            self.assertTrue(np.array_equal(occ[0].numpy(), ref_occ))
            self.assertTrue(np.array_equal(col[0].numpy(), ref_col))


class Renderer(unittest.TestCase):
    def test_goldens_are_reproduced(self):
        golden = ROOT / "tests/golden/render"
        for path in sorted(golden.glob("*.png"))[::4]:
            name, view, mode = path.stem.rsplit("-", 2)
            if name == "checker":
                occ, col = checker_grid()
            else:
                occ, col = load_sparse_grid(ROOT / "tests/fixtures/corpus" / name)
            img = rd.render(torch.from_numpy(occ), torch.from_numpy(col), int(view[1:]), flat=mode == "flat")
            self.assertTrue(np.array_equal(img[0].numpy(), read_png(path)), path.name)

    def test_batch_of_views_and_modes(self):
        occ, col = voxelize([make_shape("mug", 1), make_shape("lamp", 1)])
        both = rd.render(occ, col, [0, 5], flat=[False, True])
        self.assertTrue(torch.equal(both[0], rd.render(occ[:1], col[:1], 0)[0]))
        self.assertTrue(torch.equal(both[1], rd.render(occ[1:], col[1:], 5, flat=True)[0]))
        empty = rd.render(torch.zeros((1, 64, 64, 64), dtype=torch.uint8), torch.zeros((1, 64, 64, 64, 3), dtype=torch.uint8), 2)
        self.assertTrue(bool((empty == 255).all()))

    def test_flat_shows_voxel_colours(self):
        occ, col = voxelize([make_shape("rocket", 4)])
        flat = rd.render(occ, col, 1, flat=True)[0].reshape(-1, 3)
        colours = {tuple(c) for c in col[0][occ[0] != 0].tolist()} | {(255, 255, 255)}
        self.assertTrue({tuple(c) for c in flat.tolist()} <= colours)

    def test_tables_fit_the_step_bound(self):
        for view in range(8):
            t = rd.traversal(view)
            self.assertEqual(t.shape, (128 * 128, rd.MAX_STEPS))
            lengths = (t >= 0).sum(axis=1)
            self.assertGreater(lengths.max(), 60)
            # Paths are contiguous: each visited voxel is a 6-neighbour of the previous one.
            rows = t[lengths > 1][:200]
            for row in rows:
                idx = row[row >= 0] >> 3
                xyz = np.stack([idx % 64, (idx // 64) % 64, idx // 4096], axis=1)
                self.assertTrue(np.all(np.abs(np.diff(xyz, axis=0)).sum(axis=1) == 1))


if __name__ == "__main__":
    unittest.main()
