#!/usr/bin/env node
import { writeFileSync } from 'node:fs';
// Starts Chromium through playwright-core and reports which WebGPU adapter a page gets, so that a
// browser bench on the GPU machine can be trusted to run on the NVIDIA Vulkan driver rather than on
// SwiftShader (which Playwright's default --enable-unsafe-swiftshader allows as a silent fallback).
// Several flag sets are tried, each in a fresh browser, because which one brings the GPU process up
// depends on the driver and the headless mode; every outcome is recorded, the failures too.
//   node bench/gpu/browser-probe.mjs --chromium PATH [--playwright DIR] [--out FILE] [--variants a,b]
//     [--device-name h100]
// chromium-on-device.sh runs it on the GPU machine; locally it runs against /usr/bin/chromium or the
// staged headless shell and should report SwiftShader.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import path from 'node:path';

const argv = process.argv.slice(2);
const opt = (name, fallback) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : fallback;
};
const executablePath = opt('chromium', '/usr/bin/chromium');
const playwrightDir = path.resolve(opt('playwright', 'node_modules/playwright-core'));
const outFile = opt('out');

const BASE = ['--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--no-sandbox', '--enable-logging=stderr'];
const VULKAN = ['--enable-features=Vulkan', '--use-vulkan=native', '--disable-vulkan-surface'];
const NVIDIA_ICD = '/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json';
// env: overrides of the launching environment (null removes a variable).
const VARIANTS = {
  // The set the GPU machine is expected to need: Vulkan for Dawn and for ANGLE, no window surface.
  vulkan: { args: [...BASE, ...VULKAN, '--use-angle=vulkan', '--headless=new'] },
  // ANGLE on its default GL backend (NVIDIA's EGL through glvnd), Dawn on Vulkan.
  'angle-gl': { args: [...BASE, ...VULKAN] },
  // ANGLE on SwiftShader for compositing, Dawn on NVIDIA: the NVIDIA ICD is added to the loader's
  // search rather than replacing it, so Chromium's own SwiftShader ICD stays visible.
  'angle-swiftshader': {
    args: [...BASE, ...VULKAN, '--use-angle=swiftshader'],
    env: { VK_DRIVER_FILES: null, VK_ADD_DRIVER_FILES: NVIDIA_ICD },
  },
  // What a plain launch gives (the e2e suites' flags).
  plain: { args: [...BASE] },
};
const variants = (opt('variants') ?? Object.keys(VARIANTS).join(',')).split(',');

// localhost is a secure context, so navigator.gpu exists there (not on data: or file: pages).
const server = createServer((_, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end('<!doctype html><title>probe</title><body>probe</body>');
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const url = `http://127.0.0.1:${server.address().port}/`;

async function inPage() {
  const out = { hasGpu: !!navigator.gpu };
  if (!navigator.gpu) return out;
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return { ...out, error: 'requestAdapter() returned null' };
  const i = adapter.info;
  out.info = {
    vendor: i.vendor,
    architecture: i.architecture,
    device: i.device,
    description: i.description,
    isFallbackAdapter: i.isFallbackAdapter ?? null,
  };
  out.features = [...adapter.features].sort();
  const l = adapter.limits;
  out.limits = {
    maxBufferSize: l.maxBufferSize,
    maxStorageBufferBindingSize: l.maxStorageBufferBindingSize,
    maxComputeWorkgroupStorageSize: l.maxComputeWorkgroupStorageSize,
    maxComputeInvocationsPerWorkgroup: l.maxComputeInvocationsPerWorkgroup,
  };
  // One real dispatch and read-back: an adapter that lists a GPU but cannot run work is no use.
  const device = await adapter.requestDevice();
  const n = 1 << 22;
  const module = device.createShaderModule({
    code: `
    @group(0) @binding(0) var<storage, read_write> a: array<f32>;
    @compute @workgroup_size(256) fn main(@builtin(global_invocation_id) id: vec3u) {
      if (id.x < arrayLength(&a)) { a[id.x] = f32(id.x) * 2.0 + 1.0; }
    }`,
  });
  const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
  const buf = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC });
  const read = device.createBuffer({ size: n * 4, usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST });
  const bind = device.createBindGroup({
    layout: pipeline.getBindGroupLayout(0),
    entries: [{ binding: 0, resource: { buffer: buf } }],
  });
  const run = async () => {
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(n / 256);
    pass.end();
    device.queue.submit([enc.finish()]);
    await device.queue.onSubmittedWorkDone();
  };
  await run();
  const t0 = performance.now();
  for (let k = 0; k < 20; k++) await run();
  out.dispatchMs = (performance.now() - t0) / 20;
  const enc = device.createCommandEncoder();
  enc.copyBufferToBuffer(buf, 0, read, 0, n * 4);
  device.queue.submit([enc.finish()]);
  await read.mapAsync(GPUMapMode.READ);
  const a = new Float32Array(read.getMappedRange());
  out.readbackOk = a[0] === 1 && a[n - 1] === (n - 1) * 2 + 1;
  read.unmap();
  device.destroy();
  return out;
}

