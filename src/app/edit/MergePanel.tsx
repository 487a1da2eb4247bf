import { useEffect, useRef, useState } from 'react';
import type { SizeHistogram } from '../../core/merge';
import type { EditOutcome } from '../../state/edit-state';
import { useActions, useSession } from '../session-context';

function Histogram({ histogram, tau }: { histogram: SizeHistogram; tau: number }) {
  const bins = histogram.counts.length;
  const width = 260;
  const height = 90;
  const barWidth = width / Math.max(1, bins);
  const top = Math.max(1, ...histogram.counts.map((c) => Math.log2(1 + c)));
  const tauX = Math.min(width, Math.max(0, Math.log2(Math.max(1, tau)) * barWidth));
  return (
    <svg
      data-testid="component-histogram"
      className="histogram"
      viewBox={`0 0 ${width} ${height + 14}`}
      role="img"
      aria-label={`Difference components by size; τ = ${tau}`}
    >
      {histogram.counts.map((count, b) => {
        const h = (Math.log2(1 + count) / top) * height;
        const kept = histogram.lower[b] * 2 > tau;
        return (
          <rect
            key={histogram.lower[b]}
            x={b * barWidth + 1}
            y={height - h}
            width={barWidth - 2}
            height={h}
            className={kept ? 'bar kept' : 'bar dropped'}
          >
            <title>{`${count} component(s) of ${histogram.lower[b]}–${histogram.lower[b] * 2 - 1} voxels`}</title>
          </rect>
        );
      })}
      <line
        x1={tauX}
        x2={tauX}
        y1={0}
        y2={height}
        className="tau-line"
        data-testid="tau-line"
        data-tau={tau}
      />
      <text x={2} y={height + 12} className="axis">
        1
      </text>
      <text x={width - 2} y={height + 12} className="axis" textAnchor="end">
        {histogram.lower.at(-1) ?? ''} voxels (log₂ bins)
      </text>
    </svg>
  );
}

/** Components big enough for τ that the view gate dropped: changes no painted pixel explains. */
function gatedOut(edit: EditOutcome): number {
  const { components, merge } = edit;
  const kept = new Set(merge.kept);
  let n = 0;
  for (let c = 0; c < components.count; c++) {
    const size = components.size[c];
    const passes = merge.rule === 'fixed' ? size >= merge.tau : size > merge.tau;
    if (passes && !kept.has(c)) n++;
  }
  return n;
}

/** τ slider (re-merges live), the component histogram with τ on it, diff overlay and compare toggles. */
export function MergePanel() {
  const edit = useSession((s) => s.edit);
  const tau = useSession((s) => s.tau);
  const rule = useSession((s) => s.rule);
  const viewGate = useSession((s) => s.viewGate);
  const overlay = useSession((s) => s.overlay);
  const compare = useSession((s) => s.compare);
  const actions = useActions();
  const [value, setValue] = useState(tau);
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => setValue(tau), [tau]);
  if (!edit) return null;
  const largest = edit.histogram.lower.length ? edit.histogram.lower.at(-1)! * 2 : 2;
  const change = (next: number) => {
    setValue(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => void actions.setTau(next), 60);
  };
  return (
    <div className="panel merge-panel" data-testid="merge-panel">
      <div className="panel-title">4 · Merge into the source</div>
      <label className="field">
        <span>
          τ = <span data-testid="tau-value">{value}</span> voxels
        </span>
        <input
          type="range"
          data-testid="tau-slider"
          min={1}
          max={Math.max(largest, tau, 2)}
          step={1}
          value={value}
          onChange={(e) => change(Number(e.target.value))}
        />
      </label>
      <label className="field">
        <span>Rule</span>
        <select
          data-testid="rule-select"
          value={rule}
          onChange={(e) => void actions.setTau(value, e.target.value as 'fixed' | 'adaptive')}
        >
          <option value="fixed">fixed (keep ≥ τ)</option>
          <option value="adaptive">adaptive (halve τ until the largest survives)</option>
        </select>
      </label>
      <label
        className="check"
        title="Keep only changed parts that lie behind a pixel you changed in the view"
      >
        <input
          type="checkbox"
          data-testid="view-gate"
          checked={viewGate}
          onChange={(e) => void actions.setTau(value, undefined, e.target.checked)}
        />
        Only where the view changed (view gate)
      </label>
      <Histogram histogram={edit.histogram} tau={edit.merge.tau} />
      <dl>
        <dt>Voxels changed</dt>
        <dd data-testid="voxels-changed">{edit.merge.voxelsChanged.toLocaleString('en-US')}</dd>
        <dt>Components kept</dt>
        <dd data-testid="components-kept">
          {edit.merge.kept.length} of {edit.components.count}
        </dd>
        {edit.merge.viewGate && (
          <>
            <dt>Outside the painted area</dt>
            <dd data-testid="gated-out">{gatedOut(edit)} dropped</dd>
          </>
        )}
        <dt>Merge</dt>
        <dd>
          {edit.merge.backend === 'webgpu' ? 'GPU' : 'CPU'} · {edit.merge.ms.toFixed(1)} ms
        </dd>
      </dl>
      <label className="check">
        <input
          type="checkbox"
          data-testid="diff-overlay"
          checked={overlay}
          onChange={(e) => actions.setOverlay(e.target.checked)}
        />
        Diff overlay (added green, removed red, dropped grey)
      </label>
      <fieldset className="segmented" aria-label="Result shown">
        <button
          type="button"
          data-testid="compare-merged"
          className={compare === 'merged' ? 'active' : ''}
          onClick={() => actions.setCompare('merged')}
        >
          Merged
        </button>
        <button
          type="button"
          data-testid="compare-raw"
          className={compare === 'raw' ? 'active' : ''}
          onClick={() => actions.setCompare('raw')}
        >
          Raw editor output
        </button>
      </fieldset>
    </div>
  );
}
