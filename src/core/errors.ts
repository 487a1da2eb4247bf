/**
 * One error class per failure a person can cause or meet. Each carries a stable `code` (for tests and
 * the UI), a message that says what is wrong, and a `hint` that says what to do about it.
 * Errors cross the worker boundary as plain objects (see `toErrorInfo` / `fromErrorInfo`).
 */
export type ErrorCode =
  | 'unsupported-format'
  | 'corrupt-file'
  | 'missing-resource'
  | 'empty-mesh'
  | 'degenerate-mesh'
  | 'non-finite-vertices'
  | 'mesh-too-large'
  | 'cancelled'
  | 'invalid-argument'
  | 'invalid-grid'
  | 'webgpu-unavailable'
  | 'gpu-device-lost'
  | 'internal'
  | 'non-finite'
  | 'invalid-target-image'
  | 'storage-quota'
  | 'storage-failed';

export class FlowsmithError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  constructor(code: ErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FlowsmithError';
    this.code = code;
    this.hint = hint;
  }
}

export class UnsupportedFormatError extends FlowsmithError {
  constructor(fileName: string, detail?: string) {
    super(
      'unsupported-format',
      `“${fileName}” is not a mesh format Flowsmith can read${detail ? ` (${detail})` : ''}.`,
      'Use .glb, .gltf (with its .bin and textures), .obj (with its .mtl), .stl or .ply.',
    );
    this.name = 'UnsupportedFormatError';
  }
}

export class CorruptFileError extends FlowsmithError {
  constructor(fileName: string, detail: string, options?: { cause?: unknown }) {
    super(
      'corrupt-file',
      `“${fileName}” could not be read: ${detail}.`,
      'The file may be truncated or not what its extension says. Re-export it from your modelling tool and try again.',
      options,
    );
    this.name = 'CorruptFileError';
  }
}

export class MissingResourceError extends FlowsmithError {
  constructor(fileName: string, resource: string) {
    super(
      'missing-resource',
      `“${fileName}” refers to “${resource}”, which was not given.`,
      `Drop “${resource}” together with “${fileName}” (select all the files at once), or export a single .glb.`,
    );
    this.name = 'MissingResourceError';
  }
}

export class EmptyMeshError extends FlowsmithError {
  constructor(fileName: string) {
    super(
      'empty-mesh',
      `“${fileName}” contains no triangles.`,
      'Check that the file holds a mesh (not only points, lines, cameras or lights) and export it again.',
    );
    this.name = 'EmptyMeshError';
  }
}

export class DegenerateMeshError extends FlowsmithError {
  constructor(fileName: string, detail: string) {
    super(
      'degenerate-mesh',
      `“${fileName}” has no usable surface: ${detail}.`,
      'Every triangle has zero area or the mesh is flat in every direction. Export the real geometry.',
    );
    this.name = 'DegenerateMeshError';
  }
}

export class NonFiniteVerticesError extends FlowsmithError {
  constructor(fileName: string, count: number) {
    super(
      'non-finite-vertices',
      `“${fileName}” has ${count} vertex coordinate${count === 1 ? '' : 's'} that are NaN or infinite.`,
      'Fix or remove the broken vertices in your modelling tool and export again.',
    );
    this.name = 'NonFiniteVerticesError';
  }
}

export const MAX_TRIANGLES = 5_000_000;

export class MeshTooLargeError extends FlowsmithError {
  constructor(fileName: string, triangles: number) {
    super(
      'mesh-too-large',
      `“${fileName}” has ${triangles.toLocaleString('en-US')} triangles; Flowsmith accepts at most ${MAX_TRIANGLES.toLocaleString('en-US')}.`,
      'Decimate the mesh (e.g. Blender’s Decimate modifier) below 5 million triangles; the 64³ grid cannot use more detail.',
    );
    this.name = 'MeshTooLargeError';
  }
}

export class CancelledError extends FlowsmithError {
  constructor(what: string) {
    super('cancelled', `${what} was cancelled.`, 'Nothing was changed. Start it again when you are ready.');
    this.name = 'CancelledError';
  }
}

