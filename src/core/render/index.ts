export { type RenderedView, type RenderOptions, renderView } from './render-view';
export { azimuthSinCos, type FaceId, faceShades, VIEW_SPEC, type ViewCamera, viewCamera } from './view-spec';
