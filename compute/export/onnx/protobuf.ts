/**
 * A minimal protobuf writer: just the wire types ONNX needs (varint and length-delimited; floats
 * travel as raw little-endian bytes inside TensorProto.raw_data). Writing it ourselves avoids a
 * runtime dependency for ~80 lines. Messages are built bottom-up: encode a child into bytes, then
 * write those bytes as a length-delimited field of the parent.
 */
const WIRE_VARINT = 0;
const WIRE_LENGTH_DELIMITED = 2;

export class ProtoWriter {
  private chunks: number[] = [];
  private readonly parts: Uint8Array[] = [];
  private length = 0;

  /** Unsigned or signed 64-bit integer field; negatives use ten-byte two's complement, as int64 requires. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  /** Repeated int64, packed (the proto3 default, accepted by ONNX's proto2 parsers as well). */
  packedInts(field: number, values: ReadonlyArray<number | bigint>): this {
    if (values.length === 0) return this;
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.bytes(field, inner.finish());
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, WIRE_LENGTH_DELIMITED);
    this.varint(value.length);
    this.flushChunks();
    this.parts.push(value);
    this.length += value.length;
    return this;
  }

  /** A nested message field, or one element of a repeated message field. */
  message(field: number, encoded: Uint8Array): this {
    return this.bytes(field, encoded);
  }

  float(field: number, value: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    for (const x of b) this.chunks.push(x);
    return this;
  }

  finish(): Uint8Array {
    this.flushChunks();
    const out = new Uint8Array(this.length);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  private varint(value: number | bigint): void {
    let v = BigInt.asUintN(64, BigInt(value));
    while (v >= 0x80n) {
      this.chunks.push(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.chunks.push(Number(v));
  }

  private flushChunks(): void {
    if (this.chunks.length === 0) return;
    this.parts.push(Uint8Array.from(this.chunks));
    this.length += this.chunks.length;
    this.chunks = [];
  }
}
