/// <reference lib="webworker" />
/**
 * A thin comlink facade over the in-process Engine: it owns no logic of its own. Results are
 * transferred (not copied) back to the page; errors are flattened to ErrorInfo for the trip.
 */
import * as Comlink from 'comlink';
import { toErrorInfo } from '../src/core/errors';
import type { TriangleMesh } from '../src/core/mesh';
import { meshTransferables } from '../src/core/mesh';
import type { InputFile, ProgressCallback } from '../src/engine/engine-api';
import { InProcessEngine } from '../src/engine/in-process-engine';
import type { EditorWorkerApi, WorkerFailure } from '../src/engine/worker-protocol';
import { decodeImageBrowser } from '../src/io/decode-image-browser';

const engine = new InProcessEngine({ decodeImage: decodeImageBrowser, backend: 'worker' });

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
  cancel: (jobId: string) => engine.cancel(jobId),
};

Comlink.expose(api);
