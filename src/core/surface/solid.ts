/**
 * From a surface-shell occupancy grid to the solid whose boundary surface extraction meshes.
 *
 * The shell (DESIGN §3) is the set of voxels the surface passes through, 1–2 voxels thick. Meshing
 * the shell itself would give every closed object two walls (outside and inside the shell), so the
 * interior is filled first: empty voxels 6-connected to the grid border are "outside", everything
 * else is solid. Open surfaces (a plate, a leaking shell) stay as they are and are meshed as thin
 * closed slabs around the shell, so nothing occupied ever vanishes.
 *
 * The solid is then made *well-composed* (Latecki): no 2×2 face with two diagonal solid voxels and
 * two diagonal empty ones, and no 2×2×2 block whose only solid (or only empty) voxels are a body
 * diagonal pair. In a well-composed solid every 2×2×2 block holds at most one surface sheet and every
 * 2×2 face at most one crossing, so the dual mesh built on it is a closed 2-manifold: watertight,
 * every edge in exactly two faces. Critical blocks are repaired by adding solid voxels (never by
 * removing any, so thin features survive); each added voxel touches a face of the critical block's
 * solid, so the surface moves by at most about a voxel there.
 *
 * Everything works on a padded grid of side P = R + 2 with an empty border layer, so objects that
 * touch the grid's faces are closed too.
 */

/** Voxel states in the padded grid. */
export const OUTSIDE = 0;
export const SHELL = 1;
export const INTERIOR = 2;
export const ADDED = 3;
/** Empty voxels not yet reached by the outside flood; only seen during `floodOutside`. */
const UNREACHED = 4;

export interface PaddedSolid {
  /** Side of the padded grid, R + 2. */
  side: number;
  /** OUTSIDE, SHELL, INTERIOR or ADDED per padded voxel; index = X + P·(Y + P·Z), X = x + 1. */
  state: Uint8Array;
  /** Voxels filled because no outside path reached them (cavities of closed shells). */
  interior: number;
  /** Voxels added to make the solid well-composed. */
  added: number;
}

/** Corner k of a 2×2×2 block sits at offset (k & 1, (k >> 1) & 1, k >> 2). */
const FACES: readonly (readonly [number, number, number, number])[] = [
  // Each face as a cycle a-b-c-d: a,c and b,d are its diagonals.
  [0, 1, 3, 2], // z = 0
  [4, 5, 7, 6], // z = 1
  [0, 1, 5, 4], // y = 0
  [2, 3, 7, 6], // y = 1
  [0, 2, 6, 4], // x = 0
  [1, 3, 7, 5], // x = 1
];

/**
 * For each 8-bit block mask (bit k set = corner k solid): the corner to fill to work towards a
 * well-composed block, or -1 when the block is not critical. A critical face is repaired by filling
 * its lower empty corner (which touches both of its solid corners); a body-diagonal pair by filling
 * the lowest empty corner. Filling one corner may leave (or make) another critical face; the caller
 * re-examines the block until it is clean, and termination follows from only ever adding voxels.
 */
export const REPAIR_CORNER: Int8Array = (() => {
  const table = new Int8Array(256).fill(-1);
  for (let mask = 1; mask < 255; mask++) {
    const solid = (k: number) => (mask >> k) & 1;
    for (const [a, b, c, d] of FACES) {
      if (solid(a) === solid(c) && solid(b) === solid(d) && solid(a) !== solid(b)) {
        const [e1, e2] = solid(a) ? [b, d] : [a, c];
        table[mask] = Math.min(e1, e2);
        break;
      }
    }
    if (table[mask] >= 0) continue;
    let count = 0;
    for (let k = 0; k < 8; k++) count += solid(k);
    for (const [p, q] of [
      [0, 7],
      [1, 6],
      [2, 5],
      [3, 4],
    ]) {
      const pairSolid = count === 2 && solid(p) && solid(q);
      const pairEmpty = count === 6 && !solid(p) && !solid(q);
      if (pairSolid || pairEmpty) {
        for (let k = 0; k < 8; k++) {
          if (!solid(k)) {
            table[mask] = k;
            break;
          }
        }
      }
    }
  }
  return table;
})();

/**
 * Marks every empty voxel 6-connected to the padded border as OUTSIDE and every other empty voxel
 * as INTERIOR; returns how many became INTERIOR. Empty voxels must be OUTSIDE or UNREACHED on entry.
 */
function floodOutside(state: Uint8Array, P: number, queue: Int32Array): number {
  const P2 = P * P;
  for (let i = 0; i < state.length; i++) if (state[i] === OUTSIDE) state[i] = UNREACHED;
  // The border layer is all padding, hence outside. Seeding the queue with the empty voxels just
  // inside it means every queued voxel is off the border, so its six neighbours need no bounds check.
  let tail = 0;
  for (let z = 0; z < P; z++) {
    for (let y = 0; y < P; y++) {
      const onBorderYZ = z === 0 || z === P - 1 || y === 0 || y === P - 1;
      for (let x = 0; x < P; x++) {
        const i = x + P * (y + P * z);
        if (onBorderYZ || x === 0 || x === P - 1) {
          state[i] = OUTSIDE;
          continue;
        }
        const nextToBorder = z === 1 || z === P - 2 || y === 1 || y === P - 2 || x === 1 || x === P - 2;
        if (nextToBorder && state[i] === UNREACHED) {
          state[i] = OUTSIDE;
          queue[tail++] = i;
        }
      }
    }
  }
  let head = 0;
  while (head < tail) {
    const i = queue[head++];
    if (state[i - 1] === UNREACHED) {
      state[i - 1] = OUTSIDE;
      queue[tail++] = i - 1;
    }
    if (state[i + 1] === UNREACHED) {
      state[i + 1] = OUTSIDE;
      queue[tail++] = i + 1;
    }
    if (state[i - P] === UNREACHED) {
      state[i - P] = OUTSIDE;
      queue[tail++] = i - P;
    }
    if (state[i + P] === UNREACHED) {
      state[i + P] = OUTSIDE;
      queue[tail++] = i + P;
    }
    if (state[i - P2] === UNREACHED) {
      state[i - P2] = OUTSIDE;
      queue[tail++] = i - P2;
    }
    if (state[i + P2] === UNREACHED) {
      state[i + P2] = OUTSIDE;
      queue[tail++] = i + P2;
    }
  }
  let filled = 0;
  for (let i = 0; i < state.length; i++) {
    if (state[i] === UNREACHED) {
      state[i] = INTERIOR;
      filled++;
    }
  }
  return filled;
}

