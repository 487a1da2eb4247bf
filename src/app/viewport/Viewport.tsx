import { OrbitControls } from '@react-three/drei';
import { Canvas, useThree } from '@react-three/fiber';
import { type ComponentRef, type ReactNode, useEffect, useMemo, useRef } from 'react';
import type { VoxelGrid } from '../../core/grid';
import type { TriangleMesh } from '../../core/mesh';
import type { DisplayMode } from '../../state/session-store';
import type { CameraSync } from './camera-sync';
import { MeshView } from './MeshView';
import { VoxelView } from './VoxelView';

interface ViewportProps {
  testId: string;
  title: string;
  sync: CameraSync;
  mesh: TriangleMesh | null;
  grid: VoxelGrid | null;
  display: DisplayMode;
  empty: ReactNode;
}

function SyncedControls({ sync }: { sync: CameraSync }) {
  const controls = useRef<ComponentRef<typeof OrbitControls>>(null);
  const camera = useThree((s) => s.camera);
  const invalidate = useThree((s) => s.invalidate);
  const me = useMemo(() => Symbol('viewport'), []);

  useEffect(() => {
    const apply = (pose: ReturnType<CameraSync['current']>) => {
      camera.position.set(...pose.position);
      controls.current?.target.set(...pose.target);
      controls.current?.update();
      invalidate();
    };
    apply(sync.current());
    return sync.subscribe((pose, from) => {
      if (from !== me) apply(pose);
    });
  }, [sync, camera, me, invalidate]);

  return (
    <OrbitControls
      ref={controls}
      makeDefault
      enableDamping={false}
      onChange={() => {
        const target = controls.current?.target;
        if (!target) return;
        sync.publish({ position: camera.position.toArray(), target: target.toArray() }, me);
      }}
    />
  );
}

export function Viewport({ testId, title, sync, mesh, grid, display, empty }: ViewportProps) {
  const hasContent = display === 'mesh' ? mesh !== null : grid !== null;
  return (
    <div className="viewport" data-testid={testId} data-state={hasContent ? 'ready' : 'empty'}>
      <div className="viewport-title">{title}</div>
      <Canvas
        frameloop="demand"
        dpr={[1, 2]}
        camera={{ position: sync.current().position, fov: 40, near: 0.01, far: 50 }}
        gl={{ preserveDrawingBuffer: true, antialias: true }}
      >
        <color attach="background" args={['#1b1e24']} />
        <hemisphereLight args={['#ffffff', '#445066', 1.4]} />
        <directionalLight position={[2, 3, 2]} intensity={1.6} />
        <directionalLight position={[-2, -1, -2]} intensity={0.4} />
        <gridHelper args={[1.5, 6, '#3a404c', '#2a2f38']} position={[0, -0.5, 0]} />
        {display === 'mesh' && mesh && <MeshView mesh={mesh} />}
        {display === 'voxels' && grid && <VoxelView grid={grid} />}
        <SyncedControls sync={sync} />
      </Canvas>
      {!hasContent && <div className="viewport-empty">{empty}</div>}
    </div>
  );
}
