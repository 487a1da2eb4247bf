import type { Bounds } from '../../core/mesh';
import { useSession } from '../session-context';

const fmt = (v: number) => (Math.abs(v) >= 1000 ? v.toExponential(2) : v.toFixed(3));
const formatBounds = (b: Bounds) => `[${b.min.map(fmt).join(', ')}] → [${b.max.map(fmt).join(', ')}]`;

export function StatsPanel() {
  const source = useSession((s) => s.source);
  if (!source) {
    return (
      <div className="panel stats-panel">
        <div className="panel-title">Source</div>
        <p className="muted">Nothing loaded yet.</p>
      </div>
    );
  }
  const { stats, voxelStats } = source;
  return (
    <div className="panel stats-panel" data-testid="source-stats">
      <div className="panel-title">Source</div>
      <dl>
        <dt>File</dt>
        <dd title={stats.fileName}>
          {stats.fileName} <span className="muted">({stats.format})</span>
        </dd>
        <dt>Triangles</dt>
        <dd data-testid="triangle-count">{stats.triangles.toLocaleString('en-US')}</dd>
        <dt>Vertices</dt>
        <dd>{stats.vertices.toLocaleString('en-US')}</dd>
        <dt>Bounds (file)</dt>
        <dd className="mono">{formatBounds(stats.sourceBounds)}</dd>
        <dt>Bounds (normalized)</dt>
        <dd className="mono">{formatBounds(stats.bounds)}</dd>
        <dt>Colour</dt>
        <dd>{stats.hasTexture ? 'texture' : stats.hasVertexColors ? 'vertex colours' : 'material colour'}</dd>
        <dt>Voxels ({voxelStats.resolution}³ shell)</dt>
        <dd data-testid="voxel-count">{voxelStats.occupied.toLocaleString('en-US')}</dd>
        <dt>Import</dt>
        <dd data-testid="import-time">{stats.importMs.toFixed(0)} ms</dd>
        <dt>Voxelize</dt>
        <dd>{voxelStats.voxelizeMs.toFixed(0)} ms</dd>
      </dl>
    </div>
  );
}
