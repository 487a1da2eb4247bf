/**
 * Pieces of the browser edit bench (edit-bench.ts) that are not the edit itself: the adapter report
 * (so a SwiftShader run can never pass for a GPU one), the painted target, medians, and the Voxel-Merge
 * kernels timed on their own with timestamp queries.
 */

import { BACKGROUND, fillRect, foregroundBox } from '../../src/core/paint';
import type { RenderedView } from '../../src/core/render';
import type { EditTimings } from '../../src/engine/engine-api';
import { GpuVoxelMerge } from '../../src/gpu/merge-kernels';

export interface Summary {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function summarize(values: number[]): Summary {
  const sorted = [...values].sort((a, b) => a - b);
  const n = sorted.length;
  const median = n === 0 ? Number.NaN : n % 2 ? sorted[(n - 1) / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
  return { median, min: sorted[0] ?? Number.NaN, max: sorted[n - 1] ?? Number.NaN, runs: values };
}

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean | null;
  /** SwiftShader or a fallback adapter: timings from it say nothing about a GPU. */
  software: boolean;
  features: string[];
  maxBufferSize: number;
  maxStorageBufferBindingSize: number;
}

export async function describeAdapter(): Promise<{
  adapter: GPUAdapter | null;
  report: AdapterReport | null;
}> {
  const gpu = typeof navigator !== 'undefined' ? navigator.gpu : undefined;
  const adapter = gpu ? await gpu.requestAdapter({ powerPreference: 'high-performance' }) : null;
  if (!adapter) return { adapter: null, report: null };
  const info = adapter.info as GPUAdapterInfo & { isFallbackAdapter?: boolean };
  const text = `${info.vendor} ${info.architecture} ${info.device} ${info.description}`;
  return {
    adapter,
    report: {
      vendor: info.vendor,
      architecture: info.architecture,
      device: info.device,
      description: info.description,
      isFallbackAdapter: info.isFallbackAdapter ?? null,
      software: info.isFallbackAdapter === true || /swiftshader|llvmpipe|lavapipe/i.test(text),
      features: [...adapter.features].sort(),
      maxBufferSize: adapter.limits.maxBufferSize,
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
    },
  };
}

/**
 * The edited view a person might paint: the top quarter of the object erased (a removal) and a red
 * block beside its lower right (an addition). Placed from the object's own box, so any source works.
 */
export function paintTarget(source: RenderedView): { image: RenderedView; changedPixels: number } {
  const image = { width: source.width, height: source.height, data: source.data.slice() };
  const box = foregroundBox(source);
  if (!box) throw new Error('the source view is empty: nothing to edit');
  const w = box.x1 - box.x0;
  const h = box.y1 - box.y0;
  const quarter = Math.max(1, Math.round(h / 4));
  fillRect(image, { x: box.x0, y: box.y0 }, { x: box.x1 - 1, y: box.y0 + quarter - 1 }, BACKGROUND);
  const bx0 = Math.min(image.width - 2, box.x1 - Math.round(w / 6));
  const bx1 = Math.min(image.width - 1, box.x1 + Math.round(w / 5));
  const by0 = box.y0 + Math.round(h / 2);
  const by1 = Math.min(image.height - 1, by0 + Math.round(h / 4));
  fillRect(image, { x: bx0, y: by0 }, { x: bx1, y: by1 }, [220, 30, 30]);
  let changedPixels = 0;
  for (let i = 0; i < image.data.length; i += 4) {
    if (
      image.data[i] !== source.data[i] ||
      image.data[i + 1] !== source.data[i + 1] ||
      image.data[i + 2] !== source.data[i + 2]
    ) {
      changedPixels++;
    }
  }
  return { image, changedPixels };
}

/** One run's stages, with the parts EditTimings leaves to the reader. */
export interface RunTimings extends EditTimings {
  stepsSumMs: number;
  /**
   * totalMs less every other stage: the steps plus the result's readback (on the GPU-resident path a
   * step's wall time is mostly its submission; the queue drains in the readback).
   */
  loopMs: number;
  surfaceMs: number;
  surfaceTriangles: number;
}

export function runTimings(t: EditTimings, surfaceMs: number, surfaceTriangles: number): RunTimings {
  const stepsSumMs = t.stepsMs.reduce((a, b) => a + b, 0);
  const outside = t.renderMs + t.encodeImagesMs + t.encodeLatentMs + t.previewMs + t.decodeMs + t.mergeMs;
  return {
    ...t,
    stepsMs: [...t.stepsMs],
    stepsSumMs,
    loopMs: t.totalMs - outside - t.colorMs,
    surfaceMs,
    surfaceTriangles,
  };
}

export const STAGES = [
  'renderMs',
  'encodeImagesMs',
  'encodeLatentMs',
  'stepsSumMs',
  'loopMs',
  'decodeMs',
  'mergeMs',
  'colorMs',
  'totalMs',
  'surfaceMs',
] as const;
export type Stage = (typeof STAGES)[number];

export function stageMedians(runs: RunTimings[]): Record<Stage, number> & { stepMs: number } {
  const out = {} as Record<Stage, number> & { stepMs: number };
  for (const s of STAGES) out[s] = summarize(runs.map((r) => r[s])).median;
  out.stepMs = summarize(runs.flatMap((r) => r.stepsMs)).median;
  return out;
}

/** Nearest-neighbour upscaling of a grid (x fastest), so a 256³ merge sees a real edit's structure. */
export function upsample(grid: Uint8Array, r: number, factor: number): Uint8Array {
  const R = r * factor;
  const out = new Uint8Array(R ** 3);
  for (let z = 0; z < R; z++) {
    for (let y = 0; y < R; y++) {
      const row = r * ((y / factor) | 0) + r * r * ((z / factor) | 0);
      const at = R * (y + R * z);
      for (let x = 0; x < R; x++) out[at + x] = grid[row + ((x / factor) | 0)];
    }
  }
  return out;
}

export interface KernelMergeRow {
  resolution: number;
  tau: number;
  components: number;
  passes: number;
  voxelsChanged: number;
  /** merge() as called: upload, the pass, readback and the host-side table. */
  wallMs: Summary;
  /** Timestamp-query span of the merge's (first) compute pass, when the adapter has timestamp-query. */
  gpuMs: Summary | null;
}

/**
 * GpuVoxelMerge alone on its own device: `reps` merges of the same pair after one warm-up. The
 * browser may quantize timestamps (100 µs in Chromium unless WebGPU developer features are on), so
 * both clocks are kept.
 */
export async function benchKernelMerge(
  adapter: GPUAdapter,
  pairs: { resolution: number; src: Uint8Array; edited: Uint8Array }[],
  reps: number,
  tau: number,
): Promise<KernelMergeRow[]> {
  const timestamps = adapter.features.has('timestamp-query');
  const device = await adapter.requestDevice({
    requiredFeatures: timestamps ? ['timestamp-query'] : [],
    requiredLimits: {
      maxStorageBufferBindingSize: adapter.limits.maxStorageBufferBindingSize,
      maxBufferSize: adapter.limits.maxBufferSize,
    },
  });
  const rows: KernelMergeRow[] = [];
  try {
    const querySet = timestamps ? device.createQuerySet({ type: 'timestamp', count: 2 }) : null;
    const resolve = device.createBuffer({
      size: 16,
      usage: GPUBufferUsage.QUERY_RESOLVE | GPUBufferUsage.COPY_SRC,
    });
    const read = device.createBuffer({ size: 16, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
    const passMs = async (): Promise<number> => {
      if (!querySet) return Number.NaN;
      const encoder = device.createCommandEncoder();
      encoder.resolveQuerySet(querySet, 0, 2, resolve, 0);
      encoder.copyBufferToBuffer(resolve, 0, read, 0, 16);
      device.queue.submit([encoder.finish()]);
      await read.mapAsync(GPUMapMode.READ);
      const [start, end] = new BigUint64Array(read.getMappedRange().slice(0));
      read.unmap();
      return Number(end - start) / 1e6;
    };
    for (const pair of pairs) {
      const merger = await GpuVoxelMerge.create(device, pair.resolution);
      try {
        const options = {
          tau,
          rule: 'fixed' as const,
          ...(querySet
            ? { timestampWrites: { querySet, beginningOfPassWriteIndex: 0, endOfPassWriteIndex: 1 } }
            : {}),
        };
        let last = await merger.merge(pair.src, pair.edited, options);
        const wall: number[] = [];
        const gpu: number[] = [];
        for (let k = 0; k < reps; k++) {
          const t0 = performance.now();
          last = await merger.merge(pair.src, pair.edited, options);
          wall.push(performance.now() - t0);
          if (querySet) gpu.push(await passMs());
        }
        rows.push({
          resolution: pair.resolution,
          tau,
          components: last.components.count,
          passes: last.passes,
          voxelsChanged: last.voxelsChanged,
          wallMs: summarize(wall),
          gpuMs: querySet ? summarize(gpu) : null,
        });
      } finally {
        merger.destroy();
      }
    }
  } finally {
    device.destroy();
  }
  return rows;
}
