/**
 * Parity of the sampler's WGSL kernels with their CPU twins: philox.wgsl against philox.ts/noise.ts
 * (bits and uniforms exact, normals within tolerance) and flow-step.wgsl against vec.ts (within an
 * FMA's last bit), on random and adversarial inputs, with and without output aliasing.
 */
import { expect, test } from '@playwright/test';

type Kernels = typeof import('../../src/gpu/flow-kernels');
type StepKernel = import('../../src/gpu/flow-kernels').StepKernel;
type Device = typeof import('../../src/gpu/device');
type Flow = typeof import('../../src/core/flow');
type Vec = typeof import('../../src/core/flow/vec');

test.beforeEach(async ({ page }) => {
  await page.goto('/tests/gpu/harness.html');
});

test('philox bits and uniforms equal the TS twin bit for bit; normals agree within tolerance', async ({
  page,
}) => {
  const result = await page.evaluate(async () => {
    const paths = ['/src/gpu/flow-kernels.ts', '/src/gpu/device.ts', '/src/core/flow/index.ts'];
    const { FlowKernels, readBack } = (await import(/* @vite-ignore */ paths[0])) as Kernels;
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[1])) as Device;
    const flow = (await import(/* @vite-ignore */ paths[2])) as Flow;
    const { device } = await acquireGpu();
    const kernels = await FlowKernels.create(device);
    const cases = [
      { seed: 0, stream: { purpose: 'initial', step: 0, lane: 0 }, count: 4096 },
      { seed: 42, stream: { purpose: 'forward', step: 17, lane: 3 }, count: 1001 },
      { seed: 2 ** 53 - 1, stream: { purpose: 'diffusion', step: 25, lane: 2 ** 32 - 1 }, count: 7 },
      { seed: 2 ** 40 + 5, stream: { purpose: 'renoise', step: 4294967295, lane: 9 }, count: 300_001 },
    ] as const;
    const out: { bitsEqual: boolean; uniformsEqual: boolean; normalsMaxErr: number; count: number }[] = [];
    for (const c of cases) {
      const bytes = Math.max(16, c.count * 4);
      const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC;
      const bitsBuf = device.createBuffer({ size: bytes, usage });
      const uniBuf = device.createBuffer({ size: bytes, usage });
      const norBuf = device.createBuffer({ size: bytes, usage });
      kernels.noise('bits', c.seed, c.stream, c.count, bitsBuf);
      kernels.noise('uniforms', c.seed, c.stream, c.count, uniBuf);
      kernels.noise('normals', c.seed, c.stream, c.count, norBuf);
      kernels.flush();
      const gpuBits = new Uint32Array(await readBack(device, bitsBuf, c.count * 4));
      const gpuUni = new Float32Array(await readBack(device, uniBuf, c.count * 4));
      const gpuNor = new Float32Array(await readBack(device, norBuf, c.count * 4));
      const cpuBits = flow.uniformBits(c.seed, c.stream, c.count);
      const cpuUni = flow.uniforms(c.seed, c.stream, c.count);
      const cpuNor = flow.normals(c.seed, c.stream, c.count);
      let maxErr = 0;
      for (let i = 0; i < c.count; i++) maxErr = Math.max(maxErr, Math.abs(gpuNor[i] - cpuNor[i]));
      out.push({
        bitsEqual: gpuBits.every((b, i) => b === cpuBits[i]),
        uniformsEqual: gpuUni.every((u, i) => u === cpuUni[i]),
        normalsMaxErr: maxErr,
        count: c.count,
      });
    }
    kernels.destroy();
    return out;
  });
  const worst = Math.max(...result.map((r) => r.normalsMaxErr));
  test.info().annotations.push({ type: 'normals max |gpu − cpu|', description: worst.toExponential(2) });
  for (const r of result) {
    expect(r.bitsEqual, `bits, ${r.count} values`).toBe(true);
    expect(r.uniformsEqual, `uniforms, ${r.count} values`).toBe(true);
    // |z| ≤ 5.8: a few ulp of that (philox.wgsl's own log/sin/cos, not the loose WGSL builtins).
    expect(r.normalsMaxErr, `normals, ${r.count} values`).toBeLessThan(5e-6);
  }
});

