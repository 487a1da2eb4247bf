/**
 * The canonical view renderer on WebGPU (training/RENDERER.md): shaders/render-view.wgsl, the WGSL
 * twin of src/core/render's renderView. Same spec numbers (VIEW_SPEC, viewCamera, faceShades are
 * read from core, never restated), same RGBA8 RenderedView out.
 *
 * A grid is uploaded once and stays on the GPU; any set of views (shaded and/or flat) is then one
 * dispatch, one z layer per view, and one readback. So the studio's 8 canonical views of a grid cost
 * one submission, and re-rendering after an edit costs one upload of the new grid.
 *
 * Choices, and why:
 * - The grid travels as the VoxelGrid's own bytes (occupancy 1 byte, colour 3 bytes per voxel,
 *   four to a u32): no conversion on upload.
 * - Division is exact round-to-nearest by default (see the shader): WGSL promises 2.5 ULP for `/`,
 *   and a DDA near-tie decided by one ulp changes which voxel a ray hits. `division: 'native'`
 *   trades that guarantee for speed.
 */
import renderCode from '../../shaders/render-view.wgsl?raw';
import { FlowsmithError, InvalidArgumentError, InvalidGridError } from '../core/errors';
import type { VoxelGrid } from '../core/grid';
import { faceShades, type RenderedView, type RenderOptions, VIEW_SPEC, viewCamera } from '../core/render';

/** Largest grid side the renderer accepts (the twin takes any; this keeps buffers well inside limits). */
export const MAX_RENDER_RESOLUTION = 256;

const WG = 8;
/** Bytes per view slot in the shader's `slots` array (three vec4 and four u32). */
const SLOT_BYTES = 64;
const PARAMS_BYTES = 64;

export interface ViewRequest {
  /** Canonical view index, 0..7 (VIEW_SPEC.views − 1). */
  view: number;
  /** The voxel colour unshaded, as RenderOptions.flat. */
  flat?: boolean;
}

export interface GpuRendererOptions {
  /**
   * 'exact' (default): correctly rounded division in integer arithmetic, so DDA decisions equal the
   * CPU twin's on any WebGPU device. 'native': WGSL's `/` (at most 2.5 ULP off by the spec).
   */
  division?: 'exact' | 'native';
}

const align4 = (bytes: number) => Math.ceil(bytes / 4) * 4;

function internalError(message: string, cause?: unknown): FlowsmithError {
  return new FlowsmithError(
    'internal',
    `GPU view renderer: ${message}`,
    'This is a bug in Flowsmith; the CPU renderer (renderView) gives the same images meanwhile.',
    { cause },
  );
}

function checkView(view: number): void {
  if (!Number.isInteger(view) || view < 0 || view >= VIEW_SPEC.views) {
    throw new InvalidArgumentError(
      `View ${String(view)} does not exist.`,
      `Canonical views are numbered 0 to ${VIEW_SPEC.views - 1} (azimuth k·${VIEW_SPEC.azimuthStepDeg}°).`,
    );
  }
}

function checkGrid(grid: VoxelGrid): void {
  const R = grid.resolution;
  if (!Number.isInteger(R) || R < 1 || R > MAX_RENDER_RESOLUTION) {
    throw new InvalidGridError(
      `Grid resolution ${String(R)} cannot be rendered on the GPU.`,
      `Use a cubic grid from 1³ to ${MAX_RENDER_RESOLUTION}³ (the model's grids are ${VIEW_SPEC.gridResolution}³).`,
    );
  }
  if (grid.occupancy.length !== R ** 3 || grid.colors.length !== 3 * R ** 3) {
    throw new InvalidGridError(
      `A ${R}³ grid needs ${R ** 3} occupancy values and ${3 * R ** 3} colour bytes; ` +
        `got ${grid.occupancy.length} and ${grid.colors.length}.`,
      'Build grids with createGrid(resolution) so the arrays match the resolution.',
    );
  }
}

/** Grid buffers for one resolution; replaced when a grid of another resolution is uploaded. */
interface GridBuffers {
  resolution: number;
  occupancy: GPUBuffer;
  colors: GPUBuffer;
}

/** Renders canonical views of one uploaded grid on one GPUDevice. */
export class GpuViewRenderer {
  readonly device: GPUDevice;
  private readonly pipeline: GPUComputePipeline;
  private readonly params: GPUBuffer;
  private grid: GridBuffers | null = null;
  /** Slots and pixels grow to the largest request seen; the bind group follows them. */
  private slots: GPUBuffer | null = null;
  private pixels: GPUBuffer | null = null;
  private capacity = 0;
  private bindGroup: GPUBindGroup | null = null;
  private destroyed = false;

