import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from '../tests/chromium';

const port = Number(process.env.E2E_PORT ?? 4174);

// e2e runs against the built studio served by `npm start` (the same path a person uses).
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  workers: 1,
  use: {
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: chromiumLaunch,
    viewport: { width: 1400, height: 800 },
    trace: 'retain-on-failure',
  },
  webServer: {
    command: 'node scripts/start.mjs',
    cwd: '..',
    env: { PORT: String(port) },
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: false,
    timeout: 180_000,
  },
});
