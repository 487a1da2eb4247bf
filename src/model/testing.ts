/**
 * Shared fixtures of the model tests (Node and Chromium): the editing toy of core/flow/testing.ts as
 * an ONNX graph, with its conditions registered on an OrtVelocityModel.
 */

import { type GaussianCondition, UNCOND } from '../core/flow';
import type { OrtBackend, OrtRuntime } from './backends/onnx';
import { gaussianFlowGraph, oneHot } from './onnx/gaussian-graph';
import { OrtVelocityModel } from './ort-velocity-model';

export const SRC = 'src';
export const TGT = 'tgt';

/** Source N(0, 1), target N(2, 1) (or `target`), unconditional N(1, 1.5²): core/flow's editing toy. */
export function toyConditions(target: GaussianCondition = { mean: 2, std: 1 }): {
  conditions: GaussianCondition[];
  uncond: GaussianCondition;
} {
  return { conditions: [{ mean: 0, std: 1 }, target], uncond: { mean: 1, std: 1.5 } };
}

export async function toyOrtModel(
  size: number,
  options: {
    backend?: OrtBackend;
    runtime?: OrtRuntime;
    gpuResident?: boolean;
    target?: GaussianCondition;
  } = {},
): Promise<OrtVelocityModel> {
  const { conditions, uncond } = toyConditions(options.target);
  const graph = gaussianFlowGraph({ size, conditions, uncond });
  const model = await OrtVelocityModel.create(graph, {
    backend: options.backend,
    runtime: options.runtime,
    gpuResident: options.gpuResident,
    name: 'gaussian toy',
  });
  model.setCondition(SRC, oneHot(0, 2));
  model.setCondition(TGT, oneHot(1, 2));
  // The all-zero default already selects the unconditional Gaussian; set it explicitly anyway so the
  // GPU path uploads it like any other condition.
  model.setCondition(UNCOND, new Float32Array(2));
  return model;
}
