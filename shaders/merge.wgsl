// Voxel-Merge kernels (Nano3D region-aware fusion, DESIGN §4). src/gpu/merge-kernels.ts dispatches
// them in this order, all in one compute pass: init → uniteNeighbours → flatten (+ root counts) →
// verify → scanBlocks → assignIds → stats → largest → keep → maskMerge. The CPU twin is src/core/merge;
// every output here equals it bit for bit (tests/gpu/merge.spec.ts).
//
// Grids are packed four voxels to a u32: voxel i is byte (i & 3) of word i >> 2, little-endian, i.e.
// the CPU's Uint8Array uploaded as it is. The per-word kernels give one word to each invocation and
// 256 words (a "chunk" of 1024 voxels) to each workgroup.
//
// Labels are canonical: the smallest voxel index (x + R·(y + R·z)) of each 6-connected component;
// background is 0xFFFFFFFF (-1 as i32, the twin's BACKGROUND). The union-find keeps
// labels[j] ≤ j at every moment (init writes j or a smaller run start; atomicMin only lowers), so
// each tree's root is its minimum and the final root is the canonical label, whatever order the
// unions run in.

struct Params {
  res: u32,
  plane: u32, // res²
  words: u32, // ceil(res³ / 4)
  chunks: u32, // ceil(words / 256)
  capacity: u32, // rows in `table`
  rule: u32, // 0 fixed, 1 adaptive
  fixedMin: u32, // fixed rule: keep iff size ≥ fixedMin (= ceil τ)
  pad: u32,
  // Adaptive rule: candidate thresholds floor(τ / 2^(k0 + j)) + 1 for j = 0..31 (see merge-kernels.ts);
  // the first one the largest component reaches is the rule's "size > τ_eff" as "size ≥ K".
  adaptiveMin: array<vec4<u32>, 8>,
}

const NONE: u32 = 0xffffffffu;
const WG: u32 = 256u;
const CHUNK: u32 = 1024u;
const ROW: u32 = 8u; // u32s per table row: label, size, removed, min x, min y, max x, max y, max z

// header slots
const H_CHANGED: u32 = 0u;
const H_COUNT: u32 = 1u;
const H_LARGEST: u32 = 2u;
const H_MIN: u32 = 3u; // threshold the keep kernel applied (size ≥ H_MIN)
const H_STEP: u32 = 4u; // adaptive: index j of the threshold taken

@group(0) @binding(0) var<uniform> params: Params;
@group(0) @binding(1) var<storage, read> srcW: array<u32>;
@group(0) @binding(2) var<storage, read> editW: array<u32>;
@group(0) @binding(3) var<storage, read_write> diffW: array<u32>;
@group(0) @binding(4) var<storage, read_write> labels: array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> ids: array<u32>;
@group(0) @binding(6) var<storage, read_write> table: array<atomic<u32>>;
@group(0) @binding(7) var<storage, read_write> header: array<atomic<u32>>;
@group(0) @binding(8) var<storage, read_write> blocks: array<u32>;
@group(0) @binding(9) var<storage, read_write> keepW: array<u32>;
@group(0) @binding(10) var<storage, read_write> maskW: array<u32>;
@group(0) @binding(11) var<storage, read_write> mergedW: array<u32>;
@group(0) @binding(12) var<storage, read_write> args: array<u32>;

var<workgroup> scanBuf: array<u32, 256>;
var<workgroup> runTotals: array<u32, 16>;
var<workgroup> wgCount: atomic<u32>;
var<workgroup> leadPos: atomic<u32>;
var<workgroup> leadAgg: array<atomic<u32>, 7>;

fn byteOf(word: u32, b: u32) -> u32 {
  return (word >> (8u * b)) & 0xffu;
}

fn fg(i: u32) -> bool {
  return byteOf(diffW[i >> 2u], i & 3u) != 0u;
}

