/**
 * Typed errors of the model layer. Each names the graph or pack file, what is wrong with it, and a
 * machine-readable `problem` so tests and the UI can tell failures apart without parsing messages.
 */

import { FlowsmithError } from '../core/errors';

export type FlowGraphProblem =
  | 'unreadable-graph'
  | 'missing-input'
  | 'missing-output'
  | 'wrong-dtype'
  | 'wrong-rank'
  | 'static-batch'
  | 'dynamic-dim'
  | 'wrong-shape'
  | 'wrong-token-count'
  | 'unknown-condition';

/** A velocity graph that does not meet the flow contract (flow-contract.ts). */
export class InvalidFlowGraphError extends FlowsmithError {
  readonly problem: FlowGraphProblem;
  readonly graph: string;
  constructor(graph: string, problem: FlowGraphProblem, detail: string, options?: { cause?: unknown }) {
    super(
      'corrupt-file',
      `The velocity graph “${graph}” cannot drive the sampler: ${detail}.`,
      'The graph must take x_t [B, …latent], t [B] and cond [B, L, D] (float32, B dynamic, the rest static) and return v shaped like x_t. Re-export the pack, or use a pack made for Flowsmith.',
      options,
    );
    this.name = 'InvalidFlowGraphError';
    this.problem = problem;
    this.graph = graph;
  }
}

export type ModelPackProblem =
  | 'missing-manifest'
  | 'bad-json'
  | 'bad-manifest'
  | 'missing-graph'
  | 'missing-file'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'graph-mismatch';

/** A model pack folder that is incomplete, altered or self-contradictory (DESIGN §5). */
export class InvalidModelPackError extends FlowsmithError {
  readonly problem: ModelPackProblem;
  /** The manifest field or file the problem is in, e.g. "graphs.ss_flow.sha256". */
  readonly where: string;
  constructor(pack: string, problem: ModelPackProblem, where: string, detail: string, hint?: string) {
    super(
      'corrupt-file',
      `The model pack “${pack}” is not usable: ${where}: ${detail}.`,
      hint ??
        'Download or copy the pack again (every file listed in manifest.json, unchanged), or rebuild it with its training recipe.',
    );
    this.name = 'InvalidModelPackError';
    this.problem = problem;
    this.where = where;
  }
}
