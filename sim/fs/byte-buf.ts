// A growable byte buffer: the contents of one version (visible or durable) of a simulated file.
// Invariant: bytes at or beyond `size` are zero, so growing a file (a write past EOF, ftruncate up)
// exposes zeros without filling, as a hole in a sparse file does.

const MIN_CAPACITY = 512;

export class ByteBuf {
  bytes: Uint8Array;
  size: number;

  constructor(capacity = 0) {
    this.bytes = new Uint8Array(capacity);
    this.size = 0;
  }

  static from(data: Uint8Array): ByteBuf {
    const b = new ByteBuf(data.length);
    b.bytes.set(data);
    b.size = data.length;
    return b;
  }

  private reserve(n: number): void {
    if (n <= this.bytes.length) return;
    let cap = Math.max(MIN_CAPACITY, this.bytes.length * 2);
    while (cap < n) cap *= 2;
    const next = new Uint8Array(cap);
    next.set(this.bytes.subarray(0, this.size));
    this.bytes = next;
  }

  /** Writes data[start, end) at `offset`, growing the buffer as needed. */
  write(offset: number, data: Uint8Array, start = 0, end = data.length): void {
    const n = end - start;
    const stop = offset + n;
    this.reserve(stop);
    this.bytes.set(start === 0 && end === data.length ? data : data.subarray(start, end), offset);
    if (stop > this.size) this.size = stop;
  }

  /** Sets the size; shrinking zeroes the cut bytes (keeping the invariant), growing exposes zeros. */
  truncate(size: number): void {
    if (size < this.size) this.bytes.fill(0, size, this.size);
    else this.reserve(size);
    this.size = size;
  }

  /** Grows to `size` without data (zeros); never shrinks. */
  extend(size: number): void {
    if (size > this.size) this.truncate(size);
  }

  /** A copy of [offset, offset+length) clipped to the size. */
  read(offset: number, length: number): Uint8Array {
    const start = Math.min(offset, this.size);
    const stop = Math.min(offset + length, this.size);
    return this.bytes.slice(start, stop);
  }

  /** The current contents, without copying (do not keep across writes). */
  view(): Uint8Array {
    return this.bytes.subarray(0, this.size);
  }

  clone(): ByteBuf {
    const b = new ByteBuf(this.size);
    b.bytes.set(this.bytes.subarray(0, this.size));
    b.size = this.size;
    return b;
  }
}