// Dispatches may be 2-D (65535 workgroups per dimension); these give the linear indices.
fn groupIndex(wid: vec3u, nwg: vec3u) -> u32 {
  return wid.x + wid.y * nwg.x;
}

fn wordIndex(wid: vec3u, nwg: vec3u, t: u32) -> u32 {
  return groupIndex(wid, nwg) * WG + t;
}

// Workgroup scans (max or sum) in two levels: 16 invocations each scan a run of 16 values, then every
// invocation adds up the run totals before its own. Two barriers instead of the 16 a Hillis–Steele
// scan takes: barriers are cheap on GPUs but slow on SwiftShader, where CI runs these kernels.
// Returns (inclusive, exclusive) for invocation t.
fn scan(t: u32, value: u32, isMax: bool) -> vec2u {
  scanBuf[t] = value;
  workgroupBarrier();
  if (t < 16u) {
    var acc = 0u;
    for (var k = 0u; k < 16u; k++) {
      let v = scanBuf[16u * t + k];
      acc = select(acc + v, max(acc, v), isMax);
      scanBuf[16u * t + k] = acc;
    }
    runTotals[t] = acc;
  }
  workgroupBarrier();
  var before = 0u;
  for (var q = 0u; q < t / 16u; q++) {
    before = select(before + runTotals[q], max(before, runTotals[q]), isMax);
  }
  let within = scanBuf[t];
  var exclusive = before;
  if ((t & 15u) != 0u) {
    let prev = scanBuf[t - 1u];
    exclusive = select(before + prev, max(before, prev), isMax);
  }
  return vec2u(select(before + within, max(before, within), isMax), exclusive);
}

// ---- labelling ------------------------------------------------------------------------------

// XOR diff, and init with the x-direction unions already done: a foreground voxel starts pointing
// at the first voxel of its x-run inside the chunk (the chunk's first voxel counts as a run start;
// `unite` joins runs across chunk edges). That takes the longest chains a one-voxel-per-thread
// union would build (whole rows) out of the union-find, and one workgroup-wide max-scan finds them.
@compute @workgroup_size(256)
fn init(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let chunk = groupIndex(wid, nwg);
  if (chunk >= params.chunks) {
    return;
  }
  let w = chunk * WG + t;
  var d = 0u;
  if (w < params.words) {
    d = srcW[w] ^ editW[w];
    diffW[w] = d;
  }
  // Foreground byte of the voxel before this word; none before the chunk (its first voxel starts a run).
  var before = 0u;
  if (t > 0u && w < params.words) {
    before = byteOf(srcW[w - 1u] ^ editW[w - 1u], 3u);
  }
  // Last run start in this word, as index + 1 (0: none).
  var prev = before;
  var last = 0u;
  for (var b = 0u; b < 4u; b++) {
    let i = 4u * w + b;
    let g = byteOf(d, b);
    if (g != 0u && (prev == 0u || i % params.res == 0u)) {
      last = i + 1u;
    }
    prev = g;
  }
  var start = scan(t, last, true).y;
  if (w >= params.words) {
    return;
  }
  prev = before;
  for (var b = 0u; b < 4u; b++) {
    let i = 4u * w + b;
    let g = byteOf(d, b);
    if (g != 0u) {
      if (prev == 0u || i % params.res == 0u) {
        start = i + 1u;
      }
      atomicStore(&labels[i], start - 1u);
    } else {
      atomicStore(&labels[i], NONE);
    }
    prev = g;
  }
}

// Root of i's tree. Parents only ever decrease, so a stale read is still an ancestor and the walk
// ends; a caller that acts on a root which has meanwhile been hooked finds out from atomicMin.
fn findRoot(i: u32) -> u32 {
  var r = i;
  var p = atomicLoad(&labels[r]);
  while (p != r) {
    r = p;
    p = atomicLoad(&labels[r]);
  }
  return r;
}

