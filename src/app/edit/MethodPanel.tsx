import {
  EDIT_METHOD_NAMES,
  type EditMethodName,
  type EditOverrides,
  METHOD_LABELS,
  resolveEditSettings,
} from '../../core/edit/settings';
import { EDIT_KINDS, type EditKind } from '../../core/flow';
import { sameImage } from '../../state/edit-state';
import { useActions, useSession } from '../session-context';

type NumberKey = Exclude<keyof EditOverrides, 'variant'>;

const FIELDS: { key: NumberKey; label: string; title: string; methods: EditMethodName[]; step: number }[] = [
  {
    key: 'steps',
    label: 'Steps T',
    title: 'Sampler steps of the full schedule',
    methods: [...EDIT_METHOD_NAMES],
    step: 1,
  },
  {
    key: 'nMax',
    label: 'n_max',
    title: 'Step the edit starts at: larger edits more',
    methods: ['flowedit', 'anchorflow', 'stm'],
    step: 1,
  },
  {
    key: 'nAvg',
    label: 'n_avg',
    title: 'Noise draws averaged per step',
    methods: ['flowedit', 'anchorflow'],
    step: 1,
  },
  {
    key: 'sSrc',
    label: 's_src',
    title: 'Guidance scale on the source view',
    methods: ['flowedit', 'anchorflow', 'stm'],
    step: 0.5,
  },
  {
    key: 'sTgt',
    label: 's_tgt',
    title: 'Guidance scale on the target view',
    methods: ['flowedit', 'anchorflow', 'stm'],
    step: 0.5,
  },
  { key: 'lambda', label: 'λ', title: 'STM stochasticity (CAST3D: 0.6)', methods: ['stm'], step: 0.1 },
  {
    key: 'cfg',
    label: 'cfg',
    title: 'Guidance scale of the fresh sample',
    methods: ['regenerate'],
    step: 0.5,
  },
];

/** Method, edit kind (the preset), seed and parameters; Run. */
export function MethodPanel() {
  const settings = useSession((s) => s.settings);
  const pack = useSession((s) => s.pack);
  const source = useSession((s) => s.source);
  const views = useSession((s) => s.views);
  const viewIndex = useSession((s) => s.viewIndex);
  const target = useSession((s) => s.target);
  const running = useSession((s) => s.run.kind === 'running');
  const actions = useActions();
  const sourceView = views?.[viewIndex];
  const changed = target !== null && sourceView !== undefined && !sameImage(target, sourceView);
  const resolved = pack
    ? (() => {
        try {
          return resolveEditSettings(settings, pack.sampler);
        } catch {
          return null;
        }
      })()
    : null;
  const presetValue = (key: NumberKey): number | undefined => {
    if (!resolved) return undefined;
    if (key === 'steps') return resolved.T;
    if (key === 'cfg') return resolved.sTgt;
    return resolved[key];
  };
  const why = !source
    ? 'Load a mesh first.'
    : !changed
      ? 'Paint on the view or drop an edited image first.'
      : !pack
        ? 'The model pack is loading…'
        : running
          ? 'A job is running.'
          : null;
  return (
    <div className="panel method-panel" data-testid="method-panel">
      <div className="panel-title">3 · Method</div>
      <label className="field">
        <span>Method</span>
        <select
          data-testid="method-select"
          value={settings.method}
          onChange={(e) => actions.setSettings({ method: e.target.value as EditMethodName })}
        >
          {EDIT_METHOD_NAMES.map((m) => (
            <option key={m} value={m}>
              {METHOD_LABELS[m]}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Edit type (preset)</span>
        <select
          data-testid="kind-select"
          value={settings.kind}
          onChange={(e) => actions.setSettings({ kind: e.target.value as EditKind })}
        >
          {EDIT_KINDS.map((k) => (
            <option key={k} value={k}>
              {k}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>Seed</span>
        <input
          type="number"
          min={0}
          step={1}
          data-testid="seed-input"
          value={settings.seed}
          onChange={(e) =>
            actions.setSettings({ seed: Math.max(0, Math.floor(Number(e.target.value) || 0)) })
          }
        />
      </label>
      <div className="param-grid">
        {FIELDS.filter((f) => f.methods.includes(settings.method)).map((f) => (
          <label key={f.key} className="field" title={f.title}>
            <span>{f.label}</span>
            <input
              type="number"
              step={f.step}
              min={0}
              data-testid={`param-${f.key}`}
              value={settings[f.key] ?? presetValue(f.key) ?? ''}
              onChange={(e) => {
                const value = e.target.value === '' ? undefined : Number(e.target.value);
                actions.setSettings({ [f.key]: Number.isFinite(value) ? value : undefined });
              }}
            />
          </label>
        ))}
        {settings.method === 'anchorflow' && (
          <label className="field" title="The published update rule, or the public code's form">
            <span>Variant</span>
            <select
              data-testid="param-variant"
              value={settings.variant ?? resolved?.variant ?? 'paper'}
              onChange={(e) => actions.setSettings({ variant: e.target.value as 'paper' | 'code' })}
            >
              <option value="paper">paper</option>
              <option value="code">code</option>
            </select>
          </label>
        )}
      </div>
      <div className="progress-row">
        <button type="button" data-testid="reset-params" onClick={() => actions.resetOverrides()}>
          Preset values
        </button>
        <button
          type="button"
          className="primary"
          data-testid="run-edit"
          disabled={why !== null}
          title={why ?? 'Run the edit'}
          onClick={() => void actions.runEdit()}
        >
          Run edit
        </button>
      </div>
      {why && <div className="muted hint">{why}</div>}
      {pack && (
        <details className="muted hint pack-about" data-testid="pack-info">
          <summary>
            Pack “{pack.name}” on{' '}
            {pack.backend === 'webgpu' ? 'WebGPU' : pack.backend === 'wasm' ? 'CPU (wasm)' : pack.backend}
          </summary>
          {/* What the pack was trained on and how well it edits, so a person knows what to expect of it. */}
          <p data-testid="pack-description">{pack.description}</p>
        </details>
      )}
    </div>
  );
}
