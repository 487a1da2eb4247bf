export { fillEllipse, fillRect, pickColor, snapBrushPoint, strokeBrush, strokeEraser } from './draw';
export { PAINT_HISTORY_LIMIT, PaintHistory } from './history';
export {
  BACKGROUND,
  BACKGROUND_TOLERANCE,
  cloneView,
  type DecodedImage,
  hexToRgb,
  isBackgroundAt,
  type Point,
  type Rgb,
  rgbToHex,
  samePixels,
} from './image';
export {
  MAX_BRUSH_SIZE,
  MIN_BRUSH_SIZE,
  PAINT_TOOLS,
  PaintSession,
  type PaintSettings,
  type PaintTool,
} from './session';
export {
  checkTargetImage,
  type ForegroundBox,
  foregroundBox,
  MAX_CENTRE_OFFSET_PX,
  MAX_SIZE_RATIO,
  MIN_SIZE_RATIO,
  resizeToView,
  type TargetImageCheck,
} from './target-image';