// Playne & Hawick / Komura union: hook the larger root under the smaller with atomicMin. If the
// larger one had already been hooked elsewhere, atomicMin may have replaced its parent, so the old
// parent's tree is joined too (the loop goes on with it) and no connection is ever lost.
fn unite(a0: u32, b0: u32) {
  var a = findRoot(a0);
  var b = findRoot(b0);
  // Point the start voxels at their roots: later finds through them skip the walk.
  if (a != a0) {
    atomicMin(&labels[a0], a);
  }
  if (b != b0) {
    atomicMin(&labels[b0], b);
  }
  loop {
    if (a == b) {
      break;
    }
    if (a > b) {
      let s = a;
      a = b;
      b = s;
    }
    let old = atomicMin(&labels[b], a);
    if (old == b) {
      break;
    }
    b = findRoot(old);
  }
}

// Unions with the −x (only across chunk edges; init did the rest), −y and −z neighbours. A union is
// skipped where a diagonal already joins the pair: i and i−1 are x-joined, and i−1 reaches i−R
// through i−1−R, so the partition is the same with fewer finds (the twin's labelUnion does this).
@compute @workgroup_size(256)
fn uniteNeighbours(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let w = wordIndex(wid, nwg, t);
  if (w >= params.words) {
    return;
  }
  let d = diffW[w];
  if (d == 0u) {
    return;
  }
  let r = params.res;
  let rr = params.plane;
  for (var b = 0u; b < 4u; b++) {
    if (byteOf(d, b) == 0u) {
      continue;
    }
    let i = 4u * w + b;
    let x = i % r;
    let y = (i / r) % r;
    let z = i / rr;
    let hasX = x > 0u && fg(i - 1u);
    if (hasX && i % CHUNK == 0u) {
      unite(i, i - 1u);
    }
    var hasY = false;
    if (y > 0u && fg(i - r)) {
      hasY = true;
      if (!(hasX && fg(i - 1u - r))) {
        unite(i, i - r);
      }
    }
    if (z > 0u && fg(i - rr)) {
      if (!((hasX && fg(i - 1u - rr)) || (hasY && fg(i - r - rr)))) {
        unite(i, i - rr);
      }
    }
  }
}

// Path compression: every voxel points straight at its root. Roots (labels[i] == i) are final once
// the unions are done, so this pass also counts them per chunk: level 1 of the id scan below.
@compute @workgroup_size(256)
fn flatten(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let chunk = groupIndex(wid, nwg);
  if (chunk >= params.chunks) {
    return;
  }
  if (t == 0u) {
    atomicStore(&wgCount, 0u);
  }
  workgroupBarrier();
  let w = chunk * WG + t;
  if (w < params.words) {
    let d = diffW[w];
    var roots = 0u;
    for (var b = 0u; b < 4u; b++) {
      if (byteOf(d, b) != 0u) {
        let i = 4u * w + b;
        let r = findRoot(i);
        atomicStore(&labels[i], r);
        if (r == i) {
          roots++;
        }
      }
    }
    if (roots != 0u) {
      atomicAdd(&wgCount, roots);
    }
  }
  workgroupBarrier();
  if (t == 0u) {
    blocks[chunk] = atomicLoad(&wgCount);
  }
}

// The check the host loops on: any two 6-adjacent foreground voxels with different labels, or a
// label that is not its own root, sets the changed flag, and union + flatten run again. The union
// above is complete in one pass, so in practice the flag stays clear; the loop is what guarantees
// the labels, not an iteration count.
@compute @workgroup_size(256)
fn verify(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let w = wordIndex(wid, nwg, t);
  if (w >= params.words) {
    return;
  }
  let d = diffW[w];
  if (d == 0u) {
    return;
  }
  let r = params.res;
  let rr = params.plane;
  var bad = false;
  for (var b = 0u; b < 4u; b++) {
    if (byteOf(d, b) == 0u) {
      continue;
    }
    let i = 4u * w + b;
    let l = atomicLoad(&labels[i]);
    if (l > i || atomicLoad(&labels[l]) != l) {
      bad = true;
    }
    let x = i % r;
    let y = (i / r) % r;
    let z = i / rr;
    if (x > 0u && fg(i - 1u) && atomicLoad(&labels[i - 1u]) != l) {
      bad = true;
    }
    if (y > 0u && fg(i - r) && atomicLoad(&labels[i - r]) != l) {
      bad = true;
    }
    if (z > 0u && fg(i - rr) && atomicLoad(&labels[i - rr]) != l) {
      bad = true;
    }
  }
  if (bad) {
    atomicStore(&header[H_CHANGED], 1u);
  }
}

