#!/usr/bin/env node
// Drives the built studio's edit bench (bench/gpu/edit-bench.html) in headless Chromium and writes
// what the page publishes on window.__benchResult, with the browser's GPU report and, on the GPU
// machine, the peak of nvidia-smi's memory samples taken while it ran.
//
//   node bench/gpu/browser-edit.mjs [--dist dist] [--models public/models] [--url URL]
//     [--chromium PATH] [--playwright DIR] [--flags local|vulkan] [--query 'steps=2&reps=1']
//     [--out FILE] [--gpu-mem-log CSV] [--export-inputs DIR] [--timeout-s 480] [--stall-s 600]
//
// Without --url it serves --dist itself on 127.0.0.1 (a secure context, so navigator.gpu exists) with
// the isolation headers that threaded wasm needs, and /models/ from --models: the GPU machine gets the
// dist without its 32 MB copy of the pack, which the tracked tree already carries. With --url it uses
// a running server instead (e.g. `npx vite preview`). --export-inputs writes the source grid and both
// views as grid.npy, src.png and tgt.png for native_edit.py, so both sides edit the same thing.
// Locally (SwiftShader):  npm run build && node bench/gpu/browser-edit.mjs --query 'steps=2&reps=1&allowSoftware=1'
import { createReadStream, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';
import { deflateSync } from 'node:zlib';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const dist = path.resolve(opt('dist', 'dist'));
const models = path.resolve(opt('models', 'public/models'));
const executablePath = opt('chromium', process.env.FLOWSMITH_CHROMIUM ?? '/usr/bin/chromium');
const playwrightDir = path.resolve(opt('playwright', 'node_modules/playwright-core'));
const flagSet = opt('flags', 'local');
const query = opt('query', '');
const outFile = opt('out');
const memLog = opt('gpu-mem-log');
const exportDir = opt('export-inputs');
const timeoutMs = Number(opt('timeout-s', '480')) * 1000;
const stallS = Number(opt('stall-s', '600'));

// The set that brought WebGPU up on the H100's NVIDIA Vulkan driver (browser-probe.mjs, README):
// without --use-angle=vulkan Chromium silently falls back to SwiftShader. Developer features only
// add the adapter's description and unquantized timestamps; the run retries without them if the
// adapter they give is not a GPU.
const VULKAN = [
  '--enable-unsafe-webgpu',
  '--ignore-gpu-blocklist',
  '--no-sandbox',
  '--enable-features=Vulkan',
  '--use-vulkan=native',
  '--disable-vulkan-surface',
  '--use-angle=vulkan',
  '--headless=new',
];
const FLAGS = {
  vulkan: [[...VULKAN, '--enable-webgpu-developer-features'], VULKAN],
  local: [['--no-sandbox', '--enable-unsafe-webgpu', '--disable-dev-shm-usage', '--enable-logging=stderr']],
};
if (!FLAGS[flagSet]) throw new Error(`--flags ${flagSet}: use ${Object.keys(FLAGS).join(' or ')}`);

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.webmanifest': 'application/manifest+json',
  '.wasm': 'application/wasm',
  '.png': 'image/png',
  '.glb': 'model/gltf-binary',
  '.gltf': 'model/gltf+json',
};

