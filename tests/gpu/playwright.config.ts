import { defineConfig } from '@playwright/test';
import { chromiumLaunch } from '../chromium';

const port = Number(process.env.GPU_TEST_PORT ?? 4180);

// GPU tests load src/gpu modules through Vite's dev server into a blank harness page and run them on
// Chromium's WebGPU (SwiftShader here, a real adapter elsewhere).
export default defineConfig({
  testDir: '.',
  testMatch: '*.spec.ts',
  timeout: 120_000,
  workers: 1,
  use: { baseURL: `http://127.0.0.1:${port}`, launchOptions: chromiumLaunch },
  webServer: {
    command: `node node_modules/vite/bin/vite.js --host 127.0.0.1 --port ${port} --strictPort`,
    cwd: '../..',
    url: `http://127.0.0.1:${port}/tests/gpu/harness.html`,
    reuseExistingServer: false,
    timeout: 60_000,
  },
});
