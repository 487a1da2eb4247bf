#!/usr/bin/env node
// Puts the browser bench (browser-edit.mjs on the GPU machine) beside the native reference
// (native_edit.py, same session) and writes the committed result: the browser/native ratio of a full
// edit per method and overall, the merge's GPU times, GPU memory, time to first result, and a
// markdown table for bench/gpu/README.md.
//
//   node bench/gpu/browser-edit-report.mjs --browser browser-edit-h100.json --native native-edit-h100.json \
//     [--wasm browser-edit-wasm-h100.json] [--probe browser-probe.json] [--device h100] \
//     [--out bench/results/browser-edit-h100.json]
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const read = (file) => (file && existsSync(file) ? JSON.parse(readFileSync(file, 'utf8')) : null);
const browser = read(opt('browser'));
const native = read(opt('native'));
const wasm = read(opt('wasm'));
const dawn = read(opt('dawn', 'bench/results/merge-gpu-h100.json'));
const device = opt('device', 'h100');
const outFile = opt('out', `bench/results/browser-edit-${device}.json`);
if (!browser?.page) throw new Error('--browser: no page result in it');
const page = browser.page;
const round = (v, d = 2) => (Number.isFinite(v) ? Number(v.toFixed(d)) : null);
const geomean = (xs) => Math.exp(xs.reduce((a, x) => a + Math.log(x), 0) / xs.length);

const nativeRun = (dtype, method) =>
  native?.runs.find((r) => r.dtype === dtype && r.method === method) ?? null;
const dtypes = native ? [...new Set(native.runs.map((r) => r.dtype))] : [];
const vaeEncode = page.vaeEncodeMs?.median ?? 0;

// The studio's edit: its total from the call to the coloured merged result (the source latent is cached
// after the first edit of a source, so VAE encode is ~0 there). "Same stages": what native_edit.py
// times (image encodes, VAE encode, the steps, VAE decode), with the VAE encode timed on its own.
const methods = page.methods.map((m) => {
  const d = m.median;
  const core = d.encodeImagesMs + vaeEncode + d.loopMs + d.decodeMs;
  const row = {
    method: m.method,
    T: m.resolved.T,
    nMax: m.resolved.nMax,
    executor: m.executor,
    browser: {
      totalMs: round(d.totalMs),
      sameStagesMs: round(core),
      stagesMs: {
        render: round(d.renderMs),
        encodeImages: round(d.encodeImagesMs),
        encodeLatentCached: round(d.encodeLatentMs),
        steps: round(d.stepsSumMs),
        stepsWithReadback: round(d.loopMs),
        stepMedian: round(d.stepMs, 3),
        decode: round(d.decodeMs),
        merge: round(d.mergeMs),
        color: round(d.colorMs),
        surface: round(d.surfaceMs),
      },
      totalMsRuns: m.runs.map((r) => round(r.totalMs)),
      stepMsPerStep: m.runs[0]?.stepsMs.map((s) => round(s, 3)) ?? [],
      warmupTotalMs: m.warmup.map((r) => round(r.totalMs)),
      mergeBackend: m.mergeBackend,
      result: m.result,
    },
    native: {},
    ratio: {},
  };
  for (const dt of dtypes) {
    const n = nativeRun(dt, m.method);
    if (!n) continue;
    row.native[dt] = {
      totalMs: round(n.total_ms),
      stagesMs: Object.fromEntries(Object.entries(n.stages_ms).map(([k, v]) => [k, round(v)])),
      stepMedian: round(n.step_ms_median, 3),
      modelCalls: n.model_calls,
      peakMemBytes: n.peak_mem_bytes,
    };
    row.ratio[dt] = {
      fullEdit: round(d.totalMs / n.total_ms),
      sameStages: round(core / n.total_ms),
      encodeImages: round(d.encodeImagesMs / n.stages_ms.encode_images),
      steps: round(d.loopMs / n.stages_ms.steps),
      step: round(d.stepMs / n.step_ms_median),
      decode: round(d.decodeMs / n.stages_ms.decode),
    };
  }
  return row;
});

const overall = {};
for (const dt of dtypes) {
  const rows = methods.filter((r) => r.native[dt]);
  if (!rows.length) continue;
  const sum = (f) => rows.reduce((a, r) => a + f(r), 0);
  overall[dt] = {
    fullEdit: round(sum((r) => r.browser.totalMs) / sum((r) => r.native[dt].totalMs)),
    sameStages: round(sum((r) => r.browser.sameStagesMs) / sum((r) => r.native[dt].totalMs)),
    fullEditGeomean: round(geomean(rows.map((r) => r.ratio[dt].fullEdit))),
  };
}

const nodeDawn = (dawn?.rows ?? [])
  .filter((r) => /shell edit/.test(r.name))
  .map((r) => ({
    name: r.name,
    resolution: r.resolution,
    gpuMsMedian: round(r.gpu.median, 3),
    wallMsMedian: round(r.wall.median, 3),
  }));
