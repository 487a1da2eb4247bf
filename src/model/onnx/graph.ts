/**
 * A small ONNX graph builder that writes ModelProto bytes directly (field numbers from onnx.proto3),
 * so tests and benches build velocity graphs in TypeScript with no Python in CI. It covers what our
 * generated graphs use: float32 / int64 tensors, static and symbolic dims, attributes of scalar and
 * list types, and the default ONNX domain.
 */

import { ProtoMessage } from './protobuf';

/** ONNX TensorProto.DataType values we write. */
export const ONNX_FLOAT = 1;
export const ONNX_INT64 = 7;
export const ONNX_FLOAT16 = 10;

export type ElemType = 'float32' | 'int64' | 'float16';
const ELEM_CODE: Record<ElemType, number> = { float32: ONNX_FLOAT, int64: ONNX_INT64, float16: ONNX_FLOAT16 };

/** A dimension: a fixed size, or a symbolic name (e.g. 'batch') that stays dynamic. */
export type Dim = number | string;

export type AttributeValue =
  | { readonly kind: 'int'; readonly value: number }
  | { readonly kind: 'float'; readonly value: number }
  | { readonly kind: 'ints'; readonly value: readonly number[] }
  | { readonly kind: 'floats'; readonly value: readonly number[] }
  | { readonly kind: 'string'; readonly value: string };

/** Shorthands for node attributes: numbers are ints unless wrapped with `float()`. */
export type Attr = number | readonly number[] | string | AttributeValue;

export const float = (value: number): AttributeValue => ({ kind: 'float', value });

/** AttributeProto.AttributeType */
const ATTR_FLOAT = 1;
const ATTR_INT = 2;
const ATTR_STRING = 3;
const ATTR_FLOATS = 6;
const ATTR_INTS = 7;

export interface ModelOptions {
  readonly opset?: number;
  readonly producer?: string;
  readonly docString?: string;
  /** Written as ModelProto.metadata_props. */
  readonly metadata?: Readonly<Record<string, string>>;
}

interface Initializer {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly number[];
  readonly raw: Uint8Array;
}

function valueInfo(name: string, type: ElemType, dims: readonly Dim[]): ProtoMessage {
  const shape = new ProtoMessage();
  for (const d of dims) {
    const dim = new ProtoMessage();
    if (typeof d === 'number') dim.int(1, d);
    else dim.string(2, d);
    shape.message(1, dim);
  }
  const tensorType = new ProtoMessage().int(1, ELEM_CODE[type]).message(2, shape);
  const typeProto = new ProtoMessage().message(1, tensorType);
  return new ProtoMessage().string(1, name).message(2, typeProto);
}

function attribute(name: string, attr: Attr): ProtoMessage {
  const m = new ProtoMessage().string(1, name);
  const value: AttributeValue =
    typeof attr === 'number'
      ? { kind: 'int', value: attr }
      : typeof attr === 'string'
        ? { kind: 'string', value: attr }
        : Array.isArray(attr)
          ? { kind: 'ints', value: attr as readonly number[] }
          : (attr as AttributeValue);
  switch (value.kind) {
    case 'int':
      return m.int(3, value.value).int(20, ATTR_INT);
    case 'float':
      return m.float(2, value.value).int(20, ATTR_FLOAT);
    case 'string':
      return m.string(4, value.value).int(20, ATTR_STRING);
    case 'ints':
      return m.packedInts(8, value.value).int(20, ATTR_INTS);
    case 'floats':
      return m.packedFloats(7, value.value).int(20, ATTR_FLOATS);
  }
}

/**
 * Builds one graph. Names are generated for intermediate values (`v0`, `v1`, …); inputs, outputs and
 * initializers keep the names given.
 */
export class GraphBuilder {
  private readonly nodes: ProtoMessage[] = [];
  private readonly inputs: ProtoMessage[] = [];
  private readonly outputs: ProtoMessage[] = [];
  private readonly initializers: Initializer[] = [];
  private readonly used = new Set<string>();
  private counter = 0;
  /** Parameters held in initializers (elements, not bytes). */
  parameterCount = 0;

  constructor(readonly name = 'graph') {}

