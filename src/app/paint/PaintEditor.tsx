import { type DragEvent, type KeyboardEvent, type PointerEvent, useEffect, useRef, useState } from 'react';
import { type ErrorInfo, InvalidTargetImageError, toErrorInfo } from '../../core/errors';
import {
  checkTargetImage,
  type DecodedImage,
  hexToRgb,
  MAX_BRUSH_SIZE,
  MIN_BRUSH_SIZE,
  type PaintTool,
  type Point,
} from '../../core/paint';
import type { RenderedView } from '../../core/render';
import { decodeImageFile } from './decode';
import { usePaintSession } from './use-paint-session';

export interface PaintEditorProps {
  /** The chosen canonical view; null before a mesh is loaded and a view picked. */
  source: RenderedView | null;
  /**
   * The current target, null while nothing is painted (the editor starts from `source`). Pass back the
   * very object `onChange` gave you: any other object counts as set from outside and restarts painting
   * (with its own undo history) from it.
   */
  value: RenderedView | null;
  /** Called with a fresh copy after every stroke, shape, undo, redo, reset and import. */
  onChange(image: RenderedView): void;
  /** Turns a dropped or chosen file into RGBA; defaults to the browser's decoder. */
  decodeImage?(file: File): Promise<DecodedImage>;
  /** Side of the canvas in CSS pixels. */
  displaySize?: number;
}

const TOOLS: { tool: PaintTool; label: string; title: string }[] = [
  { tool: 'brush', label: 'Brush', title: 'Paint flat colour' },
  { tool: 'eraser', label: 'Eraser', title: 'Paint background: removes what it covers' },
  { tool: 'rect', label: 'Rect', title: 'Filled rectangle: drag from corner to corner' },
  { tool: 'ellipse', label: 'Ellipse', title: 'Filled ellipse: drag its bounding box' },
  { tool: 'picker', label: 'Pick', title: 'Take the colour under the pointer' },
];

const ACCEPT = 'image/png,image/jpeg,image/webp,.png,.jpg,.jpeg,.webp';

/** Pointer position in image pixels (continuous; the canvas is scaled up with CSS). */
function imagePoint(canvas: HTMLCanvasElement, e: { clientX: number; clientY: number }): Point {
  const rect = canvas.getBoundingClientRect();
  return {
    x: ((e.clientX - rect.left) / rect.width) * canvas.width,
    y: ((e.clientY - rect.top) / rect.height) * canvas.height,
  };
}

function isAcceptedImage(file: File): boolean {
  return /^image\/(png|jpeg|webp)$/.test(file.type) || /\.(png|jpe?g|webp)$/i.test(file.name);
}

