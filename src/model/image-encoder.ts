/**
 * The pack's image encoder: a canonical view (RGBA8, row 0 at the top) and its view index become the
 * flow's condition tokens. Training fed sRGB bytes / 255 as NCHW and the view as a one-hot, so the
 * alpha channel is dropped here and nothing is linearized (manifest `conventions.image`).
 */
import type { InferenceSession, OrtRuntime } from './backends/onnx';
import { InvalidModelPackError } from './errors';
import type { OpenedPack } from './manifest';

export interface ConditionImage {
  readonly width: number;
  readonly height: number;
  /** RGBA8, row-major, row 0 at the top. */
  readonly data: Uint8Array;
}

export interface ImageEncoder {
  readonly imageSize: number;
  readonly views: number;
  /** [tokens × dim] values, row-major. */
  readonly tokenShape: readonly [number, number];
  encode(image: ConditionImage, view: number): Promise<Float32Array>;
  release(): Promise<void>;
}

export async function openImageEncoder(
  pack: OpenedPack,
  packName: string,
  runtime: OrtRuntime,
): Promise<ImageEncoder> {
  const spec = pack.manifest.graphs.image_encoder;
  const bytes = pack.graphs.image_encoder;
  if (!spec || !bytes) {
    throw new InvalidModelPackError(
      packName,
      'missing-graph',
      'graphs.image_encoder',
      'it has no image_encoder graph',
    );
  }
  const imageInput = spec.inputs.find((i) => i.shape.length === 4);
  const viewInput = spec.inputs.find((i) => i.shape.length === 2);
  const output = spec.outputs[0];
  if (!imageInput || !viewInput || !output || output.shape.length !== 3) {
    throw new InvalidModelPackError(
      packName,
      'graph-mismatch',
      'graphs.image_encoder',
      'its inputs must be an NCHW image and a one-hot view, its output [batch, tokens, dim]',
    );
  }
  const imageSize = Number(imageInput.shape[3]);
  const views = Number(viewInput.shape[1]);
  const tokenShape: [number, number] = [Number(output.shape[1]), Number(output.shape[2])];
  const session: InferenceSession = await runtime.createSession(bytes);
  const { Tensor } = runtime.ort;
  return {
    imageSize,
    views,
    tokenShape,
    async encode(image, view) {
      if (image.width !== imageSize || image.height !== imageSize) {
        throw new InvalidModelPackError(
          packName,
          'graph-mismatch',
          'graphs.image_encoder',
          `it takes ${imageSize}×${imageSize} views; this image is ${image.width}×${image.height}`,
          'Render the condition with the pack’s canonical view renderer.',
        );
      }
      if (!Number.isInteger(view) || view < 0 || view >= views) {
        throw new InvalidModelPackError(
          packName,
          'graph-mismatch',
          'graphs.image_encoder',
          `it knows views 0..${views - 1}; view ${view} was asked for`,
        );
      }
      const plane = imageSize * imageSize;
      const pixels = new Float32Array(3 * plane);
      for (let i = 0; i < plane; i++) {
        pixels[i] = image.data[4 * i] / 255;
        pixels[plane + i] = image.data[4 * i + 1] / 255;
        pixels[2 * plane + i] = image.data[4 * i + 2] / 255;
      }
      const oneHot = new Float32Array(views);
      oneHot[view] = 1;
      const feeds = {
        [imageInput.name]: new Tensor('float32', pixels, [1, 3, imageSize, imageSize]),
        [viewInput.name]: new Tensor('float32', oneHot, [1, views]),
      };
      const out = await runtime.queue.run(() => session.run(feeds));
      return (out[output.name].data as Float32Array).slice();
    },
    async release() {
      await runtime.queue.run(() => session.release());
    },
  };
}
