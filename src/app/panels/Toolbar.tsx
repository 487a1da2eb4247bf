import { useEffect, useRef, useState } from 'react';
import { FlowsmithError } from '../../core/errors';
import { ACCEPTED_EXTENSIONS, readFiles } from '../files';
import { fetchSample, listSamples, type SampleEntry } from '../samples';
import { useActions, useSession } from '../session-context';

function SamplesMenu() {
  const actions = useActions();
  const running = useSession((s) => s.run.kind === 'running');
  const [open, setOpen] = useState(false);
  const [samples, setSamples] = useState<SampleEntry[] | null>(null);
  const menu = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (e: Event) => {
      if (e instanceof KeyboardEvent ? e.key === 'Escape' : !menu.current?.contains(e.target as Node))
        setOpen(false);
    };
    window.addEventListener('pointerdown', close);
    window.addEventListener('keydown', close);
    return () => {
      window.removeEventListener('pointerdown', close);
      window.removeEventListener('keydown', close);
    };
  }, [open]);

  useEffect(() => {
    if (!open || samples) return;
    listSamples()
      .then(setSamples)
      .catch((error: unknown) => {
        setOpen(false);
        actions.reportError(
          new FlowsmithError(
            'internal',
            `The samples could not be listed (${String(error)}).`,
            'Reload the page.',
          ),
        );
      });
  }, [open, samples, actions]);

  const load = async (entry: SampleEntry) => {
    setOpen(false);
    try {
      await actions.loadFiles(await fetchSample(entry));
    } catch (error) {
      actions.reportError(error);
    }
  };

  return (
    <div className="menu" ref={menu}>
      <button type="button" data-testid="samples-menu" disabled={running} onClick={() => setOpen(!open)}>
        Samples ▾
      </button>
      {open && (
        <ul className="menu-list">
          {samples === null && <li className="muted">Loading…</li>}
          {samples?.map((s) => (
            <li key={s.file}>
              <button type="button" data-testid={`sample-${s.name}`} onClick={() => void load(s)}>
                <strong>{s.name}</strong>
                <span className="muted">
                  {s.format} · {s.triangles.toLocaleString('en-US')} triangles — {s.description}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

export function Toolbar() {
  const actions = useActions();
  const display = useSession((s) => s.display);
  const canUndo = useSession((s) => s.past.length > 0);
  const canRedo = useSession((s) => s.future.length > 0);
  const running = useSession((s) => s.run.kind === 'running');
  const input = useRef<HTMLInputElement>(null);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey) || e.key.toLowerCase() !== 'z') return;
      e.preventDefault();
      if (e.shiftKey) actions.redo();
      else actions.undo();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [actions]);

  return (
    <header className="toolbar">
      <span className="brand">Flowsmith</span>
      <button type="button" disabled={running} onClick={() => input.current?.click()}>
        Open…
      </button>
      <input
        ref={input}
        data-testid="mesh-input"
        type="file"
        multiple
        accept={ACCEPTED_EXTENSIONS.join(',')}
        hidden
        onChange={async (e) => {
          // React clears currentTarget after dispatch, so hold the element before awaiting.
          const element = e.currentTarget;
          const files = element.files;
          if (!files || files.length === 0) return;
          try {
            const inputs = await readFiles(files);
            await actions.loadFiles(inputs);
          } catch (error) {
            actions.reportError(error);
          } finally {
            element.value = '';
          }
        }}
      />
      <SamplesMenu />
      <fieldset className="segmented" aria-label="Display">
        {(['mesh', 'voxels'] as const).map((mode) => (
          <button
            key={mode}
            type="button"
            aria-pressed={display === mode}
            data-testid={`display-${mode}`}
            className={display === mode ? 'active' : ''}
            onClick={() => actions.setDisplay(mode)}
          >
            {mode === 'mesh' ? 'Mesh' : 'Voxels'}
          </button>
        ))}
      </fieldset>
      <span className="spacer" />
      <button
        type="button"
        data-testid="undo"
        disabled={!canUndo || running}
        onClick={actions.undo}
        title="Undo (Ctrl+Z)"
      >
        Undo
      </button>
      <button
        type="button"
        data-testid="redo"
        disabled={!canRedo || running}
        onClick={actions.redo}
        title="Redo (Ctrl+Shift+Z)"
      >
        Redo
      </button>
    </header>
  );
}