test('every flow-step kernel matches vec.ts, with and without the output aliasing an input', async ({
  page,
}) => {
  const result = await page.evaluate(async () => {
    const paths = [
      '/src/gpu/flow-kernels.ts',
      '/src/gpu/device.ts',
      '/src/core/flow/index.ts',
      '/src/core/flow/vec.ts',
    ];
    const { FlowKernels, readBack } = (await import(/* @vite-ignore */ paths[0])) as Kernels;
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[1])) as Device;
    const flow = (await import(/* @vite-ignore */ paths[2])) as Flow;
    const vec = (await import(/* @vite-ignore */ paths[3])) as Vec;
    const { device } = await acquireGpu();
    const kernels = await FlowKernels.create(device);
    const n = 4099; // not a multiple of the workgroup size
    const f = Math.fround;
    // Random normals, plus adversarial values: zeros, ±large, tiny, exact halves.
    const make = (lane: number) => {
      const x = flow.normals(3, { purpose: 'initial', step: 1, lane }, n);
      const special = [0, -0, 1e30, -1e30, 1e-30, 0.5, -2, 3.4e38];
      for (let i = 0; i < special.length; i++) x[i * 97 + lane] = special[i];
      return x;
    };
    const inputs = [make(0), make(1), make(2), make(3), make(4)];
    const upload = (x: Float32Array) => {
      const b = device.createBuffer({
        size: x.byteLength,
        usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST,
      });
      device.queue.writeBuffer(b, 0, x.slice());
      return b;
    };
    type Case = {
      name: string;
      kernel: StepKernel;
      /** Indices into `inputs`: [out, ...ins]; an in equal to out aliases it. */
      slots: number[];
      scalars: number[];
      cpu: (o: Float32Array, ins: Float32Array[]) => void;
    };
    const t = 0.6180339887;
    const cases: Case[] = [
      {
        name: 'axpy',
        kernel: 'axpy',
        slots: [0, 1],
        scalars: [f(-0.04)],
        cpu: (o, [x]) => vec.axpy(o, -0.04, x),
      },
      {
        name: 'addScaled',
        kernel: 'add_scaled',
        slots: [0, 1, 2],
        scalars: [f(0.3)],
        cpu: (o, [x, y]) => vec.addScaled(o, x, 0.3, y),
      },
      {
        name: 'addScaled (out = x)',
        kernel: 'add_scaled',
        slots: [0, 0, 2],
        scalars: [f(0.3)],
        cpu: (o, [, y]) => vec.addScaled(o, o, 0.3, y),
      },
      { name: 'sub', kernel: 'sub', slots: [0, 1, 2], scalars: [], cpu: (o, [a, b]) => vec.sub(o, a, b) },
      {
        name: 'shiftBy',
        kernel: 'shift_by',
        slots: [0, 1, 2, 3],
        scalars: [],
        cpu: (o, [p, z, x]) => vec.shiftBy(o, p, z, x),
      },
      {
        name: 'noiseTo',
        kernel: 'noise_to',
        slots: [0, 1, 2],
        scalars: [f(1 - f(t)), f(t)],
        cpu: (o, [x0, e]) => vec.noiseTo(o, x0, e, t),
      },
      {
        name: 'guide (out = vc)',
        kernel: 'guide',
        slots: [0, 1, 0],
        scalars: [f(4.5)],
        cpu: (o, [vu]) => vec.guide(o, vu, o, 4.5),
      },
      {
        name: 'guide',
        kernel: 'guide',
        slots: [0, 1, 2],
        scalars: [f(4.5)],
        cpu: (o, [vu, vc]) => vec.guide(o, vu, vc, 4.5),
      },
      {
        name: 'cleanEstimate',
        kernel: 'clean_estimate',
        slots: [0, 1, 2],
        scalars: [f(t)],
        cpu: (o, [x, v]) => vec.cleanEstimate(o, x, v, t),
      },
      {
        name: 'noiseEstimate',
        kernel: 'noise_estimate',
        slots: [0, 1, 2],
        scalars: [f(1 - f(t))],
        cpu: (o, [x, v]) => vec.noiseEstimate(o, x, v, t),
      },
      {
        name: 'accumulateDiff',
        kernel: 'accumulate_diff',
        slots: [0, 1, 2],
        scalars: [f(0.2)],
        cpu: (o, [a, b]) => vec.accumulateDiff(o, 0.2, a, b),
      },
      {
        name: 'anchorPaper',
        kernel: 'anchor_paper',
        slots: [0, 1, 2, 3, 4],
        scalars: [f(1 - f(t)), f(f(0.5) * f(2 - f(t)))],
        cpu: (o, [q, vq, p, vp]) => vec.accumulateAnchorPaper(o, 0.5, q, vq, p, vp, t),
      },
      {
        name: 'anchorCode',
        kernel: 'anchor_code',
        slots: [0, 1, 2, 3, 4],
        scalars: [f(0.5), f(t)],
        cpu: (o, [q, vq, p, vp]) => vec.accumulateAnchorCode(o, 0.5, q, vq, p, vp, t),
      },
      {
        name: 'sdeDrift',
        kernel: 'sde_drift',
        slots: [0, 1, 2],
        scalars: [f(1 - f(t)), f(0.6)],
        cpu: (o, [x, v]) => vec.sdeDrift(o, x, v, t, 0.6),
      },
      {
        name: 'diffusionIncrement',
        kernel: 'diffusion_increment',
        slots: [0, 1, 2, 3],
        scalars: [f(-0.04)],
        cpu: (o, [nx, x, d]) => vec.diffusionIncrement(o, nx, x, -0.04, d),
      },
      {
        name: 'scale (out = x)',
        kernel: 'scale',
        slots: [0, 0],
        scalars: [f(1 / 3)],
        cpu: (o) => vec.scale(o, o, 1 / 3),
      },
      { name: 'fill', kernel: 'fill', slots: [0], scalars: [f(-7.25)], cpu: (o) => o.fill(-7.25) },
    ];
    const report: { name: string; worst: number; nonFiniteMismatch: number }[] = [];
    for (const c of cases) {
      const buffers = inputs.map(upload);
      const [outSlot, ...inSlots] = c.slots;
      kernels.step(
        c.kernel,
        n,
        buffers[outSlot],
        inSlots.map((s) => buffers[s]),
        c.scalars,
      );
      kernels.flush();
      const gpu = new Float32Array(await readBack(device, buffers[outSlot], n * 4));
      const cpu = inputs[outSlot].slice();
      c.cpu(
        cpu,
        inSlots.map((s) => (s === outSlot ? cpu : inputs[s])),
      );
      let worst = 0;
      let nonFiniteMismatch = 0;
      for (let i = 0; i < n; i++) {
        if (!Number.isFinite(cpu[i]) || !Number.isFinite(gpu[i])) {
          if (!Object.is(cpu[i], gpu[i]) && !(Number.isNaN(cpu[i]) && Number.isNaN(gpu[i])))
            nonFiniteMismatch++;
          continue;
        }
        // Relative to the operands' scale: an FMA changes at most the last bit of each product.
        const scale = Math.max(1, Math.abs(cpu[i]), ...inputs.map((x) => Math.abs(x[i])));
        worst = Math.max(worst, Math.abs(gpu[i] - cpu[i]) / scale);
      }
      report.push({ name: c.name, worst, nonFiniteMismatch });
      for (const b of buffers) b.destroy();
    }
    kernels.destroy();
    return report;
  });
  for (const r of result) {
    expect(r.worst, r.name).toBeLessThan(1e-6);
    expect(r.nonFiniteMismatch, r.name).toBe(0);
  }
});

