/// <reference lib="webworker" />
/**
 * A thin comlink facade over the in-process Engine: it owns no logic of its own. Results are
 * transferred (not copied) back to the page; errors are flattened to ErrorInfo for the trip.
 */
import * as Comlink from 'comlink';
import { toErrorInfo } from '../src/core/errors';
import type { ComponentTable, MergeOptions } from '../src/core/merge';
import type { TriangleMesh } from '../src/core/mesh';
import { meshTransferables } from '../src/core/mesh';
import type { InputFile, MergeRequest, ProgressCallback } from '../src/engine/engine-api';
import { InProcessEngine } from '../src/engine/in-process-engine';
import type { EditorWorkerApi, WorkerFailure } from '../src/engine/worker-protocol';
import { acquireGpu } from '../src/gpu/device';
import { decodeImageBrowser } from '../src/io/decode-image-browser';
import { browserPackSource } from './pack-source';

// One device for the worker's kernels; when it is lost the engine drops its kernels and the
// next job asks for a new one (the session itself lives on the page and is untouched).
let device: Promise<GPUDevice | null> | null = null;
const engine = new InProcessEngine({
  decodeImage: decodeImageBrowser,
  backend: 'worker',
  gpuDevice: () => {
    device ??= acquireGpu({
      onLost: () => {
        device = null;
        engine.gpuLost();
      },
    })
      .then((gpu) => gpu.device)
      .catch(() => null);
    return device;
  },
  pack: browserPackSource(),
});

function outcomeTransferables(outcome: {
  mask: Uint8Array;
  merged: Uint8Array;
  components?: ComponentTable;
}) {
  const buffers: ArrayBufferLike[] = [outcome.mask.buffer, outcome.merged.buffer];
  const table = outcome.components;
  if (table)
    buffers.push(
      table.label.buffer,
      table.size.buffer,
      table.added.buffer,
      table.removed.buffer,
      table.bbox.buffer,
    );
  return [...new Set(buffers)].filter((b): b is ArrayBuffer => b instanceof ArrayBuffer);
}

async function guarded<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    const failure: WorkerFailure = { flowsmithError: toErrorInfo(error) };
    throw failure;
  }
}

const api: EditorWorkerApi = {
  info: () => guarded(() => engine.info()),
  importMesh: (files: InputFile[], jobId: string, onProgress?: ProgressCallback) =>
    guarded(async () => {
      const result = await engine.importMesh(files, { jobId, onProgress });
      return Comlink.transfer(result, meshTransferables(result.mesh));
    }),
  voxelize: (mesh: TriangleMesh, resolution: number, jobId: string, onProgress?: ProgressCallback) =>
    guarded(async () => {
      const result = await engine.voxelize(mesh, { resolution, jobId, onProgress });
      return Comlink.transfer(result, [
        result.grid.occupancy.buffer,
        result.grid.colors.buffer,
      ] as ArrayBuffer[]);
    }),
  loadSource: (files: InputFile[], resolution: number, jobId: string, onProgress?: ProgressCallback) =>
    guarded(async () => {
      const result = await engine.loadSource(files, { resolution, jobId, onProgress });
      const buffers = [
        ...meshTransferables(result.mesh),
        result.grid.occupancy.buffer,
        result.grid.colors.buffer,
      ];
      return Comlink.transfer(result, buffers as ArrayBuffer[]);
    }),
  voxelMerge: (request: MergeRequest) =>
    guarded(async () => {
      const outcome = await engine.voxelMerge(request);
      return Comlink.transfer(outcome, outcomeTransferables(outcome));
    }),
  remerge: (options: MergeOptions) =>
    guarded(async () => {
      const outcome = await engine.remerge(options);
      return Comlink.transfer(outcome, outcomeTransferables(outcome));
    }),
  openPack: (backend) => guarded(() => engine.openPack({ backend })),
  renderViews: (grid, flat) =>
    guarded(async () => {
      const views = await engine.renderViews(grid, { flat });
      return Comlink.transfer(
        views,
        views.map((v) => v.data.buffer as ArrayBuffer),
      );
    }),
  runEdit: (request, jobId, previewEvery, onProgress) =>
    guarded(async () => {
      const result = await engine.runEdit(request, { jobId, previewEvery, onProgress });
      return Comlink.transfer(result, [
        result.edited.occupancy.buffer,
        result.edited.colors.buffer,
        result.result.occupancy.buffer,
        result.result.colors.buffer,
        result.sourceView.data.buffer,
        result.reference.buffer,
        ...outcomeTransferables(result.merge),
      ] as ArrayBuffer[]);
    }),
  surface: (grid) =>
    guarded(async () => {
      const mesh = await engine.surface(grid);
      return Comlink.transfer(mesh, meshTransferables(mesh));
    }),
  exportGlb: (grid, name) =>
    guarded(async () => {
      const bytes = await engine.exportGlb(grid, name);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    }),
  exportBundle: (request) =>
    guarded(async () => {
      const bytes = await engine.exportBundle(request);
      return Comlink.transfer(bytes, [bytes.buffer as ArrayBuffer]);
    }),
  cancel: (jobId: string) => engine.cancel(jobId),
};

Comlink.expose(api);
