import { useEffect } from 'react';
import { ExportPanel } from './edit/ExportPanel';
import { MergePanel } from './edit/MergePanel';
import { MethodPanel } from './edit/MethodPanel';
import { TargetPanel } from './edit/TargetPanel';
import { useTargetDisplay } from './edit/use-target-display';
import { DropZone } from './panels/DropZone';
import { ErrorPanel } from './panels/ErrorPanel';
import { NoticeBar } from './panels/NoticeBar';
import { ProgressPanel } from './panels/ProgressPanel';
import { StatsPanel } from './panels/StatsPanel';
import { Toolbar } from './panels/Toolbar';
import { useActions, useSession } from './session-context';
import { CameraSync } from './viewport/camera-sync';
import { Viewport } from './viewport/Viewport';

const cameraSync = new CameraSync();

export function App() {
  const source = useSession((s) => s.source);
  const display = useSession((s) => s.display);
  const edit = useSession((s) => s.edit);
  const actions = useActions();
  const target = useTargetDisplay();
  const hasSource = source !== null;
  useEffect(() => {
    // The pack (32 MB, hashed) opens once there is something to edit, not at start-up.
    // ?ort=wasm|webgpu pins the model's backend (tests, comparisons); otherwise the engine picks.
    if (!hasSource) return;
    const pinned = new URLSearchParams(location.search).get('ort');
    void actions.openPack(pinned === 'wasm' || pinned === 'webgpu' ? pinned : 'auto');
  }, [actions, hasSource]);
  return (
    <DropZone>
      <div className="app">
        <Toolbar />
        <ErrorPanel />
        <NoticeBar />
        <main className="workspace">
          <TargetPanel />
          <section className="viewports">
            <Viewport
              testId="source-view"
              title="Source"
              sync={cameraSync}
              mesh={source?.mesh ?? null}
              grid={source?.grid ?? null}
              display={display}
              empty={
                <>
                  <strong>Drop a mesh anywhere</strong>
                  <span>
                    .glb, .gltf (+ .bin, textures), .obj (+ .mtl), .stl or .ply — or pick one from Samples.
                  </span>
                </>
              }
            />
            <Viewport
              testId="target-view"
              title={target.label}
              sync={cameraSync}
              mesh={target.mesh}
              grid={target.grid}
              display={target.forceVoxels ? 'voxels' : display}
              empty={
                <>
                  <strong>{edit ? 'Extracting the surface…' : 'No edit yet'}</strong>
                  <span>
                    {source
                      ? 'The edited object appears here, side by side with the source, once you run an edit.'
                      : 'Load a source mesh first; its edit will appear here.'}
                  </span>
                </>
              }
            />
          </section>
          <aside className="sidebar">
            <ProgressPanel />
            <MethodPanel />
            <MergePanel />
            <ExportPanel />
            <StatsPanel />
          </aside>
        </main>
      </div>
    </DropZone>
  );
}