  private fresh(prefix = 'v'): string {
    let name: string;
    do name = `${prefix}${this.counter++}`;
    while (this.used.has(name));
    this.used.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.used.has(name)) throw new Error(`ONNX graph builder: the name "${name}" is used twice.`);
    this.used.add(name);
    return name;
  }

  input(name: string, type: ElemType, dims: readonly Dim[]): string {
    this.inputs.push(valueInfo(this.claim(name), type, dims));
    return name;
  }

  /** Marks `value` as a graph output called `name` (an Identity node renames it when they differ). */
  output(value: string, name: string, type: ElemType, dims: readonly Dim[]): void {
    if (value !== name) this.node('Identity', [value], {}, name);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** A float32 initializer; counts toward `parameterCount`. */
  weight(data: Float32Array, dims: readonly number[], prefix = 'w'): string {
    this.parameterCount += data.length;
    return this.tensor(data, dims, prefix);
  }

  /**
   * A float16 weight stored at half the bytes and cast to float32 inside the graph (DESIGN §5: "fp16
   * initializers cast to fp32 in-graph halve the files"). Returns the float32 value's name.
   */
  weightHalf(data: Float32Array, dims: readonly number[], prefix = 'w'): string {
    this.parameterCount += data.length;
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.length * 2);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < data.length; i++) view.setUint16(2 * i, toHalf(data[i]), true);
    this.initializers.push({ name, type: 'float16', dims, raw });
    return this.node('Cast', [name], { to: ONNX_FLOAT });
  }

  /** A float32 constant initializer (not counted as a parameter). */
  tensor(data: Float32Array, dims: readonly number[], prefix = 'c'): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(data.buffer.slice(data.byteOffset, data.byteOffset + data.byteLength));
    this.initializers.push({ name, type: 'float32', dims, raw });
    return name;
  }

  scalar(value: number): string {
    return this.tensor(Float32Array.of(value), []);
  }

  int64(values: readonly number[], prefix = 'i'): string {
    const name = this.fresh(prefix);
    const raw = new Uint8Array(values.length * 8);
    const view = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) view.setBigInt64(8 * i, BigInt(values[i]), true);
    this.initializers.push({ name, type: 'int64', dims: [values.length], raw });
    return name;
  }

  /** Adds a node with one output (named `outputName` or generated) and returns the output's name. */
  node(
    op: string,
    inputs: readonly string[],
    attrs: Readonly<Record<string, Attr>> = {},
    outputName?: string,
  ): string {
    const out = outputName === undefined ? this.fresh() : this.claim(outputName);
    this.nodeMulti(op, inputs, [out], attrs);
    return out;
  }

  /** Adds a node with `count` outputs and returns their names. */
  nodeOutputs(
    op: string,
    inputs: readonly string[],
    count: number,
    attrs: Readonly<Record<string, Attr>> = {},
  ): string[] {
    const outs = Array.from({ length: count }, () => this.fresh());
    this.nodeMulti(op, inputs, outs, attrs);
    return outs;
  }

  private nodeMulti(
    op: string,
    inputs: readonly string[],
    outputs: readonly string[],
    attrs: Readonly<Record<string, Attr>>,
  ): void {
    const m = new ProtoMessage();
    for (const i of inputs) m.string(1, i);
    for (const o of outputs) m.string(2, o);
    m.string(3, `${op}_${this.nodes.length}`);
    m.string(4, op);
    for (const [key, value] of Object.entries(attrs)) m.message(5, attribute(key, value));
    this.nodes.push(m);
  }

  /** The serialized ModelProto (IR version 8, default domain at `opset`, 17 unless given). */
  build(options: ModelOptions = {}): Uint8Array {
    const graph = new ProtoMessage();
    for (const n of this.nodes) graph.message(1, n);
    graph.string(2, this.name);
    for (const init of this.initializers) {
      const t = new ProtoMessage();
      t.packedInts(1, init.dims);
      t.int(2, ELEM_CODE[init.type]);
      t.string(8, init.name);
      t.bytes(9, init.raw);
      graph.message(5, t);
    }
    for (const i of this.inputs) graph.message(11, i);
    for (const o of this.outputs) graph.message(12, o);

    const model = new ProtoMessage();
    model.int(1, 8);
    model.string(2, options.producer ?? 'flowsmith');
    model.string(3, '0.1.0');
    if (options.docString) model.string(6, options.docString);
    model.message(7, graph);
    model.message(8, new ProtoMessage().string(1, '').int(2, options.opset ?? 17));
    for (const [key, value] of Object.entries(options.metadata ?? {})) {
      model.message(14, new ProtoMessage().string(1, key).string(2, value));
    }
    return model.finish();
  }
}

/** IEEE half-precision bits of a float32 (round to nearest even; overflow → ±Inf). */
export function toHalf(value: number): number {
  const f32 = new Float32Array(1);
  const u32 = new Uint32Array(f32.buffer);
  f32[0] = value;
  const x = u32[0];
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const halfway = 1 << (shift - 1);
    if (rem > halfway || (rem === halfway && half & 1)) half++;
    return sign | half;
  }
  // A rounding carry out of the mantissa bumps the exponent, up to Inf: exactly IEEE's behaviour.
  let half = (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && half & 1)) half++;
  return sign | half;
}
