import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

// Cross-origin isolation lets onnxruntime-web use threaded wasm (SharedArrayBuffer). Offline, the
// service worker adds the same headers to what it serves (workers/service-worker.ts).
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const themeColor = '#111318';

// The GPU bench page (bench/gpu/edit-bench.html) is built with the app, so it runs the same code, but
// it is for the GPU machine's driver, not for people: neither it nor the chunks only it loads (its own
// copies of ORT and the importers, which the studio loads in its worker) go into the offline install.
const BENCH_ENTRY = 'edit-bench';
const benchOnlyFiles = new Set<string>();
const benchChunks: Plugin = {
  name: 'flowsmith-bench-chunks',
  apply: 'build',
  generateBundle(_, bundle) {
    const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
    const reach = (roots: string[]) => {
      const seen = new Set<string>();
      const stack = [...roots];
      for (let file = stack.pop(); file !== undefined; file = stack.pop()) {
        const chunk = bundle[file];
        if (seen.has(file) || chunk?.type !== 'chunk') continue;
        seen.add(file);
        stack.push(...chunk.imports, ...chunk.dynamicImports);
      }
      return seen;
    };
    const entries = (bench: boolean) =>
      chunks.filter((c) => c.isEntry && (c.name === BENCH_ENTRY) === bench).map((c) => c.fileName);
    const app = reach(entries(false));
    for (const file of reach(entries(true))) if (!app.has(file)) benchOnlyFiles.add(file);
  },
};

// Installable, offline studio. The service worker is ours (injectManifest): workbox only injects the
// list of files to precache. The dev server serves no worker (devOptions off, and src/app/pwa.ts
// registers only in production builds), so the GPU tests on Vite dev never see one.
const pwa = VitePWA({
  strategies: 'injectManifest',
  srcDir: 'workers',
  filename: 'service-worker.ts',
  injectRegister: false,
  devOptions: { enabled: false },
  manifest: {
    id: '/',
    name: 'Flowsmith',
    short_name: 'Flowsmith',
    description: 'Training-free, mask-free 3D editing, on your own machine, offline.',
    start_url: '/',
    scope: '/',
    display: 'standalone',
    background_color: themeColor,
    theme_color: themeColor,
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
      { src: 'icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
      { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  injectManifest: {
    // A classic script, so every browser that installs PWAs can run it (module workers are newer).
    rollupFormat: 'iife',
    globPatterns: [
      // The web manifest and its icons are added by the plugin itself (includeManifestIcons).
      '**/*.{html,js,css,wasm}',
      // Only the default pack: other packs are opt-in downloads, not part of every install.
      'models/default/manifest.json',
      'models/default/*.onnx',
      'samples/**/*',
    ],
    globIgnores: ['**/*.map', 'models/!(default)/**', 'bench/**'],
    manifestTransforms: [
      async (entries) => ({ manifest: entries.filter((e) => !benchOnlyFiles.has(e.url)), warnings: [] }),
    ],
    // The default pack's largest graph is ~20 MB and ORT's jsep wasm ~28 MB; workbox's default is 2 MiB.
    maximumFileSizeToCacheInBytes: 64 * 1024 * 1024,
  },
});

export default defineConfig({
  plugins: [react(), benchChunks, pwa],
  worker: { format: 'es' },
  // Pre-bundled up front so the dev server (GPU test harness) never reloads a page mid-test.
  optimizeDeps: { include: ['onnxruntime-web', 'comlink'] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders, host: '127.0.0.1', port: 4173, strictPort: true },
  build: {
    target: 'es2022',
    sourcemap: true,
    chunkSizeWarningLimit: 2000,
    rolldownOptions: {
      input: {
        index: resolve(import.meta.dirname, 'index.html'),
        [BENCH_ENTRY]: resolve(import.meta.dirname, 'bench/gpu/edit-bench.html'),
      },
    },
  },
});
