import { describe, expect, it } from 'vitest';
import { assignIds, componentStats } from './components';
import { createLabelScratch, diffAndUnion } from './fast-label';
import { applyMerge, buildMask, selectComponents } from './filter';
import { flattenAndMeasure, maskAndMerge } from './fused';
import { labelByKernels, xorDiff } from './label';
import { checkerboard, faceSlabs, nestedShells, perturb, randomGrid, seededRandom, snake } from './testing';

/** Runs the kernel-by-kernel twin and the fused passes on one pair and demands identical outputs. */
function expectFusedEqualsKernels(src: Uint8Array, edited: Uint8Array, r: number, what: string): void {
  const n = src.length;
  const diff = xorDiff(src, edited);
  const labels = labelByKernels(diff, r);
  const ids = new Int32Array(n);
  const table = componentStats(ids, assignIds(labels, ids), src, r);
  const { keep } = selectComponents(table, 3, 'fixed');
  const mask = buildMask(ids, keep);
  const merged = applyMerge(src, mask);

  const fDiff = new Uint8Array(n);
  const fLabels = new Int32Array(n);
  const fg = new Int32Array(n);
  const componentOf = new Int32Array(n).fill(7); // garbage, to prove the pass writes every entry
  // A tiny starting table, so that growing it is exercised too.
  const scratch = createLabelScratch(1);
  const pass1 = diffAndUnion(src, edited, r, fDiff, fLabels, fg, scratch);
  const list = fg.subarray(0, pass1.voxels);
  const fTable = flattenAndMeasure(fLabels, pass1, scratch, src, r, list, componentOf);
  // Per-voxel ids as assignIds writes them, rebuilt from the list.
  const fIds = new Int32Array(n).fill(-1);
  list.forEach((i, k) => {
    fIds[i] = componentOf[k];
  });
  const listed = list.every((i, k) => k === 0 || i > list[k - 1]) && list.every((i) => diff[i] === 1);
  const fMask = new Uint8Array(n).fill(1);
  const fMerged = new Uint8Array(n).fill(9);
  maskAndMerge(list, componentOf, keep, src, fMask, fMerged);

  const same = (a: ArrayLike<number>, b: ArrayLike<number>) =>
    a.length === b.length &&
    Buffer.compare(
      Buffer.from(new Uint8Array(Object(a).buffer)),
      Buffer.from(new Uint8Array(Object(b).buffer)),
    ) === 0;
  expect(
    {
      diff: same(fDiff, diff),
      labels: same(fLabels, labels),
      ids: same(fIds, ids),
      label: same(fTable.label, table.label),
      size: same(fTable.size, table.size),
      added: same(fTable.added, table.added),
      removed: same(fTable.removed, table.removed),
      bbox: same(fTable.bbox, table.bbox),
      mask: same(fMask, mask),
      merged: same(fMerged, merged),
      count: fTable.count === table.count,
      voxels: pass1.voxels === diff.reduce((a, v) => a + v, 0) && listed,
    },
    what,
  ).toEqual({
    diff: true,
    labels: true,
    ids: true,
    label: true,
    size: true,
    added: true,
    removed: true,
    bbox: true,
    mask: true,
    merged: true,
    count: true,
    voxels: true,
  });
}

describe('fused passes equal the kernel-by-kernel twin', () => {
  it('on 1500 random pairs of side 1–14', () => {
    const random = seededRandom(99);
    for (let trial = 0; trial < 1500; trial++) {
      const r = trial < 30 ? 1 + (trial % 5) : 5 + Math.floor(random() * 10);
      const src = randomGrid(r, 0.05 + 0.55 * random(), random);
      expectFusedEqualsKernels(src, perturb(src, 0.05 + 0.55 * random(), random), r, `trial ${trial}`);
    }
  });

  it('on adversarial 64³ diffs and a random 128³ pair', () => {
    const r = 64;
    const zero = new Uint8Array(r ** 3);
    for (const [name, g] of [
      ['empty', zero],
      ['full', new Uint8Array(r ** 3).fill(1)],
      ['checkerboard', checkerboard(r)],
      ['snake', snake(r)],
      ['shells', nestedShells(r)],
      ['face slabs', faceSlabs(r)],
    ] as const) {
      expectFusedEqualsKernels(zero, g, r, name);
      expectFusedEqualsKernels(g, zero, r, `${name} removed`);
    }
    const random = seededRandom(128);
    const src = randomGrid(128, 0.4, random);
    expectFusedEqualsKernels(src, perturb(src, 0.3, random), 128, 'random 128³');
  });
});
