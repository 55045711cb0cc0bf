/**
 * A minimal protobuf encoder: just enough wire format (varints, fixed32 and length-delimited
 * fields) to write ONNX files without Python or a .proto compiler. Wire types from
 * https://protobuf.dev/programming-guides/encoding/.
 */
const VARINT = 0;
const LEN = 2;
const I32 = 5;

export class ProtobufWriter {
  private readonly chunks: Uint8Array[] = [];
  private size = 0;

  private push(bytes: Uint8Array): void {
    this.chunks.push(bytes);
    this.size += bytes.length;
  }

  private tag(field: number, wireType: number): void {
    this.rawVarint(BigInt(field) << 3n | BigInt(wireType));
  }

  private rawVarint(value: bigint): void {
    // Negative int64 values are sent as their 64-bit two's complement (10 bytes), as protoc does.
    let v = value < 0n ? (1n << 64n) + value : value;
    const out: number[] = [];
    do {
      let byte = Number(v & 0x7fn);
      v >>= 7n;
      if (v > 0n) byte |= 0x80;
      out.push(byte);
    } while (v > 0n);
    this.push(Uint8Array.from(out));
  }

  /** int32/int64/enum/bool field. */
  varint(field: number, value: number | bigint): this {
    this.tag(field, VARINT);
    this.rawVarint(BigInt(value));
    return this;
  }

  /** float field (wire type 5, little-endian). */
  float(field: number, value: number): this {
    this.tag(field, I32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.push(b);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.tag(field, LEN);
    this.rawVarint(BigInt(value.length));
    this.push(value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Embedded message field. */
  message(field: number, inner: ProtobufWriter): this {
    return this.bytes(field, inner.finish());
  }

  /** Repeated int64 in packed form (the proto3 default, and what onnx.proto's readers accept). */
  packedVarints(field: number, values: ReadonlyArray<number | bigint>): this {
    const inner = new ProtobufWriter();
    for (const v of values) inner.rawVarint(BigInt(v));
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const c of this.chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out;
  }
}
