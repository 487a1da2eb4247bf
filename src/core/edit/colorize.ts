/**
 * Colours of an edited grid without an appearance model (stage 2 comes later, DESIGN §1): voxels the
 * source had keep their colour exactly (Voxel-Merge's promise), and a new voxel takes the colour the
 * person painted where it projects into the target view; a new voxel the paint does not explain takes
 * the colour of the nearest source voxel, so an added leg looks like the other legs.
 */
import type { VoxelGrid } from '../grid';
import { VIEW_SPEC } from '../render/view-spec';
import { voxelPixels } from './voxel-pixels';

export { projectVoxel } from './voxel-pixels';

export interface ViewImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** Pixels where the person changed the view to something other than background: their paint. */
export function paintedPixels(sourceView: ViewImage, targetView: ViewImage): Uint8Array {
  const n = targetView.width * targetView.height;
  const [br, bg, bb] = VIEW_SPEC.background;
  const painted = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const r = targetView.data[4 * i];
    const g = targetView.data[4 * i + 1];
    const b = targetView.data[4 * i + 2];
    const changed =
      r !== sourceView.data[4 * i] || g !== sourceView.data[4 * i + 1] || b !== sourceView.data[4 * i + 2];
    const background = r === br && g === bg && b === bb;
    painted[i] = changed && !background ? 1 : 0;
  }
  return painted;
}

const NEUTRAL = [160, 160, 160] as const;

/**
 * The colour every voxel would have if it were occupied: source voxels their own colour, new voxels
 * the paint (when `view` and both images are given) or their nearest source voxel's colour, found by
 * a breadth-first flood from every coloured voxel (6-neighbourhood, so ties break by order). It does
 * not depend on which voxels the edit keeps, so one field serves the raw output and every τ.
 */
export function colorField(
  source: VoxelGrid,
  paint?: { view: number; sourceView: ViewImage; targetView: ViewImage },
): Uint8Array {
  const R = source.resolution;
  const n = R * R * R;
  const colors = new Uint8Array(3 * n);
  const known = new Uint8Array(n);
  // Voxels whose colour is final: source voxels and painted voxels (paint may be pure black).
  const fixed = new Uint8Array(n);
  const queue = new Int32Array(n);
  let tail = 0;
  for (let i = 0; i < n; i++) {
    if (source.occupancy[i] === 0) continue;
    colors[3 * i] = source.colors[3 * i];
    colors[3 * i + 1] = source.colors[3 * i + 1];
    colors[3 * i + 2] = source.colors[3 * i + 2];
    known[i] = 1;
    fixed[i] = 1;
    queue[tail++] = i;
  }
  if (paint) {
    const painted = paintedPixels(paint.sourceView, paint.targetView);
    const pixels = voxelPixels(R, paint.view);
    for (let i = 0; i < n; i++) {
      if (source.occupancy[i] !== 0) continue;
      const p = pixels[i];
      if (p < 0 || painted[p] === 0) continue;
      colors[3 * i] = paint.targetView.data[4 * p];
      colors[3 * i + 1] = paint.targetView.data[4 * p + 1];
      colors[3 * i + 2] = paint.targetView.data[4 * p + 2];
      fixed[i] = 1;
    }
  }
  if (tail === 0) {
    for (let i = 0; i < n; i++) if (!fixed[i]) colors.set(NEUTRAL, 3 * i);
    return colors;
  }
  let head = 0;
  const steps = [1, -1, R, -R, R * R, -R * R];
  while (head < tail) {
    const i = queue[head++];
    const x = i % R;
    const y = Math.floor(i / R) % R;
    const z = Math.floor(i / (R * R));
    for (let d = 0; d < 6; d++) {
      const axis = d >> 1;
      const c = axis === 0 ? x : axis === 1 ? y : z;
      if ((d & 1) === 0 ? c === R - 1 : c === 0) continue;
      const j = i + steps[d];
      if (known[j]) continue;
      known[j] = 1;
      if (!fixed[j]) {
        colors[3 * j] = colors[3 * i];
        colors[3 * j + 1] = colors[3 * i + 1];
        colors[3 * j + 2] = colors[3 * i + 2];
      }
      queue[tail++] = j;
    }
  }
  return colors;
}

/** The field's colours where `occupancy` is set, zero elsewhere (the grid convention). */
export function colorsFor(field: Uint8Array, occupancy: Uint8Array): Uint8Array {
  const colors = new Uint8Array(field.length);
  for (let i = 0; i < occupancy.length; i++) {
    if (occupancy[i] === 0) continue;
    colors[3 * i] = field[3 * i];
    colors[3 * i + 1] = field[3 * i + 1];
    colors[3 * i + 2] = field[3 * i + 2];
  }
  return colors;
}

/** Colours for `occupancy` (the edited or merged grid): `colorField` masked by it. */
export function colorizeEdit(
  occupancy: Uint8Array,
  source: VoxelGrid,
  paint?: { view: number; sourceView: ViewImage; targetView: ViewImage },
): Uint8Array {
  return colorsFor(colorField(source, paint), occupancy);
}
