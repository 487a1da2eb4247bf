/**
 * Model packs (DESIGN §5): a folder with `manifest.json` and the ONNX graphs it lists. The manifest
 * names each graph's file, byte size, sha256, inputs and outputs (names, dtypes, shapes); the canonical
 * view spec; sampler defaults; licence and provenance. A pack is validated and every graph it will run
 * is hashed before anything runs; a bad pack is refused with an InvalidModelPackError that names the
 * field or file.
 *
 * Only `ss_flow` exists today (issue 4); ss_encoder, ss_decoder and image_encoder (issue 5) and the
 * later slat_flow / slat_decoder are accepted with the same entry schema, so the default pack fits.
 *
 * Example (the tiny generated pack):
 * {
 *   "format": "flowsmith-pack", "version": 1, "name": "tiny-small",
 *   "license": { "id": "CC0-1.0" },
 *   "provenance": { "source": "generated", "generator": "flowsmith tinyFlowGraph", "created": "…" },
 *   "graphs": { "ss_flow": { "file": "ss_flow.onnx", "bytes": 24215312, "sha256": "…",
 *     "inputs": [ { "name": "x_t", "dtype": "float32", "shape": ["batch", 512, 8] }, … ],
 *     "outputs": [ { "name": "v", "dtype": "float32", "shape": ["batch", 512, 8] } ] } },
 *   "sampler": { "steps": 25, "shift": 3, "cfg": 3, "guidanceInterval": [0.5, 1] }
 * }
 */

import { InvalidFlowGraphError, InvalidModelPackError } from './errors';
import type { FlowGraphShape } from './flow-contract';
import { validateFlowGraph } from './validate-flow-graph';

export const PACK_FORMAT = 'flowsmith-pack';
export const PACK_VERSION = 1;
export const MANIFEST_FILE = 'manifest.json';

export const GRAPH_NAMES = [
  'ss_flow',
  'ss_encoder',
  'ss_decoder',
  'image_encoder',
  'slat_flow',
  'slat_decoder',
] as const;
export type GraphName = (typeof GRAPH_NAMES)[number];

export const TENSOR_DTYPES = ['float32', 'float16', 'int64', 'int32', 'uint8', 'bool'] as const;
export type TensorDtype = (typeof TENSOR_DTYPES)[number];

export interface TensorSpec {
  readonly name: string;
  readonly dtype: TensorDtype;
  /** Fixed sizes, or names for dynamic dims (e.g. "batch"). */
  readonly shape: readonly (number | string)[];
}

export interface GraphEntry {
  /** Path of the .onnx file relative to the pack folder. */
  readonly file: string;
  readonly bytes: number;
  /** Lower-case hex SHA-256 of the file. */
  readonly sha256: string;
  readonly inputs: readonly TensorSpec[];
  readonly outputs: readonly TensorSpec[];
}

/** How condition images are rendered (DESIGN §5: the renderer is part of the model's contract). */
export interface ViewSpec {
  /** Degrees, one per canonical view. */
  readonly azimuths: readonly number[];
  readonly elevation: number;
  /** Square image side in pixels. */
  readonly resolution: number;
  /** Background colour, linear RGB in [0, 1]. */
  readonly background: readonly [number, number, number];
}

export interface SamplerDefaults {
  readonly steps: number;
  readonly shift: number;
  /** Guidance scale s, diffusers' convention (TRELLIS' w = s − 1). */
  readonly cfg: number;
  readonly guidanceInterval?: readonly [number, number];
  /** Per-method overrides, free-form numbers (n_max, n_avg, s_src, s_tgt, λ, …). */
  readonly methods?: Readonly<Record<string, Readonly<Record<string, number | string>>>>;
}

export interface PackManifest {
  readonly format: typeof PACK_FORMAT;
  readonly version: number;
  readonly name: string;
  readonly description?: string;
  readonly license: { readonly id: string; readonly url?: string; readonly text?: string };
  readonly provenance: {
    readonly source: string;
    readonly generator?: string;
    readonly created?: string;
    readonly training?: Readonly<Record<string, unknown>>;
  };
  readonly graphs: Partial<Record<GraphName, GraphEntry>>;
  readonly view?: ViewSpec;
  readonly sampler: SamplerDefaults;
}

