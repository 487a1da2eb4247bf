/**
 * The browser half of issue 7: a full default-pack edit per method in the built studio's own code
 * (EditPipeline on ORT's webgpu EP, GPU-resident flow loop, GPU Voxel-Merge), timed stage by stage.
 * It runs in the page's main thread rather than the studio's worker so that nothing but the edit is
 * on the clock; the worker only adds a structured clone of the request and the result.
 *
 * The driver (browser-edit.mjs) opens bench/gpu/edit-bench.html from the built dist and reads
 * window.__benchResult. On a software adapter it refuses to run unless ?allowSoftware=1 (smoke runs),
 * so a SwiftShader number can never be reported as a GPU one.
 */
import { EDIT_METHOD_NAMES, type EditMethodName } from '../../src/core/edit/settings';
import type { VoxelGrid } from '../../src/core/grid';
import { countOccupied } from '../../src/core/grid';
import { DEFAULT_TAU } from '../../src/core/merge';
import { renderView } from '../../src/core/render';
import { extractSurface } from '../../src/core/surface';
import { EditPipeline } from '../../src/engine/edit-pipeline';
import type { EditRequest, EditResult } from '../../src/engine/engine-api';
import { InProcessEngine } from '../../src/engine/in-process-engine';
import { MergeService } from '../../src/engine/merge-service';
import { acquireGpu } from '../../src/gpu/device';
import { decodeImageBrowser } from '../../src/io/decode-image-browser';
import { loadRuntime } from '../../src/model/backends/onnx';
import type { PackReader } from '../../src/model/manifest';
import { openVae } from '../../src/model/vae';
import {
  type AdapterReport,
  benchKernelMerge,
  describeAdapter,
  type KernelMergeRow,
  paintTarget,
  type RunTimings,
  runTimings,
  STAGES,
  type Summary,
  stageMedians,
  summarize,
  upsample,
} from './edit-bench-lib';

interface MethodReport {
  method: EditMethodName;
  resolved: EditResult['resolved'];
  executor: EditResult['executor'];
  mergeBackend: EditResult['merge']['backend'];
  warmup: RunTimings[];
  runs: RunTimings[];
  median: ReturnType<typeof stageMedians>;
  result: { occupied: number; editedOccupied: number; voxelsChanged: number; kept: number };
}

interface BenchResult {
  ok: boolean;
  error?: string;
  date: string;
  userAgent: string;
  crossOriginIsolated: boolean;
  hardwareConcurrency: number;
  adapter: AdapterReport | null;
  ort: { backend: string; gpuResident: boolean; versions: Record<string, string | undefined> | null };
  params: Record<string, unknown>;
  pack: {
    name: string;
    flowSha256: string;
    files: number;
    bytes: number;
    fetchMs: number;
    openMs: number;
  } | null;
  source: { file: string; triangles: number; occupied: number; loadMs: number; view: number } | null;
  target: { changedPixels: number } | null;
  /** performance.now() marks: ms since navigation start. */
  marks: Record<string, number>;
  timeToFirstResult: { fromNavigationMs: number; fromScriptStartMs: number; fromPackOpenMs: number } | null;
  methods: MethodReport[];
  /** VAE encode of the source alone (the pipeline caches it between edits of one source). */
  vaeEncodeMs: Summary | null;
  merge: { kernel: KernelMergeRow[]; kernelError?: string } | null;
}

/** The exact inputs, for the native reference (bench/gpu/native_edit.py --grid/--src-view/--tgt-view). */
interface BenchInputs {
  resolution: number;
  view: number;
  occupancy: Uint8Array;
  sourceView: Uint8Array;
  targetView: Uint8Array;
  size: number;
}

type BenchWindow = Window & {
  __benchResult?: BenchResult;
  /** The same object while it fills, for a driver that gives up on a stalled page. */
  __benchPartial?: BenchResult;
  __benchInputs?: BenchInputs;
};
const scriptStart = performance.now();
const query = new URLSearchParams(location.search);
const intParam = (name: string, fallback: number): number => {
  const v = query.get(name);
  const n = v === null ? fallback : Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`?${name}=${v} is not a whole number ≥ 0`);
  return n;
};

const status = (text: string) => {
  const el = document.getElementById('status');
  if (el) el.textContent = text;
  console.log(`[bench] ${text}`);
};

function countingReader(base: URL, tally: { files: number; bytes: number; fetchMs: number }): PackReader {
  return {
    async read(path) {
      const t0 = performance.now();
      const response = await fetch(new URL(path, base));
      if (response.status === 404) return null;
      if (!response.ok) throw new Error(`Fetching ${path} failed: HTTP ${response.status}`);
      const bytes = new Uint8Array(await response.arrayBuffer());
      tally.fetchMs += performance.now() - t0;
      tally.files++;
      tally.bytes += bytes.byteLength;
      return bytes;
    },
  };
}

