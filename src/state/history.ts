/**
 * Every change to the session is a command with execute/undo (three.js editor style), so undo and
 * redo come for free and a command can be replayed. Commands hold what they need to restore.
 */
export interface SessionCommand<S> {
  label: string;
  execute(state: S): Partial<S>;
  undo(state: S): Partial<S>;
}

export interface HistoryState<S> {
  past: SessionCommand<S>[];
  future: SessionCommand<S>[];
}

/** Bounded so a long session cannot keep an unlimited number of meshes alive. */
export const HISTORY_LIMIT = 50;

export function pushCommand<S>(history: HistoryState<S>, command: SessionCommand<S>): HistoryState<S> {
  const past = [...history.past, command];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, future: [] };
}