// ---- compact ids: roots numbered in ascending label order ------------------------------------

// Compact ids: root flags (labels[i] == i) are the only nonzero entries of an exclusive scan over
// voxels, so ids in scan order ascend with the canonical label, the twin's order, with no sort.
// Level 1 (roots per chunk) is counted by `flatten`.

// Level 2, one workgroup: exclusive scan of the per-chunk counts in place (each invocation takes a
// contiguous slice), the component count, and the indirect dispatch sizes of the per-component
// kernels (so they launch for the components there are, not for the grid).
@compute @workgroup_size(256)
fn scanBlocks(@builtin(local_invocation_index) t: u32) {
  let count = params.chunks;
  let per = (count + WG - 1u) / WG;
  let begin = min(t * per, count);
  let end = min(begin + per, count);
  var sum = 0u;
  for (var k = begin; k < end; k++) {
    sum += blocks[k];
  }
  let scanned = scan(t, sum, false);
  let inclusive = scanned.x;
  var run = scanned.y;
  for (var k = begin; k < end; k++) {
    let v = blocks[k];
    blocks[k] = run;
    run += v;
  }
  if (t == WG - 1u) {
    atomicStore(&header[H_COUNT], inclusive);
    let rows = min(inclusive, params.capacity);
    // largest: one invocation per component; keep: one per four (a word of keep bytes).
    args[0] = (rows + WG - 1u) / WG;
    args[1] = 1u;
    args[2] = 1u;
    args[3] = ((rows + 3u) / 4u + WG - 1u) / WG;
    args[4] = 1u;
    args[5] = 1u;
  }
}

// Level 3: ids within the chunk by a workgroup scan, offset by the chunk's scanned count. Each
// root also opens its table row (stats accumulates into it in the next dispatch).
@compute @workgroup_size(256)
fn assignIds(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let chunk = groupIndex(wid, nwg);
  if (chunk >= params.chunks) {
    return;
  }
  let w = chunk * WG + t;
  var d = 0u;
  var roots = 0u; // bit b: voxel b of the word is a root
  var c = 0u;
  if (w < params.words) {
    d = diffW[w];
    for (var b = 0u; b < 4u; b++) {
      let i = 4u * w + b;
      if (byteOf(d, b) != 0u && atomicLoad(&labels[i]) == i) {
        roots |= 1u << b;
        c++;
      }
    }
  }
  var id = blocks[chunk] + scan(t, c, false).y;
  for (var b = 0u; b < 4u; b++) {
    if ((roots & (1u << b)) == 0u) {
      continue;
    }
    let i = 4u * w + b;
    ids[i] = id;
    if (id < params.capacity) {
      let row = id * ROW;
      atomicStore(&table[row], i);
      atomicStore(&table[row + 1u], 0u);
      atomicStore(&table[row + 2u], 0u);
      atomicStore(&table[row + 3u], NONE);
      atomicStore(&table[row + 4u], NONE);
      atomicStore(&table[row + 5u], 0u);
      atomicStore(&table[row + 6u], 0u);
      atomicStore(&table[row + 7u], 0u);
    }
    id++;
  }
}

// ---- per-component statistics ----------------------------------------------------------------

struct Agg {
  size: u32,
  removed: u32,
  minX: u32,
  minY: u32,
  maxX: u32,
  maxY: u32,
  maxZ: u32,
}