type Json = unknown;

class Checker {
  constructor(readonly pack: string) {}

  fail(where: string, detail: string, problem: 'bad-manifest' | 'missing-graph' = 'bad-manifest'): never {
    throw new InvalidModelPackError(this.pack, problem, where, detail);
  }

  object(value: Json, where: string): Record<string, Json> {
    if (typeof value !== 'object' || value === null || Array.isArray(value))
      this.fail(where, 'must be an object');
    return value as Record<string, Json>;
  }

  string(value: Json, where: string): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(where, 'must be a non-empty string');
    return value;
  }

  number(value: Json, where: string, test: (n: number) => boolean, rule: string): number {
    if (typeof value !== 'number' || !Number.isFinite(value) || !test(value)) {
      this.fail(where, `must be ${rule} (got ${JSON.stringify(value)})`);
    }
    return value;
  }

  array(value: Json, where: string): Json[] {
    if (!Array.isArray(value)) this.fail(where, 'must be an array');
    return value;
  }
}

function checkTensor(c: Checker, value: Json, where: string): TensorSpec {
  const o = c.object(value, where);
  const name = c.string(o.name, `${where}.name`);
  const dtype = c.string(o.dtype, `${where}.dtype`);
  if (!(TENSOR_DTYPES as readonly string[]).includes(dtype)) {
    c.fail(`${where}.dtype`, `“${dtype}” is not one of ${TENSOR_DTYPES.join(', ')}`);
  }
  const shape = c.array(o.shape, `${where}.shape`).map((d, i) => {
    if (typeof d === 'string' && d.length > 0) return d;
    return c.number(
      d,
      `${where}.shape[${i}]`,
      (n) => Number.isInteger(n) && n > 0,
      'a positive integer or a dim name',
    );
  });
  return { name, dtype: dtype as TensorDtype, shape };
}

function checkGraph(c: Checker, value: Json, where: string): GraphEntry {
  const o = c.object(value, where);
  const file = c.string(o.file, `${where}.file`);
  if (file.startsWith('/') || file.split(/[\\/]/).includes('..')) {
    c.fail(`${where}.file`, `“${file}” must be a path inside the pack folder`);
  }
  const bytes = c.number(
    o.bytes,
    `${where}.bytes`,
    (n) => Number.isInteger(n) && n > 0,
    'a positive integer',
  );
  const sha256 = c.string(o.sha256, `${where}.sha256`);
  if (!/^[0-9a-f]{64}$/.test(sha256)) c.fail(`${where}.sha256`, 'must be 64 lower-case hex digits');
  const tensors = (key: 'inputs' | 'outputs') => {
    const list = c.array(o[key], `${where}.${key}`).map((t, i) => checkTensor(c, t, `${where}.${key}[${i}]`));
    if (list.length === 0) c.fail(`${where}.${key}`, 'must list at least one tensor');
    const names = new Set(list.map((t) => t.name));
    if (names.size !== list.length) c.fail(`${where}.${key}`, 'has duplicate names');
    return list;
  };
  return { file, bytes, sha256, inputs: tensors('inputs'), outputs: tensors('outputs') };
}

function checkView(c: Checker, value: Json): ViewSpec {
  const o = c.object(value, 'view');
  const azimuths = c
    .array(o.azimuths, 'view.azimuths')
    .map((a, i) => c.number(a, `view.azimuths[${i}]`, (n) => n >= -360 && n <= 360, 'an angle in degrees'));
  if (azimuths.length === 0) c.fail('view.azimuths', 'must list at least one view');
  const elevation = c.number(
    o.elevation,
    'view.elevation',
    (n) => n >= -90 && n <= 90,
    'an angle from −90 to 90',
  );
  const resolution = c.number(
    o.resolution,
    'view.resolution',
    (n) => Number.isInteger(n) && n >= 16 && n <= 4096,
    'an integer from 16 to 4096',
  );
  const bg = c.array(o.background, 'view.background');
  if (bg.length !== 3) c.fail('view.background', 'must be three numbers (linear RGB)');
  const background = bg.map((x, i) =>
    c.number(x, `view.background[${i}]`, (n) => n >= 0 && n <= 1, 'in [0, 1]'),
  );
  return { azimuths, elevation, resolution, background: [background[0], background[1], background[2]] };
}

