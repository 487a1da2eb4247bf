/**
 * `flowsmith info`: what Flowsmith reads from a mesh file — format, size, bounds before and after
 * normalization, and whether it carries vertex colours or a texture. Same import path as the studio.
 */
import type { Bounds } from '../../core/mesh';
import { InProcessEngine } from '../../engine/in-process-engine';
import { decodeImageNode } from '../../io/decode-image-node';
import { type CliCommand, parseArgs, UsageError } from '../cli-io';
import { readMeshFiles } from '../mesh-files';

const usage = 'flowsmith info <mesh> [side files...] [--json]';

const fmt = (v: number) => Number(v.toPrecision(6)).toString();
const box = (b: Bounds) => `min (${b.min.map(fmt).join(', ')})  max (${b.max.map(fmt).join(', ')})`;

export const infoCommand: CliCommand = {
  name: 'info',
  summary: 'Print a mesh’s format, triangles, vertices, bounds (source and normalized), colours and texture.',
  usage,
  async run(args, io) {
    const { positionals, flags } = parseArgs(args, { flags: ['json'] }, usage);
    if (positionals.length === 0) throw new UsageError('info needs a mesh file.', usage);
    const [meshPath, ...sidePaths] = positionals;
    const files = await readMeshFiles(meshPath, sidePaths);
    const engine = new InProcessEngine({ decodeImage: decodeImageNode });
    const { stats, mesh, warnings } = await engine.importMesh(files);
    if (flags.has('json')) {
      io.out(
        `${JSON.stringify({ ...stats, materials: mesh.materials.length, sideFiles: files.slice(1).map((f) => f.name), warnings }, null, 2)}\n`,
      );
      return 0;
    }
    const lines = [
      ['file', stats.fileName],
      ['format', stats.format],
      ['triangles', stats.triangles.toLocaleString('en-US')],
      ['vertices', stats.vertices.toLocaleString('en-US')],
      ['bounds', `source      ${box(stats.sourceBounds)}`],
      ['', `normalized  ${box(stats.bounds)}`],
      [
        'scale',
        `${fmt(stats.scale)} (normalized = (p + offset) · scale, offset (${stats.offset.map(fmt).join(', ')}))`,
      ],
      ['materials', String(mesh.materials.length)],
      ['colours', stats.hasVertexColors ? 'vertex colours' : 'none per vertex'],
      ['texture', stats.hasTexture ? 'yes' : 'no'],
      [
        'side files',
        files.length > 1
          ? files
              .slice(1)
              .map((f) => f.name)
              .join(', ')
          : 'none',
      ],
    ];
    io.out(`${lines.map(([k, v]) => `${k.padEnd(11)} ${v}`).join('\n')}\n`);
    for (const warning of warnings) io.err(`flowsmith: warning: ${warning}\n`);
    return 0;
  },
};
