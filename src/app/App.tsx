import { DropZone } from './panels/DropZone';
import { ErrorPanel } from './panels/ErrorPanel';
import { NoticeBar } from './panels/NoticeBar';
import { ProgressPanel } from './panels/ProgressPanel';
import { StatsPanel } from './panels/StatsPanel';
import { Toolbar } from './panels/Toolbar';
import { useSession } from './session-context';
import { CameraSync } from './viewport/camera-sync';
import { Viewport } from './viewport/Viewport';

const cameraSync = new CameraSync();

export function App() {
  const source = useSession((s) => s.source);
  const display = useSession((s) => s.display);
  return (
    <DropZone>
      <div className="app">
        <Toolbar />
        <ErrorPanel />
        <NoticeBar />
        <main className="workspace">
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
              title="Target"
              sync={cameraSync}
              mesh={null}
              grid={null}
              display={display}
              empty={
                <>
                  <strong>No edit yet</strong>
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
            <StatsPanel />
          </aside>
        </main>
      </div>
    </DropZone>
  );
}