test('count_nonfinite counts NaN and ±Inf exactly, per slot', async ({ page }) => {
  const counts = await page.evaluate(async () => {
    const paths = ['/src/gpu/flow-kernels.ts', '/src/gpu/device.ts'];
    const { FlowKernels, readBack } = (await import(/* @vite-ignore */ paths[0])) as Kernels;
    const { acquireGpu } = (await import(/* @vite-ignore */ paths[1])) as Device;
    const { device } = await acquireGpu();
    const kernels = await FlowKernels.create(device);
    const n = 70_000;
    const x = new Float32Array(n);
    x[5] = Number.NaN;
    x[69_999] = Number.POSITIVE_INFINITY;
    x[1234] = Number.NEGATIVE_INFINITY;
    x[77] = 3.4e38;
    const usage = GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC | GPUBufferUsage.COPY_DST;
    const buffer = device.createBuffer({ size: n * 4, usage });
    device.queue.writeBuffer(buffer, 0, x);
    const clean = device.createBuffer({ size: n * 4, usage });
    const countBuffer = device.createBuffer({ size: 16, usage });
    kernels.step('count_nonfinite', n, null, [buffer], [], { buffer: countBuffer, slot: 2 });
    kernels.step('count_nonfinite', n, null, [clean], [], { buffer: countBuffer, slot: 1 });
    kernels.flush();
    const result = Array.from(new Uint32Array(await readBack(device, countBuffer, 16)));
    kernels.destroy();
    return result;
  });
  expect(counts).toEqual([0, 0, 3, 0]);
});
