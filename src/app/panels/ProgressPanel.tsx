import { useEffect, useState } from 'react';
import type { ProgressStage } from '../../engine/engine-api';
import { useActions, useSession } from '../session-context';

const STAGE_LABEL: Record<ProgressStage, string> = {
  read: 'Reading',
  parse: 'Parsing',
  normalize: 'Normalizing',
  voxelize: 'Voxelizing',
};

function useElapsed(startedAt: number | null): number {
  const [now, setNow] = useState(performance.now());
  useEffect(() => {
    if (startedAt === null) return;
    const timer = setInterval(() => setNow(performance.now()), 250);
    return () => clearInterval(timer);
  }, [startedAt]);
  return startedAt === null ? 0 : Math.max(0, now - startedAt);
}

export function ProgressPanel() {
  const run = useSession((s) => s.run);
  const actions = useActions();
  const elapsed = useElapsed(run.kind === 'running' ? run.startedAt : null);
  if (run.kind !== 'running') return null;
  const fraction = run.progress?.fraction ?? 0;
  return (
    <div className="panel progress-panel" data-testid="progress-panel">
      <div className="panel-title">{run.label}</div>
      <div className="progress-stage">
        {run.progress ? `${STAGE_LABEL[run.progress.stage]} — ${run.progress.message}` : 'Starting…'}
      </div>
      <progress max={1} value={fraction} aria-label="Progress" />
      <div className="progress-row">
        <span>{(elapsed / 1000).toFixed(1)} s</span>
        <button type="button" data-testid="cancel-job" onClick={() => void actions.cancelRun()}>
          Cancel
        </button>
      </div>
    </div>
  );
}
