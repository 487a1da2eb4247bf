import { type RefObject, useCallback, useEffect, useRef, useState } from 'react';
import { PaintSession } from '../../core/paint';
import type { RenderedView } from '../../core/render';

export interface PaintSessionHandle {
  /** Null while there is no source view to paint on. */
  session: RefObject<PaintSession | null>;
  canvas: RefObject<HTMLCanvasElement | null>;
  /** Copies the live image to the canvas. */
  draw(): void;
  /** Hands a committed image to the parent and refreshes undo/redo state. */
  emit(image: RenderedView | null): void;
  canUndo: boolean;
  canRedo: boolean;
  isSource: boolean;
  /** Bumped whenever the session is rebuilt from props (new source view, or a target set from outside). */
  generation: number;
}

/**
 * Owns the PaintSession behind the editor. The parent holds the target (`value`); the session is
 * rebuilt only when the source changes or `value` is not the image this editor last emitted (e.g. the
 * global undo restored an older target), so painting never round-trips through the parent.
 */
export function usePaintSession(
  source: RenderedView | null,
  value: RenderedView | null,
  onChange: (image: RenderedView) => void,
): PaintSessionHandle {
  const session = useRef<PaintSession | null>(null);
  const builtFrom = useRef<RenderedView | null>(null);
  const emitted = useRef<RenderedView | null>(null);
  const canvas = useRef<HTMLCanvasElement | null>(null);
  const onChangeRef = useRef(onChange);
  const [flags, setFlags] = useState({ canUndo: false, canRedo: false, isSource: true });
  const [generation, setGeneration] = useState(0);

  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  const refresh = useCallback(() => {
    const history = session.current?.history;
    setFlags({
      canUndo: history?.canUndo ?? false,
      canRedo: history?.canRedo ?? false,
      isSource: history?.isSource ?? true,
    });
  }, []);

  const draw = useCallback(() => {
    const element = canvas.current;
    const image = session.current?.image;
    const context = element?.getContext('2d');
    if (!element || !context) return;
    if (!image) {
      context.clearRect(0, 0, element.width, element.height);
      return;
    }
    const pixels = context.createImageData(image.width, image.height);
    pixels.data.set(image.data);
    context.putImageData(pixels, 0, 0);
  }, []);

  const emit = useCallback(
    (image: RenderedView | null) => {
      refresh();
      if (!image) return;
      emitted.current = image;
      onChangeRef.current(image);
    },
    [refresh],
  );

  useEffect(() => {
    if (source === builtFrom.current && session.current && value === emitted.current) return;
    builtFrom.current = source;
    emitted.current = value;
    let next: PaintSession | null = null;
    if (source) {
      // A target of another size than the view cannot be painted on; start again from the view.
      const start = value && value.width === source.width && value.height === source.height ? value : source;
      next = new PaintSession(source, start);
    }
    session.current = next;
    setGeneration((g) => g + 1);
    refresh();
    draw();
  }, [source, value, refresh, draw]);

  return { session, canvas, draw, emit, ...flags, generation };
}
