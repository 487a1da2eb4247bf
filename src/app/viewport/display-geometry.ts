/**
 * TriangleMesh / VoxelGrid → three.js objects for display. Colours in our data are sRGB-encoded;
 * three's working space is linear, so they are converted here, once, at the boundary.
 */
import * as THREE from 'three';
import type { VoxelGrid } from '../../core/grid';
import type { TriangleMesh } from '../../core/mesh';

function srgbToLinear(c: number): number {
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export interface DisplayMesh {
  geometry: THREE.BufferGeometry;
  materials: THREE.Material[];
  dispose(): void;
}

export function buildDisplayMesh(mesh: TriangleMesh): DisplayMesh {
  const geometry = new THREE.BufferGeometry();
  geometry.setAttribute('position', new THREE.BufferAttribute(mesh.positions, 3));
  if (mesh.uvs) geometry.setAttribute('uv', new THREE.BufferAttribute(mesh.uvs, 2));
  if (mesh.colors) {
    const linear = new Float32Array(mesh.colors.length);
    for (let i = 0; i < linear.length; i++) linear[i] = srgbToLinear(mesh.colors[i]);
    geometry.setAttribute('color', new THREE.BufferAttribute(linear, 3));
  }
  // Sort triangles by material so each material is one draw group.
  const triangles = mesh.indices.length / 3;
  const ids = mesh.materialIds;
  if (ids && mesh.materials.length > 1) {
    const counts = new Uint32Array(mesh.materials.length + 1);
    for (let t = 0; t < triangles; t++) counts[ids[t] + 1]++;
    for (let m = 1; m < counts.length; m++) counts[m] += counts[m - 1];
    const starts = counts.slice();
    const sorted = new Uint32Array(mesh.indices.length);
    for (let t = 0; t < triangles; t++) {
      const at = 3 * starts[ids[t]]++;
      sorted[at] = mesh.indices[3 * t];
      sorted[at + 1] = mesh.indices[3 * t + 1];
      sorted[at + 2] = mesh.indices[3 * t + 2];
    }
    geometry.setIndex(new THREE.BufferAttribute(sorted, 1));
    for (let m = 0; m < mesh.materials.length; m++) {
      geometry.addGroup(3 * counts[m], 3 * (counts[m + 1] - counts[m]), m);
    }
  } else {
    geometry.setIndex(new THREE.BufferAttribute(mesh.indices, 1));
  }
  geometry.computeVertexNormals();

  const textures: THREE.Texture[] = [];
  const materials = mesh.materials.map((m) => {
    const material = new THREE.MeshStandardMaterial({
      color: new THREE.Color().setRGB(m.color[0], m.color[1], m.color[2], THREE.SRGBColorSpace),
      vertexColors: Boolean(mesh.colors),
      roughness: 0.75,
      metalness: 0.05,
      side: THREE.DoubleSide,
    });
    if (m.texture && mesh.uvs) {
      const texture = new THREE.DataTexture(
        m.texture.data,
        m.texture.width,
        m.texture.height,
        THREE.RGBAFormat,
      );
      texture.colorSpace = THREE.SRGBColorSpace;
      texture.wrapS = THREE.RepeatWrapping;
      texture.wrapT = THREE.RepeatWrapping;
      // DataTexture rows go bottom-up; our images are stored top row first.
      texture.flipY = m.textureOriginTopLeft === true;
      texture.needsUpdate = true;
      texture.generateMipmaps = true;
      texture.minFilter = THREE.LinearMipmapLinearFilter;
      material.map = texture;
      textures.push(texture);
    }
    return material;
  });

  return {
    geometry,
    materials,
    dispose() {
      geometry.dispose();
      for (const m of materials) m.dispose();
      for (const t of textures) t.dispose();
    },
  };
}

export interface DisplayVoxels {
  mesh: THREE.InstancedMesh;
  dispose(): void;
}

export function buildDisplayVoxels(grid: VoxelGrid): DisplayVoxels {
  const r = grid.resolution;
  let count = 0;
  for (let i = 0; i < grid.occupancy.length; i++) if (grid.occupancy[i]) count++;
  const size = 1 / r;
  const geometry = new THREE.BoxGeometry(size * 0.92, size * 0.92, size * 0.92);
  const material = new THREE.MeshStandardMaterial({ roughness: 0.8, metalness: 0 });
  const instanced = new THREE.InstancedMesh(geometry, material, Math.max(count, 1));
  instanced.count = count;
  const matrix = new THREE.Matrix4();
  const color = new THREE.Color();
  let n = 0;
  for (let z = 0; z < r; z++) {
    for (let y = 0; y < r; y++) {
      for (let x = 0; x < r; x++) {
        const i = x + r * (y + r * z);
        if (!grid.occupancy[i]) continue;
        matrix.makeTranslation(-0.5 + (x + 0.5) * size, -0.5 + (y + 0.5) * size, -0.5 + (z + 0.5) * size);
        instanced.setMatrixAt(n, matrix);
        const c = grid.colors;
        color.setRGB(c[3 * i] / 255, c[3 * i + 1] / 255, c[3 * i + 2] / 255, THREE.SRGBColorSpace);
        instanced.setColorAt(n, color);
        n++;
      }
    }
  }
  instanced.instanceMatrix.needsUpdate = true;
  if (instanced.instanceColor) instanced.instanceColor.needsUpdate = true;
  return {
    mesh: instanced,
    dispose() {
      geometry.dispose();
      material.dispose();
      instanced.dispose();
    },
  };
}