export class InvalidArgumentError extends FlowsmithError {
  constructor(message: string, hint: string) {
    super('invalid-argument', message, hint);
    this.name = 'InvalidArgumentError';
  }
}

export class InvalidGridError extends FlowsmithError {
  constructor(message: string, hint: string) {
    super('invalid-grid', message, hint);
    this.name = 'InvalidGridError';
  }
}

export class WebGpuUnavailableError extends FlowsmithError {
  constructor(detail: string) {
    super(
      'webgpu-unavailable',
      `WebGPU is not available: ${detail}.`,
      'Flowsmith falls back to the CPU (slower). For GPU speed use a recent Chrome or Edge with hardware acceleration on.',
    );
    this.name = 'WebGpuUnavailableError';
  }
}

export class GpuDeviceLostError extends FlowsmithError {
  constructor(reason: string, message: string) {
    super(
      'gpu-device-lost',
      `The GPU device was lost (${reason}${message ? `: ${message}` : ''}).`,
      'Your session is kept. Flowsmith reacquires the GPU on the next run; close other GPU-heavy tabs if it recurs.',
    );
    this.name = 'GpuDeviceLostError';
  }
}

/** Plain, structured-cloneable form of an error, for the worker boundary and persisted logs. */
export interface ErrorInfo {
  code: ErrorCode;
  name: string;
  message: string;
  hint: string;
}

export function toErrorInfo(error: unknown): ErrorInfo {
  if (error instanceof FlowsmithError) {
    return { code: error.code, name: error.name, message: error.message, hint: error.hint };
  }
  const message = error instanceof Error ? error.message : String(error);
  return {
    code: 'internal',
    name: 'InternalError',
    message: `Something went wrong inside Flowsmith: ${message}`,
    hint: 'Your session is unchanged. Try again; if it keeps happening, report it with the file you used.',
  };
}

export function fromErrorInfo(info: ErrorInfo): FlowsmithError {
  const error = new FlowsmithError(info.code, info.message, info.hint);
  error.name = info.name;
  return error;
}

export function throwIfAborted(signal: AbortSignal | undefined, what: string): void {
  if (signal?.aborted) throw new CancelledError(what);
}

export class NonFiniteValueError extends FlowsmithError {
  /** 1-based sampler step that went bad, when the failure is inside a sampling loop. */
  readonly step: number | undefined;
  constructor(where: string, count: number, step?: number) {
    super(
      'non-finite',
      `${where} produced ${count} NaN or infinite value${count === 1 ? '' : 's'}; the result would be garbage, so the run was stopped.`,
      'Lower the guidance scales or the step count, or check that the model pack is intact (a broken graph often yields NaN).',
    );
    this.name = 'NonFiniteValueError';
    this.step = step;
  }
}

export class InvalidTargetImageError extends FlowsmithError {
  constructor(message: string, hint: string) {
    super('invalid-target-image', message, hint);
    this.name = 'InvalidTargetImageError';
  }
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export class StorageQuotaError extends FlowsmithError {
  /** Bytes the failed write needed, when known. */
  readonly bytes: number | undefined;
  constructor(what: string, bytes?: number, options?: { cause?: unknown }) {
    super(
      'storage-quota',
      `Saving ${what}${bytes === undefined ? '' : ` (${megabytes(bytes)})`} failed: the browser's storage for Flowsmith is full. The previous save is kept.`,
      'Export your work first (it does not need browser storage), then free space: clear site data of other sites or other saved Flowsmith sessions, or empty disk space.',
      options,
    );
    this.name = 'StorageQuotaError';
    this.bytes = bytes;
  }
}

export class StorageError extends FlowsmithError {
  constructor(action: string, detail: string, options?: { cause?: unknown }) {
    super(
      'storage-failed',
      `${action} failed: ${detail}.`,
      'Your work in this tab is unchanged. Export it to keep a copy; private browsing or blocked site storage can prevent saving.',
      options,
    );
    this.name = 'StorageError';
  }
}