function checkSampler(c: Checker, value: Json): SamplerDefaults {
  const o = c.object(value, 'sampler');
  const steps = c.number(
    o.steps,
    'sampler.steps',
    (n) => Number.isInteger(n) && n >= 1 && n <= 10_000,
    'an integer from 1 to 10000',
  );
  const shift = c.number(o.shift, 'sampler.shift', (n) => n > 0, 'a number > 0');
  const cfg = c.number(o.cfg, 'sampler.cfg', (n) => n >= 0, 'a number ≥ 0');
  let guidanceInterval: [number, number] | undefined;
  if (o.guidanceInterval !== undefined) {
    const gi = c.array(o.guidanceInterval, 'sampler.guidanceInterval');
    const [lo, hi] = gi.map((x, i) =>
      c.number(x, `sampler.guidanceInterval[${i}]`, (n) => n >= 0 && n <= 1, 'in [0, 1]'),
    );
    if (gi.length !== 2 || !(lo <= hi))
      c.fail('sampler.guidanceInterval', 'must be [lo, hi] with 0 ≤ lo ≤ hi ≤ 1');
    guidanceInterval = [lo, hi];
  }
  let methods: SamplerDefaults['methods'];
  if (o.methods !== undefined) {
    const m = c.object(o.methods, 'sampler.methods');
    methods = Object.fromEntries(
      Object.entries(m).map(([name, settings]) => {
        const s = c.object(settings, `sampler.methods.${name}`);
        for (const [key, v] of Object.entries(s)) {
          if (typeof v !== 'number' && typeof v !== 'string')
            c.fail(`sampler.methods.${name}.${key}`, 'must be a number or a string');
        }
        return [name, s as Record<string, number | string>];
      }),
    );
  }
  return {
    steps,
    shift,
    cfg,
    ...(guidanceInterval ? { guidanceInterval } : {}),
    ...(methods ? { methods } : {}),
  };
}

/** The velocity graph's shapes as the manifest declares them (checked against the flow contract). */
export function flowShapeOf(pack: string, entry: GraphEntry): FlowGraphShape {
  const meta = (list: readonly TensorSpec[]) =>
    list.map((t) => ({ name: t.name, isTensor: true as const, type: t.dtype, shape: t.shape }));
  try {
    return validateFlowGraph('ss_flow', meta(entry.inputs), meta(entry.outputs));
  } catch (error) {
    if (error instanceof InvalidFlowGraphError) {
      throw new InvalidModelPackError(
        pack,
        'bad-manifest',
        'graphs.ss_flow',
        error.message.replace(/\.$/, ''),
      );
    }
    throw error;
  }
}

/**
 * Validates a parsed manifest. `require` lists graphs the caller will run (e.g. ['ss_flow'] for
 * `flowsmith sample`); graphs not required are still schema-checked.
 */
export function validateManifest(
  value: unknown,
  pack: string,
  require: readonly GraphName[] = [],
): PackManifest {
  const c = new Checker(pack);
  const o = c.object(value, 'manifest.json');
  if (o.format !== PACK_FORMAT)
    c.fail('format', `must be "${PACK_FORMAT}" (got ${JSON.stringify(o.format)})`);
  const version = c.number(o.version, 'version', (n) => Number.isInteger(n) && n >= 1, 'a positive integer');
  if (version > PACK_VERSION) {
    throw new InvalidModelPackError(
      pack,
      'bad-manifest',
      'version',
      `version ${version} is newer than this Flowsmith understands (${PACK_VERSION})`,
      'Update Flowsmith, or use a pack made for this version.',
    );
  }
  const name = c.string(o.name, 'name');
  const license = c.object(o.license, 'license');
  c.string(license.id, 'license.id');
  const provenance = c.object(o.provenance, 'provenance');
  c.string(provenance.source, 'provenance.source');
  const graphsIn = c.object(o.graphs, 'graphs');
  const graphs: Partial<Record<GraphName, GraphEntry>> = {};
  for (const [key, entry] of Object.entries(graphsIn)) {
    if (!(GRAPH_NAMES as readonly string[]).includes(key)) {
      c.fail(`graphs.${key}`, `“${key}” is not a graph Flowsmith knows (${GRAPH_NAMES.join(', ')})`);
    }
    graphs[key as GraphName] = checkGraph(c, entry, `graphs.${key}`);
  }
  for (const g of require) {
    if (!graphs[g]) c.fail(`graphs.${g}`, 'is missing, and this command needs it', 'missing-graph');
  }
  const manifest: PackManifest = {
    format: PACK_FORMAT,
    version,
    name,
    ...(typeof o.description === 'string' ? { description: o.description } : {}),
    license: license as PackManifest['license'],
    provenance: provenance as PackManifest['provenance'],
    graphs,
    ...(o.view !== undefined ? { view: checkView(c, o.view) } : {}),
    sampler: checkSampler(c, o.sampler),
  };
  if (graphs.ss_flow) flowShapeOf(pack, graphs.ss_flow);
  return manifest;
}