async function loadChair(): Promise<{ grid: VoxelGrid; triangles: number; loadMs: number }> {
  const t0 = performance.now();
  const response = await fetch('/samples/chair.glb');
  if (!response.ok) throw new Error(`/samples/chair.glb: HTTP ${response.status}`);
  const engine = new InProcessEngine({ decodeImage: decodeImageBrowser });
  const loaded = await engine.loadSource([{ name: 'chair.glb', bytes: await response.arrayBuffer() }]);
  return { grid: loaded.grid, triangles: loaded.stats.triangles, loadMs: performance.now() - t0 };
}

async function run(result: BenchResult): Promise<void> {
  const backend = query.get('ort') === 'wasm' ? 'wasm' : 'webgpu';
  const steps = query.has('steps') ? intParam('steps', 25) : undefined;
  const reps = intParam('reps', 3);
  const warmup = intParam('warmup', 1);
  const view = intParam('view', 1);
  const allowSoftware = query.get('allowSoftware') === '1';
  const verbose = query.get('verbose') === '1';
  const methods = (query.get('methods') ?? EDIT_METHOD_NAMES.join(',')).split(',') as EditMethodName[];
  for (const m of methods) {
    if (!EDIT_METHOD_NAMES.includes(m)) throw new Error(`?methods: “${m}” is not a method`);
  }
  const tau = DEFAULT_TAU.fixed;

  status('asking for a WebGPU adapter');
  const { adapter, report } = await describeAdapter();
  result.adapter = report;
  if (report?.software && !allowSoftware) {
    throw new Error(
      `the WebGPU adapter is a software one (vendor “${report.vendor}”, fallback ${report.isFallbackAdapter}): ` +
        'GPU timings from it would be meaningless (add ?allowSoftware=1 for a smoke run)',
    );
  }
  if (!adapter && backend === 'webgpu') throw new Error('no WebGPU adapter: use ?ort=wasm');
  const software = report?.software ?? true;
  const mergeRes = (query.get('mergeRes') ?? (software ? '64' : '64,256'))
    .split(',')
    .filter(Boolean)
    .map(Number);
  const mergeReps = intParam('mergeReps', software ? 3 : 20);
  result.params = {
    backend,
    steps: steps ?? 'pack',
    reps,
    warmup,
    view,
    methods,
    kind: 'replace',
    seed: 0,
    tau,
    rule: 'fixed',
    mergeRes,
    mergeReps,
    previewEvery: 0,
  };

  status(`opening the default pack on ${backend}`);
  const tally = { files: 0, bytes: 0, fetchMs: 0 };
  result.marks.packOpenStart = performance.now();
  const pipeline = await EditPipeline.open(
    countingReader(new URL('/models/default/', location.href), tally),
    'default',
    {
      backend,
      gpuResident: backend === 'webgpu',
    },
  );
  result.marks.packOpened = performance.now();
  const runtime = await loadRuntime(backend);
  result.ort.versions = { ...runtime.ort.env.versions };
  result.pack = {
    name: pipeline.packName,
    flowSha256: pipeline.packHash,
    ...tally,
    openMs: result.marks.packOpened - result.marks.packOpenStart,
  };

  status('loading public/samples/chair.glb');
  const chair = await loadChair();
  result.marks.sourceLoaded = performance.now();
  result.source = {
    file: 'chair.glb',
    triangles: chair.triangles,
    occupied: countOccupied(chair.grid.occupancy),
    loadMs: chair.loadMs,
    view,
  };
  const sourceView = renderView(chair.grid, view);
  const painted = paintTarget(sourceView);
  result.target = { changedPixels: painted.changedPixels };
  (window as BenchWindow).__benchInputs = {
    resolution: chair.grid.resolution,
    view,
    occupancy: chair.grid.occupancy,
    sourceView: sourceView.data,
    targetView: painted.image.data,
    size: sourceView.width,
  };

  // The studio's merge: kernels on a device of their own (acquireGpu), the CPU twin without one.
  const merges = new MergeService(adapter ? async () => (await acquireGpu()).device : undefined);
  let kernelPair: { src: Uint8Array; edited: Uint8Array } | null = null;
  for (const method of methods) {
    const request: EditRequest = {
      source: chair.grid,
      view,
      target: painted.image,
      settings: { method, kind: 'replace', seed: 0, ...(steps === undefined ? {} : { steps }) },
      merge: { tau, rule: 'fixed' },
    };
    const warm: RunTimings[] = [];
    const timed: RunTimings[] = [];
    let last: EditResult | null = null;
    for (let k = 0; k < warmup + reps; k++) {
      status(`${method}: ${k < warmup ? 'warm-up' : `run ${k - warmup + 1} of ${reps}`}`);
      last = await pipeline.run(request, {
        merge: (m) => merges.merge(m),
        previewEvery: 0,
        // Warm-ups only: a log line per timed step would be on the clock.
        onProgress:
          verbose && k < warmup ? (p) => console.log(`[bench]   ${p.stage} ${p.step}/${p.total}`) : undefined,
      });
      result.marks.firstResult ??= performance.now();
      const s0 = performance.now();
      const mesh = extractSurface(last.result);
      const timings = runTimings(last.timings, performance.now() - s0, mesh.indices.length / 3);
      (k < warmup ? warm : timed).push(timings);
    }
    if (!last) throw new Error('no run');
    kernelPair ??= { src: last.reference, edited: last.edited.occupancy };
    result.methods.push({
      method,
      resolved: last.resolved,
      executor: last.executor,
      mergeBackend: last.merge.backend,
      warmup: warm,
      runs: timed,
      median: stageMedians(timed.length ? timed : warm),
      result: {
        occupied: countOccupied(last.result.occupancy),
        editedOccupied: countOccupied(last.edited.occupancy),
        voxelsChanged: last.merge.voxelsChanged,
        kept: last.merge.kept.length,
      },
    });
    render(result);
  }
  const first = result.marks.firstResult;
  result.timeToFirstResult = {
    fromNavigationMs: first,
    fromScriptStartMs: first - scriptStart,
    fromPackOpenMs: first - result.marks.packOpenStart,
  };

  status('timing the VAE encode alone');
  const vae = await openVae(pipeline.pack, 'default', runtime);
  const encodes: number[] = [];
  for (let k = 0; k < warmup + Math.max(reps, 1); k++) {
    const t0 = performance.now();
    await vae.encode(chair.grid.occupancy);
    if (k >= warmup) encodes.push(performance.now() - t0);
  }
  result.vaeEncodeMs = summarize(encodes);
  await vae.release();

  result.merge = { kernel: [] };
  if (adapter && kernelPair) {
    status(`timing GpuVoxelMerge alone at ${mergeRes.map((r) => `${r}³`).join(', ')}`);
    const pair = kernelPair;
    try {
      result.merge.kernel = await benchKernelMerge(
        adapter,
        mergeRes.map((r) => ({
          resolution: r,
          src: r === 64 ? pair.src : upsample(pair.src, 64, r / 64),
          edited: r === 64 ? pair.edited : upsample(pair.edited, 64, r / 64),
        })),
        mergeReps,
        tau,
      );
    } catch (error) {
      result.merge.kernelError = String(error instanceof Error ? error.message : error);
    }
  }
  await pipeline.release();
  result.ok = true;
}

