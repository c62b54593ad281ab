// A growable byte buffer: the contents of one version (visible or durable) of a simulated file.
// Invariants:
// - Bytes at or beyond `size` are zero, so growing a file (a write past EOF, ftruncate up) exposes
//   zeros without filling, as a hole in a sparse file does.
// - clone() is copy-on-write: both buffers share one array until either is mutated, so a crash
//   that copies every file's durable version costs nothing for files it does not change.

const MIN_CAPACITY = 256;
const EMPTY = new Uint8Array(0);

/**
 * `n` bytes of uninitialised memory as a plain Uint8Array. Small sizes come from Node's Buffer pool
 * (a view on a shared slab): a fresh ArrayBuffer per small array (what `new Uint8Array(n)` and
 * `slice()` do) costs an external allocation and GC bookkeeping, which dominated the simulator's
 * per-syscall cost. Views never overlap; users must not assume byteOffset 0.
 */
export function allocBytes(n: number): Uint8Array {
  const b = Buffer.allocUnsafe(n);
  return new Uint8Array(b.buffer, b.byteOffset, n);
}

/** A private copy of src[start, end) (see allocBytes). */
export function copyBytes(src: Uint8Array, start = 0, end = src.length): Uint8Array {
  const out = allocBytes(end - start);
  out.set(start === 0 && end === src.length ? src : src.subarray(start, end));
  return out;
}

export class ByteBuf {
  private arr: Uint8Array;
  private shared: boolean;
  size: number;

  constructor(capacity = 0) {
    this.arr = capacity === 0 ? EMPTY : new Uint8Array(capacity);
    this.shared = capacity === 0; // the empty array is shared by every empty buffer
    this.size = 0;
  }

  static from(data: Uint8Array): ByteBuf {
    const b = new ByteBuf(0);
    if (data.length > 0) {
      b.arr = copyBytes(data);
      b.shared = false;
    }
    b.size = data.length;
    return b;
  }

  /** A buffer holding the latin1 bytes of `text` (one char per byte). */
  static fromLatin1(text: string): ByteBuf {
    const b = new ByteBuf(0);
    if (text.length > 0) {
      const fresh = Buffer.from(text, 'latin1'); // a private copy already: no second one
      b.arr = new Uint8Array(fresh.buffer, fresh.byteOffset, fresh.length);
      b.shared = false;
    }
    b.size = text.length;
    return b;
  }

  /** Ensures a private array of at least n bytes. */
  private reserve(n: number): void {
    if (!this.shared && n <= this.arr.length) return;
    let cap = Math.max(MIN_CAPACITY, this.arr.length);
    while (cap < n) cap *= 2;
    const next = allocBytes(cap);
    next.set(this.size === this.arr.length ? this.arr : this.arr.subarray(0, this.size));
    next.fill(0, this.size); // the zero invariant beyond size
    this.arr = next;
    this.shared = false;
  }

  /** Writes data[start, end) at `offset`, growing the buffer as needed. */
  write(offset: number, data: Uint8Array, start = 0, end = data.length): void {
    const stop = offset + (end - start);
    this.reserve(stop);
    this.arr.set(start === 0 && end === data.length ? data : data.subarray(start, end), offset);
    if (stop > this.size) this.size = stop;
  }

  /** Sets the size; shrinking zeroes the cut bytes (keeping the invariant), growing exposes zeros. */
  truncate(size: number): void {
    if (size === this.size) return;
    this.reserve(size);
    if (size < this.size) this.arr.fill(0, size, this.size);
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
    return copyBytes(this.arr, start, stop);
  }

  /** The current contents, without copying (do not keep across writes). */
  view(): Uint8Array {
    return this.arr.subarray(0, this.size);
  }

  /** A copy-on-write copy. */
  clone(): ByteBuf {
    const b = new ByteBuf(0);
    b.arr = this.arr;
    b.size = this.size;
    b.shared = true;
    this.shared = true;
    return b;
  }
}
