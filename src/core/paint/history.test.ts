import { describe, expect, it } from 'vitest';
import { fillRect } from './draw';
import { PAINT_HISTORY_LIMIT, PaintHistory } from './history';
import { cloneView, type Rgb, samePixels } from './image';
import { blank, block } from './test-support';

const source = () => {
  const image = blank(8);
  block(image, 2, 2, 6, 6, [90, 90, 90]);
  return image;
};

function painted(from: ReturnType<typeof blank>, x: number, color: Rgb = [255, 0, 0]) {
  const image = cloneView(from);
  fillRect(image, { x, y: 0 }, { x, y: 0 }, color);
  return image;
}

describe('PaintHistory', () => {
  it('undo and redo walk back and forth through the committed images', () => {
    const src = source();
    const history = new PaintHistory(src);
    const a = painted(src, 0);
    const b = painted(a, 1);
    expect(history.commit(a)).toBe(true);
    expect(history.commit(b)).toBe(true);
    expect(samePixels(history.undo()!, a)).toBe(true);
    expect(samePixels(history.undo()!, src)).toBe(true);
    expect(history.undo()).toBeNull();
    expect(history.canUndo).toBe(false);
    expect(samePixels(history.redo()!, a)).toBe(true);
    expect(samePixels(history.redo()!, b)).toBe(true);
    expect(history.redo()).toBeNull();
  });

  it('a commit after undo drops the redo branch', () => {
    const src = source();
    const history = new PaintHistory(src);
    history.commit(painted(src, 0));
    history.undo();
    const c = painted(src, 7, [0, 0, 255]);
    history.commit(c);
    expect(history.canRedo).toBe(false);
    expect(samePixels(history.present(), c)).toBe(true);
  });

  it('ignores commits that change nothing', () => {
    const src = source();
    const history = new PaintHistory(src);
    expect(history.commit(cloneView(src))).toBe(false);
    expect(history.size).toBe(1);
    expect(history.canUndo).toBe(false);
  });

  it('snapshots are copies: changing a committed or returned image does not change the history', () => {
    const src = source();
    const history = new PaintHistory(src);
    const a = painted(src, 0);
    history.commit(a);
    a.data.fill(0);
    src.data.fill(0);
    history.present().data.fill(0);
    expect(history.present().data[0]).toBe(255);
    const back = history.reset()!;
    expect(back.data[0]).toBe(255);
    expect(back.data[4 * (3 * 8 + 3)]).toBe(90);
  });

  it('reset goes back to the source as an undoable step, starting from a given target', () => {
    const src = source();
    const start = painted(src, 4);
    const history = new PaintHistory(src, start);
    expect(history.isSource).toBe(false);
    expect(samePixels(history.reset()!, src)).toBe(true);
    expect(history.isSource).toBe(true);
    expect(history.reset()).toBeNull();
    expect(samePixels(history.undo()!, start)).toBe(true);
  });

  it(`holds at most ${PAINT_HISTORY_LIMIT} snapshots and keeps the newest`, () => {
    const src = blank(4);
    const history = new PaintHistory(src);
    const images = [];
    for (let k = 1; k <= 80; k++) {
      const image = blank(4, 4, [k, 0, 0]);
      images.push(image);
      history.commit(image);
    }
    expect(history.size).toBe(PAINT_HISTORY_LIMIT);
    let undos = 0;
    while (history.undo()) undos++;
    expect(undos).toBe(PAINT_HISTORY_LIMIT - 1);
    expect(samePixels(history.present(), images[80 - PAINT_HISTORY_LIMIT])).toBe(true);
    expect(history.isSource).toBe(false);
  });

  it('rejects images of another size', () => {
    expect(() => new PaintHistory(blank(4), blank(5))).toThrow(/5×5/);
    expect(() => new PaintHistory(blank(4)).commit(blank(2))).toThrow(/2×2/);
    expect(() => new PaintHistory({ width: 2, height: 2, data: new Uint8Array(3) })).toThrow(/bytes/);
  });
});