  private constructor(device: GPUDevice, pipeline: GPUComputePipeline) {
    this.device = device;
    this.pipeline = pipeline;
    this.params = device.createBuffer({
      label: 'render.params',
      size: PARAMS_BYTES,
      usage: GPUBufferUsage.UNIFORM | GPUBufferUsage.COPY_DST,
    });
  }

  /** Compiles the kernel; upload a grid before rendering. */
  static async create(device: GPUDevice, options: GpuRendererOptions = {}): Promise<GpuViewRenderer> {
    const division = options.division ?? 'exact';
    if (division !== 'exact' && division !== 'native') {
      throw new InvalidArgumentError(
        `Unknown division mode “${String(division)}”.`,
        "Use 'exact' (the default) or 'native'.",
      );
    }
    const size = VIEW_SPEC.imageSize;
    if ((size & (size - 1)) !== 0) {
      // The shader forms pixel centres as (2i + 1 − size) · (1/size), exact only for a power of two.
      throw internalError(`the image size ${size} is not a power of two.`);
    }
    const module = device.createShaderModule({ label: 'render-view.wgsl', code: renderCode });
    let pipeline: GPUComputePipeline;
    try {
      pipeline = await device.createComputePipelineAsync({
        label: 'render-view',
        layout: 'auto',
        compute: {
          module,
          entryPoint: 'renderView',
          constants: { exactDivision: division === 'exact' ? 1 : 0 },
        },
      });
    } catch (error) {
      // The pipeline error only says the module is invalid; the compiler's own messages say why.
      const info = await module.getCompilationInfo();
      const messages = info.messages
        .filter((m) => m.type === 'error')
        .map((m) => `${m.lineNum}:${m.linePos} ${m.message}`);
      throw internalError(
        `compiling the kernel failed: ${[(error as Error).message, ...messages].join('; ')}`,
        error,
      );
    }
    return new GpuViewRenderer(device, pipeline);
  }

  /** Resolution of the uploaded grid, or null before the first upload. */
  get resolution(): number | null {
    return this.grid?.resolution ?? null;
  }

  /** Copies the grid to the GPU; later renders show it until the next upload. */
  upload(grid: VoxelGrid): void {
    this.checkAlive();
    checkGrid(grid);
    const R = grid.resolution;
    if (this.grid?.resolution !== R) {
      this.releaseGrid();
      const make = (label: string, bytes: number) =>
        this.device.createBuffer({
          label: `render.${label}`,
          size: Math.max(4, align4(bytes)),
          usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
        });
      this.grid = { resolution: R, occupancy: make('occupancy', R ** 3), colors: make('colors', 3 * R ** 3) };
      this.bindGroup = null;
    }
    this.writeBytes(this.grid.occupancy, grid.occupancy);
    this.writeBytes(this.grid.colors, grid.colors);
  }

  /** One view of the uploaded grid; equal to renderView(grid, view, options). */
  async render(view: number, options: RenderOptions = {}): Promise<RenderedView> {
    const [image] = await this.renderViews([{ view, flat: options.flat }]);
    return image;
  }

  /** The VIEW_SPEC.views canonical views (0..7), in order, in one submission. */
  renderAllViews(options: RenderOptions = {}): Promise<RenderedView[]> {
    return this.renderViews(
      Array.from({ length: VIEW_SPEC.views }, (_, view) => ({ view, flat: options.flat })),
    );
  }

  /** Any list of views (repeats and mixed shaded/flat allowed), in request order, in one submission. */
  async renderViews(requests: readonly ViewRequest[]): Promise<RenderedView[]> {
    this.checkAlive();
    for (const request of requests) checkView(request.view);
    const grid = this.grid;
    if (!grid) {
      throw new InvalidArgumentError(
        'No grid has been uploaded to the GPU renderer yet.',
        'Call upload(grid) first; the grid stays on the GPU for every later render.',
      );
    }
    if (requests.length === 0) return [];
    const size = VIEW_SPEC.imageSize;
    const count = requests.length;
    const maxLayers = this.device.limits.maxComputeWorkgroupsPerDimension;
    if (count > maxLayers) {
      throw new InvalidArgumentError(
        `${count} views were requested at once; this GPU dispatches at most ${maxLayers}.`,
        'Render them in smaller batches.',
      );
    }
    this.ensureCapacity(count);
    const { slots, pixels } = this;
    if (!slots || !pixels) throw internalError('output buffers are missing.');
    this.writeParams(grid.resolution);
    this.device.queue.writeBuffer(slots, 0, this.slotData(requests));

    const bytesPerView = size * size * 4;
    const bytes = count * bytesPerView;
    const staging = this.device.createBuffer({
      label: 'render.staging',
      size: bytes,
      usage: GPUBufferUsage.MAP_READ | GPUBufferUsage.COPY_DST,
    });
    try {
      const encoder = this.device.createCommandEncoder({ label: 'render-views' });
      const pass = encoder.beginComputePass();
      pass.setPipeline(this.pipeline);
      pass.setBindGroup(0, this.currentBindGroup(grid));
      pass.dispatchWorkgroups(Math.ceil(size / WG), Math.ceil(size / WG), count);
      pass.end();
      encoder.copyBufferToBuffer(pixels, 0, staging, 0, bytes);
      this.device.queue.submit([encoder.finish()]);
      await staging.mapAsync(GPUMapMode.READ);
      const all = new Uint8Array(staging.getMappedRange().slice(0));
      return requests.map((_, k) => ({
        width: size,
        height: size,
        data: all.subarray(k * bytesPerView, (k + 1) * bytesPerView),
      }));
    } finally {
      if (staging.mapState === 'mapped') staging.unmap();
      staging.destroy();
    }
  }