const fmt = (v: number) => (Number.isFinite(v) ? v.toFixed(v < 10 ? 2 : 1) : '–');

function render(result: BenchResult): void {
  const table = document.getElementById('table');
  if (table) {
    const head = ['method', 'steps', ...STAGES, 'stepMs'].map((h) => `<th>${h}</th>`).join('');
    const rows = result.methods
      .map((m) => {
        const cells = [...STAGES, 'stepMs' as const].map((s) => `<td>${fmt(m.median[s])}</td>`).join('');
        return `<tr><td>${m.method}</td><td>${m.resolved.T}</td>${cells}</tr>`;
      })
      .join('');
    table.innerHTML = `<table><tr>${head}</tr>${rows}</table>`;
  }
  const json = document.getElementById('json');
  if (json) json.textContent = JSON.stringify(result, null, 1);
}

async function main(): Promise<void> {
  const result: BenchResult = {
    ok: false,
    date: new Date().toISOString(),
    userAgent: navigator.userAgent,
    crossOriginIsolated: globalThis.crossOriginIsolated === true,
    hardwareConcurrency: navigator.hardwareConcurrency,
    adapter: null,
    ort: {
      backend: query.get('ort') === 'wasm' ? 'wasm' : 'webgpu',
      gpuResident: query.get('ort') !== 'wasm',
      versions: null,
    },
    params: {},
    pack: null,
    source: null,
    target: null,
    marks: { scriptStart },
    timeToFirstResult: null,
    methods: [],
    vaeEncodeMs: null,
    merge: null,
  };
  (window as BenchWindow).__benchPartial = result;
  try {
    await run(result);
    status(`done in ${((performance.now() - scriptStart) / 1000).toFixed(1)} s`);
  } catch (error) {
    result.error = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    status(`FAILED: ${result.error}`);
    document.getElementById('status')?.classList.add('fail');
  }
  result.marks.done = performance.now();
  render(result);
  (window as BenchWindow).__benchResult = result;
}

void main();
