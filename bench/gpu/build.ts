/**
 * Bundles bench/gpu/merge-gpu.ts (and the kernels, shaders inlined through Vite's `?raw`) into one
 * ES module for plain Node: the GPU machine has Node but neither node_modules nor tsx.
 *   npx tsx bench/gpu/build.ts [OUT_DIR]   (default .dawn/carry; writes merge-gpu.mjs)
 */
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const outDir = resolve(root, process.argv[2] ?? '.dawn/carry');

await build({
  root,
  configFile: false,
  logLevel: 'warn',
  publicDir: false, // the app's public/ (samples, models) has no place in a bench bundle
  ssr: { noExternal: true, target: 'node' },
  build: {
    ssr: join(root, 'bench/gpu/merge-gpu.ts'),
    outDir,
    emptyOutDir: false,
    target: 'node20',
    minify: false,
    sourcemap: false,
    rollupOptions: { output: { format: 'es', entryFileNames: 'merge-gpu.mjs' } },
  },
});
process.stdout.write(`wrote ${join(outDir, 'merge-gpu.mjs')}\n`);
