/**
 * Counts every CPU↔GPU transfer on a device while it watches — ours and ORT's own — so the claim "no
 * transfers inside the loop" is measured, not assumed. Uploads are `queue.writeBuffer` calls and
 * buffers created mapped (ORT's upload path); readbacks are `mapAsync(READ)` calls. A write of at
 * least `largeBytes` (a latent's size, at least 1 KiB) counts as a latent upload,
 * except into the flow kernels' own parameter block ('flow params', a few 32-byte records per step).
 */

export interface TransferCounts {
  writes: number;
  writeBytes: number;
  /** Writes of at least `largeBytes`: latent-sized uploads. */
  largeWrites: number;
  mappedUploads: number;
  mappedUploadBytes: number;
  readbacks: number;
  readbackBytes: number;
}

export interface TransferWatch {
  /** Counts since the watch began (or since the last `reset`). */
  counts(): TransferCounts;
  reset(): void;
  /** Restores the device and GPUBuffer methods. */
  stop(): void;
}

const zero = (): TransferCounts => ({
  writes: 0,
  writeBytes: 0,
  largeWrites: 0,
  mappedUploads: 0,
  mappedUploadBytes: 0,
  readbacks: 0,
  readbackBytes: 0,
});

/** Bytes a writeBuffer call moves: typed arrays count offset and size in elements, others in bytes. */
function byteSize(data: BufferSource | SharedArrayBuffer, dataOffset = 0, size?: number): number {
  const unit =
    ArrayBuffer.isView(data) && 'BYTES_PER_ELEMENT' in data
      ? (data as unknown as { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT
      : 1;
  const length = data.byteLength / unit;
  return (size ?? length - dataOffset) * unit;
}

/** Label of FlowKernels' parameter buffer. */
const PARAMS_LABEL = 'flow params';

export function watchTransfers(device: GPUDevice, largeBytes: number): TransferWatch {
  let counts = zero();
  const queue = device.queue;
  const writeBuffer = queue.writeBuffer;
  const createBuffer = device.createBuffer;
  const mapAsync = GPUBuffer.prototype.mapAsync;

  queue.writeBuffer = function (
    this: GPUQueue,
    buffer: GPUBuffer,
    bufferOffset: number,
    data: BufferSource | SharedArrayBuffer,
    dataOffset?: number,
    size?: number,
  ) {
    const bytes = byteSize(data, dataOffset, size);
    counts.writes++;
    counts.writeBytes += bytes;
    if (bytes >= largeBytes && buffer.label !== PARAMS_LABEL) counts.largeWrites++;
    return writeBuffer.call(this, buffer, bufferOffset, data as BufferSource, dataOffset, size);
  } as GPUQueue['writeBuffer'];

  device.createBuffer = function (this: GPUDevice, descriptor: GPUBufferDescriptor) {
    if (descriptor.mappedAtCreation && descriptor.usage & GPUBufferUsage.MAP_WRITE) {
      counts.mappedUploads++;
      counts.mappedUploadBytes += descriptor.size;
    }
    return createBuffer.call(this, descriptor);
  };

  GPUBuffer.prototype.mapAsync = function (
    this: GPUBuffer,
    mode: GPUMapModeFlags,
    offset?: number,
    size?: number,
  ) {
    if (mode & GPUMapMode.READ) {
      counts.readbacks++;
      counts.readbackBytes += size ?? this.size - (offset ?? 0);
    }
    return mapAsync.call(this, mode, offset, size);
  };

  return {
    counts: () => ({ ...counts }),
    reset: () => {
      counts = zero();
    },
    stop: () => {
      queue.writeBuffer = writeBuffer;
      device.createBuffer = createBuffer;
      GPUBuffer.prototype.mapAsync = mapAsync;
    },
  };
}
