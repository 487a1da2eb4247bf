import { useEffect, useState } from 'react';
import { useActions, useSession } from '../session-context';

function useElapsed(startedAt: number | null): number {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt === null ? 0 : Math.max(0, now - startedAt);
}

function seconds(ms: number): string {
  return ms >= 60_000
    ? `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`
    : `${(ms / 1000).toFixed(1)} s`;
}

export function ProgressPanel() {
  const run = useSession((s) => s.run);
  const actions = useActions();
  const elapsed = useElapsed(run.kind === 'running' ? run.startedAt : null);
  if (run.kind !== 'running') return null;
  const p = run.progress;
  const isEdit = run.job === 'edit';
  return (
    <div className="panel progress-panel" data-testid="progress-panel">
      <div className="panel-title">{run.label}</div>
      <div className="progress-stage">{p ? `${p.stageLabel} — ${p.message}` : 'Starting…'}</div>
      <progress
        max={1}
        value={p?.fraction ?? 0}
        aria-label="Progress"
        data-testid={isEdit ? 'edit-progress' : undefined}
        data-step={p?.step ?? 0}
        data-total={p?.total ?? 0}
      />
      <div className="progress-row">
        <span>
          {seconds(elapsed)}
          {isEdit && p?.total ? ` · step ${p.step ?? 0}/${p.total}` : ''}
          {p?.etaMs != null ? ` · about ${seconds(p.etaMs)} left` : ''}
        </span>
        <button
          type="button"
          data-testid={isEdit ? 'cancel-edit' : 'cancel-job'}
          onClick={() => void actions.cancelRun()}
        >
          Cancel
        </button>
      </div>
    </div>
  );
}
