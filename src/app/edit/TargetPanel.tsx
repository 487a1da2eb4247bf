import { PaintEditor } from '../paint/PaintEditor';
import { useActions, useSession } from '../session-context';
import { ViewStrip } from './ViewStrip';

/** Left column: pick a view, then show the edit on it (paint, erase, or drop an edited image). */
export function TargetPanel() {
  const views = useSession((s) => s.views);
  const viewIndex = useSession((s) => s.viewIndex);
  const target = useSession((s) => s.target);
  const actions = useActions();
  if (!views) return null;
  return (
    <section className="target-panel" aria-label="Target">
      <div className="panel-title">1 · Pick a view</div>
      <ViewStrip />
      <div className="panel-title">2 · Show the edit</div>
      <p className="muted hint">
        Paint with a colour to add, erase to background to remove, or drop an image edited elsewhere.
      </p>
      <PaintEditor
        source={views[viewIndex] ?? null}
        value={target}
        onChange={(image) => actions.setTarget(image)}
      />
    </section>
  );
}
