import { useEffect, useMemo, useState } from 'react';
import type { VoxelGrid } from '../../core/grid';
import type { TriangleMesh } from '../../core/mesh';
import { diffOverlay } from '../../state/edit-state';
import { useActions, useSession } from '../session-context';

const PREVIEW_GREY = 175;

/** What the Target viewport shows: the live x̂0 while an edit runs, else the result (raw or merged, or the diff overlay). */
export function useTargetDisplay(): {
  grid: VoxelGrid | null;
  mesh: TriangleMesh | null;
  forceVoxels: boolean;
  label: string;
} {
  const source = useSession((s) => s.source);
  const edit = useSession((s) => s.edit);
  const preview = useSession((s) => s.preview);
  const compare = useSession((s) => s.compare);
  const overlay = useSession((s) => s.overlay);
  const display = useSession((s) => s.display);
  const actions = useActions();

  const previewGrid = useMemo<VoxelGrid | null>(() => {
    if (!preview) return null;
    const colors = new Uint8Array(preview.length * 3);
    for (let i = 0; i < preview.length; i++) if (preview[i]) colors.fill(PREVIEW_GREY, 3 * i, 3 * i + 3);
    return { resolution: Math.round(Math.cbrt(preview.length)), occupancy: preview, colors };
  }, [preview]);
  const resultGrid = edit ? (compare === 'raw' ? edit.edited : edit.result) : null;
  const overlayGrid = useMemo(
    () => (overlay && edit && source ? diffOverlay(source.grid, edit) : null),
    [overlay, edit, source],
  );

  const [mesh, setMesh] = useState<TriangleMesh | null>(null);
  useEffect(() => {
    setMesh(null);
    if (!resultGrid || display !== 'mesh' || previewGrid || overlayGrid) return;
    let live = true;
    actions
      .surfaceOf(resultGrid)
      .then((m) => live && setMesh(m))
      .catch((e) => actions.reportError(e));
    return () => {
      live = false;
    };
  }, [resultGrid, display, previewGrid, overlayGrid, actions]);

  if (previewGrid)
    return { grid: previewGrid, mesh: null, forceVoxels: true, label: 'Target — live preview (x̂0)' };
  if (overlayGrid)
    return { grid: overlayGrid, mesh: null, forceVoxels: true, label: 'Target — diff overlay' };
  return {
    grid: resultGrid,
    mesh,
    forceVoxels: false,
    label: edit ? `Target — ${compare === 'raw' ? 'raw editor output' : 'merged result'}` : 'Target',
  };
}
