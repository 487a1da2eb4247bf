import { expect, test } from '@playwright/test';

type DeviceModule = typeof import('../../src/gpu/device');
type BufferModule = typeof import('../../src/gpu/buffers');

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
});

test('acquires a WebGPU device and reports its adapter', async ({ page }) => {
  const info = await page.evaluate(async () => {
    const path = '/src/gpu/device.ts';
    const { acquireGpu } = (await import(/* @vite-ignore */ path)) as DeviceModule;
    const gpu = await acquireGpu();
    return { ...gpu.adapterInfo, maxStorage: gpu.device.limits.maxStorageBufferBindingSize };
  });
  expect(info.vendor.length + info.architecture.length).toBeGreaterThan(0);
  // A 256³ grid of u32 labels must fit in one binding (merge kernels, issue 3).
  expect(info.maxStorage).toBeGreaterThanOrEqual(256 ** 3 * 4);
});

test('without navigator.gpu it fails with a typed, actionable error', async ({ page }) => {
  const error = await page.evaluate(async () => {
    const path = '/src/gpu/device.ts';
    const { acquireGpu } = (await import(/* @vite-ignore */ path)) as DeviceModule;
    const noAdapter = { requestAdapter: async () => null } as unknown as GPU;
    try {
      await acquireGpu({ gpu: noAdapter });
      return null;
    } catch (e) {
      const err = e as { code: string; message: string; hint: string };
      return { code: err.code, message: err.message, hint: err.hint };
    }
  });
  expect(error?.code).toBe('webgpu-unavailable');
  expect(error?.message).toContain('no GPU adapter');
  expect(error?.hint).toContain('CPU');
});

test('round-trips unaligned uint8 data through a storage buffer and a compute pass', async ({ page }) => {
  const result = await page.evaluate(async () => {
    const modules = ['/src/gpu/device.ts', '/src/gpu/buffers.ts'];
    const { acquireGpu } = (await import(/* @vite-ignore */ modules[0])) as DeviceModule;
    const { uploadStorage, readBuffer } = (await import(/* @vite-ignore */ modules[1])) as BufferModule;
    const { device } = await acquireGpu();
    const input = new Uint8Array(1001).map((_, i) => (i * 37) & 255);
    const buffer = uploadStorage(device, input);
    // Invert every byte on the GPU, packed four to a u32, to prove the buffer is usable by kernels.
    const module = device.createShaderModule({
      code: `@group(0) @binding(0) var<storage, read_write> words: array<u32>;
      @compute @workgroup_size(64) fn main(@builtin(global_invocation_id) id: vec3u) {
        if (id.x < arrayLength(&words)) { words[id.x] = ~words[id.x]; }
      }`,
    });
    const pipeline = device.createComputePipeline({
      layout: 'auto',
      compute: { module, entryPoint: 'main' },
    });
    const bind = device.createBindGroup({
      layout: pipeline.getBindGroupLayout(0),
      entries: [{ binding: 0, resource: { buffer } }],
    });
    const encoder = device.createCommandEncoder();
    const pass = encoder.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    pass.dispatchWorkgroups(Math.ceil(buffer.size / 4 / 64));
    pass.end();
    device.queue.submit([encoder.finish()]);
    const out = new Uint8Array(await readBuffer(device, buffer, input.length));
    return { length: out.length, ok: out.every((v, i) => v === 255 - input[i]) };
  });
  expect(result).toEqual({ length: 1001, ok: true });
});