  /** Releases every buffer; the renderer cannot be used afterwards. */
  destroy(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.releaseGrid();
    this.slots?.destroy();
    this.pixels?.destroy();
    this.slots = null;
    this.pixels = null;
    this.params.destroy();
    this.bindGroup = null;
  }

  private releaseGrid(): void {
    this.grid?.occupancy.destroy();
    this.grid?.colors.destroy();
    this.grid = null;
  }

  private ensureCapacity(count: number): void {
    if (count <= this.capacity) return;
    this.slots?.destroy();
    this.pixels?.destroy();
    const size = VIEW_SPEC.imageSize;
    this.slots = this.device.createBuffer({
      label: 'render.slots',
      size: count * SLOT_BYTES,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_DST,
    });
    this.pixels = this.device.createBuffer({
      label: 'render.pixels',
      size: count * size * size * 4,
      usage: GPUBufferUsage.STORAGE | GPUBufferUsage.COPY_SRC,
    });
    this.capacity = count;
    this.bindGroup = null;
  }

  private currentBindGroup(grid: GridBuffers): GPUBindGroup {
    if (this.bindGroup) return this.bindGroup;
    if (!this.slots || !this.pixels) throw internalError('output buffers are missing.');
    const buffers = [this.params, this.slots, grid.occupancy, grid.colors, this.pixels];
    this.bindGroup = this.device.createBindGroup({
      label: 'render-view',
      layout: this.pipeline.getBindGroupLayout(0),
      entries: buffers.map((buffer, binding) => ({ binding, resource: { buffer } })),
    });
    return this.bindGroup;
  }

  private writeParams(resolution: number): void {
    const data = new ArrayBuffer(PARAMS_BYTES);
    const u = new Uint32Array(data);
    const f = new Float32Array(data);
    const size = VIEW_SPEC.imageSize;
    const [r, g, b] = VIEW_SPEC.background;
    u[0] = resolution;
    u[1] = size;
    u[2] = 3 * resolution - 2;
    u[3] = 0;
    f[4] = VIEW_SPEC.halfExtent;
    f[5] = 1 / size;
    f[6] = resolution / 2;
    u[7] = (r | (g << 8) | (b << 16) | (255 << 24)) >>> 0;
    f.set(faceShades(), 8);
    this.device.queue.writeBuffer(this.params, 0, data);
  }

  private slotData(requests: readonly ViewRequest[]): ArrayBuffer {
    const data = new ArrayBuffer(requests.length * SLOT_BYTES);
    const f = new Float32Array(data);
    const u = new Uint32Array(data);
    requests.forEach(({ view, flat }, k) => {
      const { forward, right, up } = viewCamera(view);
      const at = (k * SLOT_BYTES) / 4;
      f.set(forward, at);
      f.set(right, at + 4);
      f.set(up, at + 8);
      u[at + 12] = flat === true ? 1 : 0;
    });
    return data;
  }

  /** writeBuffer wants whole words; a ragged tail (R³ not a multiple of 4) goes separately, padded. */
  private writeBytes(buffer: GPUBuffer, bytes: Uint8Array): void {
    const whole = bytes.length & ~3;
    // checkGrid accepts any Uint8Array; writeBuffer's typing wants a plain ArrayBuffer behind it.
    if (whole > 0) this.device.queue.writeBuffer(buffer, 0, bytes as Uint8Array<ArrayBuffer>, 0, whole);
    if (whole < bytes.length) {
      const tail = new Uint8Array(4);
      tail.set(bytes.subarray(whole));
      this.device.queue.writeBuffer(buffer, whole, tail);
    }
  }

  private checkAlive(): void {
    if (this.destroyed) {
      throw new InvalidArgumentError(
        'This GPU view renderer has been destroyed.',
        'Create a new one with GpuViewRenderer.create().',
      );
    }
  }
}
