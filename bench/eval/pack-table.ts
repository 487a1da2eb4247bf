/** The quality report as markdown: what REPORT.md quotes, generated so the table and the JSON agree. */
import type { Summary } from './pack-score';

export interface ReportForTable {
  partial: boolean;
  date: string;
  command: string;
  pack: { name: string; ssFlowSha256: string; manifestSha256: string };
  machine: { cpus: number; cpu: string };
  data: { file: string; split: string; pairs: number; seeds: number[] };
  settings: {
    steps: number;
    tuned: boolean;
    overrides: object;
    merge: { rule: string; tau: number; viewGate?: boolean };
  };
  definitions: Record<string, string>;
  vae: { grids: number; iouMean: number; iouMin: number; atLeast097: number } | null;
  summary: Summary[];
}

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(0)}%`);
const num = (x: number | null, digits = 3) => (x === null || Number.isNaN(x) ? '–' : x.toFixed(digits));

const KIND_ORDER = ['all', 'add', 'remove', 'replace'];
const METHOD_ORDER = ['identity', 'reconstruction', 'flowedit', 'anchorflow', 'stm', 'regenerate'];

function order(a: Summary, b: Summary): number {
  const m = METHOD_ORDER.indexOf(a.method) - METHOD_ORDER.indexOf(b.method);
  if (m !== 0) return m;
  if (a.output !== b.output) return a.output < b.output ? 1 : -1;
  return KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
}

export function markdownReport(r: ReportForTable): string {
  const lines: string[] = [];
  lines.push(`# Pack quality report${r.partial ? ' (PARTIAL: run still going or stopped)' : ''}`);
  lines.push('');
  lines.push(`- date: ${r.date}; command: \`${r.command}\``);
  lines.push(
    `- pack: ${r.pack.name}, ss_flow sha256 ${r.pack.ssFlowSha256.slice(0, 16)}…, manifest sha256 ${r.pack.manifestSha256.slice(0, 16)}…`,
  );
  lines.push(
    `- data: ${r.data.pairs} ${r.data.split} pairs from \`${r.data.file}\`, held-out seeds ${Math.min(...r.data.seeds)}–${Math.max(...r.data.seeds)}`,
  );
  lines.push(
    `- settings: ${r.settings.steps} steps, merge ${r.settings.merge.rule}:${r.settings.merge.tau}${r.settings.merge.viewGate ? '+gate (view gate)' : ''}; ` +
      (r.settings.tuned
        ? `**tuned overrides** ${JSON.stringify(r.settings.overrides)}`
        : 'presets (no override)'),
  );
  lines.push(`- machine: ${r.machine.cpus} × ${r.machine.cpu}, onnxruntime-node CPU`);
  if (r.vae) {
    lines.push(
      `- VAE round trip (${r.vae.grids} grids: every pair's source and target): IoU mean **${num(r.vae.iouMean)}**, ` +
        `min ${num(r.vae.iouMin)}, ${pct(r.vae.atLeast097)} of grids ≥ 0.97`,
    );
  }
  lines.push('');
  lines.push(
    '| method | output | kind | n | IoU w/ target | edited-region IoU | region gain | outside IoU | outside kept 100% | outside Chamfer (vox) | silhouette IoU | success | success where the source fails | region IoU ≥ 0.8 | s / edit |',
  );
  lines.push('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const s of [...r.summary].sort(order)) {
    lines.push(
      `| ${s.method} | ${s.output} | ${s.kind} | ${s.n} | ${num(s.iou)} | ${num(s.regionIoU)} | ${num(s.regionGain)} | ${num(s.outsideIoU, 4)} | ` +
        `${pct(s.outsidePreserved)} | ${num(s.outsideChamfer)} | ${num(s.silhouetteIoU)} | ${pct(s.success)} | ${pct(s.successBeyondIdentity)} | ` +
        `${pct(s.regionAtTarget)} | ${s.msPerEdit === null ? '–' : (s.msPerEdit / 1000).toFixed(1)} |`,
    );
  }
  lines.push('');
  lines.push('Definitions:');
  lines.push('');
  for (const [k, v] of Object.entries(r.definitions)) lines.push(`- **${k}**: ${v}`);
  lines.push(
    '- **identity** = the source itself (what doing nothing scores); **reconstruction** = the VAE round trip of the source.',
  );
  lines.push('');
  return `${lines.join('\n')}\n`;
}
