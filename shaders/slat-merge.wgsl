// Slat-Merge (Nano3D, DESIGN §4): the Voxel-Merge mask reused on per-voxel features, channel-last
// (feature[i·C + c]). Voxel i takes all its channels from the source where it is in s_src and
// outside m, from the generated features elsewhere; the CPU twin is src/core/merge/slat-merge.ts.
// One invocation per float, so reads and writes are contiguous across a workgroup whatever C is.

struct SlatParams {
  channels: u32,
  total: u32, // voxels × channels
  pad0: u32,
  pad1: u32,
}

@group(0) @binding(0) var<uniform> params: SlatParams;
@group(0) @binding(1) var<storage, read> srcW: array<u32>; // 4 voxels per word, as in merge.wgsl
@group(0) @binding(2) var<storage, read> maskW: array<u32>;
@group(0) @binding(3) var<storage, read> featSrc: array<u32>; // f32 bits, copied untouched
@group(0) @binding(4) var<storage, read> featTgt: array<u32>;
@group(0) @binding(5) var<storage, read_write> featOut: array<u32>;

fn byteAt(words: u32, i: u32) -> u32 {
  return (words >> (8u * (i & 3u))) & 0xffu;
}

@compute @workgroup_size(256)
fn slatMerge(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) nwg: vec3u,
  @builtin(local_invocation_index) t: u32,
) {
  // 2-D dispatch: 256³ voxels × C channels exceed 65535 workgroups in one dimension.
  let e = (wid.x + wid.y * nwg.x) * 256u + t;
  if (e >= params.total) {
    return;
  }
  let i = e / params.channels;
  let keepSource = byteAt(srcW[i >> 2u], i) != 0u && byteAt(maskW[i >> 2u], i) == 0u;
  featOut[e] = select(featTgt[e], featSrc[e], keepSource);
}