export function PaintEditor({
  source,
  value,
  onChange,
  decodeImage = decodeImageFile,
  displaySize = 384,
}: PaintEditorProps) {
  const paint = usePaintSession(source, value, onChange);
  const { session, canvas, draw, emit } = paint;
  const [tool, setTool] = useState<PaintTool>('brush');
  const [returnTool, setReturnTool] = useState<PaintTool>('brush');
  const [size, setSize] = useState(6);
  const [color, setColor] = useState('#e0402a');
  const [warnings, setWarnings] = useState<string[]>([]);
  const [error, setError] = useState<ErrorInfo | null>(null);
  const [importing, setImporting] = useState(false);
  const [dragOver, setDragOver] = useState(false);
  const fileInput = useRef<HTMLInputElement>(null);
  const disabled = source === null;

  // Warnings and errors describe the image they came with; a rebuilt session is another image.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on purpose whenever the session is rebuilt
  useEffect(() => {
    setWarnings([]);
    setError(null);
  }, [paint.generation]);

  const chooseTool = (next: PaintTool) => {
    if (next === 'picker' && tool !== 'picker') setReturnTool(tool);
    setTool(next);
  };

  const toPoint = (e: PointerEvent<HTMLCanvasElement>): Point => imagePoint(e.currentTarget, e.nativeEvent);

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    const s = session.current;
    if (!s || e.button !== 0) return;
    e.preventDefault();
    e.currentTarget.focus();
    e.currentTarget.setPointerCapture(e.pointerId);
    const picked = s.begin(toPoint(e), { tool, size, color: hexToRgb(color) });
    if (picked) {
      setColor(picked);
      setTool(returnTool);
    }
    draw();
  };

  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const s = session.current;
    if (!s?.active) return;
    // Coalesced events keep fast curves round; each position is joined to the previous one anyway.
    const events = e.nativeEvent.getCoalescedEvents?.() ?? [];
    if (events.length === 0) s.move(toPoint(e));
    for (const c of events) s.move(imagePoint(e.currentTarget, c));
    draw();
  };

  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const s = session.current;
    if (!s?.active) return;
    s.move(toPoint(e));
    emit(s.end());
    draw();
  };

  const cancelGesture = () => {
    const s = session.current;
    if (!s?.active) return;
    s.cancel();
    draw();
  };

  const step = (action: 'undo' | 'redo' | 'reset') => {
    const image = session.current?.[action]();
    if (!image) return;
    if (action === 'reset') setWarnings([]);
    emit(image);
    draw();
  };

  const importFile = async (file: File) => {
    const view = source;
    const before = session.current;
    if (!view || !before) return;
    if (!isAcceptedImage(file)) {
      setError(
        toErrorInfo(
          new InvalidTargetImageError(
            `“${file.name}” is not a PNG, JPEG or WebP image.`,
            'Export the edited view as .png (lossless, best), .jpg or .webp and drop that.',
          ),
        ),
      );
      return;
    }
    setImporting(true);
    try {
      const checked = checkTargetImage(await decodeImage(file), view);
      // A new view (or a target set from outside) rebuilt the session while the file was decoding:
      // the image was checked against a view that is gone.
      if (session.current !== before) return;
      setWarnings(checked.warnings);
      setError(null);
      emit(before.replace(checked.image));
      draw();
    } catch (failure) {
      setError(toErrorInfo(failure));
    } finally {
      setImporting(false);
    }
  };

  const onKeyDown = (e: KeyboardEvent<HTMLElement>) => {
    if (e.key === 'Escape') {
      cancelGesture();
      return;
    }
    const key = e.key.toLowerCase();
    if (!(e.ctrlKey || e.metaKey) || (key !== 'z' && key !== 'y')) return;
    // Inside the editor these undo paint strokes, not the session (the toolbar listens on window).
    e.preventDefault();
    e.stopPropagation();
    step(key === 'y' || e.shiftKey ? 'redo' : 'undo');
  };

  const hasFiles = (e: DragEvent) => e.dataTransfer.types.includes('Files');

  const onDrop = (e: DragEvent<HTMLElement>) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    // Kept from the page-wide mesh DropZone, which would try to load the image as a mesh. It still
    // shows its overlay from dragenter; an empty drop event is what makes it hide that again.
    e.stopPropagation();
    window.dispatchEvent(new Event('drop'));
    setDragOver(false);
    const file = e.dataTransfer.files[0];
    if (file && !disabled) void importFile(file);
  };

  return (
    <section className="paint-editor" data-testid="paint-editor" onKeyDown={onKeyDown}>
      <div className="paint-tools">
        <fieldset className="segmented" aria-label="Paint tool" disabled={disabled}>
          {TOOLS.map((t) => (
            <button
              key={t.tool}
              type="button"
              title={t.title}
              aria-pressed={tool === t.tool}
              className={tool === t.tool ? 'active' : ''}
              data-testid={`paint-tool-${t.tool}`}
              onClick={() => chooseTool(t.tool)}
            >
              {t.label}
            </button>
          ))}
        </fieldset>
        <label className="paint-field" title="Brush and eraser diameter in image pixels">
          <span className="muted">Size</span>
          <input
            type="range"
            data-testid="paint-size"
            min={MIN_BRUSH_SIZE}
            max={MAX_BRUSH_SIZE}
            step={1}
            value={size}
            disabled={disabled}
            onChange={(e) => setSize(Number(e.currentTarget.value))}
          />
          <span className="mono paint-size-value">{size}px</span>
        </label>
        <label className="paint-field" title="Paint colour">
          <span className="muted">Colour</span>
          <input
            type="color"
            data-testid="paint-color"
            value={color}
            disabled={disabled}
            onChange={(e) => setColor(e.currentTarget.value)}
          />
        </label>
      </div>
      <div className="paint-tools">
        <button
          type="button"
          data-testid="paint-undo"
          disabled={!paint.canUndo}
          onClick={() => step('undo')}
          title="Undo paint (Ctrl+Z in the editor)"
        >
          Undo paint
        </button>
        <button
          type="button"
          data-testid="paint-redo"
          disabled={!paint.canRedo}
          onClick={() => step('redo')}
          title="Redo paint (Ctrl+Shift+Z in the editor)"
        >
          Redo paint
        </button>
        <button
          type="button"
          data-testid="paint-reset"
          disabled={disabled || paint.isSource}
          onClick={() => step('reset')}
          title="Back to the unedited view (can be undone)"
        >
          Reset to view
        </button>
        <span className="spacer" />
        <button
          type="button"
          disabled={disabled || importing}
          onClick={() => fileInput.current?.click()}
          title="Use an image edited elsewhere (PNG, JPEG, WebP) — or drop it on the canvas"
        >
          {importing ? 'Reading…' : 'Load image…'}
        </button>
        <input
          ref={fileInput}
          type="file"
          data-testid="target-image-input"
          accept={ACCEPT}
          hidden
          disabled={disabled || importing}
          onChange={(e) => {
            // React clears currentTarget after dispatch, so hold the element before awaiting.
            const element = e.currentTarget;
            const file = element.files?.[0];
            element.value = '';
            if (file) void importFile(file);
          }}
        />
      </div>
      <div
        className={`paint-stage${dragOver ? ' drag-over' : ''}`}
        style={{ width: displaySize, height: displaySize }}
        onDragOver={(e) => {
          if (!hasFiles(e) || disabled) return;
          e.preventDefault();
          setDragOver(true);
        }}
        onDragLeave={() => setDragOver(false)}
        onDrop={onDrop}
      >
        <canvas
          ref={canvas}
          data-testid="paint-canvas"
          className={`paint-canvas tool-${tool}`}
          width={source?.width ?? 1}
          height={source?.height ?? 1}
          tabIndex={disabled ? -1 : 0}
          aria-label="Target view: paint on it to show the edit"
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={cancelGesture}
          onLostPointerCapture={cancelGesture}
        />
        {disabled && (
          <div className="paint-empty muted">Load a mesh and pick a view to paint the edit on it.</div>
        )}
      </div>
      {error && (
        <div className="paint-error" role="alert" data-testid="paint-error" data-code={error.code}>
          <div className="error-text">
            <strong>{error.message}</strong>
            <span>{error.hint}</span>
          </div>
          <button type="button" onClick={() => setError(null)} aria-label="Dismiss error">
            Dismiss
          </button>
        </div>
      )}
      <ul className="paint-warnings" data-testid="target-warnings" hidden={warnings.length === 0}>
        {warnings.map((w) => (
          <li key={w}>{w}</li>
        ))}
      </ul>
    </section>
  );
}
