/** Surface extraction: shell grid → smooth vertex-coloured mesh (and the blocky baseline). */
export { extractBlocky } from './blocky';
export { type EdgeReport, edgeReport, minTriangleArea, signedVolume, vertexNormals } from './mesh-metrics';
export {
  extractSurface,
  extractSurfaceWithStats,
  MAX_SURFACE_RESOLUTION,
  type SurfaceOptions,
  type SurfaceStats,
} from './surface-nets';
