/**
 * The SS-VAE of a pack: 64³ occupancy ↔ 8×16³ latent. Grids go in as the graphs' [z][y][x] float
 * occupancy (our memory order already is that); the decoder's logits > 0 are occupancy (TRELLIS).
 */
import type { InferenceSession, OrtRuntime } from './backends/onnx';
import { InvalidModelPackError } from './errors';
import type { OpenedPack } from './manifest';

export interface SparseStructureVae {
  readonly resolution: number;
  readonly latentShape: readonly number[];
  encode(occupancy: Uint8Array): Promise<Float32Array>;
  /** Decoded occupancy (logits > 0) as 0/1 bytes. */
  decode(latent: Float32Array): Promise<Uint8Array>;
  release(): Promise<void>;
}

export async function openVae(
  pack: OpenedPack,
  packName: string,
  runtime: OrtRuntime,
): Promise<SparseStructureVae> {
  const encoderSpec = pack.manifest.graphs.ss_encoder;
  const decoderSpec = pack.manifest.graphs.ss_decoder;
  const encoderBytes = pack.graphs.ss_encoder;
  const decoderBytes = pack.graphs.ss_decoder;
  if (!encoderSpec || !decoderSpec || !encoderBytes || !decoderBytes) {
    throw new InvalidModelPackError(
      packName,
      'missing-graph',
      'graphs',
      'it has no ss_encoder and ss_decoder graphs',
    );
  }
  const input = encoderSpec.inputs[0];
  const latent = encoderSpec.outputs[0];
  const logits = decoderSpec.outputs[0];
  const resolution = Number(input.shape.at(-1));
  const latentShape = latent.shape.slice(1).map(Number);
  const { Tensor } = runtime.ort;
  const sessions: InferenceSession[] = [
    await runtime.createSession(encoderBytes),
    await runtime.createSession(decoderBytes),
  ];
  const [encoder, decoder] = sessions;
  const voxels = resolution ** 3;
  return {
    resolution,
    latentShape,
    async encode(occupancy) {
      if (occupancy.length !== voxels) {
        throw new InvalidModelPackError(
          packName,
          'graph-mismatch',
          'graphs.ss_encoder',
          `its VAE takes ${resolution}³ grids; this grid has ${occupancy.length} voxels`,
          `Voxelize the input at ${resolution}³ (flowsmith voxelize --resolution ${resolution}).`,
        );
      }
      const feeds = {
        [input.name]: new Tensor('float32', Float32Array.from(occupancy), [
          1,
          1,
          resolution,
          resolution,
          resolution,
        ]),
      };
      const out = await runtime.queue.run(() => encoder.run(feeds));
      return out[latent.name].data as Float32Array;
    },
    async decode(z) {
      const feeds = { [decoderSpec.inputs[0].name]: new Tensor('float32', z, [1, ...latentShape]) };
      const out = await runtime.queue.run(() => decoder.run(feeds));
      const values = out[logits.name].data as Float32Array;
      const grid = new Uint8Array(values.length);
      for (let i = 0; i < values.length; i++) grid[i] = values[i] > 0 ? 1 : 0;
      return grid;
    },
    async release() {
      await Promise.all(sessions.map((s) => s.release()));
    },
  };
}