/**
 * The four voxels of the block column at padded index i (x fixed, y..y+1, z..z+1) as the bits of
 * corners 0, 2, 4, 6; shifted left by one they are corners 1, 3, 5, 7 of the block to the left.
 * Scanning along x, a block's mask is column(x) | column(x + 1) << 1: four reads, not eight.
 */
export function blockColumn(state: Uint8Array, i: number, P: number): number {
  const P2 = P * P;
  return (
    (state[i] !== OUTSIDE ? 1 : 0) |
    (state[i + P] !== OUTSIDE ? 4 : 0) |
    (state[i + P2] !== OUTSIDE ? 16 : 0) |
    (state[i + P2 + P] !== OUTSIDE ? 64 : 0)
  );
}

/** Bit mask of the solid corners of the block whose lowest corner is padded voxel `i`. */
export function blockMask(state: Uint8Array, i: number, P: number): number {
  const P2 = P * P;
  return (
    (state[i] !== OUTSIDE ? 1 : 0) |
    (state[i + 1] !== OUTSIDE ? 2 : 0) |
    (state[i + P] !== OUTSIDE ? 4 : 0) |
    (state[i + P + 1] !== OUTSIDE ? 8 : 0) |
    (state[i + P2] !== OUTSIDE ? 16 : 0) |
    (state[i + P2 + 1] !== OUTSIDE ? 32 : 0) |
    (state[i + P2 + P] !== OUTSIDE ? 64 : 0) |
    (state[i + P2 + P + 1] !== OUTSIDE ? 128 : 0)
  );
}

/**
 * Builds the padded, filled, well-composed solid of a shell grid.
 * @param fillInterior false meshes the shell as it is (both walls of a closed shell).
 */
export function buildSolid(occupancy: Uint8Array, R: number, fillInterior = true): PaddedSolid {
  const P = R + 2;
  const P2 = P * P;
  const state = new Uint8Array(P * P2);
  for (let z = 0; z < R; z++) {
    for (let y = 0; y < R; y++) {
      const src = R * (y + R * z);
      const dst = 1 + P * (y + 1 + P * (z + 1));
      for (let x = 0; x < R; x++) if (occupancy[src + x] !== 0) state[dst + x] = SHELL;
    }
  }
  const queue = new Int32Array(P * P2);
  const interior = fillInterior ? floodOutside(state, P, queue) : 0;

  // Blocks are indexed by their lowest corner, which ranges over [0, P-2]³ of the padded grid.
  // Critical blocks are rare, so one sweep finds them and a FIFO of blocks around each added voxel
  // re-examines only what an addition can have changed.
  const cellOffsets = [0, 1, P, P + 1, P2, P2 + 1, P2 + P, P2 + P + 1];
  const queued = new Uint8Array(P * P2);
  let head = 0;
  let tail = 0;
  let added = 0;
  const fix = (i: number): void => {
    for (;;) {
      const corner = REPAIR_CORNER[blockMask(state, i, P)];
      if (corner < 0) return;
      const v = i + cellOffsets[corner];
      state[v] = ADDED;
      added++;
      // The 8 blocks that contain voxel v; blocks at the padded border never hold a critical
      // configuration (their outer layer is empty and every critical corner to fill lies between
      // solid voxels), so v is never on the border and v - P2 - P - 1 is a valid block.
      for (const offset of cellOffsets) {
        const b = v - offset;
        if (queued[b] === 0) {
          queued[b] = 1;
          queue[tail++ % queue.length] = b;
        }
      }
    }
  };
  for (let z = 0; z < P - 1; z++) {
    for (let y = 0; y < P - 1; y++) {
      const row = P * (y + P * z);
      let low = blockColumn(state, row, P);
      for (let x = 0; x < P - 1; x++) {
        let high = blockColumn(state, row + x + 1, P);
        if (REPAIR_CORNER[low | (high << 1)] >= 0) {
          fix(row + x);
          high = blockColumn(state, row + x + 1, P);
        }
        low = high;
      }
    }
  }
  while (head < tail) {
    const b = queue[head++ % queue.length];
    queued[b] = 0;
    fix(b);
  }
  // Additions can close off pockets of outside; fill them like any cavity (this creates no new
  // critical block: a pocket voxel has no outside voxel in any block it belongs to).
  const pockets = added > 0 && fillInterior ? floodOutside(state, P, queue) : 0;
  return { side: P, state, interior: interior + pockets, added };
}