const result = {
  bench: 'browser-edit',
  date: page.date ?? browser.date,
  device,
  gpu: native?.device ?? null,
  browser: {
    chromium: browser.attempts?.at(-1)?.version ?? null,
    flags: browser.attempts?.at(-1)?.args ?? null,
    attempts: browser.attempts?.map((a) => ({ args: a.args, error: a.error ?? null, gpu: a.gpu ?? null })),
    adapter: page.adapter,
    ort: page.ort,
    crossOriginIsolated: page.crossOriginIsolated,
    params: page.params,
    pack: page.pack,
    source: page.source,
    target: page.target,
    vaeEncodeMs: page.vaeEncodeMs && {
      median: round(page.vaeEncodeMs.median),
      runs: page.vaeEncodeMs.runs.map((v) => round(v)),
    },
    error: page.error ?? null,
  },
  native: native && {
    torch: native.torch,
    cuda: native.cuda,
    command: native.command,
    input: native.input,
    repeats: native.repeats,
    notes: native.notes,
  },
  ratio: {
    definition:
      'browser / native medians of a full edit. fullEdit: the studio’s EditResult.timings.totalMs (render, image encodes, ' +
      'cached VAE encode, the steps and their readback, VAE decode, GPU Voxel-Merge, colours) over native_edit.py’s total ' +
      '(image encodes, VAE encode, steps, VAE decode). sameStages: the browser’s image encodes + VAE encode (timed alone) + ' +
      'steps with readback + decode, i.e. exactly the stages native times. overall: sum over the methods (and geomean of fullEdit).',
    perMethod: Object.fromEntries(methods.map((r) => [r.method, r.ratio])),
    overall,
  },
  methods,
  timeToFirstResult: page.timeToFirstResult && {
    fromNavigationMs: round(page.timeToFirstResult.fromNavigationMs, 1),
    fromScriptStartMs: round(page.timeToFirstResult.fromScriptStartMs, 1),
    fromPackOpenMs: round(page.timeToFirstResult.fromPackOpenMs, 1),
    packFetchMs: round(page.pack?.fetchMs, 1),
    packOpenMs: round(page.pack?.openMs, 1),
    sourceLoadMs: round(page.source?.loadMs, 1),
    firstEditMs: round(page.methods[0]?.warmup[0]?.totalMs, 1),
    what: `navigation start → first merged result: pack fetched (sha256 checked) and opened on ${page.ort.backend}, chair.glb imported and voxelized, the first (cold) edit`,
  },
  gpuMemory: browser.gpuMemory && {
    ...browser.gpuMemory,
    what: 'nvidia-smi memory.used every 100 ms while the page ran (whole GPU: Chromium’s GPU process is its only user then)',
  },
  merge: {
    inEdit: methods.map((r) => ({
      method: r.method,
      backend: r.browser.mergeBackend,
      ms: r.browser.stagesMs.merge,
    })),
    kernel: (page.merge?.kernel ?? []).map((k) => ({
      resolution: k.resolution,
      components: k.components,
      passes: k.passes,
      gpuMsMedian: round(k.gpuMs?.median, 3),
      wallMsMedian: round(k.wallMs.median, 3),
      reps: k.wallMs.runs.length,
    })),
    kernelError: page.merge?.kernelError ?? null,
    nodeDawn,
    what: 'inEdit: MergeService.merge inside EditPipeline.run (upload, kernels, readback, rebase onto the source). kernel: GpuVoxelMerge.merge alone in the page, gpu = timestamp-query span of its compute pass, wall = the call; 256³ = the 64³ pair upsampled ×4. nodeDawn: bench/results/merge-gpu-h100.json (Node + Dawn, same kernels).',
  },
  wasm: wasm?.page?.ok
    ? {
        methods: wasm.page.methods.map((m) => ({
          method: m.method,
          totalMs: round(m.median.totalMs),
          stepMedian: round(m.median.stepMs, 2),
          decodeMs: round(m.median.decodeMs),
        })),
        hardwareConcurrency: wasm.page.hardwareConcurrency,
      }
    : (wasm?.page?.error ?? null),
};
writeFileSync(outFile, `${JSON.stringify(result, null, 2)}\n`);

const f = (v, d = 1) => (v === null || v === undefined ? '–' : Number(v).toFixed(d));
const lines = [
  `| method | T (calls) | images | step (median) | steps + readback | decode | merge | browser total | native fp32 | native bf16 | ratio fp32 | ratio bf16 | same stages / fp32 |`,
  '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ...methods.map((r) => {
    const s = r.browser.stagesMs;
    return `| ${r.method} | ${r.T} (${r.native.fp32?.modelCalls ?? '–'}) | ${f(s.encodeImages)} | ${f(s.stepMedian, 2)} | ${f(s.stepsWithReadback)} | ${f(s.decode)} | ${f(s.merge)} | **${f(r.browser.totalMs)}** | ${f(r.native.fp32?.totalMs)} | ${f(r.native.bf16?.totalMs)} | **${f(r.ratio.fp32?.fullEdit, 2)}×** | ${f(r.ratio.bf16?.fullEdit, 2)}× | ${f(r.ratio.fp32?.sameStages, 2)}× |`;
  }),
  `| **all four** | | | | | | | | | | **${f(overall.fp32?.fullEdit, 2)}×** | ${f(overall.bf16?.fullEdit, 2)}× | ${f(overall.fp32?.sameStages, 2)}× |`,
];
process.stdout.write(`wrote ${outFile}\n\n${lines.join('\n')}\n\n`);
for (const k of result.merge.kernel) {
  process.stdout.write(
    `merge ${k.resolution}³: GPU ${f(k.gpuMsMedian, 3)} ms, wall ${f(k.wallMsMedian, 2)} ms (${k.components} components)\n`,
  );
}
process.stdout.write(
  `time to first result: ${JSON.stringify(result.timeToFirstResult)}\ngpu memory: ${JSON.stringify(result.gpuMemory)}\n`,
);
