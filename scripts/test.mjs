// `npm test`: every check CI runs, in order — typecheck, lint, unit (Vitest), GPU (Chromium WebGPU),
// e2e (Playwright against the built studio). Ends with one "tests: N passed, N failed" line.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildIfNeeded } from './build-if-needed.mjs';
import { ensureChromium } from './ensure-chromium.mjs';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules/.bin', name);
const results = join(root, 'test-results');
mkdirSync(results, { recursive: true });

let passed = 0;
let failed = 0;
let skipped = 0;
const failures = [];

function step(name, command, args, env = {}) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const run = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = run.status === 0;
  if (!ok) failures.push(name);
  return ok;
}

function countVitest(file) {
  if (!existsSync(file)) return;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}

function countPlaywright(file) {
  if (!existsSync(file)) return;
  const { stats } = JSON.parse(readFileSync(file, 'utf8'));
  passed += stats.expected + stats.flaky;
  failed += stats.unexpected;
  skipped += stats.skipped;
}

const only = process.argv[2]; // optional: typecheck | lint | unit | gpu | e2e
const wants = (name) => !only || only === name;

if (wants('typecheck')) step('typecheck', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
if (wants('lint')) step('lint', bin('biome'), ['check', '.']);
if (wants('unit')) {
  const file = join(results, 'vitest.json');
  rmSync(file, { force: true });
  step('unit (vitest)', bin('vitest'), [
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${file}`,
  ]);
  countVitest(file);
}
if (wants('gpu') || wants('e2e')) {
  const chromium = ensureChromium();
  for (const [name, config] of [
    ['gpu', 'tests/gpu/playwright.config.ts'],
    ['e2e', 'e2e/playwright.config.ts'],
  ]) {
    if (!wants(name)) continue;
    if (name === 'e2e') buildIfNeeded();
    const file = join(results, `${name}.json`);
    rmSync(file, { force: true });
    step(
      `${name} (playwright, ${chromium})`,
      bin('playwright'),
      ['test', '-c', config, '--reporter=list,json'],
      {
        PLAYWRIGHT_JSON_OUTPUT_FILE: file,
        FLOWSMITH_CHROMIUM: chromium,
      },
    );
    countPlaywright(file);
  }
}

process.stdout.write(`\n${failures.length ? `failed steps: ${failures.join(', ')}` : 'all steps green'}\n`);
process.stdout.write(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}\n`);
process.exit(failures.length ? 1 : 0);
