/**
 * Checks a session's declared inputs and outputs against the flow contract before the sampler runs
 * anything, so a wrong graph fails with a named problem instead of a shape error deep inside ORT (or,
 * worse, a silently wrong result).
 */

import { InvalidFlowGraphError } from './errors';
import {
  FLOW_INPUT_COND,
  FLOW_INPUT_T,
  FLOW_INPUT_X,
  FLOW_OUTPUT_V,
  type FlowGraphShape,
} from './flow-contract';

/** The part of ORT's ValueMetadata we read (InferenceSession.inputMetadata / outputMetadata). */
export type ValueMetadata =
  | { readonly name: string; readonly isTensor: false }
  | {
      readonly name: string;
      readonly isTensor: true;
      readonly type: string;
      readonly shape: ReadonlyArray<number | string>;
    };

type TensorMetadata = Extract<ValueMetadata, { isTensor: true }>;

const dims = (shape: ReadonlyArray<number | string>) => `[${shape.join(', ')}]`;

export function validateFlowGraph(
  graph: string,
  inputs: readonly ValueMetadata[],
  outputs: readonly ValueMetadata[],
  expect: Partial<FlowGraphShape> = {},
): FlowGraphShape {
  const find = (list: readonly ValueMetadata[], name: string, kind: 'input' | 'output'): TensorMetadata => {
    const value = list.find((v) => v.name === name);
    if (!value) {
      throw new InvalidFlowGraphError(
        graph,
        kind === 'input' ? 'missing-input' : 'missing-output',
        `it has no ${kind} '${name}' (its ${kind}s are ${list.map((v) => `'${v.name}'`).join(', ') || 'none'})`,
      );
    }
    if (!value.isTensor || value.type !== 'float32') {
      const type = value.isTensor ? value.type : 'not a tensor';
      throw new InvalidFlowGraphError(graph, 'wrong-dtype', `${kind} '${name}' is ${type}, not float32`);
    }
    return value;
  };
  const x = find(inputs, FLOW_INPUT_X, 'input');
  const t = find(inputs, FLOW_INPUT_T, 'input');
  const cond = find(inputs, FLOW_INPUT_COND, 'input');
  const v = find(outputs, FLOW_OUTPUT_V, 'output');

  const batchFirst = (value: TensorMetadata, rank: number | 'at least 2') => {
    const ok = rank === 'at least 2' ? value.shape.length >= 2 : value.shape.length === rank;
    if (!ok) {
      throw new InvalidFlowGraphError(
        graph,
        'wrong-rank',
        `'${value.name}' has shape ${dims(value.shape)}; it must have ${rank === 'at least 2' ? 'at least 2' : rank} dims`,
      );
    }
    if (typeof value.shape[0] === 'number') {
      throw new InvalidFlowGraphError(
        graph,
        'static-batch',
        `'${value.name}' has a fixed batch of ${value.shape[0]} (shape ${dims(value.shape)}); the first dim must be dynamic so one call can evaluate every trajectory × cond/uncond pair`,
      );
    }
  };
  const staticRest = (value: TensorMetadata): number[] =>
    value.shape.slice(1).map((d, i) => {
      if (typeof d !== 'number' || d < 1) {
        throw new InvalidFlowGraphError(
          graph,
          'dynamic-dim',
          `dim ${i + 1} of '${value.name}' (shape ${dims(value.shape)}) is '${d}'; every dim but the batch must be a fixed size`,
        );
      }
      return d;
    });

  batchFirst(x, 'at least 2');
  batchFirst(t, 1);
  batchFirst(cond, 3);
  batchFirst(v, 'at least 2');
  const latent = staticRest(x);
  const [condTokens, condDim] = staticRest(cond);
  const vLatent = staticRest(v);
  if (vLatent.join() !== latent.join()) {
    throw new InvalidFlowGraphError(
      graph,
      'wrong-shape',
      `output 'v' has shape ${dims(v.shape)} but input 'x_t' has ${dims(x.shape)}; the velocity must be shaped like the latent`,
    );
  }
  if (expect.latent && expect.latent.join() !== latent.join()) {
    throw new InvalidFlowGraphError(
      graph,
      'wrong-shape',
      `its latent 'x_t' is [B, ${latent.join(', ')}] but [B, ${expect.latent.join(', ')}] was expected`,
    );
  }
  if (expect.condTokens !== undefined && expect.condTokens !== condTokens) {
    throw new InvalidFlowGraphError(
      graph,
      'wrong-token-count',
      `'cond' takes ${condTokens} condition tokens but ${expect.condTokens} were expected (from the manifest or the condition encoder)`,
    );
  }
  if (expect.condDim !== undefined && expect.condDim !== condDim) {
    throw new InvalidFlowGraphError(
      graph,
      'wrong-shape',
      `'cond' tokens are ${condDim} wide but ${expect.condDim} were expected (from the manifest or the condition encoder)`,
    );
  }
  return { latent, condTokens, condDim };
}
