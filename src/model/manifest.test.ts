import { describe, expect, it } from 'vitest';
import { InvalidModelPackError } from './errors';
import { MANIFEST_FILE, openPack, type PackReader, validateManifest } from './manifest';
import { TINY_FLOW_PRESETS } from './onnx/tiny-flow-graph';
import { flowModelFromPack } from './pack';
import { tinyPack } from './tiny-pack';

const pack = await tinyPack('tiny-test', TINY_FLOW_PRESETS.test);

function reader(files: ReadonlyMap<string, Uint8Array>): PackReader {
  return { read: async (path) => files.get(path) ?? null };
}

/** The pack's files with manifest.json replaced by `edit(manifest)`. */
function withManifest(edit: (m: Record<string, unknown>) => void): Map<string, Uint8Array> {
  const m = JSON.parse(JSON.stringify(pack.manifest)) as Record<string, unknown>;
  edit(m);
  const files = new Map(pack.files);
  files.set(MANIFEST_FILE, new TextEncoder().encode(JSON.stringify(m)));
  return files;
}

async function problemOf(files: Map<string, Uint8Array>): Promise<string> {
  try {
    await openPack(reader(files), 'p', ['ss_flow']);
    return 'accepted';
  } catch (error) {
    if (!(error instanceof InvalidModelPackError)) throw error;
    return `${error.problem} @ ${error.where}: ${error.message}`;
  }
}

type Graph = {
  inputs: { name: string; dtype: string; shape: (number | string)[] }[];
  bytes: number;
  file: string;
};
const flow = (m: Record<string, unknown>) => (m.graphs as Record<string, Graph>).ss_flow;

describe('model pack manifest', () => {
  it('opens a good pack and verifies its graph', async () => {
    const opened = await openPack(reader(pack.files), 'p', ['ss_flow']);
    expect(opened.manifest.name).toBe('tiny-test');
    expect(opened.graphs.ss_flow?.length).toBe(pack.manifest.graphs.ss_flow?.bytes);
    const model = await flowModelFromPack(opened, 'p', { backend: 'node' });
    expect(model.shape).toEqual({ latent: [16, 4], condTokens: 4, condDim: 8 });
    await model.release();
  });

  it.each([
    ['no manifest', () => new Map([...pack.files].filter(([k]) => k !== MANIFEST_FILE)), /^missing-manifest/],
    [
      'bad JSON',
      () => new Map([...pack.files, [MANIFEST_FILE, new TextEncoder().encode('{"format": ')]]),
      /^bad-json @ manifest.json/,
    ],
    [
      'a wrong format',
      () =>
        withManifest((m) => {
          m.format = 'trellis';
        }),
      /^bad-manifest @ format/,
    ],
    [
      'a newer version',
      () =>
        withManifest((m) => {
          m.version = 9;
        }),
      /^bad-manifest @ version: .*newer/,
    ],
    [
      'no licence',
      () =>
        withManifest((m) => {
          delete m.license;
        }),
      /^bad-manifest @ license: .*license: must be an object/,
    ],
    [
      'no ss_flow',
      () =>
        withManifest((m) => {
          m.graphs = {};
        }),
      /^missing-graph @ graphs.ss_flow/,
    ],
    [
      'an unknown graph',
      () =>
        withManifest((m) => {
          (m.graphs as Record<string, unknown>).decoder = {};
        }),
      /graphs.decoder/,
    ],
    [
      'a path outside the pack',
      () =>
        withManifest((m) => {
          flow(m).file = '../x.onnx';
        }),
      /graphs.ss_flow.file/,
    ],
    [
      'a bad dtype',
      () =>
        withManifest((m) => {
          flow(m).inputs[0].dtype = 'float64';
        }),
      /graphs.ss_flow.inputs\[0\].dtype: “float64” is not one of/,
    ],
    [
      'an input renamed',
      () =>
        withManifest((m) => {
          flow(m).inputs[0].name = 'x';
        }),
      /^bad-manifest @ graphs.ss_flow: .*no input 'x_t'/,
    ],
    [
      'a wrong size',
      () =>
        withManifest((m) => {
          flow(m).bytes += 1;
        }),
      /^size-mismatch @ graphs.ss_flow.bytes/,
    ],
    [
      'an altered graph',
      () => {
        const files = new Map(pack.files);
        const bytes = (files.get('ss_flow.onnx') as Uint8Array).slice();
        bytes[bytes.length - 100] ^= 1;
        files.set('ss_flow.onnx', bytes);
        return files;
      },
      /^hash-mismatch @ graphs.ss_flow.sha256: .*altered/,
    ],
    [
      'a missing graph file',
      () => new Map([...pack.files].filter(([k]) => k !== 'ss_flow.onnx')),
      /^missing-file/,
    ],
    [
      'bad sampler steps',
      () =>
        withManifest((m) => {
          (m.sampler as { steps: number }).steps = 0;
        }),
      /sampler.steps/,
    ],
  ] as const)('refuses %s', async (_label, files, message) => {
    expect(await problemOf(files())).toMatch(message);
  });

  it('refuses a pack whose graph disagrees with its manifest (token count)', async () => {
    const files = withManifest((m) => {
      flow(m).inputs[2].shape = ['batch', 5, 8];
    });
    const opened = await openPack(reader(files), 'p', ['ss_flow']);
    const error = await flowModelFromPack(opened, 'p', { backend: 'node' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidModelPackError);
    expect((error as InvalidModelPackError).problem).toBe('graph-mismatch');
    expect((error as Error).message).toMatch(
      /graphs.ss_flow \(ss_flow.onnx\): wrong-token-count: .*takes 4 condition tokens but 5 were expected/,
    );
  });

  it('accepts the other DESIGN §5 graphs and a view spec', () => {
    const m = JSON.parse(JSON.stringify(pack.manifest)) as Record<string, unknown>;
    const entry = flow(m);
    (m.graphs as Record<string, unknown>).ss_decoder = {
      ...entry,
      inputs: [{ name: 'z', dtype: 'float32', shape: ['batch', 8, 16, 16, 16] }],
    };
    m.view = {
      azimuths: [0, 45, 90, 135, 180, 225, 270, 315],
      elevation: 20,
      resolution: 518,
      background: [1, 1, 1],
    };
    const manifest = validateManifest(m, 'p');
    expect(manifest.view?.azimuths.length).toBe(8);
    expect(manifest.graphs.ss_decoder?.inputs[0].name).toBe('z');
  });
});
