import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { WorkerEngine } from '../engine/worker-engine';
import { createSessionStore } from '../state/session-store';
import { App } from './App';
import { startPersistence } from './persistence';
import { registerServiceWorker } from './pwa';
import { SessionProvider } from './session-context';
import './styles.css';

const engine = WorkerEngine.create();
const store = createSessionStore(engine);

// Exposed for automation and debugging only; the UI never reads it.
(window as unknown as { flowsmith: unknown }).flowsmith = { store, engine };

const root = document.getElementById('root');
if (!root) throw new Error('index.html lacks #root');
createRoot(root).render(
  <StrictMode>
    <SessionProvider store={store}>
      <App />
    </SessionProvider>
  </StrictMode>,
);

void startPersistence(store);

// Production builds only; offline support never blocks or breaks the studio.
void registerServiceWorker();