fn emptyAgg() -> Agg {
  return Agg(0u, 0u, NONE, NONE, 0u, 0u, 0u);
}

fn flushGlobal(c: u32, a: Agg) {
  let row = c * ROW;
  atomicAdd(&table[row + 1u], a.size);
  if (a.removed != 0u) {
    atomicAdd(&table[row + 2u], a.removed);
  }
  atomicMin(&table[row + 3u], a.minX);
  atomicMin(&table[row + 4u], a.minY);
  atomicMax(&table[row + 5u], a.maxX);
  atomicMax(&table[row + 6u], a.maxY);
  atomicMax(&table[row + 7u], a.maxZ);
}

fn flushLead(a: Agg) {
  atomicAdd(&leadAgg[0], a.size);
  atomicAdd(&leadAgg[1], a.removed);
  atomicMin(&leadAgg[2], a.minX);
  atomicMin(&leadAgg[3], a.minY);
  atomicMax(&leadAgg[4], a.maxX);
  atomicMax(&leadAgg[5], a.maxY);
  atomicMax(&leadAgg[6], a.maxZ);
}

// Size, removed count (added = size − removed: every diff voxel is one or the other) and bounding
// box (min z is the label's z: the label is the component's smallest index). Big components would
// serialize on their row's atomics, so each workgroup first sums, in workgroup memory, the voxels of
// one "lead" component (that of its first foreground voxel: in a solid region, all of them) and
// adds them to the row once; each invocation also merges consecutive voxels of one component.
@compute @workgroup_size(256)
fn stats(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let chunk = groupIndex(wid, nwg);
  if (chunk >= params.chunks) {
    return;
  }
  if (t == 0u) {
    atomicStore(&leadPos, NONE);
    atomicStore(&leadAgg[0], 0u);
    atomicStore(&leadAgg[1], 0u);
    atomicStore(&leadAgg[2], NONE);
    atomicStore(&leadAgg[3], NONE);
    atomicStore(&leadAgg[4], 0u);
    atomicStore(&leadAgg[5], 0u);
    atomicStore(&leadAgg[6], 0u);
  }
  workgroupBarrier();
  let w = chunk * WG + t;
  var d = 0u;
  var s = 0u;
  if (w < params.words) {
    d = diffW[w];
    s = srcW[w];
  }
  if (d != 0u) {
    atomicMin(&leadPos, 4u * w + firstTrailingBit(d) / 8u);
  }
  workgroupBarrier();
  let lp = atomicLoad(&leadPos);
  var lead = NONE;
  if (lp != NONE) {
    lead = ids[atomicLoad(&labels[lp])];
  }
  var leadSum = emptyAgg();
  var cur = NONE;
  var acc = emptyAgg();
  let r = params.res;
  for (var b = 0u; b < 4u; b++) {
    if (byteOf(d, b) == 0u) {
      continue;
    }
    let i = 4u * w + b;
    let c = ids[atomicLoad(&labels[i])];
    if (c != cur) {
      if (cur == lead) {
        leadSum = mergeAgg(leadSum, acc);
      } else if (cur < params.capacity) {
        flushGlobal(cur, acc);
      }
      cur = c;
      acc = emptyAgg();
    }
    let x = i % r;
    let y = (i / r) % r;
    let z = i / params.plane;
    acc.size += 1u;
    acc.removed += byteOf(s, b);
    acc.minX = min(acc.minX, x);
    acc.minY = min(acc.minY, y);
    acc.maxX = max(acc.maxX, x);
    acc.maxY = max(acc.maxY, y);
    acc.maxZ = max(acc.maxZ, z);
  }
  if (cur != NONE) {
    if (cur == lead) {
      leadSum = mergeAgg(leadSum, acc);
    } else if (cur < params.capacity) {
      flushGlobal(cur, acc);
    }
  }
  if (leadSum.size != 0u) {
    flushLead(leadSum);
  }
  workgroupBarrier();
  if (t == 0u && lead < params.capacity) {
    let total = Agg(
      atomicLoad(&leadAgg[0]),
      atomicLoad(&leadAgg[1]),
      atomicLoad(&leadAgg[2]),
      atomicLoad(&leadAgg[3]),
      atomicLoad(&leadAgg[4]),
      atomicLoad(&leadAgg[5]),
      atomicLoad(&leadAgg[6]),
    );
    flushGlobal(lead, total);
  }
}

