// Draws the PWA icons into public/icons/ (run: `node scripts/make-icons.mjs`): an isometric 3×3×3
// voxel cube with one cell in a warm colour, the "edit". Drawn here rather than shipped from a design
// tool so the icons have a provenance and stay byte-identical on every run (pngjs writes no dates).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PNG } from 'pngjs';

const root = new URL('..', import.meta.url).pathname;
const out = join(root, 'public', 'icons');

const background = [0x11, 0x13, 0x18];
// Top, left and right faces: the app's accent, lit from the top left.
const faces = [
  [0x9c, 0xc4, 0xff],
  [0x6e, 0xa8, 0xff],
  [0x3f, 0x6f, 0xc0],
];
const edited = [
  [0xff, 0xc9, 0x8a],
  [0xff, 0xa8, 0x5c],
  [0xd9, 0x7a, 0x2e],
];
const CELLS = 3;
const GAP = 0.07; // fraction of a cell left dark between voxels, so the grid reads at 48 px

/** The three visible faces of an isometric cube as parallelograms: origin + u·e1 + v·e2. */
function cubeFaces(cx, cy, s) {
  const w = (s * Math.sqrt(3)) / 2;
  const top = [cx, cy - s];
  const centre = [cx, cy];
  const left = [cx - w, cy - s / 2];
  const right = [cx + w, cy - s / 2];
  const bottom = [cx, cy + s];
  const sub = (a, b) => [a[0] - b[0], a[1] - b[1]];
  return [
    { origin: left, e1: sub(top, left), e2: sub(centre, left) },
    { origin: left, e1: sub(centre, left), e2: [0, s] },
    { origin: centre, e1: sub(right, centre), e2: sub(bottom, centre) },
  ].map((f) => ({ ...f, det: f.e1[0] * f.e2[1] - f.e1[1] * f.e2[0] }));
}

/** Face index and cell colour at a point, or null where the background shows. */
function shade(x, y, cube) {
  for (let i = 0; i < cube.length; i++) {
    const { origin, e1, e2, det } = cube[i];
    const dx = x - origin[0];
    const dy = y - origin[1];
    const u = (dx * e2[1] - dy * e2[0]) / det;
    const v = (e1[0] * dy - e1[1] * dx) / det;
    if (u < 0 || u >= 1 || v < 0 || v >= 1) continue;
    const cu = u * CELLS;
    const cv = v * CELLS;
    const fu = cu - Math.floor(cu);
    const fv = cv - Math.floor(cv);
    if (fu < GAP / 2 || fu > 1 - GAP / 2 || fv < GAP / 2 || fv > 1 - GAP / 2) return null;
    // The voxel at the cube's front-top corner shows on all three faces at the cells touching the centre.
    const corner =
      (i === 0 && Math.floor(cu) === 0 && Math.floor(cv) === CELLS - 1) ||
      (i === 1 && Math.floor(cu) === CELLS - 1 && Math.floor(cv) === 0) ||
      (i === 2 && Math.floor(cu) === 0 && Math.floor(cv) === 0);
    return corner ? edited[i] : faces[i];
  }
  return null;
}

function insideRounded(x, y, size, radius) {
  const qx = Math.max(radius - x, 0, x - (size - radius));
  const qy = Math.max(radius - y, 0, y - (size - radius));
  return qx * qx + qy * qy <= radius * radius;
}

/**
 * `maskable`: full-bleed background with the cube inside the 80 % safe circle, because launchers crop
 * maskable icons to any shape; otherwise a rounded tile on transparency.
 */
function draw(size, maskable) {
  const png = new PNG({ width: size, height: size });
  const cubeSize = maskable ? size * 0.27 : size * 0.34;
  const cube = cubeFaces(size / 2, size / 2, cubeSize);
  const radius = size * 0.22;
  const samples = 4; // 4×4 supersampling for smooth edges
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const x = px + (sx + 0.5) / samples;
          const y = py + (sy + 0.5) / samples;
          if (!maskable && !insideRounded(x, y, size, radius)) continue;
          const colour = shade(x, y, cube) ?? background;
          r += colour[0];
          g += colour[1];
          b += colour[2];
          a += 1;
        }
      }
      const at = (py * size + px) * 4;
      const n = samples * samples;
      // Colour is averaged over covered samples only, so edges fade in alpha rather than darken.
      png.data[at] = a ? Math.round(r / a) : 0;
      png.data[at + 1] = a ? Math.round(g / a) : 0;
      png.data[at + 2] = a ? Math.round(b / a) : 0;
      png.data[at + 3] = Math.round((255 * a) / n);
    }
  }
  return PNG.sync.write(png, { colorType: 6 });
}

mkdirSync(out, { recursive: true });
for (const [name, size, maskable] of [
  ['icon-192.png', 192, false],
  ['icon-512.png', 512, false],
  ['maskable-192.png', 192, true],
  ['maskable-512.png', 512, true],
]) {
  const bytes = draw(size, maskable);
  writeFileSync(join(out, name), bytes);
  process.stdout.write(`public/icons/${name}: ${size}×${size}, ${bytes.length} bytes\n`);
}
