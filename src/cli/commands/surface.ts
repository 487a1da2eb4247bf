import { extractBlocky, extractSurfaceWithStats, MAX_SURFACE_RESOLUTION } from '../../core/surface';
import { exportGlb } from '../../io/export/glb-writer';
import { readGrid as readGridFile, writeAtomically } from '../cli-files';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';

const usage =
  'flowsmith surface <grid.npy> [--colors <colors.npy>] [--smoothing <n>] [--blocky] -o <out.glb> [--json]';

function parseSmoothing(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isInteger(value) || value < 0 || value > 100) {
    throw new UsageError(`--smoothing must be a whole number from 0 to 100; got “${text}”.`, usage);
  }
  return value;
}

export const surfaceCommand: CliCommand = {
  name: 'surface',
  summary:
    'Extract a smooth, closed, vertex-coloured surface from a grid .npy (interior filled, Surface Nets, ' +
    'smoothed) and write it as GLB; --blocky writes one quad per exposed voxel face instead.',
  usage,
  async run(args, io) {
    const { positionals, values, flags } = parseArgs(
      args,
      {
        values: ['o', 'output', 'colors', 'smoothing'],
        flags: ['blocky', 'json'],
        aliases: { '--colours': '--colors' },
      },
      usage,
    );
    if (positionals.length !== 1) {
      throw new UsageError(`surface takes one grid .npy; got ${positionals.length}.`, usage);
    }
    const output = values.get('o') ?? values.get('output');
    if (!output) throw new UsageError('surface needs an output path: -o <out.glb>.', usage);
    const smoothing = parseSmoothing(values.get('smoothing'));
    const blocky = flags.has('blocky');
    if (blocky && smoothing !== undefined) {
      throw new UsageError('--smoothing applies to the smooth surface, not to --blocky.', usage);
    }

    const grid = await readGridFile(positionals[0], values.get('colors'), {
      maxResolution: MAX_SURFACE_RESOLUTION,
      purpose: 'surface extraction',
    });
    const start = performance.now();
    const mesh = blocky ? extractBlocky(grid) : extractSurfaceWithStats(grid, { smoothing }).mesh;
    const extractMs = performance.now() - start;
    const glb = exportGlb(mesh);
    await writeAtomically(output, glb);

    const vertices = mesh.positions.length / 3;
    const triangles = mesh.indices.length / 3;
    if (flags.has('json')) {
      const report = { resolution: grid.resolution, vertices, triangles, bytes: glb.byteLength, extractMs };
      io.out(`${JSON.stringify(report)}\n`);
    } else {
      io.out(
        `${grid.resolution}³ grid → ${blocky ? 'blocky' : 'smooth'} surface: ${vertices.toLocaleString('en-US')} vertices, ` +
          `${triangles.toLocaleString('en-US')} triangles (${extractMs.toFixed(0)} ms) → ${output}\n`,
      );
    }
    return 0;
  },
};