fn mergeAgg(a: Agg, b: Agg) -> Agg {
  return Agg(
    a.size + b.size,
    a.removed + b.removed,
    min(a.minX, b.minX),
    min(a.minY, b.minY),
    max(a.maxX, b.maxX),
    max(a.maxY, b.maxY),
    max(a.maxZ, b.maxZ),
  );
}

// ---- τ filtering and the merge ---------------------------------------------------------------

fn componentRows() -> u32 {
  return min(atomicLoad(&header[H_COUNT]), params.capacity);
}

// Largest component size (for the adaptive rule), one atomicMax per workgroup. Indirect dispatch.
@compute @workgroup_size(256)
fn largest(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  if (t == 0u) {
    atomicStore(&wgCount, 0u);
  }
  workgroupBarrier();
  let c = wordIndex(wid, nwg, t);
  if (c < componentRows()) {
    atomicMax(&wgCount, atomicLoad(&table[c * ROW + 1u]));
  }
  workgroupBarrier();
  if (t == 0u) {
    let m = atomicLoad(&wgCount);
    if (m != 0u) {
      atomicMax(&header[H_LARGEST], m);
    }
  }
}

// Both τ rules as "keep iff size ≥ K" for an integer K the host derived exactly from τ (sizes are
// integers: size ≥ τ ⟺ size ≥ ⌈τ⌉, size > t ⟺ size ≥ ⌊t⌋ + 1). Every invocation picks the same K.
fn threshold() -> vec2u {
  if (params.rule == 0u) {
    return vec2u(params.fixedMin, 0u);
  }
  let big = atomicLoad(&header[H_LARGEST]);
  for (var j = 0u; j < 32u; j++) {
    let k = params.adaptiveMin[j >> 2u][j & 3u];
    if (big >= k) {
      return vec2u(k, j);
    }
  }
  return vec2u(1u, 31u);
}

// keep bytes, four components to a word (the layout the host uploads for a re-merge).
@compute @workgroup_size(256)
fn keep(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let q = wordIndex(wid, nwg, t);
  let rows = componentRows();
  if (4u * q >= rows) {
    return;
  }
  let k = threshold();
  if (q == 0u) {
    atomicStore(&header[H_MIN], k.x);
    atomicStore(&header[H_STEP], k.y);
  }
  var word = 0u;
  for (var b = 0u; b < 4u; b++) {
    let c = 4u * q + b;
    if (c < rows && atomicLoad(&table[c * ROW + 1u]) >= k.x) {
      word |= 1u << (8u * b);
    }
  }
  keepW[q] = word;
}

// m = voxels of kept components; s_tgt = s_src ⊕ m. Also the whole re-merge for a new τ.
@compute @workgroup_size(256)
fn maskMerge(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  let w = wordIndex(wid, nwg, t);
  if (w >= params.words) {
    return;
  }
  let d = diffW[w];
  var m = 0u;
  if (d != 0u) {
    for (var b = 0u; b < 4u; b++) {
      if (byteOf(d, b) == 0u) {
        continue;
      }
      let c = ids[atomicLoad(&labels[4u * w + b])];
      if (c < params.capacity && byteOf(keepW[c >> 2u], c & 3u) != 0u) {
        m |= 1u << (8u * b);
      }
    }
  }
  maskW[w] = m;
  mergedW[w] = srcW[w] ^ m;
}
