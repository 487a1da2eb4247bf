// `npm start`: build when needed, then serve the built studio on 127.0.0.1 (PORT or 4173).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { buildIfNeeded } from './build-if-needed.mjs';

const root = new URL('..', import.meta.url).pathname;
const port = process.env.PORT ?? '4173';
buildIfNeeded();
const server = spawn(
  process.execPath,
  [
    join(root, 'node_modules/vite/bin/vite.js'),
    'preview',
    '--host',
    '127.0.0.1',
    '--port',
    port,
    '--strictPort',
  ],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] },
);
// Print our own line once the port answers, so scripts can wait for it.
const url = `http://127.0.0.1:${port}/`;
const started = Date.now();
const poll = setInterval(async () => {
  try {
    await fetch(url);
    clearInterval(poll);
    process.stdout.write(`Flowsmith studio running at ${url}\n`);
  } catch {
    if (Date.now() - started > 120_000) {
      clearInterval(poll);
      process.stderr.write(`The server did not answer on ${url} within 120 s.\n`);
      server.kill();
      process.exit(1);
    }
  }
}, 200);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => server.kill(signal));
server.on('exit', (code) => process.exit(code ?? 0));