function serve() {
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const rel = decodeURIComponent(url.pathname);
    const [root, sub] = rel.startsWith('/models/')
      ? [models, rel.slice(8)]
      : [dist, rel.slice(1) || 'index.html'];
    const file = path.resolve(root, sub);
    let size = -1;
    try {
      if (file.startsWith(root + path.sep)) size = statSync(file).isFile() ? statSync(file).size : -1;
    } catch {}
    const headers = {
      'Cross-Origin-Opener-Policy': 'same-origin',
      'Cross-Origin-Embedder-Policy': 'require-corp',
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
    };
    if (size < 0) {
      process.stdout.write(`  server 404 ${rel}\n`);
      res.writeHead(404, headers).end('not found');
      return;
    }
    res.writeHead(200, {
      ...headers,
      'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream',
      'Content-Length': size,
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

// nvidia-smi --query-gpu=timestamp,memory.used --format=csv,noheader,nounits -lms 100
function gpuMemory(file, from, to) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const samples = text
    .trim()
    .split('\n')
    .map((line) => line.split(',').map((s) => s.trim()))
    .filter((f) => f.length >= 2 && Number.isFinite(Number(f[1])))
    .map(([ts, mib]) => ({ t: Date.parse(ts.replaceAll('/', '-').replace(' ', 'T')), mib: Number(mib) }));
  if (samples.length === 0) return null;
  const before = samples.filter((s) => s.t < from);
  const during = samples.filter((s) => s.t >= from && s.t <= to);
  const use = during.length ? during : samples;
  const baselineMiB = before.length ? before[before.length - 1].mib : samples[0].mib;
  const peakMiB = Math.max(...use.map((s) => s.mib));
  return {
    samples: samples.length,
    samplesDuringRun: during.length,
    baselineMiB,
    peakMiB,
    peakAboveBaselineMiB: peakMiB - baselineMiB,
  };
}

function npy(bytes, shape) {
  let header = `{'descr': '|u1', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += `${' '.repeat(63 - ((10 + header.length) % 64))}\n`;
  const head = Buffer.alloc(10);
  head.write('\x93NUMPY', 0, 'latin1');
  head.writeUInt8(1, 6);
  head.writeUInt8(0, 7);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), Buffer.from(bytes)]);
}

// RGB PNG (the views are opaque): filter byte 0 per row, one IDAT.
function png(rgba, size) {
  const raw = Buffer.alloc(size * (3 * size + 1));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let c = 0; c < 3; c++) raw[y * (3 * size + 1) + 1 + 3 * x + c] = rgba[4 * (y * size + x) + c];
    }
  }
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const { chromium } = createRequire(import.meta.url)(playwrightDir);
const server = opt('url') ? null : await serve();
const base = opt('url') ?? `http://127.0.0.1:${server.address().port}`;
const url = `${base.replace(/\/$/, '')}/bench/gpu/edit-bench.html${query ? `?${query}` : ''}`;
const attempts = [];
let report = null;
for (const args of FLAGS[flagSet]) {
  const attempt = { args, startedAt: Date.now() };
  attempts.push(attempt);
  let browser;
  try {
    browser = await chromium.launch({ executablePath, headless: true, args, timeout: 60_000 });
    attempt.version = browser.version();
    try {
      const cdp = await browser.newBrowserCDPSession();
      const { gpu } = await cdp.send('SystemInfo.getInfo');
      attempt.gpu = {
        devices: gpu.devices.map((d) => ({
          vendor: d.vendorString,
          device: d.deviceString,
          driver: d.driverVersion,
        })),
        webgpu: gpu.featureStatus?.webgpu,
      };
    } catch (e) {
      attempt.gpu = { error: String(e.message ?? e) };
    }
    const page = await browser.newPage();
    const console_ = [];
    let lastActivity = Date.now();
    let lastLine = '(none)';
    page.on('console', (m) => {
      const line = `${m.type()}: ${m.text()}`;
      if (m.text().startsWith('[bench]')) {
        lastActivity = Date.now();
        lastLine = m.text();
      }
      console_.push(line);
      if (m.text().startsWith('[bench]') || (m.type() === 'error' && !m.text().includes('VerifyEachNode')))
        process.stdout.write(`  page ${line}\n`);
    });
    page.on('pageerror', (e) => console_.push(`pageerror: ${e.message}`));
    page.on('response', (r) => {
      if (r.status() >= 400) process.stdout.write(`  page HTTP ${r.status()} ${r.url()}\n`);
    });
    process.stdout.write(`open ${url}\n  flags ${args.join(' ')}\n`);
    await page.goto(url);
    // Polled rather than awaited, so a page that stops making progress (a hung GPU call) is given up
    // after --stall-s instead of the whole timeout, with what it had measured and where it stopped.
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await page.evaluate(() => window.__benchResult !== undefined)) break;
      const late = Date.now() > deadline;
      if (late || (Date.now() - lastActivity) / 1000 > stallS) {
        report = await page.evaluate(() => window.__benchPartial ?? null).catch(() => null);
        const why = late
          ? `timed out after ${timeoutMs / 1000} s`
          : `stalled: no page output for ${stallS} s`;
        throw new Error(`${why}; last page line: ${lastLine}`);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    report = await page.evaluate(() => window.__benchResult);
    attempt.endedAt = Date.now();
    attempt.consoleTail = console_.slice(-40);
    if (exportDir && report.ok) {
      const inputs = await page.evaluate(() => {
        const i = window.__benchInputs;
        return {
          ...i,
          occupancy: [...i.occupancy],
          sourceView: [...i.sourceView],
          targetView: [...i.targetView],
        };
      });
      mkdirSync(exportDir, { recursive: true });
      const R = inputs.resolution;
      writeFileSync(path.join(exportDir, 'grid.npy'), npy(inputs.occupancy, [R, R, R]));
      writeFileSync(path.join(exportDir, 'src.png'), png(inputs.sourceView, inputs.size));
      writeFileSync(path.join(exportDir, 'tgt.png'), png(inputs.targetView, inputs.size));
      writeFileSync(path.join(exportDir, 'view.txt'), `${inputs.view}\n`);
      process.stdout.write(`wrote grid.npy, src.png, tgt.png (view ${inputs.view}) to ${exportDir}\n`);
    }
  } catch (e) {
    attempt.error = String(e.message ?? e).slice(0, 4000);
    attempt.endedAt = Date.now();
  } finally {
    await browser?.close().catch(() => {});
  }
  const vendor = report?.adapter?.vendor ?? '';
  process.stdout.write(
    `  -> ok=${report?.ok ?? false} adapter=${vendor} software=${report?.adapter?.software}` +
      `${report?.error ? ` error=${report.error}` : ''}${attempt.error ? ` driver error=${attempt.error.split('\n')[0]}` : ''}\n`,
  );
  // Only an adapter problem is worth a launch with the other flags; a GPU page that failed stays failed.
  if (report?.ok || (report?.adapter && !report.adapter.software)) break;
}
server?.close();

const ran = attempts.at(-1);
const out = {
  date: new Date().toISOString(),
  url,
  executablePath,
  env: { VK_DRIVER_FILES: process.env.VK_DRIVER_FILES ?? null },
  attempts,
  gpuMemory: memLog ? gpuMemory(memLog, ran.startedAt, ran.endedAt ?? Date.now()) : null,
  page: report,
};
if (outFile) {
  mkdirSync(path.dirname(path.resolve(outFile)), { recursive: true });
  writeFileSync(outFile, `${JSON.stringify(out, null, 1)}\n`);
}
for (const m of report?.methods ?? []) {
  const d = m.median;
  process.stdout.write(
    `${m.method.padEnd(10)} T=${m.resolved.T} total ${d.totalMs.toFixed(1)} ms: images ${d.encodeImagesMs.toFixed(1)}, ` +
      `latent ${d.encodeLatentMs.toFixed(1)}, steps ${d.stepsSumMs.toFixed(1)} (loop ${d.loopMs.toFixed(1)}, step ${d.stepMs.toFixed(2)}), ` +
      `decode ${d.decodeMs.toFixed(1)}, merge ${d.mergeMs.toFixed(1)} (${m.mergeBackend}), surface ${d.surfaceMs.toFixed(1)}\n`,
  );
}
if (report?.timeToFirstResult)
  process.stdout.write(`time to first result: ${JSON.stringify(report.timeToFirstResult)}\n`);
if (report?.merge) process.stdout.write(`merge: ${JSON.stringify(report.merge)}\n`);
if (out.gpuMemory) process.stdout.write(`gpu memory: ${JSON.stringify(out.gpuMemory)}\n`);
process.exit(report?.ok ? 0 : 2);
