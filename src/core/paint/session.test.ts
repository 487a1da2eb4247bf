import { describe, expect, it } from 'vitest';
import { samePixels } from './image';
import { PaintSession, type PaintSettings } from './session';
import { blank, block, mask, rgbAt } from './test-support';

const RED = [255, 0, 0] as const;
const brush = (size: number): PaintSettings => ({ tool: 'brush', size, color: RED });

describe('PaintSession', () => {
  it('joins the positions of one brush gesture into a continuous stroke and commits it once', () => {
    const session = new PaintSession(blank(12));
    session.begin({ x: 1.2, y: 1.2 }, brush(1));
    session.move({ x: 10.7, y: 1.4 });
    session.move({ x: 10.7, y: 9.9 });
    expect(session.history.canUndo).toBe(false);
    const committed = session.end();
    expect(committed).not.toBeNull();
    for (let x = 1; x <= 10; x++) expect(rgbAt(session.image, x, 1)).toEqual([...RED]);
    for (let y = 1; y <= 9; y++) expect(rgbAt(session.image, 10, y)).toEqual([...RED]);
    expect(rgbAt(session.image, 5, 5)).toEqual([255, 255, 255]);
    expect(session.history.size).toBe(2);
    // The returned image is a copy: the caller may keep it while painting goes on.
    session.begin({ x: 5.5, y: 5.5 }, brush(3));
    session.end();
    expect(rgbAt(committed!, 5, 5)).toEqual([255, 255, 255]);
  });

  it('previews a rectangle while dragging and keeps only the last one', () => {
    const session = new PaintSession(blank(6));
    const rect: PaintSettings = { tool: 'rect', size: 1, color: RED };
    session.begin({ x: 0.5, y: 0.5 }, rect);
    session.move({ x: 5.5, y: 5.5 });
    session.move({ x: 2.5, y: 1.5 });
    session.end();
    expect(mask(session.image, RED)).toEqual(['###...', '###...', '......', '......', '......', '......']);
  });

  it('erases to the source background and undo brings the object back', () => {
    const src = blank(8);
    block(src, 0, 0, 8, 8, [30, 60, 90]);
    const session = new PaintSession(src);
    session.begin({ x: 0, y: 4 }, { tool: 'eraser', size: 2, color: RED });
    session.move({ x: 8, y: 4 });
    session.end();
    expect(mask(session.image, [255, 255, 255])[3]).toBe('########');
    expect(mask(session.image, [255, 255, 255])[4]).toBe('########');
    expect(samePixels(session.undo()!, src)).toBe(true);
    expect(samePixels(session.image, src)).toBe(true);
    expect(session.redo()).not.toBeNull();
    expect(rgbAt(session.image, 4, 4)).toEqual([255, 255, 255]);
  });

  it('the picker returns the colour and changes nothing', () => {
    const src = blank(4);
    block(src, 1, 1, 2, 2, [18, 52, 86]);
    const session = new PaintSession(src);
    expect(session.begin({ x: 1.5, y: 1.5 }, { tool: 'picker', size: 1, color: RED })).toBe('#123456');
    expect(session.active).toBe(false);
    expect(session.end()).toBeNull();
    expect(session.history.size).toBe(1);
  });

  it('cancel restores the image as it was before the gesture', () => {
    const session = new PaintSession(blank(6));
    session.begin({ x: 2.5, y: 2.5 }, brush(4));
    session.cancel();
    expect(samePixels(session.image, blank(6))).toBe(true);
    expect(session.end()).toBeNull();
  });

  it('a click that changes nothing adds no history step; reset and replace are undoable', () => {
    const session = new PaintSession(blank(6));
    session.begin({ x: 2.5, y: 2.5 }, { tool: 'eraser', size: 3, color: RED });
    expect(session.end()).toBeNull();
    expect(session.history.canUndo).toBe(false);
    const imported = blank(6, 6, [1, 2, 3]);
    expect(session.replace(imported)).not.toBeNull();
    expect(samePixels(session.image, imported)).toBe(true);
    expect(samePixels(session.reset()!, blank(6))).toBe(true);
    expect(samePixels(session.undo()!, imported)).toBe(true);
  });
});
