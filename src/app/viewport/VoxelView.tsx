import { useEffect, useMemo } from 'react';
import type { VoxelGrid } from '../../core/grid';
import { buildDisplayVoxels } from './display-geometry';

export function VoxelView({ grid }: { grid: VoxelGrid }) {
  const display = useMemo(() => buildDisplayVoxels(grid), [grid]);
  useEffect(() => () => display.dispose(), [display]);
  return <primitive object={display.mesh} />;
}