/** Reads files of a pack folder: fs in Node, fetch (or the Cache API) in the browser. */
export interface PackReader {
  /** The file's bytes, or null when it does not exist. */
  read(path: string): Promise<Uint8Array | null>;
}

export async function sha256Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, '0')).join('');
}

export interface OpenedPack {
  readonly manifest: PackManifest;
  /** Verified bytes of the required graphs. */
  readonly graphs: Partial<Record<GraphName, Uint8Array>>;
}

/** Reads and validates manifest.json, then reads and verifies (size, sha256) every required graph. */
export async function openPack(
  reader: PackReader,
  pack: string,
  require: readonly GraphName[],
): Promise<OpenedPack> {
  const text = await reader.read(MANIFEST_FILE);
  if (text === null) {
    throw new InvalidModelPackError(
      pack,
      'missing-manifest',
      MANIFEST_FILE,
      'the folder has no manifest.json',
      'Point at the pack folder itself (the one holding manifest.json and the .onnx files).',
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(text));
  } catch (error) {
    throw new InvalidModelPackError(
      pack,
      'bad-json',
      MANIFEST_FILE,
      `it is not valid JSON (${(error as Error).message})`,
    );
  }
  const manifest = validateManifest(json, pack, require);
  const graphs: Partial<Record<GraphName, Uint8Array>> = {};
  for (const name of require) {
    const entry = manifest.graphs[name] as GraphEntry;
    const bytes = await reader.read(entry.file);
    if (bytes === null) {
      throw new InvalidModelPackError(
        pack,
        'missing-file',
        `graphs.${name}.file`,
        `“${entry.file}” is missing`,
      );
    }
    if (bytes.length !== entry.bytes) {
      throw new InvalidModelPackError(
        pack,
        'size-mismatch',
        `graphs.${name}.bytes`,
        `“${entry.file}” has ${bytes.length} bytes; the manifest says ${entry.bytes} (truncated or replaced)`,
      );
    }
    const hash = await sha256Hex(bytes);
    if (hash !== entry.sha256) {
      throw new InvalidModelPackError(
        pack,
        'hash-mismatch',
        `graphs.${name}.sha256`,
        `“${entry.file}” has sha256 ${hash}; the manifest says ${entry.sha256} (the file was altered)`,
      );
    }
    graphs[name] = bytes;
  }
  return { manifest, graphs };
}

/** A manifest entry for graph bytes (size and hash computed here). */
export async function graphEntry(
  file: string,
  bytes: Uint8Array,
  inputs: readonly TensorSpec[],
  outputs: readonly TensorSpec[],
): Promise<GraphEntry> {
  return { file, bytes: bytes.length, sha256: await sha256Hex(bytes), inputs, outputs };
}

/** The manifest's declared ss_flow tensors for a flow graph of `shape`. */
export function flowTensors(shape: FlowGraphShape): { inputs: TensorSpec[]; outputs: TensorSpec[] } {
  const latent = ['batch', ...shape.latent];
  return {
    inputs: [
      { name: 'x_t', dtype: 'float32', shape: latent },
      { name: 't', dtype: 'float32', shape: ['batch'] },
      { name: 'cond', dtype: 'float32', shape: ['batch', shape.condTokens, shape.condDim] },
    ],
    outputs: [{ name: 'v', dtype: 'float32', shape: latent }],
  };
}
