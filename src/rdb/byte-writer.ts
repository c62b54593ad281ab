// A growable output buffer for the RDB encoder (the role of Redis's rio over a file or an sds).
// Doubling growth; latin1 strings are copied with Buffer.latin1Write, not byte by byte.
//
// Invariant: finish() returns exactly the bytes written, in order; the writer is not used after.

export class ByteWriter {
  private buf: Buffer;
  private used = 0;

  constructor(initialBytes = 256) {
    this.buf = Buffer.allocUnsafe(Math.max(16, initialBytes));
  }

  get length(): number {
    return this.used;
  }

  private reserve(n: number): void {
    const need = this.used + n;
    if (need <= this.buf.length) return;
    let cap = this.buf.length * 2;
    while (cap < need) cap *= 2;
    const nb = Buffer.allocUnsafe(cap);
    this.buf.copy(nb, 0, 0, this.used);
    this.buf = nb;
  }

  u8(v: number): void {
    this.reserve(1);
    this.buf[this.used++] = v & 0xff;
  }

  u16le(v: number): void {
    this.reserve(2);
    this.buf.writeUInt16LE(v, this.used);
    this.used += 2;
  }

  i16le(v: number): void {
    this.reserve(2);
    this.buf.writeInt16LE(v, this.used);
    this.used += 2;
  }

  u32le(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32LE(v, this.used);
    this.used += 4;
  }

  i32le(v: number): void {
    this.reserve(4);
    this.buf.writeInt32LE(v, this.used);
    this.used += 4;
  }

  u32be(v: number): void {
    this.reserve(4);
    this.buf.writeUInt32BE(v, this.used);
    this.used += 4;
  }

  i64le(v: bigint): void {
    this.reserve(8);
    this.buf.writeBigInt64LE(BigInt.asIntN(64, v), this.used);
    this.used += 8;
  }

  u64le(v: bigint): void {
    this.reserve(8);
    this.buf.writeBigUInt64LE(BigInt.asUintN(64, v), this.used);
    this.used += 8;
  }

  u64be(v: bigint): void {
    this.reserve(8);
    this.buf.writeBigUInt64BE(BigInt.asUintN(64, v), this.used);
    this.used += 8;
  }

  f64le(v: number): void {
    this.reserve(8);
    this.buf.writeDoubleLE(v, this.used);
    this.used += 8;
  }

  bytes(b: Uint8Array): void {
    this.reserve(b.length);
    this.buf.set(b, this.used);
    this.used += b.length;
  }

  /** Writes a byte string (one char per byte). */
  latin1(s: string): void {
    this.reserve(s.length);
    this.used += this.buf.write(s, this.used, s.length, 'latin1');
  }

  finish(): Uint8Array {
    return new Uint8Array(this.buf.buffer, this.buf.byteOffset, this.used);
  }
}
