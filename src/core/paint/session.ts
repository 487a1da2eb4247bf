/**
 * The paint editor's gestures without the DOM: the UI feeds pointer positions in image coordinates,
 * this applies the current tool to a live image and commits one history step per gesture. Kept in
 * core so every tool's behaviour is unit-tested in Node.
 */
import type { RenderedView } from '../render/render-view';
import { fillEllipse, fillRect, pickColor, snapBrushPoint, strokeBrush, strokeEraser } from './draw';
import { PaintHistory } from './history';
import { cloneView, type Point, type Rgb } from './image';

export type PaintTool = 'brush' | 'eraser' | 'rect' | 'ellipse' | 'picker';

export const PAINT_TOOLS: readonly PaintTool[] = ['brush', 'eraser', 'rect', 'ellipse', 'picker'];

export interface PaintSettings {
  tool: PaintTool;
  /** Brush and eraser diameter in image pixels. */
  size: number;
  color: Rgb;
}

export const MIN_BRUSH_SIZE = 1;
export const MAX_BRUSH_SIZE = 32;

interface Gesture {
  settings: PaintSettings;
  start: Point;
  last: Point;
}

export class PaintSession {
  readonly history: PaintHistory;
  /** The image being painted, changed in place during a gesture; read it to draw, never keep it. */
  readonly image: RenderedView;
  private gesture: Gesture | null = null;

  constructor(source: RenderedView, start: RenderedView = source, limit?: number) {
    this.history = new PaintHistory(source, start, limit);
    this.image = this.history.present();
  }

  get active(): boolean {
    return this.gesture !== null;
  }

  /**
   * Starts a gesture at `p`. The picker has no gesture: it returns the colour under `p` (`#rrggbb`)
   * and changes nothing; every other tool returns null.
   */
  begin(p: Point, settings: PaintSettings): string | null {
    if (this.gesture) this.cancel();
    if (settings.tool === 'picker') return pickColor(this.image, p);
    const size = Math.min(MAX_BRUSH_SIZE, Math.max(MIN_BRUSH_SIZE, Math.round(settings.size)));
    this.gesture = { settings: { ...settings, size }, start: p, last: p };
    this.apply(p);
    return null;
  }

  move(p: Point): void {
    if (!this.gesture) return;
    this.apply(p);
    this.gesture.last = p;
  }

  /** Ends the gesture; returns a copy of the committed image, or null when it changed nothing. */
  end(): RenderedView | null {
    if (!this.gesture) return null;
    this.gesture = null;
    return this.history.commit(this.image) ? cloneView(this.image) : null;
  }

  /** Abandons the gesture (pointercancel, Escape): the image goes back to the present. */
  cancel(): void {
    this.gesture = null;
    this.history.restoreInto(this.image);
  }

  undo(): RenderedView | null {
    return this.adopt(this.history.undo());
  }

  redo(): RenderedView | null {
    return this.adopt(this.history.redo());
  }

  reset(): RenderedView | null {
    return this.adopt(this.history.reset());
  }

  /** Replaces the whole image (an imported target) as one undoable step. */
  replace(image: RenderedView): RenderedView | null {
    if (this.gesture) this.cancel();
    return this.adopt(this.history.commit(image) ? this.history.present() : null);
  }

  private adopt(present: RenderedView | null): RenderedView | null {
    if (!present) return null;
    this.gesture = null;
    this.image.data.set(present.data);
    return present;
  }

  private apply(p: Point): void {
    const g = this.gesture!;
    const { tool, size, color } = g.settings;
    const radius = size / 2;
    switch (tool) {
      case 'brush':
        strokeBrush(this.image, snapBrushPoint(g.last, radius), snapBrushPoint(p, radius), radius, color);
        break;
      case 'eraser':
        strokeEraser(this.image, snapBrushPoint(g.last, radius), snapBrushPoint(p, radius), radius);
        break;
      // Shapes are previews until the pointer lifts: redraw from the present on every move.
      case 'rect':
        this.history.restoreInto(this.image);
        fillRect(this.image, g.start, p, color);
        break;
      case 'ellipse':
        this.history.restoreInto(this.image);
        fillEllipse(this.image, g.start, p, color);
        break;
      case 'picker':
        break;
    }
  }
}
