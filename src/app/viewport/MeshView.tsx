import { useEffect, useMemo } from 'react';
import type { TriangleMesh } from '../../core/mesh';
import { buildDisplayMesh } from './display-geometry';

export function MeshView({ mesh }: { mesh: TriangleMesh }) {
  const display = useMemo(() => buildDisplayMesh(mesh), [mesh]);
  useEffect(() => () => display.dispose(), [display]);
  return <mesh geometry={display.geometry} material={display.materials} />;
}
