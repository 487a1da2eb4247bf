/**
 * Slat-Merge (Nano3D, DESIGN §4): the Voxel-Merge mask m reused on the stage-2 features, so one mask
 * decides both geometry and appearance. Per voxel i, all C channels come from the source features
 * where the voxel is in s_src and outside m (untouched source surface), and from the generated
 * features elsewhere (the edited region, and voxels the source never had).
 * Layout: dense per-voxel features, channel-last: feature[i·C + c].
 */
import { InvalidGridError } from '../errors';
import { checkBinaryGrid, checkFeatures, checkResolution } from './validate';

export function slatMerge(
  src: Uint8Array,
  mask: Uint8Array,
  featSrc: Float32Array,
  featTgt: Float32Array,
  channels: number,
  resolution: number,
  out: Float32Array = new Float32Array(featTgt.length),
): Float32Array {
  checkResolution(resolution);
  checkBinaryGrid(src, resolution, 'source');
  checkBinaryGrid(mask, resolution, 'mask');
  const n = src.length;
  checkFeatures(featSrc, n, channels, 'source');
  checkFeatures(featTgt, n, channels, 'target');
  if (out.length !== n * channels) {
    throw new InvalidGridError(
      `The output feature buffer holds ${out.length} floats; it needs ${n * channels}.`,
      'Allocate R³ × C floats for the merged features.',
    );
  }
  // One decision per voxel, never per channel: a voxel's features stay a consistent set.
  for (let i = 0, o = 0; i < n; i++, o += channels) {
    const from = src[i] !== 0 && mask[i] === 0 ? featSrc : featTgt;
    for (let c = 0; c < channels; c++) out[o + c] = from[o + c];
  }
  return out;
}
