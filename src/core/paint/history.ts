/**
 * Undo/redo for the paint editor as whole-image snapshots: a 128² view is 64 KiB, so a snapshot per
 * stroke is cheaper and simpler than recording and replaying strokes, and the bound below caps the
 * memory at a few MiB however long someone paints.
 */
import { InvalidArgumentError } from '../errors';
import type { RenderedView } from '../render/render-view';
import { assertImage, cloneView, samePixels, sameSize } from './image';

export const PAINT_HISTORY_LIMIT = 50;

export class PaintHistory {
  private readonly source: RenderedView;
  /** Immutable snapshots, oldest first; `states[index]` is the present. Never handed out uncopied. */
  private readonly states: RenderedView[];
  private index = 0;
  private readonly limit: number;

  constructor(source: RenderedView, start: RenderedView = source, limit = PAINT_HISTORY_LIMIT) {
    assertImage(source, 'The source view');
    assertImage(start, 'The starting target');
    if (!sameSize(source, start)) {
      throw new InvalidArgumentError(
        `The starting target is ${start.width}×${start.height} but the source view is ${source.width}×${source.height}.`,
        'Resize the target to the source view first (checkTargetImage does).',
      );
    }
    if (!Number.isInteger(limit) || limit < 1) {
      throw new InvalidArgumentError(
        `The history limit must be a positive integer; got ${limit}.`,
        'Use e.g. 50.',
      );
    }
    this.source = cloneView(source);
    this.states = [cloneView(start)];
    this.limit = limit;
  }

  get canUndo(): boolean {
    return this.index > 0;
  }

  get canRedo(): boolean {
    return this.index < this.states.length - 1;
  }

  /** Snapshots held, the present included; never more than the limit. */
  get size(): number {
    return this.states.length;
  }

  /** A copy of the present image. */
  present(): RenderedView {
    return cloneView(this.states[this.index]);
  }

  /** Copies the present into `target` without allocating (previews redraw from it on every move). */
  restoreInto(target: RenderedView): void {
    target.data.set(this.states[this.index].data);
  }

  /** Whether the present is the source view, i.e. nothing has been edited. */
  get isSource(): boolean {
    return samePixels(this.states[this.index], this.source);
  }

  /**
   * Records `image` as the new present and drops the redo branch. An image equal to the present is
   * not recorded (returns false), so clicks that change nothing do not fill the history.
   */
  commit(image: RenderedView): boolean {
    assertImage(image, 'The committed image');
    if (!sameSize(image, this.source)) {
      throw new InvalidArgumentError(
        `The committed image is ${image.width}×${image.height}; the history holds ${this.source.width}×${this.source.height}.`,
        'Commit images of the source view’s size.',
      );
    }
    if (samePixels(image, this.states[this.index])) return false;
    this.states.splice(this.index + 1);
    this.states.push(cloneView(image));
    if (this.states.length > this.limit) this.states.splice(0, this.states.length - this.limit);
    this.index = this.states.length - 1;
    return true;
  }

  /** Steps back; returns the new present, or null when there is nothing to undo. */
  undo(): RenderedView | null {
    if (!this.canUndo) return null;
    this.index--;
    return this.present();
  }

  redo(): RenderedView | null {
    if (!this.canRedo) return null;
    this.index++;
    return this.present();
  }

  /** Back to the source view, as a step of its own so a reset can be undone; null when already there. */
  reset(): RenderedView | null {
    return this.commit(this.source) ? this.present() : null;
  }
}
