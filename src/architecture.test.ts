/**
 * DESIGN §2's import rules, checked on every file so the layering cannot drift:
 * core imports nothing of the others (and no DOM/GPU/UI packages); gpu and model import core;
 * app never reaches past the engine client into io, gpu, model or the worker's internals.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return /\.(ts|tsx)$/.test(name) && !/\.test\.tsx?$/.test(name) ? [path] : [];
  });
}

/** Resolved import targets of a file: repo-relative paths for relative imports, package names otherwise. */
function imports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const pattern =
    /(?:import|export)[^'"]*?from\s+['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|import\s+['"]([^'"]+)['"]/g;
  const specifiers = [...text.matchAll(pattern)]
    .map((m) => m[1] ?? m[2] ?? m[3])
    .filter((s): s is string => s !== undefined);
  return specifiers.map((s) => (s.startsWith('.') ? relative(root, resolve(dirname(file), s)) : s));
}

function violations(layer: string, allowed: (target: string) => boolean): string[] {
  return sources(join(root, layer)).flatMap((file) =>
    imports(file)
      .filter((target) => !allowed(target))
      .map((target) => `${relative(root, file)} imports ${target}`),
  );
}

const inside =
  (...dirs: string[]) =>
  (target: string) =>
    dirs.some((d) => target.startsWith(d));
const packages =
  (...names: string[]) =>
  (target: string) =>
    names.some((n) => target === n || target.startsWith(`${n}/`));

describe('layering (DESIGN §2)', () => {
  it('core imports only core and Node-free, DOM-free code', () => {
    expect(violations('src/core', inside('src/core'))).toEqual([]);
  });

  it('gpu and model import only core and their own layer', () => {
    const gpu = violations('src/gpu', (t) =>
      inside('src/core', 'src/gpu', 'shaders')(t.replace(/\?raw$/, '')),
    );
    const model = violations(
      'src/model',
      (t) =>
        inside('src/core', 'src/model')(t) ||
        packages('onnxruntime-web', 'onnxruntime-node', 'node:fs', 'node:path', 'node:crypto')(t),
    );
    expect([...gpu, ...model]).toEqual([]);
  });

  it('the app reaches the engine only through its worker client', () => {
    const app = violations('src/app', (t) =>
      t.startsWith('src/') || t.startsWith('workers')
        ? inside('src/app', 'src/state', 'src/core', 'src/engine/worker-engine', 'src/engine/engine-api')(t)
        : true,
    );
    expect(app).toEqual([]);
  });
});
