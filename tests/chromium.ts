/**
 * Launch options for Debian's Chromium in every Playwright suite: system binary (never a download),
 * WebGPU on (SwiftShader without a GPU), and no background traffic (the machine has no network).
 */
import type { LaunchOptions } from '@playwright/test';

export const chromiumLaunch: LaunchOptions = {
  executablePath: process.env.FLOWSMITH_CHROMIUM ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--enable-unsafe-webgpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
    '--disable-dev-shm-usage',
  ],
};
