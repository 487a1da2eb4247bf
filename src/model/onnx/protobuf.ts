/**
 * The few protobuf wire-format pieces an ONNX writer needs (varints, length-delimited fields, packed
 * and fixed-width scalars). Messages are kept as lists of chunks and joined once at the end, so a
 * 160 MB initializer is copied into the final file once instead of once per nesting level.
 */

const WIRE_VARINT = 0;
const WIRE_FIXED32 = 5;
const WIRE_LENGTH = 2;

const encoder = new TextEncoder();

/** A protobuf message under construction: its encoded bytes, as chunks. */
export class ProtoMessage {
  private readonly chunks: Uint8Array[] = [];
  private pending: number[] = [];
  private length = 0;

  get byteLength(): number {
    return this.length + this.pending.length;
  }

  private flushPending(): void {
    if (this.pending.length === 0) return;
    this.chunks.push(Uint8Array.from(this.pending));
    this.length += this.pending.length;
    this.pending = [];
  }

  private pushBytes(bytes: Uint8Array): void {
    // Small pieces are batched into `pending`; big ones are kept by reference, not copied.
    if (bytes.length < 64) {
      for (const b of bytes) this.pending.push(b);
      return;
    }
    this.flushPending();
    this.chunks.push(bytes);
    this.length += bytes.length;
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v !== 0n) byte |= 0x80;
      this.pending.push(byte);
    } while (v !== 0n);
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum / bool field (negative values as 64-bit two's complement, as protobuf does). */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setFloat32(0, value, true);
    for (const b of bytes) this.pending.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH);
    this.varint(value.length);
    this.pushBytes(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, encoder.encode(value));
  }

  message(field: number, value: ProtoMessage): this {
    this.tag(field, WIRE_LENGTH);
    this.varint(value.byteLength);
    value.flushPending();
    for (const chunk of value.chunks) this.pushBytes(chunk);
    return this;
  }

  /** Packed repeated varints (proto3's default encoding for repeated scalars). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoMessage();
    for (const v of values) inner.varint(v);
    this.tag(field, WIRE_LENGTH);
    this.varint(inner.byteLength);
    inner.flushPending();
    for (const chunk of inner.chunks) this.pushBytes(chunk);
    return this;
  }

  packedFloats(field: number, values: readonly number[]): this {
    const bytes = new Uint8Array(values.length * 4);
    const view = new DataView(bytes.buffer);
    for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
    return this.bytes(field, bytes);
  }

  /** The encoded message as one array. */
  finish(): Uint8Array {
    this.flushPending();
    const out = new Uint8Array(this.length);
    let offset = 0;
    for (const chunk of this.chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    return out;
  }
}
