import { describe, expect, it } from 'vitest';
import { assignIds, componentStats, listComponents, sizeHistogram } from './components';
import { BACKGROUND, labelByKernels, xorDiff } from './label';
import { bfsLabels, perturb, randomGrid, seededRandom } from './testing';

/** Stats straight from the BFS labels, one Map per quantity: slow and obviously right. */
function referenceStats(labels: Int32Array, src: Uint8Array, r: number) {
  const byLabel = new Map<number, { size: number; removed: number; min: number[]; max: number[] }>();
  for (let i = 0; i < labels.length; i++) {
    const l = labels[i];
    if (l === BACKGROUND) continue;
    const p = [i % r, Math.floor(i / r) % r, Math.floor(i / (r * r))];
    const s = byLabel.get(l) ?? { size: 0, removed: 0, min: [r, r, r], max: [-1, -1, -1] };
    s.size++;
    s.removed += src[i];
    for (let a = 0; a < 3; a++) {
      s.min[a] = Math.min(s.min[a], p[a]);
      s.max[a] = Math.max(s.max[a], p[a]);
    }
    byLabel.set(l, s);
  }
  return [...byLabel.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([label, s]) => ({
      label,
      size: s.size,
      added: s.size - s.removed,
      removed: s.removed,
      bbox: { min: s.min, max: s.max },
    }));
}

describe('component ids and statistics', () => {
  it('numbers components 0…K−1 in ascending label order and matches a reference on random diffs', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const r = 5 + Math.floor(random() * 10);
      const src = randomGrid(r, 0.1 + random() * 0.5, random);
      const edited = perturb(src, 0.05 + random() * 0.4, random);
      const diff = xorDiff(src, edited);
      const labels = labelByKernels(diff, r);
      const ids = new Int32Array(labels.length);
      const count = assignIds(labels, ids);
      const table = componentStats(ids, count, src, r);
      const expected = referenceStats(bfsLabels(diff, r), src, r);
      expect(count).toBe(expected.length);
      const got = listComponents(table).map(({ id, ...rest }) => {
        expect(rest.label).toBe(expected[id].label);
        return rest;
      });
      expect(got).toEqual(expected);
      for (let i = 0; i < ids.length; i++) {
        if (
          ids[i] !==
          (labels[i] === BACKGROUND ? BACKGROUND : expected.findIndex((e) => e.label === labels[i]))
        ) {
          throw new Error(`trial ${trial}: voxel ${i} has id ${ids[i]}`);
        }
      }
    }
  });

  it('counts added and removed voxels separately', () => {
    // 1×1×4 line in a 4³ grid: voxels 0,1 removed from the source, 2,3 added by the edit.
    const r = 4;
    const src = new Uint8Array(64);
    const edited = new Uint8Array(64);
    src[0] = src[1] = 1;
    edited[2] = edited[3] = 1;
    const diff = xorDiff(src, edited);
    const ids = new Int32Array(64);
    const table = componentStats(ids, assignIds(labelByKernels(diff, r), ids), src, r);
    expect(listComponents(table)).toEqual([
      { id: 0, label: 0, size: 4, added: 2, removed: 2, bbox: { min: [0, 0, 0], max: [3, 0, 0] } },
    ]);
  });

  it('lists the largest components first when limited', () => {
    const r = 8;
    const g = new Uint8Array(r ** 3);
    g[0] = 1; // size 1, id 0
    g.fill(1, 8 * 2, 8 * 2 + 5); // row y=2: size 5, id 1
    g.fill(1, 8 * 4, 8 * 4 + 3); // row y=4: size 3, id 2
    const ids = new Int32Array(g.length);
    const table = componentStats(ids, assignIds(labelByKernels(g, r), ids), new Uint8Array(g.length), r);
    expect(listComponents(table, { limit: 2 }).map((c) => [c.id, c.size])).toEqual([
      [1, 5],
      [2, 3],
    ]);
  });
});

describe('sizeHistogram', () => {
  it('bins sizes by powers of two over a fixed axis set by the grid size', () => {
    const size = Int32Array.from([1, 2, 3, 4, 7, 8, 100, 262144]);
    const count = size.length;
    const table = {
      count,
      label: new Int32Array(count),
      size,
      added: size,
      removed: new Int32Array(count),
      bbox: new Uint16Array(6 * count),
    };
    const h = sizeHistogram(table, 64 ** 3);
    expect(h.lower.length).toBe(19);
    expect(h.lower.slice(0, 4)).toEqual([1, 2, 4, 8]);
    expect(h.counts.slice(0, 8)).toEqual([1, 2, 2, 1, 0, 0, 1, 0]);
    expect(h.counts[18]).toBe(1);
    expect(h.voxels.slice(0, 4)).toEqual([1, 5, 11, 8]);
    expect(h.counts.reduce((a, b) => a + b, 0)).toBe(count);
  });
});
