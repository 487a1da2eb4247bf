/**
 * The canonical view spec: part of the model's contract (DESIGN §5, training/RENDERER.md). Training
 * renders condition images with training/render.py and the studio renders c_src with render-view.ts;
 * both read these numbers, and the golden images in tests/golden/render prove the two agree.
 * Every number of the spec lives here and nowhere else in TypeScript.
 */
export const VIEW_SPEC = {
  /** Voxels per axis of the grids the model sees; the cube [-0.5, 0.5]³. */
  gridResolution: 64,
  /** Pixels per side; one ray through each pixel centre. */
  imageSize: 128,
  /** Azimuth a_k = k·45°, k = 0..7; k = 0 looks at the front (camera on +z), k grows counter-clockwise seen from +y. */
  views: 8,
  azimuthStepDeg: 45,
  /** The camera is above the object, looking down. */
  elevationDeg: 20,
  /**
   * cos 20° and sin 20° as literals: libm's last bit differs between platforms (NumPy's cos 20° is one
   * ulp off V8's), and both renderers must start from the same double.
   */
  cosElevation: 0.9396926207859084,
  sinElevation: 0.3420201433256687,
  /** Orthographic view square [-0.88, 0.88]²: the cube's bounding sphere (radius √3/2) fits. */
  halfExtent: 0.88,
  background: [255, 255, 255] as const,
  /** World-space direction toward the light (normalized where used): up, to the left, in front. */
  light: [-0.4, 0.8, 0.6] as const,
  /** Shaded colour = colour × (ambient + diffuse · max(0, n·l)), n the normal of the face the ray entered. */
  ambient: 0.45,
  diffuse: 0.55,
} as const;

/** Face ids: 2·axis for the voxel face whose outward normal is −axis, 2·axis + 1 for +axis. */
export type FaceId = 0 | 1 | 2 | 3 | 4 | 5;

export interface ViewCamera {
  /** Ray direction (unit, float32 values). */
  forward: [number, number, number];
  /** Image x axis (to the right). */
  right: [number, number, number];
  /** Image y axis (up). */
  up: [number, number, number];
}

/** sin and cos of a_k from exact values (0, ±1, ±√½), not from Math.sin, for the same reason as above. */
export function azimuthSinCos(view: number): [number, number] {
  if (!Number.isInteger(view) || view < 0 || view >= VIEW_SPEC.views) {
    throw new RangeError(`view must be an integer from 0 to ${VIEW_SPEC.views - 1}; got ${view}`);
  }
  const s = Math.sqrt(0.5);
  const sin = [0, s, 1, s, 0, -s, -1, -s];
  const cos = [1, s, 0, -s, -1, -s, 0, s];
  return [sin[view], cos[view]];
}

/**
 * The camera sits at d = (cos e·sin a, sin e, cos e·cos a) and looks along −d; right = (cos a, 0, −sin a),
 * up = right × forward. Components are formed in float64 and rounded to float32 once.
 */
export function viewCamera(view: number): ViewCamera {
  const [sa, ca] = azimuthSinCos(view);
  const ce = VIEW_SPEC.cosElevation;
  const se = VIEW_SPEC.sinElevation;
  const f = Math.fround;
  return {
    forward: [f(-(ce * sa)), f(-se), f(-(ce * ca))],
    right: [f(ca), 0, f(-sa)],
    up: [f(-(se * sa)), f(ce), f(-(se * ca))],
  };
}

/** Float32 shade factor per face id: ambient + diffuse · max(0, n·l), evaluated in float64. */
export function faceShades(): Float32Array {
  const [lx, ly, lz] = VIEW_SPEC.light;
  const norm = Math.sqrt(lx * lx + ly * ly + lz * lz);
  const light = [lx / norm, ly / norm, lz / norm];
  const out = new Float32Array(6);
  for (let face = 0; face < 6; face++) {
    const axis = face >> 1;
    const nl = face & 1 ? light[axis] : -light[axis];
    out[face] = VIEW_SPEC.ambient + VIEW_SPEC.diffuse * Math.max(0, nl);
  }
  return out;
}