// Chromium's stderr (where the GPU process says why it fell back) reaches us only through
// Playwright's debug channel; it is captured per variant instead of echoed.
process.env.DEBUG = 'pw:browser';
let log = [];
const fullLog = [];
process.stderr.write = (
  (write) =>
  (chunk, ...rest) => {
    const text = String(chunk);
    fullLog.push(text);
    if (text.includes('pw:browser')) log.push(text.replace(/^\S+ pw:browser /, '').trimEnd());
    else write.call(process.stderr, chunk, ...rest);
    return true;
  }
)(process.stderr.write);
const { chromium } = createRequire(import.meta.url)(playwrightDir);
const results = [];
for (const name of variants) {
  const { args, env: overrides = {} } = VARIANTS[name];
  const env = { ...process.env };
  for (const [k, v] of Object.entries(overrides)) {
    if (v === null) delete env[k];
    else env[k] = v;
  }
  log = [];
  const entry = { variant: name, args, env: overrides };
  const t0 = Date.now();
  let browser;
  try {
    browser = await chromium.launch({
      executablePath,
      headless: true,
      args,
      env,
      timeout: 60_000,
    });
    entry.version = browser.version();
    entry.launchMs = Date.now() - t0;
    try {
      const cdp = await browser.newBrowserCDPSession();
      const { gpu } = await cdp.send('SystemInfo.getInfo');
      entry.gpu = {
        devices: gpu.devices.map((d) => ({
          vendorId: d.vendorId,
          deviceId: d.deviceId,
          vendor: d.vendorString,
          device: d.deviceString,
          driver: d.driverVendor,
          driverVersion: d.driverVersion,
        })),
        featureStatus: gpu.featureStatus,
      };
    } catch (e) {
      entry.gpu = { error: String(e.message ?? e) };
    }
    const page = await browser.newPage();
    page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
    await page.goto(url);
    entry.webgpu = await page.evaluate(inPage);
    const d = `${entry.webgpu.info?.vendor ?? ''} ${entry.webgpu.info?.description ?? ''}`.toLowerCase();
    entry.nvidia = d.includes('nvidia');
    entry.swiftshader = d.includes('swiftshader') || entry.webgpu.info?.isFallbackAdapter === true;
  } catch (e) {
    entry.error = String(e.message ?? e).slice(0, 4000);
  } finally {
    await browser?.close().catch(() => {});
  }
  // The GPU process's own account of why it fell back (Vulkan, ANGLE, Dawn) is in these lines.
  entry.logTail = log
    .filter(
      (l) =>
        /vulkan|gpu|dawn|angle|webgpu|egl|adapter|icd|fatal|crash/i.test(l) && !/dbus|<launching>/.test(l),
    )
    .slice(-60);
  entry.logLines = log.length;
  results.push(entry);
  const i = entry.webgpu?.info;
  console.log(
    `[${name}] ${
      entry.error
        ? `FAILED: ${entry.error.split('\n')[0]}`
        : `adapter: vendor=${i?.vendor} arch=${i?.architecture} desc=${i?.description} fallback=${i?.isFallbackAdapter}` +
          ` nvidia=${entry.nvidia} dispatch=${entry.webgpu?.dispatchMs?.toFixed?.(3)} ms readback=${entry.webgpu?.readbackOk}` +
          (entry.webgpu?.error ? ` error=${entry.webgpu.error}` : '')
    }`,
  );
}
server.close();
const report = {
  date: new Date().toISOString(),
  device_name: opt('device-name', null),
  executablePath,
  env: {
    VK_DRIVER_FILES: process.env.VK_DRIVER_FILES ?? null,
    LD_LIBRARY_PATH: process.env.LD_LIBRARY_PATH ?? null,
  },
  results,
};
if (outFile) {
  writeFileSync(outFile, `${JSON.stringify(report, null, 1)}\n`);
  writeFileSync(`${outFile.replace(/\.json$/, '')}.log`, fullLog.join(''));
}
console.log(
  JSON.stringify(
    results.map((r) => ({
      variant: r.variant,
      nvidia: r.nvidia ?? false,
      gpu: r.gpu?.devices,
      status: r.gpu?.featureStatus?.webgpu,
    })),
    null,
    1,
  ),
);
process.exit(results.some((r) => r.nvidia) ? 0 : 2);
