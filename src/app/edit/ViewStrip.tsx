import { useEffect, useRef } from 'react';
import type { RenderedView } from '../../core/render';
import { useActions, useSession } from '../session-context';

function Thumb({
  view,
  index,
  selected,
  onPick,
}: {
  view: RenderedView;
  index: number;
  selected: boolean;
  onPick(): void;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const context = canvas.current?.getContext('2d');
    if (!context) return;
    context.putImageData(new ImageData(new Uint8ClampedArray(view.data), view.width, view.height), 0, 0);
  }, [view]);
  return (
    <button
      type="button"
      className={`view-thumb${selected ? ' active' : ''}`}
      data-testid={`view-thumb-${index}`}
      aria-pressed={selected}
      title={`View ${index}: azimuth ${index * 45}°`}
      onClick={onPick}
    >
      <canvas ref={canvas} width={view.width} height={view.height} />
      <span>{index * 45}°</span>
    </button>
  );
}

/** The 8 canonical views of the source, as the model sees them; the person picks the one to edit. */
export function ViewStrip() {
  const views = useSession((s) => s.views);
  const selected = useSession((s) => s.viewIndex);
  const actions = useActions();
  if (!views) return null;
  return (
    <div className="view-strip" data-testid="view-strip">
      {views.map((view, i) => (
        <Thumb
          // biome-ignore lint/suspicious/noArrayIndexKey: the 8 canonical views are fixed; the index is their identity.
          key={i}
          view={view}
          index={i}
          selected={i === selected}
          onPick={() => actions.selectView(i)}
        />
      ))}
    </div>
  );
}
