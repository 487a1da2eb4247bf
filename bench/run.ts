/**
 * `npm run bench -- <name> [args]`: runs bench/<name>.ts, whose default export is `(args) => Promise<void>`.
 * Every benchmark prints ratios against a baseline measured in the same run (DESIGN §7).
 */
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .map((f) => f.replace(/\.ts$/, ''));

const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  process.stderr.write(`usage: npm run bench -- <${available.join('|')}> [args]\n`);
  process.exit(name ? 2 : 0);
}
const mod = (await import(pathToFileURL(`${here}/${name}.ts`).href)) as {
  default: (args: string[]) => Promise<void>;
};
await mod.default(rest);
