import { useActions, useSession } from '../session-context';

/** Errors are shown here, never in alert() — and the session under them is left as it was. */
export function ErrorPanel() {
  const error = useSession((s) => s.error);
  const actions = useActions();
  if (!error) return null;
  return (
    <div className="error-panel" role="alert" data-testid="error-panel" data-code={error.code}>
      <div className="error-text">
        <strong>{error.message}</strong>
        <span>{error.hint}</span>
      </div>
      <button type="button" onClick={actions.dismissError} aria-label="Dismiss error">
        Dismiss
      </button>
    </div>
  );
}
