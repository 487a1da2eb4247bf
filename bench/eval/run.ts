/**
 * `npm run eval -- <name> [args]`: runs bench/eval/<name>.ts, whose default export is
 * `(args) => Promise<void>`. Evaluations measure quality (bench/run.ts measures speed).
 */
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = ['pack', 'merge-study'];

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run eval -- <${available.join('|')}> [args]\n`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as {
  default: (args: string[]) => Promise<void>;
};
await mod.default(rest);
