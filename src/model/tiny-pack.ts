/**
 * A "tiny generated pack": a random-weight DiT-shaped ss_flow (onnx/tiny-flow-graph.ts) with a real
 * manifest, for tests and benches (DESIGN §7: tiny generated packs keep CI fast). Built in memory;
 * callers write the files where they need them. Nothing large is committed.
 */

import {
  flowTensors,
  graphEntry,
  MANIFEST_FILE,
  PACK_FORMAT,
  PACK_VERSION,
  type PackManifest,
} from './manifest';
import { type TinyFlowSpec, tinyFlowGraph } from './onnx/tiny-flow-graph';

export interface PackFiles {
  readonly manifest: PackManifest;
  /** File name → bytes, manifest.json included. */
  readonly files: ReadonlyMap<string, Uint8Array>;
  readonly parameters: number;
}

export async function tinyPack(name: string, spec: TinyFlowSpec): Promise<PackFiles> {
  const graph = tinyFlowGraph(spec);
  const { inputs, outputs } = flowTensors(graph.shape);
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version: PACK_VERSION,
    name,
    description: `Random-weight DiT-shaped velocity graph, ${graph.parameters.toLocaleString('en-US')} parameters (tests and benches only).`,
    license: { id: 'CC0-1.0' },
    provenance: {
      source: 'generated',
      generator: 'flowsmith src/model/onnx/tiny-flow-graph.ts',
      training: { spec: { ...spec } },
    },
    graphs: { ss_flow: await graphEntry('ss_flow.onnx', graph.bytes, inputs, outputs) },
    sampler: { steps: 25, shift: 3, cfg: 3, guidanceInterval: [0.5, 1] },
  };
  const files = new Map<string, Uint8Array>([
    ['ss_flow.onnx', graph.bytes],
    [MANIFEST_FILE, new TextEncoder().encode(`${JSON.stringify(manifest, null, 2)}\n`)],
  ]);
  return { manifest, files, parameters: graph.parameters };
}
